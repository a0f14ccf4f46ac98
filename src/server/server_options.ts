/**
 * Configuration of the reference server: the store it serves, its limits
 * and its timing. Every limit is explicit, advertised in the discovery
 * document, and enforced with the problem the spec names for it.
 *
 * @module
 */

import type { EventStore } from "../stores/event_store.ts";

/**
 * Limits, as advertised in the discovery document (spec/v1/discovery.md).
 *
 * @example
 * ```ts
 * import type { ServerLimits } from "@agent-stream/agent-stream/server";
 * const limits: Partial<ServerLimits> = { maxMessageBytes: 64 * 1024 };
 * ```
 */
export interface ServerLimits {
  /** Largest single message, in UTF-8 bytes of its JSON text (413 beyond). */
  readonly maxMessageBytes: number;
  /** Largest request body, in bytes (413 beyond). */
  readonly maxBodyBytes: number;
  /** Most messages one read returns; a larger `limit` is lowered to it. */
  readonly maxReadMessages: number;
  /** Longest stream path, in UTF-8 bytes. */
  readonly maxStreamPathBytes: number;
  /** Most streams the server holds (507 `stream-limit` beyond). */
  readonly maxStreams: number;
  /** Most live readers of one stream (429 `subscriber-limit` beyond). */
  readonly maxSubscribersPerStream: number;
  /** Most live readers in all (429 `subscriber-limit` beyond). */
  readonly maxSubscribers: number;
  /** Largest WebSocket frame accepted, in bytes (close 1009 beyond). */
  readonly maxWsFrameBytes: number;
  /** Most WebSocket subscriptions on one connection. */
  readonly maxWsSubscriptions: number;
  /** Messages a live reader may fall behind before it is cut off (it resumes). */
  readonly subscriberBufferMessages: number;
}

/**
 * Timing of live reads.
 *
 * @example
 * ```ts
 * import type { ServerTiming } from "@agent-stream/agent-stream/server";
 * const timing: Partial<ServerTiming> = { heartbeatMs: 5_000 };
 * ```
 */
export interface ServerTiming {
  /** How long a long-poll waits before answering 204. */
  readonly longPollTimeoutMs: number;
  /** Silence after which SSE writes a comment and WebSocket a `ping`. */
  readonly heartbeatMs: number;
  /** SSE connections end after about this long, at an event boundary. */
  readonly sseRotationMs: number;
  /** The SSE `retry:` value sent to browsers. */
  readonly sseRetryMs: number;
  /** Length of a `Stream-Cursor` interval. */
  readonly cursorIntervalMs: number;
}

/**
 * Options of the reference server.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * import type { ServerOptions } from "@agent-stream/agent-stream/server";
 * const options: ServerOptions = { store: new MemoryStore(), timing: { heartbeatMs: 5_000 } };
 * ```
 */
export interface ServerOptions {
  /** Where streams live. */
  readonly store: EventStore;
  /** Overrides of {@linkcode DEFAULT_LIMITS}. */
  readonly limits?: Partial<ServerLimits>;
  /** Overrides of {@linkcode DEFAULT_TIMING}. */
  readonly timing?: Partial<ServerTiming>;
  /** Reported in the discovery document. */
  readonly server?: { readonly name: string; readonly version: string };
  /** Clock for cursors and timeouts; default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * The limits a server uses unless told otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "@agent-stream/agent-stream/server";
 * console.log(DEFAULT_LIMITS.maxMessageBytes); // 1048576
 * ```
 */
export const DEFAULT_LIMITS: ServerLimits = Object.freeze({
  maxMessageBytes: 1024 * 1024,
  maxBodyBytes: 8 * 1024 * 1024,
  maxReadMessages: 1000,
  maxStreamPathBytes: 1024,
  maxStreams: 100_000,
  maxSubscribersPerStream: 10_000,
  maxSubscribers: 100_000,
  maxWsFrameBytes: 8 * 1024 * 1024,
  maxWsSubscriptions: 1000,
  subscriberBufferMessages: 10_000,
});

/**
 * The timing a server uses unless told otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMING } from "@agent-stream/agent-stream/server";
 * console.log(DEFAULT_TIMING.heartbeatMs); // 15000
 * ```
 */
export const DEFAULT_TIMING: ServerTiming = Object.freeze({
  longPollTimeoutMs: 30_000,
  heartbeatMs: 15_000,
  sseRotationMs: 60_000,
  sseRetryMs: 1_000,
  cursorIntervalMs: 20_000,
});
