// Properties of the AG-UI view over lifecycle-valid sequences of the whole
// vocabulary: AG-UI's own client accepts what the view writes and holds
// what the projection holds; the way back keeps the projection; a reader
// that joins late is brought to the same point.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BROKEN_EVENT_REQUIREMENTS,
  brokenEventSequence,
  validEventSequence,
} from "../../conformance/agent/event_sequences.ts";
import { applyInClient, assertAgUiSchema, delivered, project } from "./_ag_ui_test_support.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";
import { fromAgUiEvents } from "./from_ag_ui_events.ts";
import { checkLifecycle } from "../../src/vocabulary/lifecycle.ts";
import { AgUiEventMapper, toAgUiEvents } from "./to_ag_ui_events.ts";
import { toAgUiMessages } from "./to_ag_ui_messages.ts";

type Event = { type: string; [key: string]: unknown };

/** The events up to the end of the last run that ended. */
function endedRuns(events: Event[]): Event[] {
  const last = events.findLastIndex((e) => e.type === "run.finished" || e.type === "run.error");
  return events.slice(0, last + 1);
}

const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
const options = { numRuns: 150, seed };
console.log(`AG-UI view properties: seed ${seed} (set PROPERTY_SEED to repeat)`);

// The client warns about what it strips or ignores; the properties say what matters.
const quiet = <T>(run: () => Promise<T>): Promise<T> => {
  const warn = console.warn;
  console.warn = () => {};
  return run().finally(() => console.warn = warn);
};

test("VIEW-AGUI-RUN-2, VIEW-AGUI-MSG-1: AG-UI's client accepts the view and holds the projection", async () => {
  await quiet(() =>
    fc.assert(
      fc.asyncProperty(validEventSequence(), async (events) => {
        const out = [...toAgUiEvents(events)];
        assertAgUiSchema(out);
        const client = await applyInClient(out);
        const expected = project(delivered(events as Event[]));
        assert.deepEqual(client.messages, toAgUiMessages(expected));
        assert.deepEqual(client.state, expected.state);
      }),
      options,
    )
  );
});

test("VIEW-AGUI-RUN-1: nothing before the first RUN_STARTED or between runs", () => {
  fc.assert(
    fc.property(validEventSequence(), (events) => {
      let inRun = false;
      for (const event of toAgUiEvents(events)) {
        if (event.type === "RUN_STARTED") {
          assert.ok(!inRun, "RUN_STARTED inside a run");
          inRun = true;
        } else {
          assert.ok(inRun, `${event.type} outside a run`);
          if (event.type === "RUN_FINISHED" || event.type === "RUN_ERROR") inRun = false;
        }
      }
    }),
    options,
  );
});

test("VIEW-AGUI-IN-1: the view read back projects to the same messages, state and tokens", () => {
  fc.assert(
    fc.property(validEventSequence(), (events) => {
      const out = JSON.parse(JSON.stringify([...toAgUiEvents(events)]));
      const read = [...fromAgUiEvents(out)];
      const findings = checkLifecycle(read).filter((f) => f.level === "MUST");
      assert.deepEqual(findings, [], "what the view reads back breaks a lifecycle rule");
      const back = project(read);
      const expected = project(delivered(events as Event[]));
      assert.deepEqual(toAgUiMessages(back), toAgUiMessages(expected));
      assert.deepEqual(back.state, expected.state);
      // Usage is reported when a run ends: that of a run still going is not out yet.
      const ended = project(endedRuns(events as Event[]));
      assert.deepEqual({ ...back.usage, costUsd: 0 }, { ...ended.usage, costUsd: 0 });
    }),
    options,
  );
});

test("VIEW-AGUI-POST-2: a reader that joins with stale or no messages ends holding the projection", async () => {
  const arbitrary = validEventSequence().chain((events) =>
    fc.record({
      events: fc.constant(events),
      join: fc.nat({ max: events.length }),
      held: fc.nat({ max: events.length }),
    })
  );
  await quiet(() =>
    fc.assert(
      fc.asyncProperty(arbitrary, async ({ events, join, held }) => {
        const at = (k: number) => {
          const mapper = new AgUiEventMapper();
          events.slice(0, k).forEach((e, i) => mapper.push(e, i));
          return mapper;
        };
        // What a reader of an earlier point holds, or of nothing.
        const stale = at(Math.min(held, join));
        const start = held > join ? { messages: [], state: {} } : {
          messages: stale.messages,
          state: stale.state,
        };
        const mapper = at(join);
        const out: AgUiEvent[] = mapper.beginReader(start);
        events.slice(join).forEach((e, i) => out.push(...mapper.push(e, join + i)));
        if (!out.some((e) => e.type === "RUN_STARTED")) return;
        assertAgUiSchema(out);
        const client = await applyInClient(out, start);
        const expected = project(delivered(events as Event[]));
        assert.deepEqual(client.messages, toAgUiMessages(expected));
        assert.deepEqual(client.state, expected.state);
      }),
      { ...options, numRuns: 100 },
    )
  );
});

/** The events a reader has been given the effect of: up to where nothing waited, or all. */
function settledPrefix(events: readonly unknown[]): unknown[] {
  const mapper = new AgUiEventMapper();
  let end = 0;
  events.forEach((event, i) => {
    mapper.push(event, i);
    if (mapper.activeRunId !== undefined || !mapper.holding) end = i + 1;
  });
  return events.slice(0, end);
}

test("VIEW-AGUI-RUN-2, VIEW-AGUI-MSG-1: streams that break a lifecycle rule still read as the projection", async () => {
  const broken = fc.constantFrom(...BROKEN_EVENT_REQUIREMENTS).chain((requirement) =>
    brokenEventSequence(requirement)
  );
  await quiet(() =>
    fc.assert(
      fc.asyncProperty(broken, async (events) => {
        const out = [...toAgUiEvents(events)];
        assertAgUiSchema(out);
        const client = await applyInClient(out);
        const expected = project(settledPrefix(events));
        assert.deepEqual(client.messages, toAgUiMessages(expected));
        assert.deepEqual(client.state, expected.state);
      }),
      options,
    )
  );
});

test("the view never throws on values that are no events, and skips them", () => {
  fc.assert(
    fc.property(validEventSequence({ maxRuns: 2 }), fc.array(fc.anything()), (events, junk) => {
      const mixed: unknown[] = [...events];
      junk.forEach((value, i) => mixed.splice((i * 7) % (mixed.length + 1), 0, value));
      const out = [...toAgUiEvents(mixed)];
      assertAgUiSchema(out);
      // Junk takes offsets, so only the ids of data messages may differ.
      assert.deepEqual(out.map((e) => e.type), [...toAgUiEvents(events)].map((e) => e.type));
    }),
    options,
  );
});
