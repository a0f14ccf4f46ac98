// The reference a consumer is compared with: the projection of every prefix
// of a list of events (projection.md), and what the fold does with each
// event before its effect: skip it (not an envelope, unknown type, schema),
// refuse it (lifecycle), or admit it.

import { EnvelopeSchema } from "../../src/protocol/envelope.ts";
import { validate } from "../../src/protocol/validate.ts";
import { projectConversation } from "../../src/conversation/project_conversation.ts";
import { checkLifecycle } from "../../src/vocabulary/lifecycle.ts";
import { standardEvents } from "../../src/vocabulary/standard_events.ts";
import type { EventKind } from "./consumer/_blame.ts";

/** The reference fold of a list of events, computed as it is asked for. */
export interface ReferenceFold {
  /** The projection after the first `n` events, as JSON. */
  projection(n: number): unknown;
  /** What the fold does with the event at offset `i`. */
  kind(i: number): EventKind;
}

const encoder = new TextEncoder();

/** What the fold does with `value`, given whether the lifecycle rules refuse it. */
export function eventKind(value: unknown, refused: boolean): EventKind {
  const envelope = validate(EnvelopeSchema, value);
  if (!envelope.ok) return "invalid";
  if (!standardEvents.has(envelope.value.type)) return "unknown";
  try {
    standardEvents.decode(encoder.encode(JSON.stringify(value)));
  } catch {
    return "schema";
  }
  return refused ? "refused" : "admitted";
}

// The projection as JSON text parses it: what a consumer's answer is compared with.
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** The reference fold of `events`. */
export function referenceFold(events: readonly unknown[]): ReferenceFold {
  const projections = new Map<number, unknown>();
  let kinds: EventKind[] | undefined;
  return {
    projection(n) {
      if (!projections.has(n)) {
        projections.set(n, asJson(projectConversation(events.slice(0, n))));
      }
      return projections.get(n);
    },
    kind(i) {
      if (kinds === undefined) {
        const refused = new Set(
          checkLifecycle(events).filter((f) =>
            f.level === "MUST" && f.requirement !== "EVT-SHAPE-1"
          )
            .map((f) => f.index),
        );
        kinds = events.map((value, j) => eventKind(value, refused.has(j)));
      }
      return kinds[i];
    },
  };
}
