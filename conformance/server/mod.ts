/**
 * Every server check, one folder per spec chapter and one file per section,
 * in the spec's reading order.
 *
 * @module
 */

import type { Check } from "../check.ts";
import { overviewChecks } from "./overview/mod.ts";
import { logChecks } from "./log/mod.ts";
import { httpChecks } from "./http/mod.ts";
import { sseChecks } from "./sse/mod.ts";
import { websocketChecks } from "./websocket/mod.ts";
import { discoveryChecks } from "./discovery/mod.ts";
import { errorsChecks } from "./errors/mod.ts";
import { envelopeChecks } from "./envelope/mod.ts";
import { versioningChecks } from "./versioning/mod.ts";
import { viewAiSdkChecks } from "./view_ai_sdk/mod.ts";
import { viewAgUiChecks } from "./view_ag_ui/mod.ts";

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
  ...overviewChecks,
  ...logChecks,
  ...httpChecks,
  ...sseChecks,
  ...websocketChecks,
  ...discoveryChecks,
  ...errorsChecks,
  ...envelopeChecks,
  ...versioningChecks,
  ...viewAiSdkChecks,
  ...viewAgUiChecks,
];
