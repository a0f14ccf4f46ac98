import * as v from "valibot";
import { boundedString, jsonObject, pattern } from "./_common.ts";
import { type Timestamp, TimestampSchema } from "./timestamp.ts";

/**
 * One message of an agent stream: a flat JSON object whose `type` names the
 * event. Members other than the five below belong to the event type and are
 * carried untouched.
 *
 * @example
 * ```ts
 * import type { Envelope } from "@agent-stream/agent-stream/protocol";
 * const event: Envelope = {
 *   type: "text.delta",
 *   id: "evt_19",
 *   runId: "run_4",
 *   delta: "Hel",
 * };
 * ```
 */
export interface Envelope {
  /** Namespaced event type, e.g. `"text.delta"` or `"com.acme.deploy.started"`. */
  type: string;
  /** Producer-chosen identifier of the event, 1 to 256 characters. */
  id?: string;
  /** When the event happened. */
  time?: Timestamp;
  /** The run the event belongs to, 1 to 256 characters. */
  runId?: string;
  /** Free-form annotations the protocol never interprets. */
  meta?: Record<string, unknown>;
  /** Members defined by the event type, or unknown to this version. */
  [member: string]: unknown;
}

/**
 * The regular expression for an envelope `type`: two or more dot-separated
 * segments, each a lower-case letter followed by `a-z 0-9 _ -`.
 *
 * @example
 * ```ts
 * import { ENVELOPE_TYPE_PATTERN } from "@agent-stream/agent-stream/protocol";
 * ENVELOPE_TYPE_PATTERN.test("tool.call.started"); // true
 * ENVELOPE_TYPE_PATTERN.test("started"); // false: no namespace
 * ```
 */
export const ENVELOPE_TYPE_PATTERN: RegExp = pattern(
  String.raw`^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$`,
);

/**
 * Namespaces (first `type` segment) reserved to the specification.
 *
 * @example
 * ```ts
 * import { RESERVED_NAMESPACES } from "@agent-stream/agent-stream/protocol";
 * RESERVED_NAMESPACES.includes("text"); // true
 * ```
 */
export const RESERVED_NAMESPACES: readonly string[] = Object.freeze([
  "run",
  "step",
  "text",
  "reasoning",
  "tool",
  "state",
  "messages",
  "usage",
  "custom",
  "raw",
  "task",
  "agent",
  "llm",
]);

/**
 * Valibot schema of an {@linkcode Envelope} (JSON Schema
 * `envelope.schema.json`). Unknown members are allowed.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EnvelopeSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(EnvelopeSchema, { type: "run.started", runId: "r1" }); // true
 * v.is(EnvelopeSchema, { type: "Run" }); // false
 * ```
 */
export const EnvelopeSchema: v.GenericSchema<Envelope> = jsonObject({
  type: v.pipe(
    boundedString(3, 128),
    v.regex(
      ENVELOPE_TYPE_PATTERN,
      'Expected a namespaced type such as "text.delta"',
    ),
  ),
  id: v.optional(boundedString(1, 256)),
  time: v.optional(TimestampSchema),
  runId: v.optional(boundedString(1, 256)),
  meta: v.optional(jsonObject({})),
});
