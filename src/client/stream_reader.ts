/**
 * The reading side of `StreamClient`: what `read()` returns, the
 * events it yields, and its options.
 *
 * @module
 */

import type { Offset, RequestOffset } from "../protocol/offset.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { StreamError } from "./stream_error.ts";
import type { MatchingMessage } from "./type_pattern.ts";

/**
 * How a read follows the stream: `false` reads what is there and ends at the
 * tail (catch-up); `"long-poll"` and `"sse"` keep reading as messages are
 * appended, until the stream is closed.
 *
 * @example
 * ```ts
 * import type { LiveMode } from "@agent-stream/agent-stream/client";
 * const mode: LiveMode = "sse";
 * ```
 */
export type LiveMode = false | "long-poll" | "sse";

/**
 * Where a read stands, as reported to `onStatusChange`.
 *
 * @example
 * ```ts
 * import type { ReadStatus } from "@agent-stream/agent-stream/client";
 * const show = (status: ReadStatus) => status === "reconnecting" ? "⟳" : "";
 * ```
 */
export type ReadStatus = "connecting" | "connected" | "reconnecting" | "done" | "failed";

/**
 * Context passed to the connection callbacks.
 *
 * @example
 * ```ts
 * import type { ReadInfo } from "@agent-stream/agent-stream/client";
 * const log = (info: ReadInfo) => console.log(info.path, info.error?.code);
 * ```
 */
export interface ReadInfo {
  /** The stream being read. */
  readonly path: string;
  /** The failure that caused the reconnection, where there is one. */
  readonly error?: StreamError;
}

/**
 * Callbacks about the connection of a read, set on the client or per read.
 *
 * @example
 * ```ts
 * import type { ConnectionCallbacks } from "@agent-stream/agent-stream/client";
 * const callbacks: ConnectionCallbacks = {
 *   onReconnecting: (attempt, max, delayMs) => console.log(`retry ${attempt}/${max} in ${delayMs} ms`),
 * };
 * ```
 */
export interface ConnectionCallbacks {
  /** The read changed status. */
  readonly onStatusChange?: (status: ReadStatus, info: ReadInfo) => void;
  /** A connection failed; the read tries again after `delayMs`. */
  readonly onReconnecting?: (
    attempt: number,
    maxAttempts: number,
    delayMs: number,
    info: ReadInfo,
  ) => void;
  /** A connection succeeded after failures. */
  readonly onReconnected?: (info: ReadInfo) => void;
  /** Retries are used up; the read fails with `info.error`. */
  readonly onReconnectFailed?: (info: ReadInfo) => void;
}

/**
 * Options of `StreamClient.read`.
 *
 * @example
 * ```ts
 * import type { ReadOptions } from "@agent-stream/agent-stream/client";
 * const options: ReadOptions = { offset: "-1", live: "sse", signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface ReadOptions extends ConnectionCallbacks {
  /** Where to start: an offset, a message count, `"-1"` (default) or `"now"`. */
  readonly offset?: RequestOffset | number;
  /** How to follow the stream; default `false` (catch-up only). */
  readonly live?: LiveMode;
  /** Most messages per response (catch-up and long-poll). */
  readonly limit?: number;
  /** Cancels the read; the iterator then throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** SSE heartbeat interval; silence for twice as long means a dead connection. */
  readonly heartbeatMs?: number;
  /** Retry timing; default the client's. */
  readonly backoff?: BackoffOptions;
}

/**
 * Facts about the batch an event arrived in: one response, or one SSE
 * data event with its control event.
 *
 * @example
 * ```ts
 * import type { BatchInfo } from "@agent-stream/agent-stream/client";
 * const caughtUp = (batch: BatchInfo) => batch.upToDate;
 * ```
 */
export interface BatchInfo {
  /** Offset of the batch's first message. */
  readonly offset: Offset;
  /** Offset after its last message. */
  readonly nextOffset: Offset;
  /** Number of messages. */
  readonly count: number;
  /** The reader had reached the tail after this batch. */
  readonly upToDate: boolean;
  /** The stream is closed and this batch holds its last messages. */
  readonly closed: boolean;
  /** The server's cursor after this batch (long-poll, SSE). */
  readonly cursor?: string;
}

