/**
 * Runs a consumer adapter (spec/v1/conformance.md §5) as a child process:
 * `project` commands go to its stdin as JSON lines, answers come back on its
 * stdout, every wait is bounded, and the process is killed when the run
 * ends. `node:child_process` works alike under Deno, Bun and Node.js.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import type { Transcript } from "../transcript.ts";
import { AdapterProtocolError } from "../client/adapter_process.ts";
import type { ConsumerCommand, ConsumerEvent, ConsumerReady } from "./consumer_protocol.ts";

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
 * What a consumer made of a list of events: its conversation, or the
 * failure it reported.
 *
 * @example
 * ```ts
 * import type { ProjectionOutcome } from "@agent-stream/agent-stream/conformance";
 * const outcome: ProjectionOutcome = { ok: false, message: "TypeError: x is undefined" };
 * ```
 */
export type ProjectionOutcome =
  | { readonly ok: true; readonly conversation: unknown }
  | { readonly ok: false; readonly message: string };

/**
 * A running consumer adapter.
 *
 * @example
 * ```ts ignore
 * import { ConsumerProcess } from "@agent-stream/agent-stream/conformance";
 * const consumer = await ConsumerProcess.start("deno run -A my_adapter.ts", 5000);
 * const outcome = await consumer.project([{ type: "run.started", runId: "r1" }], 5000);
 * await consumer.stop();
 * ```
 */
export class ConsumerProcess {
  /** The adapter's `ready` event. */
  ready!: ConsumerReady;
  /** Where commands, answers and stderr lines are recorded; settable per property run. */
  transcript: Transcript | undefined;
  readonly #child: ChildProcess;
  readonly #label: string;
  readonly #pending = new Map<
    number,
    { resolve(event: ConsumerEvent): void; reject(error: Error): void }
  >();
  readonly #stderr: string[] = [];
  readonly #exited: Promise<void>;
  #stdout = "";
  #stderrPartial = "";
  #nextId = 1;
  #failure: AdapterProtocolError | undefined;
  #onReady: ((event: ConsumerReady) => void) | undefined;
  #onFailure: (() => void) | undefined;

  private constructor(command: string | readonly string[]) {
    this.#label = typeof command === "string" ? command : command.join(" ");
    this.#child = typeof command === "string"
      ? spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"] })
      : spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
    killOnExit(this.#child);
    this.#child.stdout!.setEncoding("utf8");
    this.#child.stderr!.setEncoding("utf8");
    this.#child.stdout!.on("data", (chunk: string) => this.#onStdout(chunk));
    this.#child.stderr!.on("data", (chunk: string) => this.#onStderrChunk(chunk));
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
  ): Promise<ConsumerProcess> {
    const adapter = new ConsumerProcess(command);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = await new Promise<ConsumerReady | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      adapter.#onReady = resolve;
      adapter.#onFailure = () => resolve(undefined);
      if (adapter.#failure !== undefined) resolve(undefined);
    });
    clearTimeout(timer);
    adapter.#onReady = undefined;
    adapter.#onFailure = undefined;
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

  /**
   * Has the consumer project `events`. Resolves with its conversation or
   * its `error`; rejects with an {@linkcode AdapterProtocolError} when the
   * adapter breaks the protocol, goes away, or does not answer within `timeoutMs`.
   */
  project(
    events: readonly unknown[],
    timeoutMs: number,
    delivery: { readonly batches?: readonly number[]; readonly resume?: boolean } = {},
  ): Promise<ProjectionOutcome> {
    const command = {
      id: this.#nextId++,
      cmd: "project" as const,
      events,
      ...(delivery.batches ? { batches: delivery.batches } : {}),
      ...(delivery.resume ? { resume: true } : {}),
    };
    return this.#send(command, timeoutMs).then((event) => {
      if (event.event === "conversation") return { ok: true, conversation: event.conversation };
      if (event.event === "error") {
        return { ok: false, message: String(event.message ?? "the consumer reported an error") };
      }
      throw new AdapterProtocolError(`the adapter answered project with ${event.event}`);
    });
  }

  /** Sends `stop`, waits a moment for the exit, then kills the process. */
  async stop(): Promise<void> {
    if (this.#failure === undefined) {
      this.#send({ id: this.#nextId++, cmd: "stop" }, STOP_GRACE_MS).catch(() => {});
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

  #send(command: ConsumerCommand, timeoutMs: number): Promise<ConsumerEvent> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const line = JSON.stringify(command);
    this.transcript?.add("adapter", ">", line);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(command.id);
        reject(
          new AdapterProtocolError(
            `the adapter did not answer command ${command.id} (${command.cmd}) within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        this.#pending.delete(command.id);
      };
      this.#pending.set(command.id, {
        resolve: (event) => {
          settle();
          resolve(event);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      this.#child.stdin!.write(`${line}\n`);
    });
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
    let event: ConsumerEvent;
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
      this.#onReady?.(event);
      this.#onReady = undefined;
      return;
    }
    const id = (event as { id?: unknown }).id;
    const waiter = typeof id === "number" ? this.#pending.get(id) : undefined;
    if (waiter === undefined) {
      this.#fail(`the adapter answered a command it was not sent: ${line.slice(0, 200)}`);
      return;
    }
    waiter.resolve(event);
  }

  #onStderrChunk(chunk: string): void {
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
    this.#onFailure?.();
    // Every command still waiting learns that no answer will come.
    for (const waiter of [...this.#pending.values()]) waiter.reject(this.#failure);
  }
}
