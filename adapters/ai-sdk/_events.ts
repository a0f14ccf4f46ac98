// What a stream message is to the view: an event of the vocabulary that
// satisfies its schema, an envelope of a type the vocabulary does not
// define, or neither (spec/v1/projection.md §1, steps 1 to 3).

import * as v from "valibot";
import { type Envelope, EnvelopeSchema } from "../../src/protocol/envelope.ts";
import {
  STANDARD_EVENT_DEFINITIONS,
  type StandardEvent,
} from "../../src/vocabulary/standard_events.ts";

/** A stream message, classified. */
export type ClassifiedEvent =
  | { readonly kind: "standard"; readonly event: StandardEvent }
  | { readonly kind: "unknown"; readonly event: Envelope }
  | { readonly kind: "invalid" };

const SCHEMAS: ReadonlyMap<string, v.GenericSchema<StandardEvent>> = new Map(
  STANDARD_EVENT_DEFINITIONS.map((definition) => [definition.type, definition.schema]),
);

/** Classifies one stream message (a parsed JSON value). */
export function classifyEvent(value: unknown): ClassifiedEvent {
  if (!v.is(EnvelopeSchema, value)) return { kind: "invalid" };
  const schema = SCHEMAS.get(value.type);
  if (schema === undefined) return { kind: "unknown", event: value };
  return v.is(schema, value) ? { kind: "standard", event: value } : { kind: "invalid" };
}
