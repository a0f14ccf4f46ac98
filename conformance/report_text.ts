/**
 * The terminal report: a line per check as the run goes, every failure in
 * full the moment it happens, and a summary by requirement and section at
 * the end.
 *
 * @module
 */

import { requirementById } from "./catalogue.ts";
import type { CheckResult, Report, RequirementResult, RequirementStatus } from "./report.ts";
import type { ProgressEvent } from "./runner.ts";
import {
  failureDetails,
  isWarning,
  oneLine,
  type RequirementLookup,
  requirementsBySection,
  verdict,
  visible,
  wrap,
} from "./_report_strings.ts";

/**
 * How the terminal report is written.
 *
 * @example
 * ```ts
 * import type { TextReportOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: TextReportOptions = { color: false, quiet: true };
 * ```
 */
export interface TextReportOptions {
  /** Colour with ANSI escapes; see {@linkcode shouldColor}. Default false. */
  readonly color?: boolean;
  /** Only failures, warnings, errors and the verdict; no line per passing or skipped check. */
  readonly quiet?: boolean;
  /**
   * The output is a terminal: a check's ID is shown while it runs and
   * replaced by its result line when it ends.
   */
  readonly live?: boolean;
}

/**
 * Whether to colour a stream: only a terminal, and only when `NO_COLOR` is
 * unset or empty (<https://no-color.org>).
 *
 * @example
 * ```ts
 * import { shouldColor } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(shouldColor({ isTTY: true }, { NO_COLOR: "1" })); // false
 * ```
 */
export function shouldColor(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  cyan: 36,
  dim: 2,
  bold: 1,
} as const;

type Paint = (style: keyof typeof CODES, text: string) => string;

function painter(color: boolean | undefined): Paint {
  return color ? (style, text) => `\x1b[${CODES[style]}m${text}\x1b[0m` : (_style, text) => text;
}

const CHECK_LABELS: Record<string, [string, keyof typeof CODES]> = {
  passed: ["PASS ", "green"],
  failed: ["FAIL ", "red"],
  warning: ["WARN ", "yellow"],
  error: ["ERROR", "red"],
  skipped: ["SKIP ", "yellow"],
};

/**
 * The text one progress event adds to the terminal report: nothing for the
 * start, the running check's ID on a live terminal, a result line per
 * check, and the full details of a failure at once.
 *
 * @example
 * ```ts
 * import { formatProgress } from "@agent-stream/agent-stream/conformance";
 *
 * const line = formatProgress({
 *   kind: "check",
 *   index: 0,
 *   total: 1,
 *   result: {
 *     id: "discovery.get.document",
 *     title: "GET /v1 answers a discovery document",
 *     section: "discovery.md §1",
 *     requirements: ["DISC-GET-1"],
 *     status: "passed",
 *     durationMs: 4,
 *   },
 * });
 * console.log(line); // "[1/1] PASS  discovery.get.document  GET /v1 answers … (4 ms)\n"
 * ```
 */
export function formatProgress(event: ProgressEvent, options: TextReportOptions = {}): string {
  const paint = painter(options.color);
  if (event.kind === "start") return "";
  const counter = `[${
    String(event.index + 1).padStart(String(event.total).length)
  }/${event.total}]`;
  if (event.kind === "begin") {
    return options.live && !options.quiet
      ? `${paint("dim", `${counter} …     ${oneLine(event.check.id)}`)}`
      : "";
  }
  const result = event.result;
  const clear = options.live && !options.quiet ? "\r\x1b[2K" : "";
  const quietSkip = options.quiet && (result.status === "passed" || result.status === "skipped");
  if (quietSkip) return "";
  return clear + checkLine(counter, result, paint) + "\n" +
    detailBlock(result, requirementById, paint);
}

function checkLine(counter: string, result: CheckResult, paint: Paint): string {
  const [label, style] = CHECK_LABELS[isWarning(result) ? "warning" : result.status];
  const tail = result.status === "skipped"
    ? paint("dim", ` (${oneLine(result.skipReason ?? "skipped")})`)
    : paint("dim", ` (${result.durationMs} ms)`);
  return `${counter} ${paint(style, label)} ${paint("bold", oneLine(result.id))}  ${
    oneLine(result.title)
  }${tail}`;
}

function detailBlock(result: CheckResult, lookup: RequirementLookup, paint: Paint): string {
  const lines = failureDetails(result, lookup);
  if (lines.length === 0) return "";
  const [first, second, ...rest] = lines.map(visible);
  const transcriptAt = rest.indexOf("transcript:");
  const body = transcriptAt < 0 ? rest : rest.slice(0, transcriptAt);
  const transcript = transcriptAt < 0 ? [] : rest.slice(transcriptAt);
  const style = isWarning(result) ? "yellow" : "red";
  return [
    paint(style, first),
    paint("bold", second),
    ...body.map((line) => line.startsWith("replay: ") ? paint("cyan", line) : line),
    ...transcript.map((line) => paint("dim", line)),
  ].map((line) => `      ${line.replaceAll("\n", "\n      ")}\n`).join("");
}

/**
 * Writes the terminal report of a run as it progresses: returns the
 * `onProgress` callback of a suite.
 *
 * @example
 * ```ts ignore
 * import { progressPrinter, runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const onProgress = progressPrinter((text) => console.log(text.trimEnd()));
 * await runServerSuite({ url: "http://127.0.0.1:8787", onProgress });
 * ```
 */
