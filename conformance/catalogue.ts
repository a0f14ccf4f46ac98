/**
 * The requirement catalogue of spec v1, built into the package so that a
 * report can name, level and quote every requirement without reading files.
 *
 * @module
 */

import { CATALOGUE_ROWS } from "./_catalogue_rows.ts";
import type { Actor, Keyword, Level } from "./requirements.ts";

/**
 * One requirement of spec v1, as a report shows it.
 *
 * @example
 * ```ts
 * import { requirementById } from "@agent-stream/agent-stream/conformance";
 *
 * const entry = requirementById("LOG-OFFSET-2");
 * console.log(entry?.level, entry?.section);
 * ```
 */
export interface CatalogueEntry {
  /** The requirement ID, e.g. `HTTP-APPEND-3`. */
  readonly id: string;
  /** Whom it binds. */
  readonly actor: Actor;
  /** Its keyword as written. */
  readonly keyword: Keyword;
  /** `MUST` (mandatory) or `SHOULD` (recommended). */
  readonly level: Level;
  /** Chapter and section number, e.g. `http.md §5`. */
  readonly section: string;
  /** The requirement's text after the bold lead-in. */
  readonly text: string;
}

/**
 * Every requirement of spec v1, in the spec's reading order.
 *
 * @example
 * ```ts
 * import { CATALOGUE } from "@agent-stream/agent-stream/conformance";
 *
 * const serverMusts = CATALOGUE.filter((r) => r.actor === "server" && r.level === "MUST");
 * console.log(serverMusts.length > 0); // true
 * ```
 */
export const CATALOGUE: readonly CatalogueEntry[] = Object.freeze(
  CATALOGUE_ROWS.map(([id, actor, keyword, section, text]) =>
    Object.freeze({
      id,
      actor,
      keyword,
      level: keyword.startsWith("MUST") ? "MUST" as const : "SHOULD" as const,
      section,
      text,
    })
  ),
);

const BY_ID = new Map(CATALOGUE.map((entry) => [entry.id, entry]));

/**
 * The catalogue entry of `id`, or `undefined` for an unknown ID.
 *
 * @example
 * ```ts
 * import { requirementById } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(requirementById("NOPE-1")); // undefined
 * ```
 */
export function requirementById(id: string): CatalogueEntry | undefined {
  return BY_ID.get(id);
}
