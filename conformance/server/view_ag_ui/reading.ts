// view-ag-ui.md §4.2: GET reads the view from the start or from
// Last-Event-ID, and stays open for what is appended later.

import { type Check, defineCheck } from "../../check.ts";
import { formatOffset } from "../../../src/protocol/offset.ts";
import { CHAT } from "./_scenario.ts";
import { agentStream, appendEvents, readView, referenceView, viewPath } from "./_view.ts";

const LATER = [
  { type: "text.message", messageId: "u9", role: "user", content: "Bye" },
  { type: "run.started", runId: "r9" },
  { type: "text.message", runId: "r9", messageId: "a9", role: "assistant", content: "Bye" },
  { type: "run.finished", runId: "r9", outcome: "success" },
];

/** Checks of view-ag-ui.md §4.2 (reading). */
export const viewAgUiReadChecks: readonly Check[] = [
  defineCheck({
    id: "view-ag-ui.get.live",
    title:
      "GET writes the view from offset 0, then the events appended later, and ends once the closed stream is written",
    section: "view-ag-ui.md §4.2",
    requirements: ["VIEW-AGUI-GET-1"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const all = [...CHAT, ...LATER];
      const expected = referenceView(all, path).map((e) => e.event);
      const sse = await t.http.openSse(viewPath(path));
      try {
        t.expectEqual("VIEW-AGUI-GET-1", sse.status, 200, "the status");
        const events: unknown[] = [];
        const take = async (count: number) => {
          const items = await sse.collect((item) => {
            if (item.kind === "event") events.push(JSON.parse(item.data));
            return events.length >= count;
          }, t.timeoutMs);
          return items.at(-1)?.kind;
        };
        const before = referenceView(CHAT, path).length;
        await take(before);
        t.expectEqual(
          "VIEW-AGUI-GET-1",
          events,
          expected.slice(0, before),
          "the view of the stream",
        );
        await appendEvents(t, path, LATER);
        await take(expected.length);
        t.expectEqual("VIEW-AGUI-GET-1", events, expected, "the view after the later events");
        const close = await t.http.request("POST", t.streamUrl(path), {
          headers: { "Stream-Closed": "true" },
        });
        if (close.status >= 300) throw new Error(`setup: closing answered ${close.status}`);
        const last = await take(expected.length + 1);
        t.expectEqual("VIEW-AGUI-GET-1", last, "end", "how the response goes on after the close");
      } finally {
        await sse.close();
      }
    },
  }),
  defineCheck({
    id: "view-ag-ui.get.resume",
    title:
      "GET with Last-Event-ID writes what follows that event; a bad id is refused, and the tail of a closed stream answers 204",
    section: "view-ag-ui.md §4.2",
    requirements: ["VIEW-AGUI-GET-2"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const expected = referenceView(CHAT, path);
      // Resume after each event that ends a group.
      for (const [i, { id, last }] of expected.entries()) {
        if (!last || (i % 3 !== 0 && i !== expected.length - 1)) continue;
        const rest = expected.slice(i + 1).map((e) => e.event);
        const read = await readView(t, path, rest.length, {
          headers: { "Last-Event-ID": id },
          waitMs: rest.length === 0 ? 300 : t.timeoutMs,
        });
        t.expectEqual(
          "VIEW-AGUI-GET-2",
          read.events.map((e) => e.data),
          rest,
          `the events after Last-Event-ID ${id}`,
        );
      }
      const bad = await t.http.request("GET", viewPath(path), {
        headers: { "Last-Event-ID": "seven" },
      });
      t.expectProblem("VIEW-AGUI-GET-2", bad, 400, "invalid-offset");
      const beyond = await t.http.request("GET", viewPath(path), {
        headers: { "Last-Event-ID": formatOffset(CHAT.length + 5) },
      });
      t.expectProblem("VIEW-AGUI-GET-2", beyond, 400, "offset-out-of-range");
      const close = await t.http.request("POST", t.streamUrl(path), {
        headers: { "Stream-Closed": "true" },
      });
      if (close.status >= 300) throw new Error(`setup: closing answered ${close.status}`);
      const done = await t.http.request("GET", viewPath(path), {
        headers: { "Last-Event-ID": formatOffset(CHAT.length) },
      });
      t.expectStatus("VIEW-AGUI-GET-2", done, 204);
    },
  }),
];
