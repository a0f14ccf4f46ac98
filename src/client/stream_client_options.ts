/**
 * Options and results of the operations of `StreamClient`.
 *
 * @module
 */

import type { Offset } from "../protocol/offset.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { ConnectionCallbacks } from "./stream_reader.ts";

/**
 * Options of a `StreamClient`.
 *
 * @example
 * ```ts
 * import type { StreamClientOptions } from "@agent-stream/agent-stream/client";
 * const options: StreamClientOptions = {
 *   baseUrl: "https://streams.example.com",
 *   headers: () => ({ authorization: `Bearer ${localStorage.getItem("token")}` }),
 *   backoff: { maxAttempts: Infinity },
 * };
 * ```
 */
export interface StreamClientOptions extends ConnectionCallbacks {
  /** The server's base URL; the discovery document is at `{baseUrl}/v1`. */
  readonly baseUrl: string | URL;
  /** The fetch to use, e.g. an in-process server's handler. Default: global `fetch`. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Headers for every request, or a function that makes them (tokens that expire). */
  readonly headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
  /** Retry timing of every operation. */
  readonly backoff?: BackoffOptions;
  /**
   * SSE heartbeat interval; silence for twice as long means a dead connection
   * (SSE-HEARTBEAT-3). Default: `bindings.sse.heartbeatMs` of the discovery
   * document; `0` turns detection off.
   */
  readonly heartbeatMs?: number;
  /** Whether to read the discovery document for URLs and timing. Default `true`. */
  readonly discovery?: boolean;
}

/**
 * Options of `StreamClient.create`.
 *
 * @example
 * ```ts
 * import type { CreateOptions } from "@agent-stream/agent-stream/client";
 * const options: CreateOptions = { kind: "agent", ttlSeconds: 3600 };
 * ```
 */
export interface CreateOptions {
  /** `"agent"` validates every message as an envelope. Default `"json"`. */
  readonly kind?: StreamKind;
  /** Sliding time-to-live in seconds. */
  readonly ttlSeconds?: number;
  /** Absolute expiry instant. */
  readonly expiresAt?: Date | string;
  /** Create the stream closed (after any initial messages). */
  readonly closed?: boolean;
  /** Initial messages. */
  readonly messages?: readonly unknown[];
  /** Create a fork of this stream. */
  readonly forkedFrom?: string;
  /** Where the fork diverges; default the source's tail. */
  readonly forkOffset?: Offset | number;
  /** Media type of the stream. Default `application/json`. */
  readonly contentType?: string;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/**
 * What `StreamClient.create` reports.
 *
 * @example
 * ```ts
 * import type { CreateResult } from "@agent-stream/agent-stream/client";
 * const isNew = (result: CreateResult) => result.created;
 * ```
 */
export interface CreateResult {
  /** `false` when an identical stream already existed (HTTP-CREATE-2). */
  readonly created: boolean;
  /** The tail after any initial messages. */
  readonly nextOffset: Offset;
  /** The stream's kind. */
  readonly kind: StreamKind;
}

/**
 * Producer coordinates of one append (log.md §7).
 *
 * @example
 * ```ts
 * import type { ProducerHeaders } from "@agent-stream/agent-stream/client";
 * const producer: ProducerHeaders = { id: "worker-1", epoch: 0, seq: 3 };
 * ```
 */
export interface ProducerHeaders {
  /** Producer id. */
  readonly id: string;
  /** Producer epoch. */
  readonly epoch: number;
  /** Sequence number of this append within the epoch. */
  readonly seq: number;
}

/**
 * Options of `StreamClient.append`.
 *
 * @example
 * ```ts
 * import type { AppendOptions } from "@agent-stream/agent-stream/client";
 * const options: AppendOptions = { close: true };
 * ```
 */
export interface AppendOptions {
  /** Idempotent-producer headers; with them failed requests are retried safely. */
  readonly producer?: ProducerHeaders;
  /** Close the stream with (after) these messages. */
  readonly close?: boolean;
  /** Writer sequence value (`Stream-Seq`). */
  readonly streamSeq?: string;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/**
 * What an append reports.
 *
 * @example
 * ```ts
 * import type { AppendResult } from "@agent-stream/agent-stream/client";
 * const tail = (result: AppendResult) => result.nextOffset;
 * ```
 */
export interface AppendResult {
  /** The stream's tail after the append. */
  readonly nextOffset: Offset;
  /** The stream is closed now. */
  readonly closed: boolean;
  /** A producer append the server had already stored; nothing was added. */
  readonly duplicate: boolean;
  /** Producer state the server reported. */
  readonly producer?: { readonly epoch: number; readonly seq: number };
}

/**
 * A stream's metadata (`HEAD`).
 *
 * @example
 * ```ts
 * import type { StreamInfo } from "@agent-stream/agent-stream/client";
 * const size = (info: StreamInfo) => info.nextOffset;
 * ```
 */
export interface StreamInfo {
  /** The tail. */
  readonly nextOffset: Offset;
  /** Whether the stream is closed. */
  readonly closed: boolean;
  /** The stream's kind. */
  readonly kind: StreamKind;
  /** Its media type. */
  readonly contentType: string;
  /** Sliding TTL, when set. */
  readonly ttlSeconds?: number;
  /** Expiry instant, when set. */
  readonly expiresAt?: string;
}
