/**
 * The result of a conformance run, per check and per requirement, in a shape
 * every report format (terminal, JSON, JUnit, HTML) is written from.
 *
 * @module
 */

import type { Actor, Level } from "./requirements.ts";
import type { TranscriptEntry } from "./transcript.ts";

/**
 * How a check ended: `failed` is a broken requirement; `error` is a check
 * that could not reach a verdict (the server did not answer, the check
 * itself is wrong); `skipped` says why in `skipReason`.
 *
 * @example
 * ```ts
 * import type { CheckStatus } from "@agent-stream/agent-stream/conformance";
 *
 * const status: CheckStatus = "passed";
 * ```
 */
export type CheckStatus = "passed" | "failed" | "error" | "skipped";

/**
 * Why a check failed, with what it takes to see it again.
 *
 * @example
 * ```ts
 * import type { CheckFailure } from "@agent-stream/agent-stream/conformance";
 *
 * const failure: CheckFailure = {
 *   requirement: "HTTP-READ-2",
 *   level: "MUST",
 *   message: "HTTP-READ-2: status 200, expected 404",
 *   transcript: [],
 * };
 * ```
 */
export interface CheckFailure {
  /** The broken requirement; absent for an `error`. */
  readonly requirement?: string;
  /** Its level. */
  readonly level?: Level;
  /** What went wrong, in a sentence. */
  readonly message: string;
  /** The expected value, when the check compared values. */
  readonly expected?: unknown;
  /** The value seen, when the check compared values. */
  readonly actual?: unknown;
  /** The shrunk counterexample of a property, as fast-check prints it. */
  readonly counterexample?: string;
  /** The fast-check seed that replays the property. */
  readonly seed?: number;
  /** The fast-check path of the shrunk counterexample. */
  readonly path?: string;
  /** How many runs the property made before and while shrinking. */
  readonly numRuns?: number;
  /** The exchange on the wire of the failing run. */
  readonly transcript: readonly TranscriptEntry[];
  /** A command line that runs this check again with the same counterexample. */
  readonly replay?: string;
}

/**
 * The outcome of one check.
 *
 * @example
 * ```ts
 * import type { CheckResult } from "@agent-stream/agent-stream/conformance";
 *
 * function label(result: CheckResult): string {
 *   return `${result.status} ${result.id}: ${result.title}`;
 * }
 * ```
 */
export interface CheckResult {
  /** The check's ID. */
  readonly id: string;
  /** The check's title. */
  readonly title: string;
  /** Where the tested text is. */
  readonly section: string;
  /** The requirements the check cites. */
  readonly requirements: readonly string[];
  /** How it ended. */
  readonly status: CheckStatus;
  /** How long it ran. */
  readonly durationMs: number;
  /** Details, when it failed or erred. */
  readonly failure?: CheckFailure;
  /** Why it was skipped. */
  readonly skipReason?: string;
}

/**
 * The verdict on one requirement: `failed` (a MUST broken), `warning` (a
 * SHOULD broken), `passed` (every covering check passed), `skipped` (its
 * checks were skipped), `untested` (no check of this run covers it).
 *
 * @example
 * ```ts
 * import type { RequirementStatus } from "@agent-stream/agent-stream/conformance";
 *
 * const status: RequirementStatus = "warning";
 * ```
 */
export type RequirementStatus = "passed" | "failed" | "warning" | "skipped" | "untested";

/**
 * One requirement in a report.
 *
 * @example
 * ```ts
 * import type { RequirementResult } from "@agent-stream/agent-stream/conformance";
 *
 * function failing(results: readonly RequirementResult[]): string[] {
 *   return results.filter((r) => r.status === "failed").map((r) => r.id);
 * }
 * ```
 */
export interface RequirementResult {
  /** The requirement ID. */
  readonly id: string;
  /** Its level. */
  readonly level: Level;
  /** Whom it binds. */
  readonly actor: Actor;
  /** Chapter and section. */
  readonly section: string;
  /** Its text. */
  readonly text: string;
  /** The verdict. */
  readonly status: RequirementStatus;
  /** IDs of the checks of this run that cite it. */
  readonly checks: readonly string[];
}

/**
 * A whole run.
 *
 * @example
 * ```ts
 * import type { Report } from "@agent-stream/agent-stream/conformance";
 *
 * function exitCode(report: Report): number {
 *   return report.summary.conforms ? 0 : 1;
 * }
 * ```
 */
export interface Report {
  /** Which suite ran. */
  readonly suite: "server" | "client" | "events" | "consumer";
  /** What was tested: the server's URL or the client adapter's command. */
  readonly target: string;
  /** When the run started (ISO 8601). */
  readonly startedAt: string;
  /** How long it took. */
  readonly durationMs: number;
  /** The fast-check seed of every property in the run. */
  readonly seed: number;
  /** Property runs per property. */
  readonly numRuns: number;
  /** The feature tokens the run tested. */
  readonly features: readonly string[];
  /** The runtime that ran the suite, e.g. `Deno 2.9.6`. */
  readonly runtime: string;
  /** Every check, in the order run. */
  readonly checks: readonly CheckResult[];
  /** Every requirement addressed to the tested actor(s), in spec order. */
  readonly requirements: readonly RequirementResult[];
  /** Counts and the verdict. */
  readonly summary: ReportSummary;
}

/**
 * Counts of a run and its verdict: `conforms` is true when no MUST
 * requirement failed and no check erred.
 *
 * @example
 * ```ts
 * import type { ReportSummary } from "@agent-stream/agent-stream/conformance";
 *
 * const empty: ReportSummary = {
 *   passed: 0, failed: 0, errors: 0, skipped: 0,
 *   mustFailed: 0, shouldFailed: 0, untested: 0, conforms: true,
 * };
 * ```
 */
export interface ReportSummary {
  /** Checks passed. */
  readonly passed: number;
  /** Checks failed. */
  readonly failed: number;
  /** Checks that erred. */
  readonly errors: number;
  /** Checks skipped. */
  readonly skipped: number;
  /** MUST requirements failed. */
  readonly mustFailed: number;
  /** SHOULD requirements failed (warnings). */
  readonly shouldFailed: number;
  /** Requirements no check of this run covered. */
  readonly untested: number;
  /** No MUST failed and no check erred. */
  readonly conforms: boolean;
}
