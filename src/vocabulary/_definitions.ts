// Lookup of the vocabulary's definitions by type, and one schema for any
// event of an agent stream: the type's definition for a type of the
// vocabulary, the envelope alone for any other (spec/v1/schemas/events.schema.json).
import * as v from "valibot";
import type { EventDefinition } from "../events/mod.ts";
import { EnvelopeSchema } from "../protocol/envelope.ts";
import { isJsonObject } from "../protocol/_common.ts";
import { STANDARD_EVENT_DEFINITIONS, type StandardEvent } from "./standard_events.ts";

const BY_TYPE: ReadonlyMap<string, EventDefinition<StandardEvent>> = new Map(
  STANDARD_EVENT_DEFINITIONS.map((definition) => [definition.type, definition]),
);

/** The definition of a type of the vocabulary, or `undefined` for any other type. */
export function definitionOf(type: unknown): EventDefinition<StandardEvent> | undefined {
  return typeof type === "string" ? BY_TYPE.get(type) : undefined;
}

/** Accepts exactly what `events.schema.json` accepts. */
export const anyEventSchema: v.GenericSchema<unknown> = v.lazy((input) =>
  (isJsonObject(input) ? definitionOf(input.type)?.schema : undefined) ?? EnvelopeSchema
);
