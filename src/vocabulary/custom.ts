// Custom and data events: application values by name.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { identifier } from "./_fields.ts";

/**
 * `custom.event`: an application value by name. Unless `transient`, it is part of the conversation as a data message.
 *
 * @example
 * ```ts
 * import type { CustomEventEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: CustomEventEvent = { type: "custom.event", name: "weather-card", value: {city: "Oslo", celsius: 4} };
 * ```
 */
export interface CustomEventEvent extends EnvelopeMembers {
  /** The event type. */
  type: "custom.event";
  /** What the value is, e.g. `"weather-card"`. */
  name: string;
  /** The value. */
  value?: unknown;
  /** When true, the value is for live readers only and not part of the conversation. */
  transient?: boolean;
  /** Identifies the data message; a later event with the same `dataId` replaces its value. */
  dataId?: string;
}

/**
 * The definition of `custom.event`.
 *
 * @example
 * ```ts
 * import { CustomEvent } from "@agent-stream/agent-stream/vocabulary";
 * console.log(CustomEvent.type); // "custom.event"
 * ```
 */
export const CustomEvent: EventDefinition<CustomEventEvent> = defineEvent("custom.event", {
  name: v.string(),
  value: v.optional(v.unknown()),
  transient: v.optional(v.boolean()),
  dataId: v.optional(identifier()),
});
