/**
 * Runs a client adapter (spec/v1/conformance.md §4) as a child process:
 * commands go to its stdin as JSON lines, events come back on its stdout,
 * every wait is bounded, and the process is killed when the run ends.
 * `node:child_process` works alike under Deno, Bun and Node.js.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
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

/** How long a stopped adapter may take to exit before it is killed. */
const STOP_GRACE_MS = 2_000;
/** Lines of the adapter's stderr kept for error messages. */
const STDERR_LINES = 20;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// An adapter must not outlive the runner, whatever ends the runner.
function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const c of running) c.kill("SIGKILL");
  });
}

/**
 * The adapter broke the protocol or went away: the check that used it
 * errs (it reached no verdict) rather than fails.
 *
 * @example
 * ```ts
 * import { AdapterProtocolError } from "@agent-stream/agent-stream/conformance";
 * const error = new AdapterProtocolError("the adapter exited with code 1");
 * console.log(error.name);
 * ```
 */
export class AdapterProtocolError extends Error {
  /** An error with a message that says what the adapter did. */
  constructor(message: string) {
    super(message);
    this.name = "AdapterProtocolError";
  }
}

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
  readonly #child: ChildProcess;
  readonly #label: string;
  readonly #commands = new Map<number, CommandHandle>();
  readonly #waiters = new Set<() => void>();
  readonly #stderr: string[] = [];
  readonly #exited: Promise<void>;
  #stdout = "";
  #stderrPartial = "";
  #nextId = 1;
  #failure: AdapterProtocolError | undefined;
  #readyWaiter: ((event: AdapterReady) => void) | undefined;

  private constructor(command: string | readonly string[], transcript?: Transcript) {
    this.transcript = transcript;
    this.#label = typeof command === "string" ? command : command.join(" ");
    this.#child = typeof command === "string"
      ? spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"] })
      : spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
    killOnExit(this.#child);
    this.#child.stdout!.setEncoding("utf8");
    this.#child.stderr!.setEncoding("utf8");
    this.#child.stdout!.on("data", (chunk: string) => this.#onStdout(chunk));
    this.#child.stderr!.on("data", (chunk: string) => this.#onStderr(chunk));
    this.#child.stdin!.on("error", () => {});
    this.#exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#fail(`the adapter exited (${signal ?? `code ${code}`})`);
        resolve();
      });
      this.#child.once("error", (error) => {
        this.#fail(`the adapter could not be started: ${error.message}`);
        resolve();
      });
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
    let gone: (() => void) | undefined;
    const ready = await new Promise<AdapterReady | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      adapter.#readyWaiter = (event) => {
        clearTimeout(timer);
        resolve(event);
      };
      gone = () => {
        if (adapter.#failure === undefined) return;
        clearTimeout(timer);
        resolve(undefined);
      };
      adapter.#waiters.add(gone);
    });
    adapter.#waiters.delete(gone!);
    if (ready === undefined) {
      const why = adapter.#failure?.message ?? `no ready line within ${timeoutMs} ms`;
      await adapter.stop();
      throw new AdapterProtocolError(`${why}: ${adapter.#label}${adapter.stderrTail()}`);
    }
    adapter.ready = ready;
    return adapter;
  }

  /** Whether the process is gone (or broke the protocol). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** The last lines the adapter wrote to stderr, for error messages. */
  stderrTail(): string {
    return this.#stderr.length === 0 ? "" : `\nadapter stderr:\n${this.#stderr.join("\n")}`;
  }

  /** Sends a command; its events collect in the returned handle. */
  send(body: AdapterCommandBody): CommandHandle {
    const command = { id: this.#nextId++, ...body } as AdapterCommand;
    const handle = new CommandHandle(this, command);
    this.#commands.set(command.id, handle);
    const line = JSON.stringify(command);
    this.transcript?.add("adapter", ">", line);
    if (this.#failure === undefined) this.#child.stdin!.write(`${line}\n`);
    return handle;
  }

  /** Resolves true once `condition` holds, false after `ms`; rejects when the adapter is gone. */
  until(condition: () => boolean, ms: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) finish(() => resolve(true));
        else if (this.#failure !== undefined) finish(() => reject(this.#failure));
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
  async stop(): Promise<void> {
    if (this.#failure === undefined) {
      this.send({ cmd: "stop" });
      this.#child.stdin!.end();
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#exited,
      new Promise<void>((resolve) => timer = setTimeout(resolve, STOP_GRACE_MS)),
    ]);
    clearTimeout(timer);
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill("SIGKILL");
      await this.#exited;
    }
    this.#child.stdout!.destroy();
    this.#child.stderr!.destroy();
  }

  #onStdout(chunk: string): void {
    this.#stdout += chunk;
    let newline: number;
    while ((newline = this.#stdout.indexOf("\n")) >= 0) {
      const line = this.#stdout.slice(0, newline).trim();
      this.#stdout = this.#stdout.slice(newline + 1);
      if (line !== "") this.#onLine(line);
    }
  }

  #onLine(line: string): void {
    this.transcript?.add("adapter", "<", line);
    let event: AdapterEvent;
    try {
      event = JSON.parse(line);
    } catch {
      this.#fail(`the adapter wrote a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (typeof event !== "object" || event === null || typeof event.event !== "string") {
      this.#fail(`the adapter wrote a line that is not an event: ${line.slice(0, 200)}`);
      return;
    }
    if (event.event === "ready") {
      this.#readyWaiter?.(event);
      this.#readyWaiter = undefined;
    } else {
      this.#commands.get((event as { id: number }).id)?.add(event, Date.now());
    }
    this.#notify();
  }

  #onStderr(chunk: string): void {
    this.#stderrPartial += chunk;
    const lines = this.#stderrPartial.split("\n");
    this.#stderrPartial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      this.transcript?.add("adapter-stderr", "<", line);
      this.#stderr.push(line);
      if (this.#stderr.length > STDERR_LINES) this.#stderr.shift();
    }
  }

  #fail(message: string): void {
    if (this.#failure !== undefined) return;
    this.#failure = new AdapterProtocolError(`${message}${this.stderrTail()}`);
    this.transcript?.note(message);
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
