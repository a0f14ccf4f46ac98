/**
 * The log layer in-process: the interface every store implements.
 *
 * Offsets here are numbers (the count of units before a position: messages
 * in a JSON stream, bytes in a byte stream); bindings format them as 16-digit
 * strings with `formatOffset`. Payloads are the exact bytes a message was
 * appended with, so a server writes stored bytes to the wire unchanged.
 *
 * @module
 */

import type { ProblemSlug } from "../protocol/problem.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";

/**
 * The content type of JSON streams. Every other content type makes a byte
 * stream, whose offsets count bytes (spec/v1/log.md §11).
 *
 * @example
 * ```ts
 * import { JSON_CONTENT_TYPE } from "@agent-stream/agent-stream/stores";
 * JSON_CONTENT_TYPE; // "application/json"
 * ```
 */
export const JSON_CONTENT_TYPE: string = "application/json";

/**
 * A producer's identity on one append (spec/v1/log.md §7).
 *
 * @example
 * ```ts
 * import type { ProducerId } from "@agent-stream/agent-stream/stores";
 * const producer: ProducerId = { id: "worker-1", epoch: 0, seq: 0 };
 * ```
 */
export interface ProducerId {
  /** Stable producer id, non-empty. */
  readonly id: string;
  /** Epoch, raised when the producer restarts. */
  readonly epoch: number;
  /** Sequence number of this append within the epoch, from 0. */
  readonly seq: number;
}

/**
 * Where a fork diverges from its source.
 *
 * @example
 * ```ts
 * import type { ForkOrigin } from "@agent-stream/agent-stream/stores";
 * const origin: ForkOrigin = { path: "chats/1", offset: 4 };
 * ```
 */
export interface ForkOrigin {
  /** Path of the source stream. */
  readonly path: string;
  /** The fork offset: the fork holds the source's units before it. */
  readonly offset: number;
}

/**
 * What a store knows about one stream.
 *
 * @example
 * ```ts
 * import type { StreamInfo } from "@agent-stream/agent-stream/stores";
 * const info: StreamInfo = {
 *   path: "chats/1",
 *   contentType: "application/json",
 *   kind: "agent",
 *   tail: 0,
 *   closed: false,
 * };
 * ```
 */
export interface StreamInfo {
  /** The stream's path. */
  readonly path: string;
  /** `application/json`, or the media type of a byte stream. */
  readonly contentType: string;
  /** `json` or `agent` (agent streams hold envelopes). */
  readonly kind: StreamKind;
  /** The offset after the last unit. */
  readonly tail: number;
  /** Whether the stream is closed. */
  readonly closed: boolean;
  /** Sliding time-to-live in seconds, if set. */
  readonly ttlSeconds?: number;
  /** Absolute expiry, milliseconds since the epoch, if set. */
  readonly expiresAt?: number;
  /** Fork origin, for a fork. */
  readonly fork?: ForkOrigin;
}

/**
 * Options of {@linkcode EventStore.create}.
 *
 * @example
 * ```ts
 * import type { CreateOptions } from "@agent-stream/agent-stream/stores";
 * const options: CreateOptions = { kind: "agent", ttlSeconds: 3600 };
 * ```
 */
export interface CreateOptions {
  /** Default `application/json`. A fork defaults to its source's. */
  readonly contentType?: string;
  /** Default `json`. A fork defaults to its source's. */
  readonly kind?: StreamKind;
  /** Sliding time-to-live in seconds. Exclusive with `expiresAt`. */
  readonly ttlSeconds?: number;
  /** Absolute expiry in milliseconds since the epoch. Exclusive with `ttlSeconds`. */
  readonly expiresAt?: number;
  /** Create the stream closed (after storing `messages`). */
  readonly closed?: boolean;
  /** Initial messages (JSON streams) or chunks (byte streams). */
  readonly messages?: readonly Uint8Array[];
  /** Create a fork of another stream; `offset` defaults to its tail. */
  readonly fork?: { readonly path: string; readonly offset?: number };
}

/**
 * Result of {@linkcode EventStore.create}: `created` is false when an
 * identical stream already existed (spec HTTP-CREATE-2).
 *
 * @example
 * ```ts
 * import type { CreateResult } from "@agent-stream/agent-stream/stores";
 * function status(result: CreateResult): number {
 *   return result.created ? 201 : 200;
 * }
 * ```
 */
