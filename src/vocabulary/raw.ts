// Raw passthrough: an event of another system, carried unchanged.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";

/**
 * `raw.event`: an event of another system, carried unchanged.
 *
 * @example
 * ```ts
 * import type { RawEventEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: RawEventEvent = { type: "raw.event", event: {object: "chat.completion.chunk"}, source: "openai" };
 * ```
 */
export interface RawEventEvent extends EnvelopeMembers {
  /** The event type. */
  type: "raw.event";
  /** The foreign event. */
  event: unknown;
  /** Where it came from, e.g. `"openai"`. */
  source?: string;
}

/**
 * The definition of `raw.event`.
 *
 * @example
 * ```ts
 * import { RawEvent } from "@agent-stream/agent-stream/vocabulary";
 * console.log(RawEvent.type); // "raw.event"
 * ```
 */
export const RawEvent: EventDefinition<RawEventEvent> = defineEvent("raw.event", {
  event: v.unknown(),
  source: v.optional(v.string()),
});
