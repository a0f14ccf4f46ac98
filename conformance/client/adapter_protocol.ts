/**
 * The client adapter protocol (spec/v1/conformance.md §4): the JSON lines a
 * runner writes to an adapter's stdin (commands) and reads from its stdout
 * (events). An adapter is any program, in any language, that drives a client
 * under test as these commands say and reports what the client delivers.
 *
 * @module
 */

/**
 * How a read follows its stream; the adapter's `ready` lists those it can do.
 *
 * @example
 * ```ts
 * import type { AdapterLiveMode } from "@agent-stream/agent-stream/conformance";
 * const mode: AdapterLiveMode = "sse";
 * ```
 */
export type AdapterLiveMode = "sse" | "long-poll" | "websocket";

/**
 * The binding an append goes over.
 *
 * @example
 * ```ts
 * import type { AdapterBinding } from "@agent-stream/agent-stream/conformance";
 * const via: AdapterBinding = "http";
 * ```
 */
export type AdapterBinding = "http" | "websocket";

/**
 * Retry timing the runner suggests, so that checks of faults finish quickly;
 * an adapter whose client can be configured so applies it.
 *
 * @example
 * ```ts
 * import type { RetryHints } from "@agent-stream/agent-stream/conformance";
 * const hints: RetryHints = { initialDelayMs: 10, maxDelayMs: 400 };
 * ```
 */
export interface RetryHints {
  /** The first retry's delay (or its upper bound, with jitter). */
  readonly initialDelayMs: number;
  /** The longest delay between two retries. */
  readonly maxDelayMs: number;
}

/**
 * `read`: read a stream from an offset, live, until it is closed.
 *
 * @example
 * ```ts
 * import type { ReadCommand } from "@agent-stream/agent-stream/conformance";
 * const read: ReadCommand = {
 *   id: 1, cmd: "read", url: "http://127.0.0.1:8787", path: "chats/1", offset: "-1", live: "sse",
 * };
 * ```
 */
export interface ReadCommand {
  /** Unique over the session; every event of this read carries it. */
  readonly id: number;
  /** Command name. */
  readonly cmd: "read";
  /** The server's base URL; its discovery document is at `{url}/v1`. */
  readonly url: string;
  /** The stream path. */
  readonly path: string;
  /** Where to start: `-1`, `now` or an offset. */
  readonly offset: string;
  /** How to follow the stream. */
  readonly live: AdapterLiveMode;
  /** WebSocket only: the subscription's flow-control window. */
  readonly window?: number;
  /** Suggested retry timing. */
  readonly retry?: RetryHints;
}

/**
 * `append`: append messages (and optionally close the stream) through the client.
 *
 * @example
 * ```ts
 * import type { AppendCommand } from "@agent-stream/agent-stream/conformance";
 * const append: AppendCommand = {
 *   id: 2, cmd: "append", url: "http://127.0.0.1:8787", path: "chats/1", via: "http",
 *   messages: [{ type: "text.delta", delta: "hi" }],
 * };
 * ```
 */
export interface AppendCommand {
  /** Unique over the session. */
  readonly id: number;
  /** Command name. */
  readonly cmd: "append";
  /** The server's base URL. */
  readonly url: string;
  /** The stream path. */
  readonly path: string;
  /** The binding to append over. */
  readonly via: AdapterBinding;
  /** The messages, each one message of the stream; empty only with `close`. */
  readonly messages: readonly unknown[];
  /** Close the stream with this append. */
  readonly close?: boolean;
  /** Append as this idempotent producer. */
  readonly producer?: { readonly id: string; readonly epoch: number; readonly seq: number };
  /** Suggested retry timing. */
  readonly retry?: RetryHints;
}

/**
 * `close`: end a read (over WebSocket: unsubscribe).
 *
 * @example
 * ```ts
 * import type { CloseCommand } from "@agent-stream/agent-stream/conformance";
 * const close: CloseCommand = { id: 3, cmd: "close", read: 1 };
 * ```
 */
export interface CloseCommand {
  /** Unique over the session. */
  readonly id: number;
  /** Command name. */
  readonly cmd: "close";
  /** The `id` of the read to end. */
  readonly read: number;
}

/**
 * `stop`: end every read, answer `done`, exit.
 *
 * @example
 * ```ts
 * import type { StopCommand } from "@agent-stream/agent-stream/conformance";
 * const stop: StopCommand = { id: 4, cmd: "stop" };
 * ```
 */
export interface StopCommand {
  /** Unique over the session. */
  readonly id: number;
  /** Command name. */
  readonly cmd: "stop";
}