export interface CreateResult {
  /** True when this call created the stream. */
  readonly created: boolean;
  /** The stream as it is now. */
  readonly stream: StreamInfo;
}

/**
 * One append: messages, a close, or both (spec/v1/log.md §4, §6).
 *
 * @example
 * ```ts
 * import type { AppendRequest } from "@agent-stream/agent-stream/stores";
 * const encoder = new TextEncoder();
 * const request: AppendRequest = {
 *   messages: [encoder.encode('{"type":"text.delta","delta":"Hi"}')],
 *   producer: { id: "worker-1", epoch: 0, seq: 0 },
 * };
 * ```
 */
export interface AppendRequest {
  /** The batch, stored atomically. Empty only with `close`. */
  readonly messages: readonly Uint8Array[];
  /** Close the stream after the batch, in the same atomic step. */
  readonly close?: boolean;
  /** Idempotent producer identity. */
  readonly producer?: ProducerId;
  /** Durable Streams `Stream-Seq`: must grow strictly (byte-wise). */
  readonly streamSeq?: string;
  /** The request's content type, checked against the stream's when given. */
  readonly contentType?: string;
}

/**
 * Result of a successful {@linkcode EventStore.append}.
 *
 * @example
 * ```ts
 * import type { AppendResult } from "@agent-stream/agent-stream/stores";
 * function status(result: AppendResult): number {
 *   return result.duplicate ? 204 : 200;
 * }
 * ```
 */
export interface AppendResult {
  /** The tail after the append (for a duplicate: the current tail). */
  readonly nextOffset: number;
  /** Whether the stream is closed now. */
  readonly closed: boolean;
  /** True when a producer retry was recognised and nothing was stored. */
  readonly duplicate: boolean;
  /** For producer appends: the epoch and the highest accepted sequence number. */
  readonly producer?: { readonly epoch: number; readonly seq: number };
}

/**
 * Options of {@linkcode EventStore.read}.
 *
 * @example
 * ```ts
 * import type { ReadOptions } from "@agent-stream/agent-stream/stores";
 * const options: ReadOptions = { offset: 10, limit: 100 };
 * ```
 */
export interface ReadOptions {
  /** Start offset, default 0. Must not exceed the tail. */
  readonly offset?: number;
  /** At most this many units (messages, or bytes for byte streams). */
  readonly limit?: number;
}

/**
 * What a read returns (spec/v1/log.md §5).
 *
 * @example
 * ```ts
 * import type { ReadResult } from "@agent-stream/agent-stream/stores";
 * function done(result: ReadResult): boolean {
 *   return result.closed;
 * }
 * ```
 */
export interface ReadResult {
  /** The offset of the first unit returned (the requested offset). */
  readonly offset: number;
  /** Messages in offset order (byte streams: chunks, the first possibly sliced). */
  readonly messages: readonly Uint8Array[];
  /** The offset where the next read starts. */
  readonly nextOffset: number;
  /** True when `nextOffset` equals the tail at the time of the read. */
  readonly upToDate: boolean;
  /** True when the stream is closed and `nextOffset` is its final tail. */
  readonly closed: boolean;
}

/**
 * What a subscription listener receives: a batch of messages continuing
 * exactly where the previous one ended, or the end of the subscription.
 * A batch delivered live to several subscribers carries the same `messages`
 * array to each, so a binding can cache its encoding on that array (a
 * `WeakMap`) and write the same bytes to every subscriber.
 *
 * @example
 * ```ts
 * import type { SubscriptionEvent } from "@agent-stream/agent-stream/stores";
 * function onEvent(event: SubscriptionEvent): void {
 *   if (event.type === "batch") console.log(event.nextOffset);
 * }
 * ```
 */
export type SubscriptionEvent =
  | ({ readonly type: "batch" } & ReadResult)
  | { readonly type: "end"; readonly reason: "closed" | "deleted" };

/**
 * Options of {@linkcode EventStore.subscribe}.
 *
 * @example
 * ```ts
 * import type { SubscribeOptions } from "@agent-stream/agent-stream/stores";
 * const options: SubscribeOptions = { offset: 0, batchLimit: 500 };
 * ```
 */
