/**
 * What a client check works with: the scripted server (its fault script,
 * its records, restarts), the adapter that drives the client under test,
 * fresh stream names, the runner's own appends, and the assertions and
 * properties every check has.
 *
 * @module
 */

import type * as fc from "fast-check";
import type { Check, PropertyOptions } from "../check.ts";
import type { SuiteContext } from "../runner.ts";
import type {
  AdapterBinding,
  AdapterLiveMode,
  AdapterReady,
  RetryHints,
} from "./adapter_protocol.ts";
import type { CommandHandle } from "./adapter_process.ts";
import type { FaultScript } from "./fault_script.ts";
import type { ScriptedServer } from "./scripted_server.ts";

/**
 * The retry timing client checks suggest to adapters: quick first retries,
 * so that a fault costs milliseconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_RETRY_HINTS } from "@agent-stream/agent-stream/conformance";
 * console.log(DEFAULT_RETRY_HINTS.initialDelayMs); // 10
 * ```
 */
export const DEFAULT_RETRY_HINTS: RetryHints = Object.freeze({
  initialDelayMs: 10,
  maxDelayMs: 400,
});

/**
 * The feature tokens of an adapter's `ready` line, as client checks name
 * them in `features`: its read modes, `append-http`, `append-websocket`, `producer`.
 *
 * @example
 * ```ts
 * import { adapterFeatures } from "@agent-stream/agent-stream/conformance";
 * adapterFeatures({ event: "ready", reads: ["sse"], appends: ["http"] }); // Set { "sse", "append-http" }
 * ```
 */
export function adapterFeatures(ready: AdapterReady): Set<string> {
  const features = new Set<string>();
  for (const mode of Array.isArray(ready.reads) ? ready.reads : []) features.add(mode);
  for (const via of Array.isArray(ready.appends) ? ready.appends : []) {
    features.add(`append-${via}`);
  }
  if (ready.producer === true) features.add("producer");
  return features;
}

/**
 * The context of a client check.
 *
 * @example
 * ```ts ignore
 * import type { ClientCheckContext } from "@agent-stream/agent-stream/conformance";
 * async function readAll(t: ClientCheckContext): Promise<void> {
 *   const stream = await t.createStream({ messages: [1, 2] });
 *   await t.closeStream(stream);
 *   const read = await t.read(stream, { live: "sse" });
 *   await read.settled(t.timeoutMs);
 * }
 * ```
 */
export interface ClientCheckContext extends SuiteContext {
  /** The scripted server: its records and read traces. */
  readonly server: ScriptedServer;
  /** The server's base URL, as the adapter is told. */
  readonly url: string;
  /** What the adapter said it can do. */
  readonly capabilities: AdapterReady;
  /** The read modes the adapter supports, in the order sse, long-poll, websocket. */
  readonly modes: readonly AdapterLiveMode[];
  /** The longest a check may wait for a timer. */
  readonly maxWaitMs: number;
  /** The bound of one wait for the adapter. */
  readonly timeoutMs: number;
  /** A stream path no other check uses (not yet created). */
  stream(label?: string): string;
  /** Installs the fault script of this run (replacing any other). */
  script(script: FaultScript): void;
  /** Creates a JSON (or agent) stream, with messages, and returns its path. */
  createStream(
    options?: { path?: string; kind?: "json" | "agent"; messages?: readonly unknown[] },
  ): Promise<string>;
  /** Appends messages itself (not through the client); returns the new tail. */
  append(stream: string, messages: readonly unknown[]): Promise<number>;
  /** Closes a stream itself; returns its final tail. */
  closeStream(stream: string): Promise<number>;
  /** Tells the adapter to read `stream`. */
  read(
    stream: string,
    options: { live: AdapterLiveMode; offset?: string; window?: number; retry?: RetryHints },
  ): Promise<CommandHandle>;
  /** Tells the adapter to append through its client. */
  appendThroughClient(
    stream: string,
    options: {
      via: AdapterBinding;
      messages: readonly unknown[];
      close?: boolean;
      producer?: { id: string; epoch: number; seq: number };
      retry?: RetryHints;
    },
  ): Promise<CommandHandle>;
  /** Tells the adapter to end a read; resolves with the close command once it is done (or after `ms`). */
  closeRead(read: CommandHandle, ms?: number): Promise<CommandHandle>;
  /** Resolves true once `condition` holds (polled every 10 ms), false after `ms`. */
  waitUntil(condition: () => boolean, ms: number): Promise<boolean>;
  /** Restarts the server: every connection dropped, a new listener on the same port after `gapMs`. */
  restart(gapMs?: number): Promise<void>;
  /** Stops the adapter; the next command starts a fresh one (a client with nothing cached). */
  restartAdapter(): Promise<void>;
  /** Fails with `requirement` unless `condition` holds. */
  expect(
    requirement: string,
    condition: unknown,
    message: string,
    values?: { expected?: unknown; actual?: unknown },
  ): void;
  /** Fails with `requirement` unless `actual` deep-equals `expected`. */
  expectEqual(requirement: string, actual: unknown, expected: unknown, message: string): void;
  /** Skips the check when waiting `ms` exceeds the run's wait budget. */
  needsWait(ms: number, what: string): void;
  /** Skips the check with a reason. */
  skip(reason: string): never;
  /** Waits `ms`. */
  sleep(ms: number): Promise<void>;
  /** Adds a note to the transcript. */
  note(text: string): void;
  /** Runs a fast-check property; each run gets a fresh context and transcript. */
  property<T>(
    arbitrary: fc.Arbitrary<T>,
    predicate: (value: T, t: ClientCheckContext) => Promise<void>,
    options?: PropertyOptions,
  ): Promise<void>;
}

/**
 * Declares a client check; identity at runtime, there for the types.
 *
 * @example
 * ```ts
 * import { defineClientCheck } from "@agent-stream/agent-stream/conformance";
 *
 * export const handshake = defineClientCheck({
 *   id: "websocket.handshake.subprotocol",
 *   title: "the client offers agent-stream.v1",
 *   section: "websocket.md §3",
 *   requirements: ["WS-HANDSHAKE-1"],
 *   features: ["websocket"],
 *   async run(t) {
 *     const stream = await t.createStream();
 *     await t.read(stream, { live: "websocket" });
 *   },
 * });
 * ```
 */
export function defineClientCheck(check: Check<ClientCheckContext>): Check<ClientCheckContext> {
  return check;
}