export function progressPrinter(
  write: (text: string) => void,
  options: TextReportOptions = {},
): (event: ProgressEvent) => void {
  return (event) => {
    const text = formatProgress(event, options);
    if (text !== "") write(text);
  };
}

const COLUMNS: readonly RequirementStatus[] = [
  "passed",
  "failed",
  "warning",
  "skipped",
  "untested",
];

/**
 * The summary at the end of a run: the MUST requirements failed, then the
 * warnings and the checks that erred, a table of requirement verdicts by
 * section, and the verdict.
 *
 * @example
 * ```ts ignore
 * import { formatSummary, runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runServerSuite({ url: "http://127.0.0.1:8787" });
 * console.log(formatSummary(report));
 * ```
 */
export function formatSummary(report: Report, options: TextReportOptions = {}): string {
  const paint = painter(options.color);
  const out: string[] = [];
  out.push(
    paint(
      "bold",
      `agent-stream conformance, ${report.suite} suite: ${oneLine(report.target)}`,
    ),
    paint(
      "dim",
      `${oneLine(report.runtime)} · ${
        // A suite without properties (the events suite) has no seed to show.
        report.numRuns > 0
          ? `seed ${report.seed} · ${report.numRuns} runs per property · `
          : ""}features: ${
        report.features.length > 0 ? oneLine(report.features.join(", ")) : "none"
      } · ${(report.durationMs / 1000).toFixed(1)} s`,
    ),
  );
  const failed = report.requirements.filter((r) => r.status === "failed");
  const warned = report.requirements.filter((r) => r.status === "warning");
  const erred = report.checks.filter((c) => c.status === "error");
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const requirementBlock = (title: string, list: RequirementResult[], style: "red" | "yellow") => {
    if (list.length === 0) return;
    out.push("", paint(style, `${title} (${list.length})`));
    for (const requirement of list) {
      out.push(
        `  ${paint(style, oneLine(requirement.id))}  ${oneLine(requirement.section)}  ${
          oneLine(requirement.text)
        }`,
      );
      for (const id of requirement.checks) {
        const check = byId.get(id);
        if (check?.failure?.requirement !== requirement.id && check?.status !== "error") continue;
        out.push(`      ${oneLine(id)}: ${oneLine(check.failure?.message ?? "")}`);
        if (check.failure?.replay) {
          out.push(paint("cyan", `      replay: ${oneLine(check.failure.replay)}`));
        }
      }
    }
  };
  requirementBlock("MUST requirements failed", failed, "red");
  if (erred.length > 0) {
    out.push("", paint("red", `Checks that erred, without a verdict (${erred.length})`));
    for (const check of erred) {
      out.push(`  ${paint("red", oneLine(check.id))}: ${oneLine(check.failure?.message ?? "")}`);
    }
  }
  requirementBlock("Warnings: SHOULD requirements failed", warned, "yellow");
  if (!options.quiet) out.push("", ...sectionTable(report, paint));
  if (!options.quiet) {
    const untested = report.requirements.filter((r) => r.status === "untested");
    if (untested.length > 0) {
      out.push(
        "",
        paint("dim", `Untested by this run (${untested.length}):`),
        ...wrap(untested.map((r) => oneLine(r.id))).map((line) => paint("dim", line)),
      );
    }
  }
  const s = report.summary;
  const count = (status: RequirementStatus) =>
    report.requirements.filter((r) => r.status === status).length;
  out.push(
    "",
    `Checks: ${s.passed} passed, ${s.failed} failed, ${s.errors} erred, ${s.skipped} skipped (${report.checks.length} in all)`,
    `Requirements: ${count("passed")} passed, ${s.mustFailed} failed, ${s.shouldFailed} warnings, ${
      count("skipped")
    } skipped, ${s.untested} untested (${report.requirements.length} in all)`,
    paint(
      s.conforms ? "green" : "red",
      `Verdict: ${verdict(report)}${s.shouldFailed > 0 ? ` (${s.shouldFailed} warnings)` : ""}`,
    ),
  );
  return out.join("\n") + "\n";
}

function sectionTable(report: Report, paint: Paint): string[] {
  const sections = requirementsBySection(report.requirements);
  const names = [...sections.keys()].map(oneLine);
  const width = Math.max(
    "Requirements by section".length,
    "total".length,
    ...names.map((n) => n.length),
  );
  const header = `${"Requirements by section".padEnd(width)}  ${
    COLUMNS.map((c) => (c === "warning" ? "warnings" : c).padStart(8)).join(" ")
  }`;
  const totals = new Map<RequirementStatus, number>(COLUMNS.map((c) => [c, 0]));
  const rows: string[] = [];
  for (const [section, list] of sections) {
    const cells = COLUMNS.map((status) => {
      const n = list.filter((r) => r.status === status).length;
      totals.set(status, (totals.get(status) ?? 0) + n);
      const cell = String(n).padStart(8);
      if (n === 0) return paint("dim", cell);
      return status === "failed"
        ? paint("red", cell)
        : status === "warning"
        ? paint("yellow", cell)
        : cell;
    });
    rows.push(`${oneLine(section).padEnd(width)}  ${cells.join(" ")}`);
  }
  const total = `${"total".padEnd(width)}  ${
    COLUMNS.map((status) => String(totals.get(status)).padStart(8)).join(" ")
  }`;
  return [paint("bold", header), ...rows, paint("bold", total)];
}