/**
 * One message of the stream, where it sits, and how it came.
 *
 * @example
 * ```ts
 * import type { StreamEvent } from "@agent-stream/agent-stream/client";
 * const describe = (event: StreamEvent) => `${event.offset}: ${event.raw}`;
 * ```
 */
export interface StreamEvent<M = unknown> {
  /** Offset of this message. */
  readonly offset: Offset;
  /** Offset after it: where to resume once it is processed. */
  readonly nextOffset: Offset;
  /** The message, parsed. */
  readonly message: M;
  /** Its exact JSON text as the server stored it (LOG-MSG-1/2). */
  readonly raw: string;
  /** The batch it arrived in. */
  readonly batch: BatchInfo;
}

/**
 * A batch with its events. Batches without messages are reported when they
 * carry news: the reader caught up, or the stream closed.
 *
 * @example
 * ```ts
 * import type { StreamBatch } from "@agent-stream/agent-stream/client";
 * const size = (batch: StreamBatch) => batch.events.length;
 * ```
 */
export interface StreamBatch<M = unknown> extends BatchInfo {
  /** The messages, in offset order. */
  readonly events: readonly StreamEvent<M>[];
}

/**
 * Counters of a read.
 *
 * @example
 * ```ts
 * import type { ReadMetrics } from "@agent-stream/agent-stream/client";
 * const line = (m: ReadMetrics) => `${m.events} events, ${m.reconnects} reconnects, lag ${m.lag}`;
 * ```
 */
export interface ReadMetrics {
  /** Events handed to the application. */
  readonly events: number;
  /** Response body bytes received, over all connections. */
  readonly bytes: number;
  /** Connections opened again after the first: failures, and SSE rotations. */
  readonly reconnects: number;
  /** Offset after the last event handed over; where the read would resume. */
  readonly lastOffset: Offset | undefined;
  /** Messages received from the server but not yet handed over. */
  readonly lag: number;
  /** Messages the server sent again and the reader dropped. */
  readonly duplicates: number;
  /** Times the server skipped messages and the reader re-requested them. */
  readonly gaps: number;
  /** The last batch reached the tail. */
  readonly upToDate: boolean;
  /** The stream is closed and every message was received. */
  readonly closed: boolean;
}

/**
 * A read in progress. Iterate it for events, or iterate `batches()`, or call
 * `run()` to drive the handlers; the read happens once, so use one of the
 * three. Resumes after disconnects with no gap and no duplicate, and ends
 * when the stream is closed (or, for a catch-up read, at the tail).
 *
 * @example
 * ```ts
 * import { StreamClient } from "@agent-stream/agent-stream/client";
 * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
 * const reader = client.read("chats/42", { live: "sse" });
 * reader.on("text.delta", (message) => console.log(message.delta));
 * await reader.run();
 * ```
 */
export interface StreamReader<M = unknown> extends AsyncIterable<StreamEvent<M>> {
  /** The events, batch by batch. */
  batches(): AsyncIterableIterator<StreamBatch<M>>;
  /** Reads to the end, calling the handlers for every event. */
  run(): Promise<void>;
  /**
   * Calls `handler` for every message whose `type` matches `pattern`
   * (`"text.delta"`, `"text.*"`, `"*"`). Returns a function that removes it.
   */
  on<P extends string>(
    pattern: P,
    handler: (message: MatchingMessage<M, P>, event: StreamEvent<M>) => void,
  ): () => void;
  /** Calls `handler` for every event. Returns a function that removes it. */
  onAny(handler: (event: StreamEvent<M>) => void): () => void;
  /** Stops the read; a pending iteration ends without error. */
  cancel(): void;
  /** The read's counters. */
  getMetrics(): ReadMetrics;
  /** The read's status. */
  readonly status: ReadStatus;
}
