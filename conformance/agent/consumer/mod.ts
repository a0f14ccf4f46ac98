/**
 * Every consumer check, section by section of projection.md.
 *
 * @module
 */

import type { Check } from "../../check.ts";
import type { ConsumerCheckContext } from "../consumer_context.ts";
import { familyChecks } from "./families.ts";
import { foldChecks } from "./fold.ts";
import { messageChecks } from "./messages.ts";
import { runChecks } from "./runs.ts";

/**
 * Every check of the consumer suite.
 *
 * @example
 * ```ts
 * import { CONSUMER_CHECKS } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(CONSUMER_CHECKS.some((c) => c.requirements.includes("PROJ-RESULT-2")));
 * ```
 */
export const CONSUMER_CHECKS: readonly Check<ConsumerCheckContext>[] = [
  ...foldChecks,
  ...messageChecks,
  ...runChecks,
  ...familyChecks,
];
