// The implementation of EventsCheckContext: the events and their findings
// are shared by every check of a run; a failure's transcript shows the
// events around the offending one.

import { Transcript } from "../transcript.ts";
import { CheckSkipped, Violation } from "../violation.ts";
import { describePlace, type ProducedEvent } from "./event_source.ts";
import type { EventFinding, EventsCheckContext } from "./events_context.ts";

/** Events shown before and after the offending one. */
const AROUND = 3;

export class EventsRunContext implements EventsCheckContext {
  readonly transcript: Transcript = new Transcript();
  readonly source: string;
  readonly events: readonly ProducedEvent[];
  readonly findings: readonly EventFinding[];

  constructor(source: string, events: readonly ProducedEvent[], findings: readonly EventFinding[]) {
    this.source = source;
    this.events = events;
    this.findings = findings;
  }

  expectNoFinding(requirements: readonly string[]): void {
    const mine = this.findings.filter((f) => requirements.includes(f.requirement));
    if (mine.length === 0) return;
    const first = mine[0];
    const event = this.events[first.index];
    const from = Math.max(0, first.index - AROUND);
    const to = Math.min(this.events.length, first.index + AROUND + 1);
    this.note(`${this.events.length} events from ${this.source}; events #${from} to #${to - 1}:`);
    for (const around of this.events.slice(from, to)) {
      const mark = around.index === first.index ? "<< " : "";
      this.transcript.add(
        "events",
        "<",
        `${mark}${describePlace(around)}: ${
          around.parseError !== undefined ? "(not JSON)" : JSON.stringify(around.event)
        }`,
      );
    }
    const more = mine.length > 1
      ? ` (and ${mine.length - 1} more: ${
        mine.slice(1, 6).map((f) => `#${f.index} ${f.requirement}`).join(", ")
      }${mine.length > 6 ? ", …" : ""})`
      : "";
    throw new Violation(
      first.requirement,
      `${describePlace(event)}: ${first.message}${more}`,
    );
  }

  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }

  note(text: string): void {
    this.transcript.note(text);
  }

  dispose(): void {}
}
