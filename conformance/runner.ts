/**
 * Runs checks one after another and turns their outcomes into a
 * {@linkcode Report}: the engine under both the server and the client suite.
 *
 * @module
 */

import { CATALOGUE } from "./catalogue.ts";
import type { Check } from "./check.ts";
import { PropertyFailure } from "./_context.ts";
import type {
  CheckFailure,
  CheckResult,
  Report,
  RequirementResult,
  RequirementStatus,
} from "./report.ts";
import type { Actor } from "./requirements.ts";
import type { Transcript } from "./transcript.ts";
import { CheckSkipped, Violation } from "./violation.ts";

/**
 * What the runner needs of a check's context: the transcript to report and
 * a way to release what the check left open.
 *
 * @example
 * ```ts
 * import { Transcript, type SuiteContext } from "@agent-stream/agent-stream/conformance";
 *
 * const context: SuiteContext = { transcript: new Transcript(), dispose() {} };
 * ```
 */
export interface SuiteContext {
  /** The check's transcript. */
  readonly transcript: Transcript;
  /** Releases connections and timers the check left behind. */
  dispose(): void | Promise<void>;
}

/**
 * Live progress of a run.
 *
 * @example
 * ```ts
 * import type { ProgressEvent } from "@agent-stream/agent-stream/conformance";
 *
 * function show(event: ProgressEvent): void {
 *   if (event.kind === "check") console.log(event.index, event.total, event.result.status);
 * }
 * ```
 */
export type ProgressEvent =
  | { readonly kind: "start"; readonly total: number }
  | {
    readonly kind: "begin";
    readonly index: number;
    readonly total: number;
    readonly check: Check<never>;
  }
  | {
    readonly kind: "check";
    readonly index: number;
    readonly total: number;
    readonly result: CheckResult;
  };

/**
 * Options that select checks and seed properties, shared by both suites.
 *
 * @example
 * ```ts
 * import type { SelectionOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: SelectionOptions = { only: ["HTTP-APPEND"], seed: 42, numRuns: 20 };
 * ```
 */
