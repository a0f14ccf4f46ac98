// view-ag-ui.md §4.1: every AG-UI event is one Server-Sent Event with one
// data line and the id of its group.

import { type Check, defineCheck } from "../../check.ts";
import { validEventSequence } from "../../agent/event_sequences.ts";
import { CHAT } from "./_scenario.ts";
import { agentStream, readView, referenceView, SEQUENCE_OPTIONS, viewPath } from "./_view.ts";

/** Checks of view-ag-ui.md §4.1 (events on the wire). */
export const viewAgUiWireChecks: readonly Check[] = [
  defineCheck({
    id: "view-ag-ui.wire.events",
    title:
      "GET and POST answer 200 text/event-stream, each AG-UI event one event with one data line and no event field",
    section: "view-ag-ui.md §4.1",
    requirements: ["VIEW-AGUI-SSE-1"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const count = referenceView(CHAT, path).length;
      const read = await readView(t, path, count);
      t.expectEqual("VIEW-AGUI-SSE-1", read.status, 200, "the status of GET");
      t.expectEqual("VIEW-AGUI-SSE-1", read.contentType, "text/event-stream", "the content type");
      t.expectEqual("VIEW-AGUI-SSE-1", read.events.length, count, "the events read");
      for (const [i, e] of read.events.entries()) {
        t.expectEqual("VIEW-AGUI-SSE-1", e.sse.event, "message", `the event field of event ${i}`);
        t.expect(
          "VIEW-AGUI-SSE-1",
          !e.sse.data.includes("\n") && typeof e.data === "object" && e.data !== null,
          `event ${i} is not one data line holding a JSON object: ${e.sse.data}`,
        );
      }
      const post = await t.http.request("POST", viewPath(path), {
        body: { json: { threadId: "t", runId: "x", messages: [] } },
      });
      t.expectEqual("VIEW-AGUI-SSE-1", post.status, 200, "the status of POST");
      t.expect(
        "VIEW-AGUI-SSE-1",
        post.headers.get("content-type") === "text/event-stream",
        `POST answers ${post.headers.get("content-type")}`,
      );
    },
  }),
  defineCheck({
    id: "view-ag-ui.wire.ids",
    title:
      "each event's id is the offset after its stream event when it ends its group, that event's offset otherwise",
    section: "view-ag-ui.md §4.1",
    requirements: ["VIEW-AGUI-SSE-2"],
    features: ["ag-ui"],
    async run(t) {
      const check = async (events: readonly unknown[], run: typeof t) => {
        const path = await agentStream(run, events);
        const expected = referenceView(events, path);
        const read = await readView(run, path, expected.length);
        run.expectEqual(
          "VIEW-AGUI-SSE-2",
          read.events.map((e) => e.id),
          expected.map((e) => e.id),
          "the ids of the events",
        );
        run.expect(
          "VIEW-AGUI-SSE-2",
          read.events.every((e) => e.sse.hasId),
          "an event has no id field",
        );
      };
      await check(CHAT, t);
      await t.property(validEventSequence(SEQUENCE_OPTIONS), check, { numRuns: 6 });
    },
  }),
];
