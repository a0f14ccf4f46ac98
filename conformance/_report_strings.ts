// What every report format shares: making hostile strings visible and safe,
// describing compared values, and grouping checks by section. A report
// quotes what a server sent, so any string in it may hold markup, control
// characters or lone surrogates.

import type { CheckResult, Report, RequirementResult } from "./report.ts";
import { formatTranscript } from "./transcript.ts";

// C0 controls but tab and newline, DEL and C1 controls, lone surrogates, and
// the noncharacters U+FFFE and U+FFFF: none is allowed in XML 1.0 or shown
// sanely by a terminal.
const INVISIBLE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every character no report can show (`\r` included) written as a `\uXXXX` escape. */
export function visible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `text` made visible and kept on one line: tabs and line breaks written as escapes too. */
export function oneLine(text: string): string {
  return visible(text).replaceAll("\t", "\\t").replaceAll("\n", "\\n");
}

/** `text` escaped for XML or HTML character data. */
export function escapeMarkup(text: string): string {
  return visible(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/** `text` escaped for a double- or single-quoted XML or HTML attribute; line breaks survive. */
export function escapeAttribute(text: string): string {
  return escapeMarkup(text)
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")
    .replaceAll("\t", "&#9;")
    .replaceAll("\n", "&#10;");
}

/** A compared value as one short text: JSON where possible. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const json = JSON.stringify(
      value,
      (_key, v) => typeof v === "bigint" ? `${v}n` : v,
    );
    return json ?? String(value);
  } catch {
    return String(value);
  }
}

/** Finds the section and text of a requirement ID. */
export type RequirementLookup = (
  id: string,
) => { readonly section: string; readonly text: string } | undefined;

/** A lookup over the requirements a report lists. */
export function reportLookup(report: Report): RequirementLookup {
  const byId = new Map(report.requirements.map((r) => [r.id, r]));
  return (id) => byId.get(id);
}

/** Whether a check's outcome breaks conformance: an error, or a failed MUST. */
export function breaksConformance(result: CheckResult): boolean {
  if (result.status === "error") return true;
  return result.status === "failed" && result.failure?.level !== "SHOULD";
}

/** Whether a check failed a SHOULD requirement only: a warning. */
export function isWarning(result: CheckResult): boolean {
  return result.status === "failed" && result.failure?.level === "SHOULD";
}

/**
 * The details of a failure as plain lines (not yet made visible): requirement,
 * message, values, counterexample, seed, replay, transcript.
 */
export function failureDetails(result: CheckResult, lookup: RequirementLookup): string[] {
  const failure = result.failure;
  if (failure === undefined) return [];
  const lines: string[] = [];
  const requirement = failure.requirement === undefined ? undefined : lookup(failure.requirement);
  if (failure.requirement !== undefined) {
    lines.push(
      `requirement: ${failure.requirement} (${failure.level ?? "MUST"})${
        requirement ? ` ${requirement.section}: ${requirement.text}` : ""
      }`,
    );
  } else {
    lines.push("error: the check could not reach a verdict");
  }
  lines.push(`message: ${failure.message}`);
  if ("expected" in failure) lines.push(`expected: ${describeValue(failure.expected)}`);
  if ("actual" in failure) lines.push(`actual: ${describeValue(failure.actual)}`);
  if (failure.counterexample !== undefined) {
    lines.push(`counterexample: ${failure.counterexample}`);
  }
  if (failure.seed !== undefined) {
    lines.push(
      `seed: ${failure.seed}${failure.path !== undefined ? `, path: ${failure.path}` : ""}${
        failure.numRuns !== undefined ? `, after ${failure.numRuns} runs` : ""
      }`,
    );
  }
  if (failure.replay !== undefined) lines.push(`replay: ${failure.replay}`);
  if (failure.transcript.length > 0) {
    lines.push("transcript:");
    for (const line of formatTranscript(failure.transcript).split("\n")) lines.push(`  ${line}`);
  }
  return lines;
}

/** Checks grouped by section, sections in order of first appearance. */
export function checksBySection(
  checks: readonly CheckResult[],
): Map<string, CheckResult[]> {
  const sections = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const list = sections.get(check.section) ?? [];
    list.push(check);
    sections.set(check.section, list);
  }
  return sections;
}

/** Requirements grouped by section, in report order. */
export function requirementsBySection(
  requirements: readonly RequirementResult[],
): Map<string, RequirementResult[]> {
  const sections = new Map<string, RequirementResult[]>();
  for (const requirement of requirements) {
    const list = sections.get(requirement.section) ?? [];
    list.push(requirement);
    sections.set(requirement.section, list);
  }
  return sections;
}

/** The verdict in words. */
export function verdict(report: Report): string {
  return report.summary.conforms ? "CONFORMS" : "DOES NOT CONFORM";
}

/** `words` joined by commas into lines of at most about 100 characters, indented by `indent`. */
export function wrap(words: readonly string[], indent = "  "): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && line.length + word.length > 96 - indent.length) {
      lines.push(`${indent}${line},`);
      line = "";
    }
    line = line === "" ? word : `${line}, ${word}`;
  }
  if (line !== "") lines.push(`${indent}${line}`);
  return lines;
}
