/**
 * Every server check, one file per spec section, in the spec's reading order.
 *
 * @module
 */

import type { Check } from "../check.ts";
import { discoveryRetrievalChecks } from "./discovery_retrieval.ts";

/**
 * The checks of the server suite.
 *
 * @example
 * ```ts
 * import { SERVER_CHECKS } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(SERVER_CHECKS.every((check) => check.requirements.length > 0)); // true
 * ```
 */
export const SERVER_CHECKS: readonly Check[] = [
  ...discoveryRetrievalChecks,
];
