/**
 * The client suite: hosts the scripted server on 127.0.0.1, starts the
 * client's adapter (spec/v1/conformance.md §4) and runs every client check
 * through it, with faults: connections dropped in the middle of an event,
 * stalls, 429 and 503 with Retry-After, restarts, closed streams, frames the
 * client must ignore.
 *
 * @module
 */

import { CLIENT_CHECKS } from "./client/mod.ts";
import { AdapterProcess } from "./client/adapter_process.ts";
import { adapterFeatures } from "./client/client_context.ts";
import { ClientRunContext, type ClientSettings } from "./client/_run_context.ts";
import { ScriptedHost } from "./client/scripted_host.ts";
import type { Report } from "./report.ts";
import { runChecks, type SelectionOptions } from "./runner.ts";
import { adapterRun } from "./_adapter_suite.ts";

export { CLIENT_CHECKS } from "./client/mod.ts";

/**
 * Options of {@linkcode runClientSuite}.
 *
 * @example
 * ```ts
 * import type { ClientSuiteOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: ClientSuiteOptions = {
 *   adapter: ["deno", "run", "-A", "conformance/adapters/stream_client_adapter.ts"],
 *   only: ["SSE"],
 * };
 * ```
 */
export interface ClientSuiteOptions extends SelectionOptions {
  /** The adapter: a shell command line, or an argv. */
  readonly adapter: string | readonly string[];
  /** The bound of one wait for the adapter, and of its start (default 10 000). */
  readonly timeoutMs?: number;
}

/** Runs per property unless told otherwise: every run costs real time (faults, reconnects). */
const DEFAULT_NUM_RUNS = 10;

/**
 * Runs the client suite against the client behind `options.adapter`. The
 * adapter is started once to read its `ready` line (checks needing what it
 * lacks are skipped), then afresh for every check. Properties run 10 times
 * unless `numRuns` says otherwise, since every run costs real time.
 *
 * @example
 * ```ts ignore
 * import { runClientSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runClientSuite({
 *   adapter: "deno run -A conformance/adapters/ws_client_adapter.ts",
 * });
 * console.log(report.summary.conforms);
 * ```
 */
export async function runClientSuite(options: ClientSuiteOptions): Promise<Report> {
  const { timeoutMs, seed, numRuns, target, replayCommand } = adapterRun(
    "client",
    options,
    DEFAULT_NUM_RUNS,
  );
  const host = await ScriptedHost.start();
  try {
    // The adapter says what its client can do; checks needing more are skipped.
    const probe = await AdapterProcess.start(options.adapter, timeoutMs);
    const capabilities = probe.ready;
    await probe.stop();
    const features = adapterFeatures(capabilities);
    const settings: ClientSettings = {
      host,
      adapter: options.adapter,
      capabilities,
      timeoutMs,
      maxWaitMs: 20_000,
      numRuns,
      seed,
      shrink: options.shrink,
      streamPrefix: `conformance-${Date.now().toString(36)}-${
        Math.floor(Math.random() * 36 ** 4).toString(36)
      }`,
    };
    const counter = { n: 0 };
    return await runChecks<ClientRunContext>({
      ...options,
      suite: "client",
      target,
      checks: CLIENT_CHECKS,
      actors: ["client", "producer", "consumer"],
      features,
      seed,
      numRuns,
      createContext: (check) =>
        new ClientRunContext(
          { ...settings, path: check.id === options.check ? options.replayPath : undefined },
          check.id,
          counter,
        ),
      replayCommand,
    });
  } finally {
    await host.close();
  }
}
