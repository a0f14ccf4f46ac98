/**
 * Runs a client adapter (spec/v1/conformance.md §4) as a child process:
 * commands go to its stdin as JSON lines, events come back on its stdout,
 * every wait is bounded, and the process is killed when the run ends.
 * `node:child_process` works alike under Deno, Bun and Node.js.
 *
 * @module
 */

import { LineProcess } from "../_line_process.ts";
import type { Transcript } from "../transcript.ts";
import {
  type AdapterCommand,
  type AdapterEvent,
  type AdapterFinal,
  type AdapterMessage,
  type AdapterReady,
  type AppendCommand,
  type CloseCommand,
  isAdapterFinal,
  type ReadCommand,
  type StopCommand,
} from "./adapter_protocol.ts";

export { AdapterProtocolError } from "../_line_process.ts";

/**
 * A command without its `id`, which {@linkcode AdapterProcess.send} assigns.
 *
 * @example
 * ```ts
 * import type { AdapterCommandBody } from "@agent-stream/agent-stream/conformance";
 * const stop: AdapterCommandBody = { cmd: "stop" };
 * ```
 */
export type AdapterCommandBody =
  | Omit<ReadCommand, "id">
  | Omit<AppendCommand, "id">
  | Omit<CloseCommand, "id">
  | Omit<StopCommand, "id">;

/**
 * One command sent to an adapter and the events that came back for it.
 *
 * @example
 * ```ts ignore
 * import type { CommandHandle } from "@agent-stream/agent-stream/conformance";
 * declare const read: CommandHandle;
 * await read.until(() => read.messages.length >= 3, 2000);
 * ```
 */
export class CommandHandle {
  /** The command's id. */
  readonly id: number;
  /** The command as sent. */
  readonly command: AdapterCommand;
  /** Every event for this command, in arrival order. */
  readonly events: AdapterEvent[] = [];
  /** When each event arrived (`Date.now()`), index by index with `events`. */
  readonly times: number[] = [];
  /** The `message` events, in arrival order. */
  readonly messages: AdapterMessage[] = [];
  /** The final event, once it came. */
  final: AdapterFinal | undefined;
  /** When the final event came. */
  finalAt: number | undefined;
  readonly #owner: AdapterProcess;

  /** A handle for `command`, fed by `owner`. */
  constructor(owner: AdapterProcess, command: AdapterCommand) {
    this.#owner = owner;
    this.id = command.id;
    this.command = command;
  }

  /** Records an event (called by the process). */
  add(event: AdapterEvent, at: number): void {
    this.events.push(event);
    this.times.push(at);
    if (event.event === "message") this.messages.push(event);
    if (isAdapterFinal(event) && this.final === undefined) {
      this.final = event;
      this.finalAt = at;
    }
  }

  /** Resolves true once `condition` holds, false after `ms`; rejects when the adapter is gone. */
  until(condition: () => boolean, ms: number): Promise<boolean> {
    return this.#owner.until(condition, ms);
  }

  /** The final event, or `undefined` when none came within `ms`. */
  async settled(ms: number): Promise<AdapterFinal | undefined> {
    await this.until(() => this.final !== undefined, ms);
    return this.final;
  }
}

/**
 * A running adapter.
 *
 * @example
 * ```ts ignore
 * import { AdapterProcess } from "@agent-stream/agent-stream/conformance";
 * const adapter = await AdapterProcess.start(["deno", "run", "-A", "my_adapter.ts"], 5000);
 * console.log(adapter.ready.reads);
 * await adapter.stop();
 * ```
 */
export class AdapterProcess {
  /** The adapter's `ready` event. */
  ready!: AdapterReady;
  /** Where commands, events and stderr lines are recorded; settable per property run. */
  transcript: Transcript | undefined;
  readonly #lines: LineProcess<AdapterEvent>;
  readonly #commands = new Map<number, CommandHandle>();
  readonly #waiters = new Set<() => void>();
  #nextId = 1;

  private constructor(command: string | readonly string[], transcript?: Transcript) {
    this.transcript = transcript;
    this.#lines = new LineProcess<AdapterEvent>(command, {
      transcript: () => this.transcript,
      event: (event) => {
        if (event.event !== "ready") {
          this.#commands.get((event as { id: number }).id)?.add(event, Date.now());
        }
        this.#notify();
      },
      failed: () => this.#notify(),
    });
  }

  /**
   * Starts `command` (a shell command line, or an argv) and waits up to
   * `timeoutMs` for its `ready` line.
   */
  static async start(
    command: string | readonly string[],
    timeoutMs: number,
    transcript?: Transcript,
  ): Promise<AdapterProcess> {
    const adapter = new AdapterProcess(command, transcript);
    adapter.ready = await adapter.#lines.ready(timeoutMs, () => adapter.stop());
    return adapter;
  }

  /** Whether the process is gone (or broke the protocol). */
  get failed(): boolean {
    return this.#lines.failure !== undefined;
  }

  /** The last lines the adapter wrote to stderr, for error messages. */
  stderrTail(): string {
    return this.#lines.stderrTail();
  }

  /** Sends a command; its events collect in the returned handle. */
  send(body: AdapterCommandBody): CommandHandle {
    const command = { id: this.#nextId++, ...body } as AdapterCommand;
    const handle = new CommandHandle(this, command);
    this.#commands.set(command.id, handle);
    this.#lines.send(command);
    return handle;
  }

  /** Resolves true once `condition` holds, false after `ms`; rejects when the adapter is gone. */
  until(condition: () => boolean, ms: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    if (this.#lines.failure !== undefined) return Promise.reject(this.#lines.failure);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) finish(() => resolve(true));
        else if (this.#lines.failure !== undefined) finish(() => reject(this.#lines.failure));
      };
      const timer = setTimeout(() => finish(() => resolve(false)), ms);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        settle();
      };
      this.#waiters.add(check);
    });
  }

  /** Sends `stop`, waits a moment for the exit, then kills the process. */
  stop(): Promise<void> {
    return this.#lines.stop(() => this.send({ cmd: "stop" }));
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