export interface SubscribeOptions {
  /** Start offset, default 0. Must not exceed the tail. */
  readonly offset?: number;
  /** Largest batch delivered at once while catching up, in units. */
  readonly batchLimit?: number;
  /**
   * Keep watching after the stream closed: when it is deleted before
   * `unsubscribe()`, an `end` event with reason `deleted` follows the one
   * with reason `closed`. For readers that hold delivered batches back, such
   * as a WebSocket subscription stalled by its window.
   */
  readonly untilDeleted?: boolean;
}

/**
 * A live subscription.
 *
 * @example
 * ```ts
 * import type { Subscription } from "@agent-stream/agent-stream/stores";
 * function stop(subscription: Subscription): void {
 *   subscription.unsubscribe();
 * }
 * ```
 */
export interface Subscription {
  /** Stops delivery; no listener call follows. Idempotent. */
  unsubscribe(): void;
  /** Settles when the subscription ends, with the reason. */
  readonly done: Promise<"closed" | "deleted" | "unsubscribed">;
}

/**
 * The log layer of spec/v1/log.md, in-process. Implementations:
 * `MemoryStore`, `SqliteStore`, `FileStore`. Failures are thrown as
 * {@linkcode StoreError} carrying the spec's problem slug.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const store = new MemoryStore();
 * await store.create("chats/1");
 * await store.append("chats/1", { messages: [new TextEncoder().encode("{}")] });
 * const { messages } = await store.read("chats/1");
 * await store.dispose();
 * ```
 */
export interface EventStore {
  /** Creates a stream or a fork; idempotent for an identical configuration. */
  create(path: string, options?: CreateOptions): Promise<CreateResult>;
  /** Appends a batch atomically, optionally closing the stream. */
  append(path: string, request: AppendRequest): Promise<AppendResult>;
  /** Reads from an offset. */
  read(path: string, options?: ReadOptions): Promise<ReadResult>;
  /** The stream's metadata; does not restart its TTL. */
  head(path: string): Promise<StreamInfo>;
  /** Deletes a stream (soft-deletes it while forks read from it). */
  delete(path: string): Promise<void>;
  /**
   * Delivers the stream from an offset: history first, then live batches as
   * they are committed, with no gap and no duplicate, until the stream is
   * closed and fully delivered, deleted, or the subscription is stopped.
   */
  subscribe(
    path: string,
    options: SubscribeOptions,
    listener: (event: SubscriptionEvent) => void,
  ): Promise<Subscription>;
  /** Releases the store's resources; pending appends settle first. */
  dispose(): Promise<void>;
}

/**
 * Details a {@linkcode StoreError} may carry, mirroring the problem
 * members and headers of spec/v1/errors.md.
 *
 * @example
 * ```ts
 * import type { StoreErrorDetails } from "@agent-stream/agent-stream/stores";
 * const details: StoreErrorDetails = { expectedSeq: 4, receivedSeq: 6 };
 * ```
 */
export interface StoreErrorDetails {
  /** The stream's tail (offset-out-of-range, stream-closed). */
  readonly tail?: number;
  /** Whether the stream is closed (stream-closed). */
  readonly closed?: boolean;
  /** Current producer epoch (producer-stale-epoch). */
  readonly producerEpoch?: number;
  /** Expected sequence number (producer-seq-gap). */
  readonly expectedSeq?: number;
  /** Received sequence number (producer-seq-gap). */
  readonly receivedSeq?: number;
}

/**
 * A store operation refused for a reason the spec names: `slug` is the
 * problem type a server answers with.
 *
 * @example
 * ```ts
 * import { StoreError } from "@agent-stream/agent-stream/stores";
 * const error = new StoreError("stream-not-found", "no stream at chats/9");
 * error.slug; // "stream-not-found"
 * ```
 */
export class StoreError extends Error {
  /** The problem type slug (spec/v1/errors.md §5). */
  readonly slug: ProblemSlug;
  /** Extra facts for the problem body and headers. */
  readonly details: StoreErrorDetails;

  /** Creates an error with a problem slug, a message and details. */
  constructor(slug: ProblemSlug, message: string, details: StoreErrorDetails = {}) {
    super(message);
    this.name = "StoreError";
    this.slug = slug;
    this.details = details;
  }
}
