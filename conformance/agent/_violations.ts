// Broken rules, by requirement: each variant emits what it needs first
// (valid events, folded into the model), then the one event that breaks the
// rule (not folded: a consumer refuses it and the stream goes on as if it
// had not been sent).
import type { Variant } from "./_violation_setup.ts";
import { CALL_VIOLATIONS } from "./_violations_calls.ts";
import { CORE_VIOLATIONS } from "./_violations_core.ts";

export type { Variant } from "./_violation_setup.ts";

const all: Record<string, readonly Variant[]> = { ...CORE_VIOLATIONS, ...CALL_VIOLATIONS };
const SPEC_ORDER = ["SHAPE", "MSG", "RUN", "STEP", "TOOL", "STATE", "SNAP", "USAGE", "DATA"]
  .concat(["TASK", "AGENT", "LLM"]);
const area = (id: string): number => SPEC_ORDER.indexOf(id.split("-")[1]);

/** Variants by requirement, in the order of spec/v1/events.md. */
export const VIOLATIONS: Readonly<Record<string, readonly Variant[]>> = Object.fromEntries(
  Object.keys(all)
    .sort((a, b) => area(a) - area(b) || a.localeCompare(b, "en", { numeric: true }))
    .map((id) => [id, all[id]]),
);
