/**
 * The consumer suite: starts the consumer's adapter (spec/v1/conformance.md
 * §5) and has it project generated event sequences, valid ones and ones
 * with unknown, invalid and refused events mixed in; every conversation it
 * answers is compared with the reference projection (spec/v1/projection.md),
 * and a difference is reported as the requirement of the event whose fold
 * went wrong, with the shrunk list of events.
 *
 * @module
 */

import { CONSUMER_CHECKS } from "./agent/consumer/mod.ts";
import { ConsumerHost, ConsumerRunContext } from "./agent/_consumer_run_context.ts";
import type { Check } from "./check.ts";
import type { ConsumerCheckContext } from "./agent/consumer_context.ts";
import type { Report } from "./report.ts";
import { runChecks, type SelectionOptions } from "./runner.ts";
import { adapterRun } from "./_adapter_suite.ts";

export { CONSUMER_CHECKS } from "./agent/consumer/mod.ts";

/**
 * Options of {@linkcode runConsumerSuite}.
 *
 * @example
 * ```ts
 * import type { ConsumerSuiteOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: ConsumerSuiteOptions = {
 *   adapter: ["deno", "run", "-A", "conformance/adapters/projection_adapter.ts"],
 *   only: ["PROJ-TOOL"],
 * };
 * ```
 */
export interface ConsumerSuiteOptions extends SelectionOptions {
  /** The adapter: a shell command line, or an argv. */
  readonly adapter: string | readonly string[];
  /** The bound of one answer of the adapter, and of its start (default 10 000). */
  readonly timeoutMs?: number;
  /** The checks to choose from (default {@linkcode CONSUMER_CHECKS}). */
  readonly checks?: readonly Check<ConsumerCheckContext>[];
}

/** Runs per property unless told otherwise: a run costs a few milliseconds. */
const DEFAULT_NUM_RUNS = 100;

/**
 * Runs the consumer suite against the consumer behind `options.adapter`.
 * One adapter process serves the whole run (it is restarted if it goes
 * away); properties run 100 times unless `numRuns` says otherwise.
 *
 * @example
 * ```ts ignore
 * import { runConsumerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runConsumerSuite({
 *   adapter: "deno run -A conformance/adapters/projection_adapter.ts",
 * });
 * console.log(report.summary.conforms);
 * ```
 */
export async function runConsumerSuite(options: ConsumerSuiteOptions): Promise<Report> {
  const { timeoutMs, seed, numRuns, target, replayCommand } = adapterRun(
    "consumer",
    options,
    DEFAULT_NUM_RUNS,
  );
  const host = new ConsumerHost(options.adapter, timeoutMs);
  try {
    const ready = (await host.get()).ready;
    // What the consumer can do beyond projecting a list: checks needing more are skipped.
    const features = new Set<string>();
    if (ready.batches === true) features.add("batches");
    if (ready.batches === true && ready.resume === true) features.add("resume");
    return await runChecks<ConsumerRunContext>({
      ...options,
      suite: "consumer",
      target,
      checks: options.checks ?? CONSUMER_CHECKS,
      actors: ["consumer"],
      features,
      seed,
      numRuns,
      createContext: (check) =>
        new ConsumerRunContext({
          host,
          ready,
          timeoutMs,
          maxWaitMs: timeoutMs,
          numRuns,
          seed,
          shrink: options.shrink,
          path: check.id === options.check ? options.replayPath : undefined,
          broken: {},
        }),
      replayCommand,
    });
  } finally {
    await host.close();
  }
}
