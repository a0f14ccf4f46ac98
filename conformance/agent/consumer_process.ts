/**
 * Runs a consumer adapter (spec/v1/conformance.md §5) as a child process:
 * `project` commands go to its stdin as JSON lines, answers come back on its
 * stdout, every wait is bounded, and the process is killed when the run
 * ends. `node:child_process` works alike under Deno, Bun and Node.js.
 *
 * @module
 */

import { AdapterProtocolError, LineProcess, STOP_GRACE_MS } from "../_line_process.ts";
import type { Transcript } from "../transcript.ts";
import type { ConsumerCommand, ConsumerEvent, ConsumerReady } from "./consumer_protocol.ts";

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
  readonly #lines: LineProcess<ConsumerEvent>;
  readonly #pending = new Map<
    number,
    { resolve(event: ConsumerEvent): void; reject(error: Error): void }
  >();
  #nextId = 1;

  private constructor(command: string | readonly string[]) {
    this.#lines = new LineProcess<ConsumerEvent>(command, {
      transcript: () => this.transcript,
      event: (event, line) => {
        if (event.event === "ready") return;
        const id = (event as { id?: unknown }).id;
        const waiter = typeof id === "number" ? this.#pending.get(id) : undefined;
        if (waiter === undefined) {
          this.#lines.fail(`the adapter answered a command it was not sent: ${line.slice(0, 200)}`);
          return;
        }
        waiter.resolve(event);
      },
      // Every command still waiting learns that no answer will come.
      failed: () => {
        for (const waiter of [...this.#pending.values()]) waiter.reject(this.#lines.failure!);
      },
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
  stop(): Promise<void> {
    return this.#lines.stop(() => {
      this.#send({ id: this.#nextId++, cmd: "stop" }, STOP_GRACE_MS).catch(() => {});
    });
  }

  #send(command: ConsumerCommand, timeoutMs: number): Promise<ConsumerEvent> {
    if (this.#lines.failure !== undefined) return Promise.reject(this.#lines.failure);
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
      this.#lines.send(command);
    });
  }
}
