// The event lists of the consumer checks: valid sequences of the families a
// check is about (validEventSequence with the rest turned off).

import type * as fc from "fast-check";
import type { Envelope } from "../../../src/protocol/envelope.ts";
import { type EventSequenceOptions, validEventSequence } from "../event_sequences.ts";

const NOTHING: EventSequenceOptions = {
  steps: false,
  reasoning: false,
  tools: false,
  state: false,
  messagesSnapshots: false,
  usage: false,
  custom: false,
  raw: false,
  unknownTypes: false,
  families: false,
  llm: false,
  userMessages: true,
  betweenRuns: false,
  interleave: false,
  crossRun: false,
  roles: false,
  envelope: false,
};

/** Valid sequences with only the listed parts of the vocabulary (and runs, text and user messages). */
export function sequencesOf(parts: EventSequenceOptions): fc.Arbitrary<Envelope[]> {
  return validEventSequence({ ...NOTHING, ...parts });
}

/** Valid sequences over the whole vocabulary. */
export function anySequence(): fc.Arbitrary<Envelope[]> {
  return validEventSequence();
}
