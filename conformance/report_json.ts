/**
 * The JSON report: the {@linkcode Report} itself, with its members in a fixed
 * order so that two runs with the same outcome give the same text.
 *
 * @module
 */

import type {
  CheckFailure,
  CheckResult,
  Report,
  ReportSummary,
  RequirementResult,
} from "./report.ts";
import type { TranscriptEntry } from "./transcript.ts";

const REPORT_KEYS: readonly (keyof Report)[] = [
  "suite",
  "target",
  "startedAt",
  "durationMs",
  "seed",
  "numRuns",
  "features",
  "runtime",
  "summary",
  "requirements",
  "checks",
];
const SUMMARY_KEYS: readonly (keyof ReportSummary)[] = [
  "conforms",
  "passed",
  "failed",
  "errors",
  "skipped",
  "mustFailed",
  "shouldFailed",
  "untested",
];
const REQUIREMENT_KEYS: readonly (keyof RequirementResult)[] = [
  "id",
  "level",
  "actor",
  "section",
  "status",
  "text",
  "checks",
];
const CHECK_KEYS: readonly (keyof CheckResult)[] = [
  "id",
  "title",
  "section",
  "requirements",
  "status",
  "durationMs",
  "skipReason",
  "failure",
];
const FAILURE_KEYS: readonly (keyof CheckFailure)[] = [
  "requirement",
  "level",
  "message",
  "expected",
  "actual",
  "counterexample",
  "seed",
  "path",
  "numRuns",
  "replay",
  "transcript",
];
const ENTRY_KEYS: readonly (keyof TranscriptEntry)[] = ["atMs", "channel", "direction", "text"];

function pick<T extends object>(
  value: T,
  keys: readonly (keyof T)[],
  map: Partial<Record<keyof T, (v: never) => unknown>> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const convert = map[key] as ((v: unknown) => unknown) | undefined;
    // A compared value may be `undefined` on purpose; anything else undefined is absent.
    const compared = key === "expected" || key === "actual";
    if (!(key in value) || (value[key] === undefined && !compared)) continue;
    out[key as string] = convert ? convert(value[key]) : value[key];
  }
  return out;
}

function ordered(report: Report): Record<string, unknown> {
  return pick(report, REPORT_KEYS, {
    summary: (s: ReportSummary) => pick(s, SUMMARY_KEYS),
    requirements: (list: readonly RequirementResult[]) =>
      list.map((r) => pick(r, REQUIREMENT_KEYS)),
    checks: (list: readonly CheckResult[]) =>
      list.map((c) =>
        pick(c, CHECK_KEYS, {
          failure: (f: CheckFailure) =>
            pick(f, FAILURE_KEYS, {
              expected: jsonValue,
              actual: jsonValue,
              transcript: (entries: readonly TranscriptEntry[]) =>
                entries.map((e) => pick(e, ENTRY_KEYS)),
            }),
        })
      ),
  });
}

/** A compared value as JSON can hold it: big integers as `"123n"`, other non-JSON values as text. */
function jsonValue(value: unknown): unknown {
  if (value === undefined) return "undefined";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return JSON.parse(
      JSON.stringify(value, (_key, v) => typeof v === "bigint" ? `${v}n` : v) ?? "null",
    );
  } catch {
    return String(value);
  }
}

/**
 * The report as JSON, two-space indented, ending with a newline. Members
 * come in a fixed order (verdict and requirements before the checks);
 * absent members are left out. `JSON.parse` of the text gives back the
 * report, except that compared values (`expected`, `actual`) that JSON
 * cannot hold are written as text.
 *
 * @example
 * ```ts ignore
 * import { reportToJson, runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runServerSuite({ url: "http://127.0.0.1:8787" });
 * await Deno.writeTextFile("conformance.json", reportToJson(report));
 * ```
 */
export function reportToJson(report: Report): string {
  return JSON.stringify(ordered(report), null, 2) + "\n";
}

/**
 * Reads a JSON report back; throws when the text is not one.
 *
 * @example
 * ```ts ignore
 * import { reportFromJson } from "@agent-stream/agent-stream/conformance";
 *
 * const report = reportFromJson(await Deno.readTextFile("conformance.json"));
 * console.log(report.summary.conforms);
 * ```
 */
export function reportFromJson(text: string): Report {
  const value = JSON.parse(text) as Partial<Report> | null;
  const looksRight = typeof value === "object" && value !== null &&
    ["server", "client", "events", "consumer"].includes(value.suite as string) &&
    Array.isArray(value.checks) && Array.isArray(value.requirements) &&
    typeof value.summary === "object" && value.summary !== null &&
    typeof value.summary.conforms === "boolean";
  if (!looksRight) throw new Error("not a conformance report: suite, checks or summary missing");
  return value as Report;
}
