/**
 * How far the conformance suite reaches: for every requirement of the spec,
 * the checks that cite it, or the reason no automated check can test it, or
 * neither. Also catches IDs that checks cite or the untestable list names
 * but the spec does not have.
 *
 * @module
 */

import { CATALOGUE, type CatalogueEntry } from "./catalogue.ts";
import { CLIENT_CHECKS } from "./client_suite.ts";
import { CONSUMER_CHECKS } from "./agent/consumer/mod.ts";
import { EVENTS_CHECKS } from "./agent/events/mod.ts";
import type { Actor, Level } from "./requirements.ts";
import { SERVER_CHECKS } from "./server/mod.ts";
import { UNTESTABLE } from "./untestable/mod.ts";
import { oneLine, wrap } from "./_report_strings.ts";

/**
 * Where a requirement stands: cited by a check, listed as untestable with a
 * reason, or neither.
 *
 * @example
 * ```ts
 * import type { CoverageStatus } from "@agent-stream/agent-stream/conformance";
 *
 * const status: CoverageStatus = "covered";
 * ```
 */
export type CoverageStatus = "covered" | "untestable" | "unaccounted";

/**
 * One requirement in a {@linkcode Coverage}.
 *
 * @example
 * ```ts
 * import type { RequirementCoverage } from "@agent-stream/agent-stream/conformance";
 *
 * function line(r: RequirementCoverage): string {
 *   return `${r.id} ${r.status} ${r.checks.join(", ") || r.reason || ""}`;
 * }
 * ```
 */
export interface RequirementCoverage {
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
  /** Where it stands; `covered` wins when it is also listed as untestable. */
  readonly status: CoverageStatus;
  /** IDs of the checks citing it. */
  readonly checks: readonly string[];
  /** Why no check tests it, and how it is tested instead, when listed as untestable. */
  readonly reason?: string;
}

/**
 * The coverage of the catalogue by a set of checks.
 *
 * @example
 * ```ts
 * import { coverage, SERVER_CHECKS, UNTESTABLE } from "@agent-stream/agent-stream/conformance";
 *
 * const result = coverage({ checks: SERVER_CHECKS, untestable: UNTESTABLE });
 * console.log(result.counts.covered, "of", result.counts.total, "covered");
 * ```
 */
export interface Coverage {
  /** Every requirement of the catalogue, in spec order. */
  readonly requirements: readonly RequirementCoverage[];
  /** IDs that checks cite but the catalogue lacks, with the checks citing each. */
  readonly unknownCited: readonly { readonly id: string; readonly checks: readonly string[] }[];
  /** IDs listed as untestable that the catalogue lacks. */
  readonly unknownUntestable: readonly string[];
  /** IDs both cited by a check and listed as untestable: one of the two is wrong. */
  readonly coveredAndUntestable: readonly string[];
  /** Counts by status. */
  readonly counts: {
    readonly total: number;
    readonly covered: number;
    readonly untestable: number;
    readonly unaccounted: number;
  };
  /** Every requirement is covered or untestable, and no unknown or doubly-accounted ID. */
  readonly complete: boolean;
}

/**
 * What {@linkcode coverage} works from.
 *
 * @example
 * ```ts
 * import type { CoverageInput } from "@agent-stream/agent-stream/conformance";
 *
 * const input: CoverageInput = {
 *   checks: [{ id: "log.read.order", requirements: ["LOG-READ-1"] }],
 *   untestable: { "LOG-APPEND-4": "durability across power loss: the crash test" },
 * };
 * ```
 */
export interface CoverageInput {
  /** The checks: their IDs and the requirement IDs each cites. */
  readonly checks: readonly { readonly id: string; readonly requirements: readonly string[] }[];
  /** Requirement ID → why no automated check tests it. */
  readonly untestable: Readonly<Record<string, string>>;
  /** The requirements to account for (default {@linkcode CATALOGUE}). */
  readonly catalogue?: readonly CatalogueEntry[];
}

/**
 * Accounts for every requirement of the catalogue: covered by checks,
 * untestable with a reason, or unaccounted.
 *
 * @example
 * ```ts
 * import { coverage } from "@agent-stream/agent-stream/conformance";
 *
 * const result = coverage({
 *   checks: [{ id: "x.y", requirements: ["NOPE-1"] }],
 *   untestable: {},
 * });
 * console.log(result.unknownCited); // [{ id: "NOPE-1", checks: ["x.y"] }]
 * ```
 */
