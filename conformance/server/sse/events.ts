// sse.md §1: the events of a live read.

import fc from "fast-check";
import { formatOffset } from "../../../src/protocol/offset.ts";
import { type Check, defineCheck } from "../../check.ts";
import { LiveReader, liveWaitMs, READ_IDS } from "./_live_reader.ts";
import { appendTo, batch, freshStream } from "./_stream_model.ts";

const AGAIN = { via: "offset" } as const;

/** Checks of sse.md §1 (events). */
export const sseEventsChecks: readonly Check[] = [
  defineCheck({
    id: "sse.events.data-and-control",
    title:
      "a live read sends the messages from the requested offset as data events, each followed by a control event",
    section: "sse.md §1",
    requirements: READ_IDS,
    features: ["sse"],
    async run(t) {
      await t.property(
        fc.record({
          before: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
          start: fc.nat(),
          after: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
        }),
        async ({ before, start, after }, run) => {
          const model = await freshStream(run);
          for (const size of before) {
            await appendTo(run, model, batch(model.messages.length, size), { single: size === 1 });
          }
          const reader = new LiveReader(run, model, liveWaitMs(run));
          const from = start % (model.messages.length + 1);
          try {
            await reader.start({ query: formatOffset(from), offset: from });
            await reader.catchUp(AGAIN);
            for (const size of after) {
              await appendTo(run, model, batch(model.messages.length, size), {
                single: size === 1,
              });
              await reader.catchUp(AGAIN);
            }
          } finally {
            await reader.close();
          }
        },
        { numRuns: 5 },
      );
    },
  }),
  defineCheck({
    id: "sse.events.up-to-date-at-tail",
    title:
      "a live read that starts at the tail gets a control event with upToDate: true at once, with nothing to send",
    section: "sse.md §1",
    requirements: READ_IDS,
    features: ["sse"],
    async run(t) {
      const empty = await freshStream(t, "empty");
      const full = await freshStream(t, "full");
      await appendTo(t, full, batch(0, 3));
      const starts = [
        { model: empty, query: "-1", offset: 0 },
        { model: empty, query: "now", offset: 0 },
        { model: full, query: "now", offset: 3 },
        { model: full, query: formatOffset(3), offset: 3 },
      ];
      for (const { model, query, offset } of starts) {
        const reader = new LiveReader(t, model, liveWaitMs(t));
        try {
          await reader.start({ query, offset });
          await reader.catchUp(AGAIN);
        } finally {
          await reader.close();
        }
      }
    },
  }),
  defineCheck({
    id: "sse.events.up-to-date-only-at-tail",
    title: "control events say upToDate: true only once the reader has every message of the tail",
    section: "sse.md §1",
    requirements: READ_IDS,
    features: ["sse"],
    async run(t) {
      // More messages than one read returns, so a server that splits them
      // into several events has control events before the tail.
      const count = Math.min((t.discovery.limits?.maxReadMessages ?? 100) + 20, 1000);
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, count));
      const reader = new LiveReader(t, model, liveWaitMs(t));
      try {
        await reader.start({ query: "-1", offset: 0 });
        await reader.catchUp(AGAIN);
      } finally {
        await reader.close();
      }
    },
  }),
  defineCheck({
    id: "sse.events.offset-required",
    title: "a live SSE read with neither offset nor Last-Event-ID answers 400 invalid-offset",
    section: "sse.md §1",
    requirements: ["SSE-EVENT-6"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 2));
      const sse = await t.http.openSse(`${model.url}?live=sse`);
      await sse.close();
      t.expectStatus("SSE-EVENT-6", sse, 400);
      const reply = await t.http.request("GET", `${model.url}?live=sse`, { timeoutMs: 2000 });
      t.expectProblem("SSE-EVENT-6", reply, 400, "invalid-offset");
    },
  }),
];
