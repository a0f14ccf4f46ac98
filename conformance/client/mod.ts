/**
 * Every client check, chapter by chapter in spec order, section by section.
 *
 * @module
 */

import type { Check } from "../check.ts";
import type { ClientCheckContext } from "./client_context.ts";
import { discoveryBindingChecks } from "./discovery/bindings.ts";
import { discoveryCachingChecks } from "./discovery/caching.ts";
import { discoveryDocumentChecks } from "./discovery/document.ts";
import { discoveryFeatureChecks } from "./discovery/features.ts";
import { discoveryLimitChecks } from "./discovery/limits.ts";
import { envelopeShapeChecks } from "./envelope/envelope.ts";
import { envelopeUnknownChecks } from "./envelope/unknown.ts";
import { errorTypeChecks } from "./errors/problem_types.ts";
import { errorRetryAfterChecks } from "./errors/retry_after.ts";
import { errorRetryingChecks } from "./errors/retrying.ts";
import { sseHeartbeatChecks } from "./sse/heartbeat.ts";
import { sseResumeChecks } from "./sse/resume.ts";
import { versioningForwardChecks } from "./versioning/forward.ts";
import { wsAppendChecks } from "./websocket/appends.ts";
import { wsCloseChecks } from "./websocket/close.ts";
import { wsFlowChecks } from "./websocket/flow.ts";
import { wsFrameChecks } from "./websocket/frames.ts";
import { wsHandshakeChecks } from "./websocket/handshake.ts";
import { wsHeartbeatChecks } from "./websocket/heartbeat.ts";
import { wsHelloChecks } from "./websocket/hello.ts";
import { wsOverflowChecks } from "./websocket/overflow.ts";
import { wsResumeChecks } from "./websocket/resume.ts";
import { wsUnsubscribeChecks } from "./websocket/unsubscribe.ts";

/**
 * Every check of the client suite.
 *
 * @example
 * ```ts
 * import { CLIENT_CHECKS } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(CLIENT_CHECKS.filter((c) => c.requirements.includes("SSE-RESUME-4")).length > 0);
 * ```
 */
export const CLIENT_CHECKS: readonly Check<ClientCheckContext>[] = [
  ...sseResumeChecks,
  ...sseHeartbeatChecks,
  ...wsHandshakeChecks,
  ...wsFrameChecks,
  ...wsHelloChecks,
  ...wsUnsubscribeChecks,
  ...wsResumeChecks,
  ...wsFlowChecks,
  ...wsOverflowChecks,
  ...wsAppendChecks,
  ...wsHeartbeatChecks,
  ...wsCloseChecks,
  ...discoveryDocumentChecks,
  ...discoveryBindingChecks,
  ...discoveryFeatureChecks,
  ...discoveryLimitChecks,
  ...discoveryCachingChecks,
  ...errorTypeChecks,
  ...errorRetryAfterChecks,
  ...errorRetryingChecks,
  ...envelopeShapeChecks,
  ...envelopeUnknownChecks,
  ...versioningForwardChecks,
];
