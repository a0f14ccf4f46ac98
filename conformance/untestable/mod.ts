/**
 * Requirements no automated check tests, each with the reason and how it is
 * tested instead; `conformance coverage` lists them beside the covered ones.
 *
 * @module
 */

import { overviewUntestable } from "./overview.ts";
import { logUntestable } from "./log.ts";
import { httpUntestable } from "./http.ts";
import { sseUntestable } from "./sse.ts";
import { websocketUntestable } from "./websocket.ts";
import { discoveryUntestable } from "./discovery.ts";
import { errorsUntestable } from "./errors.ts";
import { envelopeUntestable } from "./envelope.ts";
import { eventsUntestable } from "./events.ts";
import { projectionUntestable } from "./projection.ts";
import { versioningUntestable } from "./versioning.ts";
import { clientUntestable } from "./client.ts";
import { viewAiSdkUntestable } from "./view_ai_sdk.ts";
import { viewAgUiUntestable } from "./view_ag_ui.ts";

/**
 * Requirement ID → why no automated check tests it, and how it is tested instead.
 *
 * @example
 * ```ts
 * import { UNTESTABLE } from "@agent-stream/agent-stream/conformance";
 *
 * for (const [id, reason] of Object.entries(UNTESTABLE)) console.log(id, reason);
 * ```
 */
export const UNTESTABLE: Readonly<Record<string, string>> = Object.freeze({
  ...overviewUntestable,
  ...logUntestable,
  ...httpUntestable,
  ...sseUntestable,
  ...websocketUntestable,
  ...discoveryUntestable,
  ...errorsUntestable,
  ...envelopeUntestable,
  ...eventsUntestable,
  ...projectionUntestable,
  ...versioningUntestable,
  ...clientUntestable,
  ...viewAiSdkUntestable,
  ...viewAgUiUntestable,
});