export interface SelectionOptions {
  /** Run only checks whose ID, or one of whose cited requirement IDs, starts with one of these. */
  readonly only?: readonly string[];
  /** Run only the check with this exact ID (used with `seed` and `replayPath` to replay). */
  readonly check?: string;
  /** fast-check seed of every property; random by default. */
  readonly seed?: number;
  /** fast-check path that replays a counterexample of the check named by `check`. */
  readonly replayPath?: string;
  /** Runs per property (default 25). */
  readonly numRuns?: number;
  /** Shrink property counterexamples (default true); off, failures are found faster but reported unshrunk. */
  readonly shrink?: boolean;
  /** Called as the run progresses. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Parameters of {@linkcode runChecks}. */
export interface RunChecksParams<C extends SuiteContext> extends SelectionOptions {
  /** Which suite. */
  readonly suite: "server" | "client" | "events" | "consumer";
  /** What is tested (URL or command), for the report. */
  readonly target: string;
  /** Every check of the suite; the selection options narrow it. */
  readonly checks: readonly Check<C>[];
  /** Actors whose requirements the report lists. */
  readonly actors: readonly Actor[];
  /** Feature tokens in force; a check needing another is skipped. */
  readonly features: ReadonlySet<string>;
  /** The seed in force. */
  readonly seed: number;
  /** The runs per property in force. */
  readonly numRuns: number;
  /** Makes the context of one check. */
  readonly createContext: (check: Check<C>) => C;
  /** The command line that replays a property failure of `checkId`. */
  readonly replayCommand: (checkId: string, seed: number, path: string) => string;
}

/**
 * Selects, runs and reports checks.
 *
 * @example
 * ```ts ignore
 * import { runChecks } from "@agent-stream/agent-stream/conformance";
 * // see runServerSuite for a complete use
 * ```
 */
export async function runChecks<C extends SuiteContext>(
  params: RunChecksParams<C>,
): Promise<Report> {
  const started = Date.now();
  const selected = selectChecks(params.checks, params);
  params.onProgress?.({ kind: "start", total: selected.length });
  const results: CheckResult[] = [];
  for (const [index, check] of selected.entries()) {
    params.onProgress?.({
      kind: "begin",
      index,
      total: selected.length,
      check: check as Check<never>,
    });
    const result = await runOne(check, params);
    results.push(result);
    params.onProgress?.({ kind: "check", index, total: selected.length, result });
  }
  return buildReport(params, results, started);
}

/** The checks `options` select, in suite order. */
export function selectChecks<C>(
  checks: readonly Check<C>[],
  options: SelectionOptions,
): Check<C>[] {
  if (options.check !== undefined) {
    const found = checks.filter((check) => check.id === options.check);
    if (found.length === 0) throw new Error(`no check has the ID ${options.check}`);
    return found;
  }
  const only = options.only ?? [];
  if (only.length === 0) return [...checks];
  return checks.filter((check) =>
    only.some((prefix) =>
      check.id.startsWith(prefix) || check.requirements.some((id) => id.startsWith(prefix))
    )
  );
}

async function runOne<C extends SuiteContext>(
  check: Check<C>,
  params: RunChecksParams<C>,
): Promise<CheckResult> {
  const base = {
    id: check.id,
    title: check.title,
    section: check.section,
    requirements: check.requirements,
  };
  const started = Date.now();
  const missing = (check.features ?? []).filter((feature) => !params.features.has(feature));
  if (missing.length > 0) {
    return {
      ...base,
      status: "skipped",
      durationMs: 0,
      skipReason: `needs feature ${missing.join(", ")}, not advertised`,
    };
  }
  const context = params.createContext(check);
  try {
    await check.run(context);
    return { ...base, status: "passed", durationMs: Date.now() - started };
  } catch (error) {
    const durationMs = Date.now() - started;
    if (error instanceof CheckSkipped) {
      return { ...base, status: "skipped", durationMs, skipReason: error.message };
    }
    const failure = describeFailure(error, check, context.transcript, params);
    return { ...base, status: failure.requirement ? "failed" : "error", durationMs, failure };
  } finally {
    await context.dispose();
  }
}

function describeFailure<C extends SuiteContext>(
  error: unknown,
  check: Check<C>,
  transcript: Transcript,
  params: RunChecksParams<C>,
): CheckFailure {
  let cause = error;
  let property: PropertyFailure | undefined;
  if (error instanceof PropertyFailure) {
    property = error;
    cause = error.cause;
  }
  const entries = property ? property.transcript.entries : transcript.entries;
  const extra = property
    ? {
      counterexample: property.counterexample,
      seed: property.seed,
      path: property.path,
      numRuns: property.numRuns,
      replay: params.replayCommand(check.id, property.seed, property.path),
    }
    : {};
  if (cause instanceof Violation) {
    if (!check.requirements.includes(cause.requirement)) {
      return {
        message:
          `check reported ${cause.requirement}, which it does not cite (${cause.message}); the check is wrong`,
        transcript: entries,
        ...extra,
      };
    }
    const entry = CATALOGUE.find((r) => r.id === cause.requirement);
    return {
      requirement: cause.requirement,
      level: entry?.level ?? "MUST",
      message: cause.message,
      ...("expected" in cause ? { expected: cause.expected } : {}),
      ...("actual" in cause ? { actual: cause.actual } : {}),
      transcript: entries,
      ...extra,
    };
  }
  const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return { message, transcript: entries, ...extra };
}

function buildReport<C extends SuiteContext>(
  params: RunChecksParams<C>,
  results: readonly CheckResult[],
  started: number,
): Report {
  const citing = new Map<string, CheckResult[]>();
  for (const result of results) {
    for (const id of result.requirements) {
      const list = citing.get(id) ?? [];
      list.push(result);
      citing.set(id, list);
    }
  }
  const only = params.check !== undefined ? [] : params.only ?? [];
  const narrowed = params.check !== undefined || only.length > 0;
  const requirements: RequirementResult[] = [];
  for (const entry of CATALOGUE) {
    if (!params.actors.includes(entry.actor)) continue;
    const covering = citing.get(entry.id) ?? [];
    if (narrowed && covering.length === 0 && !only.some((prefix) => entry.id.startsWith(prefix))) {
      continue;
    }
    let status: RequirementStatus;
    if (covering.length === 0) status = "untested";
    else if (covering.some((r) => r.failure?.requirement === entry.id)) {
      status = entry.level === "MUST" ? "failed" : "warning";
    } else if (covering.some((r) => r.status === "error")) status = "failed";
    else if (covering.some((r) => r.status === "passed")) status = "passed";
    else status = "skipped";
    requirements.push({
      id: entry.id,
      level: entry.level,
      actor: entry.actor,
      section: entry.section,
      text: entry.text,
      status,
      checks: covering.map((r) => r.id),
    });
  }
  const count = (status: CheckResult["status"]) =>
    results.filter((r) => r.status === status).length;
  const mustFailed = requirements.filter((r) => r.status === "failed").length;
  const errors = count("error");
  return {
    suite: params.suite,
    target: params.target,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    seed: params.seed,
    numRuns: params.numRuns,
    features: [...params.features].sort(),
    runtime: runtimeName(),
    checks: results,
    requirements,
    summary: {
      passed: count("passed"),
      failed: count("failed"),
      errors,
      skipped: count("skipped"),
      mustFailed,
      shouldFailed: requirements.filter((r) => r.status === "warning").length,
      untested: requirements.filter((r) => r.status === "untested").length,
      conforms: mustFailed === 0 && errors === 0,
    },
  };
}

/** The runtime running the suite, e.g. `Deno 2.9.6`, `Bun 1.4.5`, `Node.js v22.12.0`. */
export function runtimeName(): string {
  const global = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
    process?: { version: string };
  };
  if (global.Deno) return `Deno ${global.Deno.version.deno}`;
  if (global.Bun) return `Bun ${global.Bun.version}`;
  return `Node.js ${global.process?.version ?? "unknown"}`;
}
