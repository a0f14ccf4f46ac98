// The implementation of ConsumerCheckContext: one adapter process serves
// every check of a run (projection is a pure function of the events), and
// is started afresh when it went away.

import { ContextBase, type PropertySettings } from "../_suite_context.ts";
import type { ConsumerCheckContext } from "./consumer_context.ts";
import { AdapterProtocolError } from "../client/adapter_process.ts";
import { ConsumerProcess, type ProjectionOutcome } from "./consumer_process.ts";
import type { ConsumerReady } from "./consumer_protocol.ts";

/** The adapter of a run: started on first use, restarted after it failed. */
export class ConsumerHost {
  readonly #command: string | readonly string[];
  readonly #timeoutMs: number;
  #process: Promise<ConsumerProcess> | undefined;

  constructor(command: string | readonly string[], timeoutMs: number) {
    this.#command = command;
    this.#timeoutMs = timeoutMs;
  }

  /** The running adapter. */
  async get(): Promise<ConsumerProcess> {
    const current = this.#process ? await this.#process.catch(() => undefined) : undefined;
    if (current !== undefined && !current.failed) return current;
    if (current !== undefined) await current.stop();
    this.#process = ConsumerProcess.start(this.#command, this.#timeoutMs);
    return await this.#process;
  }

  /** Stops the adapter, if one runs. */
  async close(): Promise<void> {
    const current = this.#process ? await this.#process.catch(() => undefined) : undefined;
    this.#process = undefined;
    await current?.stop();
  }
}

/** Settings shared by every context of one check. */
export interface ConsumerSettings extends PropertySettings {
  readonly host: ConsumerHost;
  readonly ready: ConsumerReady;
  readonly timeoutMs: number;
  /**
   * The adapter's first failure in this check: once it broke the protocol
   * or went away, the check reached no verdict, and the runs of its
   * property (shrinking included) end at once instead of restarting it.
   */
  readonly broken: { failure?: AdapterProtocolError };
}

export class ConsumerRunContext extends ContextBase<ConsumerCheckContext>
  implements ConsumerCheckContext {
  readonly consumer: ConsumerReady;
  readonly timeoutMs: number;
  readonly #settings: ConsumerSettings;

  constructor(settings: ConsumerSettings) {
    super(settings);
    this.#settings = settings;
    this.consumer = settings.ready;
    this.timeoutMs = settings.timeoutMs;
  }

  async project(
    events: readonly unknown[],
    delivery: { readonly batches?: readonly number[]; readonly resume?: boolean } = {},
  ): Promise<ProjectionOutcome> {
    const broken = this.#settings.broken;
    if (broken.failure !== undefined) throw broken.failure;
    try {
      const adapter = await this.#settings.host.get();
      adapter.transcript = this.transcript;
      return await adapter.project(events, this.timeoutMs, delivery);
    } catch (error) {
      if (error instanceof AdapterProtocolError) broken.failure = error;
      throw error;
    }
  }

  protected fork(): ConsumerRunContext {
    return new ConsumerRunContext(this.#settings);
  }

  dispose(): void {}
}
