// sse.md §4: closure and deletion end the event stream.

import { formatOffset } from "../../../src/protocol/offset.ts";
import { type Check, defineCheck } from "../../check.ts";
import { LiveReader, liveWaitMs, READ_IDS } from "./_live_reader.ts";
import { appendTo, batch, freshStream } from "./_stream_model.ts";

const AGAIN = { via: "offset" } as const;

/** Checks of sse.md §4 (end of stream). */
export const sseEndOfStreamChecks: readonly Check[] = [
  defineCheck({
    id: "sse.close.live",
    title:
      "closing a stream a reader follows sends a control event with streamClosed: true, then ends the response",
    section: "sse.md §4",
    requirements: [...READ_IDS, "SSE-CLOSE-1"],
    features: ["sse"],
    async run(t) {
      // A close with a final batch, a close alone, and a stream closed before the read.
      for (const final of [2, 0, -1]) {
        const model = await freshStream(t);
        await appendTo(t, model, batch(0, 3), { close: final < 0 });
        const reader = new LiveReader(t, model, liveWaitMs(t));
        try {
          await reader.start({ query: "-1", offset: 0 });
          await reader.catchUp(AGAIN);
          if (final >= 0) {
            await appendTo(t, model, batch(3, final), { close: true });
            await reader.catchUp(AGAIN);
          }
          t.expect("SSE-CLOSE-1", reader.finished, "the reader was not told the stream closed");
        } finally {
          await reader.close();
        }
      }
    },
  }),
  defineCheck({
    id: "sse.close.at-final-tail",
    title:
      "a read at the final tail of a closed stream answers one control event with streamClosed and upToDate, then ends",
    section: "sse.md §4",
    requirements: [...READ_IDS, "SSE-CLOSE-2"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 2), { close: true });
      const empty = await freshStream(t, "empty");
      await appendTo(t, empty, [], { close: true });
      const starts = [
        { model, query: formatOffset(2), offset: 2 },
        { model, query: "now", offset: 2 },
        { model: empty, query: "-1", offset: 0 },
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
    id: "sse.close.deleted",
    title: "deleting a stream ends the SSE responses that follow it",
    section: "sse.md §4",
    requirements: [...READ_IDS, "SSE-CLOSE-3"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 2));
      const reader = new LiveReader(t, model, liveWaitMs(t));
      try {
        await reader.start({ query: "-1", offset: 0 });
        await reader.catchUp(AGAIN);
        const reply = await t.http.request("DELETE", model.url);
        if (reply.status !== 204) t.skip(`DELETE answered ${reply.status}, so nothing was deleted`);
        const deadline = Date.now() + liveWaitMs(t);
        while (reader.live) {
          const item = await reader.step(Math.max(0, deadline - Date.now()));
          t.expect(
            "SSE-CLOSE-3",
            item.kind !== "timeout",
            `the response was still open ${liveWaitMs(t)} ms after the stream was deleted`,
          );
        }
      } finally {
        await reader.close();
      }
    },
  }),
];
