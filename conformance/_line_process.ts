// An adapter of the client or consumer suite (spec/v1/conformance.md §4, §5)
// as a child process: commands go to its stdin as JSON lines, events come
// back on its stdout, the last lines of its stderr are kept for error
// messages, every wait is bounded, and the process is killed when the
// runner ends. `node:child_process` works alike under Deno, Bun and Node.js.

import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import type { Transcript } from "./transcript.ts";

/** How long a stopped adapter may take to exit before it is killed. */
export const STOP_GRACE_MS = 2_000;
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

/** What the owner of a {@linkcode LineProcess} hears from it. */
export interface LineProcessHooks<E> {
  /** Where commands, events and stderr lines are recorded, asked at each line. */
  transcript(): Transcript | undefined;
  /** Every event the adapter wrote (`ready` included, in order), with its line. */
  event(event: E, line: string): void;
  /** The adapter went away or broke the protocol: {@linkcode LineProcess.failure} is set. */
  failed(): void;
}

/** A running adapter speaking JSON lines whose events carry an `event` name. */
export class LineProcess<E extends { readonly event: string }> {
  /** The command line, for error messages. */
  readonly label: string;
  readonly #hooks: LineProcessHooks<E>;
  readonly #child: ChildProcess;
  readonly #stderr: string[] = [];
  readonly #exited: Promise<void>;
  #stdout = "";
  #stderrPartial = "";
  #failure: AdapterProtocolError | undefined;
  #onReady: ((event: Extract<E, { readonly event: "ready" }>) => void) | undefined;
  #onFailure: (() => void) | undefined;

  /** Starts `command` (a shell command line, or an argv). */
  constructor(command: string | readonly string[], hooks: LineProcessHooks<E>) {
    this.#hooks = hooks;
    this.label = typeof command === "string" ? command : command.join(" ");
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
        this.fail(`the adapter exited (${signal ?? `code ${code}`})`);
        resolve();
      });
      this.#child.once("error", (error) => {
        this.fail(`the adapter could not be started: ${error.message}`);
        resolve();
      });
    });
  }

  /** Why the process is gone (or broke the protocol); `undefined` while it runs. */
  get failure(): AdapterProtocolError | undefined {
    return this.#failure;
  }

  /**
   * The adapter's `ready` event, waited for up to `timeoutMs`; without it,
   * `stop` is called and an {@linkcode AdapterProtocolError} thrown.
   */
  async ready(
    timeoutMs: number,
    stop: () => Promise<void>,
  ): Promise<Extract<E, { readonly event: "ready" }>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ready = await new Promise<Extract<E, { readonly event: "ready" }> | undefined>(
      (resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
        this.#onReady = resolve;
        this.#onFailure = () => resolve(undefined);
        if (this.#failure !== undefined) resolve(undefined);
      },
    );
    clearTimeout(timer);
    this.#onReady = undefined;
    this.#onFailure = undefined;
    if (ready === undefined) {
      const why = this.#failure?.message ?? `no ready line within ${timeoutMs} ms`;
      await stop();
      throw new AdapterProtocolError(`${why}: ${this.label}${this.stderrTail()}`);
    }
    return ready;
  }

  /** The last lines the adapter wrote to stderr, for error messages. */
  stderrTail(): string {
    return this.#stderr.length === 0 ? "" : `\nadapter stderr:\n${this.#stderr.join("\n")}`;
  }

  /** Records `command` and, unless the process failed, writes it to the adapter's stdin. */
  send(command: unknown): void {
    const line = JSON.stringify(command);
    this.#hooks.transcript()?.add("adapter", ">", line);
    if (this.#failure === undefined) this.#child.stdin!.write(`${line}\n`);
  }

  /**
   * Unless the process failed, calls `sendStop` and ends its stdin; then
   * waits a moment for the exit, and kills the process.
   */
  async stop(sendStop: () => void): Promise<void> {
    if (this.#failure === undefined) {
      sendStop();
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

  /** Records the failure (the first one only) and tells whoever waits. */
  fail(message: string): void {
    if (this.#failure !== undefined) return;
    this.#failure = new AdapterProtocolError(`${message}${this.stderrTail()}`);
    this.#hooks.transcript()?.note(message);
    this.#onFailure?.();
    this.#hooks.failed();
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
    this.#hooks.transcript()?.add("adapter", "<", line);
    let event: E;
    try {
      event = JSON.parse(line);
    } catch {
      this.fail(`the adapter wrote a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (typeof event !== "object" || event === null || typeof event.event !== "string") {
      this.fail(`the adapter wrote a line that is not an event: ${line.slice(0, 200)}`);
      return;
    }
    if (event.event === "ready") {
      this.#onReady?.(event as Extract<E, { readonly event: "ready" }>);
      this.#onReady = undefined;
    }
    this.#hooks.event(event, line);
  }

  #onStderr(chunk: string): void {
    this.#stderrPartial += chunk;
    const lines = this.#stderrPartial.split("\n");
    this.#stderrPartial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      this.#hooks.transcript()?.add("adapter-stderr", "<", line);
      this.#stderr.push(line);
      if (this.#stderr.length > STDERR_LINES) this.#stderr.shift();
    }
  }
}