/**
 * Every command a runner sends.
 *
 * @example
 * ```ts
 * import type { AdapterCommand } from "@agent-stream/agent-stream/conformance";
 * const line = (command: AdapterCommand) => JSON.stringify(command) + "\n";
 * ```
 */
export type AdapterCommand = ReadCommand | AppendCommand | CloseCommand | StopCommand;

/**
 * `ready`: the adapter's first line, saying what its client can do.
 *
 * @example
 * ```ts
 * import type { AdapterReady } from "@agent-stream/agent-stream/conformance";
 * const ready: AdapterReady = {
 *   event: "ready", client: { name: "my-client", version: "1.0.0" },
 *   reads: ["sse"], appends: ["http"], producer: false,
 * };
 * ```
 */
export interface AdapterReady {
  /** Event name. */
  readonly event: "ready";
  /** The client under test, for reports. */
  readonly client?: { readonly name?: string; readonly version?: string };
  /** Live modes the client reads with. */
  readonly reads: readonly AdapterLiveMode[];
  /** Bindings the client appends over. */
  readonly appends: readonly AdapterBinding[];
  /** Whether appends may carry `producer`. */
  readonly producer?: boolean;
}

/**
 * `message`: the client handed one message to its application.
 *
 * @example
 * ```ts
 * import type { AdapterMessage } from "@agent-stream/agent-stream/conformance";
 * const event: AdapterMessage = { id: 1, event: "message", offset: "0000000000000000", message: 1 };
 * ```
 */
export interface AdapterMessage {
  /** The read. */
  readonly id: number;
  /** Event name. */
  readonly event: "message";
  /** The offset at which the message sits. */
  readonly offset: string;
  /** The message. */
  readonly message: unknown;
}

/**
 * `closed`: a read's final event; the stream is closed and fully delivered.
 *
 * @example
 * ```ts
 * import type { AdapterClosed } from "@agent-stream/agent-stream/conformance";
 * const event: AdapterClosed = { id: 1, event: "closed", offset: "0000000000000003" };
 * ```
 */
export interface AdapterClosed {
  /** The read. */
  readonly id: number;
  /** Event name. */
  readonly event: "closed";
  /** The stream's final tail. */
  readonly offset?: string;
}

/**
 * `error`: the final event of a command that failed for good.
 *
 * @example
 * ```ts
 * import type { AdapterFailed } from "@agent-stream/agent-stream/conformance";
 * const event: AdapterFailed = {
 *   id: 1, event: "error", type: "https://agent-stream.dev/problems/stream-not-found", status: 404,
 * };
 * ```
 */
export interface AdapterFailed {
  /** The command. */
  readonly id: number;
  /** Event name. */
  readonly event: "error";
  /** The problem type the client identified; absent when no problem caused the failure. */
  readonly type?: string;
  /** The problem's status, when known. */
  readonly status?: number;
  /** For people. */
  readonly message?: string;
}

/**
 * `done`: the final event of a command that completed.
 *
 * @example
 * ```ts
 * import type { AdapterDone } from "@agent-stream/agent-stream/conformance";
 * const event: AdapterDone = { id: 2, event: "done", nextOffset: "0000000000000004" };
 * ```
 */
export interface AdapterDone {
  /** The command. */
  readonly id: number;
  /** Event name. */
  readonly event: "done";
  /** Appends: the stream's tail after the append. */
  readonly nextOffset?: string;
  /** Appends: the server reported a duplicate. */
  readonly duplicate?: boolean;
}

/**
 * Every event an adapter writes.
 *
 * @example
 * ```ts
 * import type { AdapterEvent } from "@agent-stream/agent-stream/conformance";
 * const isFinal = (e: AdapterEvent) => e.event === "closed" || e.event === "error" || e.event === "done";
 * ```
 */
export type AdapterEvent =
  | AdapterReady
  | AdapterMessage
  | AdapterClosed
  | AdapterFailed
  | AdapterDone;

/**
 * Events that end a command.
 *
 * @example
 * ```ts
 * import type { AdapterFinal } from "@agent-stream/agent-stream/conformance";
 * const label = (e: AdapterFinal) => e.event;
 * ```
 */
export type AdapterFinal = AdapterClosed | AdapterFailed | AdapterDone;

/**
 * Whether an event ends its command.
 *
 * @example
 * ```ts
 * import { isAdapterFinal } from "@agent-stream/agent-stream/conformance";
 * isAdapterFinal({ id: 1, event: "done" }); // true
 * ```
 */
export function isAdapterFinal(event: AdapterEvent): event is AdapterFinal {
  return event.event === "closed" || event.event === "error" || event.event === "done";
}