export function coverage(input: CoverageInput): Coverage {
  const catalogue = input.catalogue ?? CATALOGUE;
  const known = new Set(catalogue.map((entry) => entry.id));
  const citing = new Map<string, string[]>();
  for (const check of input.checks) {
    for (const id of new Set(check.requirements)) {
      const list = citing.get(id) ?? [];
      list.push(check.id);
      citing.set(id, list);
    }
  }
  const untestable = new Map(Object.entries(input.untestable));
  const requirements = catalogue.map((entry): RequirementCoverage => {
    const checks = citing.get(entry.id) ?? [];
    const reason = untestable.get(entry.id);
    const status: CoverageStatus = checks.length > 0
      ? "covered"
      : reason !== undefined
      ? "untestable"
      : "unaccounted";
    return {
      id: entry.id,
      level: entry.level,
      actor: entry.actor,
      section: entry.section,
      text: entry.text,
      status,
      checks,
      ...(reason !== undefined ? { reason } : {}),
    };
  });
  const unknownCited = [...citing].filter(([id]) => !known.has(id)).map(([id, checks]) => ({
    id,
    checks,
  }));
  const unknownUntestable = [...untestable.keys()].filter((id) => !known.has(id));
  const coveredAndUntestable = requirements
    .filter((r) => r.status === "covered" && r.reason !== undefined)
    .map((r) => r.id);
  const count = (status: CoverageStatus) => requirements.filter((r) => r.status === status).length;
  const counts = {
    total: requirements.length,
    covered: count("covered"),
    untestable: count("untestable"),
    unaccounted: count("unaccounted"),
  };
  return {
    requirements,
    unknownCited,
    unknownUntestable,
    coveredAndUntestable,
    counts,
    complete: counts.unaccounted === 0 && unknownCited.length === 0 &&
      unknownUntestable.length === 0 && coveredAndUntestable.length === 0,
  };
}

/**
 * What the suite itself offers: every server, client, events and consumer
 * check, and the untestable list.
 *
 * @example
 * ```ts
 * import { coverage, suiteCoverageInput } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(coverage(suiteCoverageInput()).complete);
 * ```
 */
export function suiteCoverageInput(): CoverageInput {
  return {
    checks: [...SERVER_CHECKS, ...CLIENT_CHECKS, ...EVENTS_CHECKS, ...CONSUMER_CHECKS],
    untestable: UNTESTABLE,
  };
}

/**
 * The coverage as text: a line per requirement by section (`+` covered,
 * `~` untestable with its reason, `!` unaccounted), then the problems and the
 * counts.
 *
 * @example
 * ```ts
 * import { coverage, formatCoverage } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(formatCoverage(coverage({ checks: [], untestable: {} })).split("\n").at(-2));
 * ```
 */
export function formatCoverage(result: Coverage): string {
  const out: string[] = [];
  let section = "";
  for (const r of result.requirements) {
    if (r.section !== section) {
      section = r.section;
      out.push("", oneLine(section));
    }
    const mark = r.status === "covered" ? "+" : r.status === "untestable" ? "~" : "!";
    const detail = r.status === "covered"
      ? r.checks.join(", ")
      : r.status === "untestable"
      ? `untestable: ${r.reason}`
      : `UNACCOUNTED (${r.actor} ${r.level})`;
    out.push(`  ${mark} ${oneLine(r.id).padEnd(16)} ${oneLine(detail)}`);
  }
  const problems: string[] = [];
  for (const { id, checks } of result.unknownCited) {
    problems.push(`cited but not in the spec: ${oneLine(id)} (by ${oneLine(checks.join(", "))})`);
  }
  for (const id of result.unknownUntestable) {
    problems.push(`listed as untestable but not in the spec: ${oneLine(id)}`);
  }
  for (const id of result.coveredAndUntestable) {
    problems.push(`both covered by checks and listed as untestable: ${oneLine(id)}`);
  }
  const unaccounted = result.requirements.filter((r) => r.status === "unaccounted");
  if (unaccounted.length > 0) {
    problems.push(
      `unaccounted (${unaccounted.length}):`,
      ...wrap(unaccounted.map((r) => oneLine(r.id))),
    );
  }
  if (problems.length > 0) out.push("", ...problems);
  const c = result.counts;
  out.push(
    "",
    `${c.total} requirements: ${c.covered} covered, ${c.untestable} untestable, ${c.unaccounted} unaccounted${
      result.complete ? "" : " (incomplete)"
    }`,
  );
  return out.join("\n").replace(/^\n/, "") + "\n";
}
