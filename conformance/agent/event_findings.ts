/**
 * What a producer's events break, event by event: the envelope
 * (envelope.md §1, §2), each type's schema (`EVT-SHAPE-1`), and the
 * lifecycle rules of events.md as the reference tracker checks them. The
 * events suite reports these findings by requirement.
 *
 * @module
 */

import { EnvelopeSchema, RESERVED_NAMESPACES } from "../../src/protocol/envelope.ts";
import { validate } from "../../src/protocol/validate.ts";
import { checkLifecycle } from "../../src/vocabulary/lifecycle.ts";
import { standardEvents } from "../../src/vocabulary/standard_events.ts";
import type { ProducedEvent } from "./event_source.ts";
import type { EventFinding } from "./events_context.ts";

/**
 * Every finding of a list of events, in event order: for each event its
 * envelope and schema findings, then the lifecycle findings (an event the
 * lifecycle rules refuse is left out of the bookkeeping, as a consumer
 * leaves it out, so one mistake is reported once).
 *
 * @example
 * ```ts
 * import { eventsOfValues, findEventViolations } from "@agent-stream/agent-stream/conformance";
 * const findings = findEventViolations(eventsOfValues([
 *   { type: "run.started", runId: "r1" },
 *   { type: "run.started", runId: "r2" },
 * ]));
 * console.log(findings.map((f) => f.requirement)); // ["EVT-RUN-2"]
 * ```
 */
export function findEventViolations(events: readonly ProducedEvent[]): EventFinding[] {
  const findings: EventFinding[] = [];
  const ids = new Map<string, number>();
  for (const produced of events) {
    const { index } = produced;
    if (produced.parseError !== undefined) {
      findings.push({
        index,
        requirement: "ENV-SHAPE-1",
        message: `not JSON: ${produced.parseError}`,
      });
      continue;
    }
    const value = produced.event;
    const envelope = validate(EnvelopeSchema, value);
    if (!envelope.ok) {
      for (const error of envelope.errors) {
        const shape = error.path === "" || error.path === "/type";
        findings.push({
          index,
          requirement: shape ? "ENV-SHAPE-1" : "ENV-SHAPE-2",
          message: `${error.path || "the event"}: ${error.message}`,
        });
      }
      continue;
    }
    const { type, id } = envelope.value;
    if (id !== undefined) {
      const first = ids.get(id);
      if (first !== undefined) {
        findings.push({
          index,
          requirement: "ENV-SHAPE-3",
          message: `the id ${JSON.stringify(id)} is the id of event #${first} too`,
        });
      } else ids.set(id, index);
    }
    if (!standardEvents.has(type) && RESERVED_NAMESPACES.includes(type.split(".")[0])) {
      findings.push({
        index,
        requirement: "ENV-TYPE-1",
        message: `${type} is in the reserved namespace ${
          type.split(".")[0]
        }, and the vocabulary does not define it`,
      });
    }
  }
  // Schema failures (EVT-SHAPE-1), refusals and advisories, as a consumer
  // finds them; an event whose envelope is broken is reported for that alone.
  const broken = new Set(
    findings.filter((f) => f.requirement === "ENV-SHAPE-1" || f.requirement === "ENV-SHAPE-2").map((
      f,
    ) => f.index),
  );
  const values = events.map((e) => e.event);
  for (const finding of checkLifecycle(values)) {
    if (finding.requirement === "EVT-SHAPE-1" && broken.has(finding.index)) continue;
    findings.push({
      index: finding.index,
      requirement: finding.requirement,
      message: finding.message,
    });
  }
  return findings.sort((a, b) => a.index - b.index);
}
