// Helpers of the AG-UI view's tests: a projection of valid sequences, the
// part of a stream the view delivers, an in-process AG-UI client, and a
// round trip of one mapping-table row.

import assert from "node:assert/strict";
import { AbstractAgent } from "@ag-ui/client";
import { EventSchema } from "@ag-ui/core/schemas";
import { Observable } from "rxjs";
import type { Conversation } from "../../src/conversation/conversation.ts";
import { projectConversation } from "../../src/conversation/mod.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";
import type { AgUiMessage } from "./ag_ui_messages.ts";
import { AgUiEventIngester, type IngestedEvent } from "./from_ag_ui_events.ts";
import { AgUiEventMapper } from "./to_ag_ui_events.ts";

type Event = { type: string; [key: string]: unknown };

/** The projection of a sequence of events. */
export function project(events: readonly unknown[]): Conversation {
  return projectConversation(events);
}

/** The events the view delivers of a sequence: all but those held after the last run. */
export function delivered<T extends Event>(events: readonly T[]): T[] {
  let active = false;
  let end = 0;
  events.forEach((event, i) => {
    if (event.type === "run.started") active = true;
    if (event.type === "run.finished" || event.type === "run.error") {
      active = false;
      end = i + 1;
    }
  });
  return active ? [...events] : events.slice(0, end);
}

class LocalAgent extends AbstractAgent {
  readonly #events: unknown[];
  constructor(events: unknown[], messages: AgUiMessage[], state: unknown) {
    super({ initialMessages: messages as never, initialState: state as never });
    this.#events = events;
  }
  run(): Observable<never> {
    return new Observable<never>((subscriber) => {
      for (const event of this.#events) subscriber.next(event as never);
      subscriber.complete();
    });
  }
}

/**
 * Runs AG-UI's own client pipeline (schema enforcement, verification, the
 * default reducer) over the events, in process; rejects what it refuses.
 */
export async function applyInClient(
  events: readonly AgUiEvent[],
  start: { messages?: AgUiMessage[]; state?: unknown } = {},
): Promise<{ messages: unknown; state: unknown }> {
  const agent = new LocalAgent(
    JSON.parse(JSON.stringify(events)),
    start.messages ?? [],
    start.state ?? {},
  );
  await agent.runAgent();
  return { messages: JSON.parse(JSON.stringify(agent.messages)), state: agent.state };
}

/** Fails unless AG-UI's event schema accepts every event. */
export function assertAgUiSchema(events: readonly AgUiEvent[]): void {
  for (const event of events) {
    const result = EventSchema.safeParse(event);
    assert.ok(result.success, `AG-UI refuses ${JSON.stringify(event)}: ${result.error}`);
  }
}

/** A case of a canonical-to-AG-UI row: context, the events of the row, and both expectations. */
export interface RowCase {
  /** Events before the row's (mapped, but not compared). */
  readonly prefix?: readonly Event[];
  /** The row's events. */
  readonly events: readonly Event[];
  /** The AG-UI events they map to. */
  readonly agui: readonly AgUiEvent[];
  /** What the AG-UI events read back as. */
  readonly back: readonly IngestedEvent[];
  /** The view's thread for runs without one; `"t"` by default. */
  readonly threadId?: string;
}

/** Maps the case's events and reads the result back, asserting both. */
export function assertRow(row: RowCase): void {
  const mapper = new AgUiEventMapper({ threadId: row.threadId ?? "t" });
  const ingester = new AgUiEventIngester();
  for (const event of row.prefix ?? []) {
    for (const out of mapper.push(event)) ingester.push(JSON.parse(JSON.stringify(out)));
  }
  const agui = row.events.flatMap((event) => mapper.push(event));
  assert.deepEqual(agui, row.agui);
  assertAgUiSchema(agui);
  const back = [
    ...agui.flatMap((event) => ingester.push(JSON.parse(JSON.stringify(event)))),
    ...ingester.end(),
  ];
  assert.deepEqual(back, row.back);
}

/** A case of an AG-UI-to-canonical row. */
export interface InRowCase {
  /** AG-UI events before the row's; the start of run `r1` of thread `t` by default. */
  readonly prefix?: readonly AgUiEvent[];
  /** The row's AG-UI events. */
  readonly events: readonly AgUiEvent[];
  /** The agent-stream events they read as (those of `end()` included). */
  readonly canonical: readonly IngestedEvent[];
  /** What the view writes for `canonical`. */
  readonly again: readonly AgUiEvent[];
}

/** Reads the case's AG-UI events and maps what they read as back, asserting both. */
export function assertRoundTrip(row: InRowCase): void {
  const ingester = new AgUiEventIngester();
  const mapper = new AgUiEventMapper({ threadId: "t" });
  const prefix = row.prefix ?? [{ type: "RUN_STARTED", threadId: "t", runId: "r1" }];
  for (const event of prefix) {
    for (const read of ingester.push(event)) mapper.push(read);
  }
  const canonical = [...row.events.flatMap((event) => ingester.push(event)), ...ingester.end()];
  assert.deepEqual(canonical, row.canonical);
  const again = canonical.flatMap((event) => mapper.push(event));
  assert.deepEqual(again, row.again);
  assertAgUiSchema(again);
}
