// http.md §9: long-poll reads.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import {
  appendJson,
  expectCatchUp,
  fcBatch,
  flag,
  longPollTimeoutMs,
  messagesOf,
  offset16,
  offsetOf,
} from "./_support.ts";

// How long a check lets a long-poll wait before it appends, closes or deletes.
const SETTLE_MS = 100;

const AS_POLL = {
  read: "HTTP-POLL-1",
  upToDate: "HTTP-POLL-1",
  closed: "HTTP-POLL-1",
  limit: "HTTP-POLL-1",
};

/** A long-poll started now; resolves with the reply and how long it took. */
function longPoll(
  t: CheckContext,
  url: string,
  query: string,
): Promise<{ reply: HttpReply; ms: number }> {
  const started = Date.now();
  return t.http.request("GET", `${url}?${query}&live=long-poll`, {
    timeoutMs: longPollTimeoutMs(t) + t.timeoutMs,
  }).then((reply) => ({ reply, ms: Date.now() - started }));
}

/** Skips when the long-poll timeout leaves no room to act during the wait. */
function needsRoom(t: CheckContext): number {
  const timeout = longPollTimeoutMs(t);
  if (timeout < 3 * SETTLE_MS) t.skip(`the long-poll timeout ${timeout} ms is too short to act`);
  return timeout;
}

/** Whether cursor `b` is greater than `a`: as integers when both are, else as strings. */
function cursorAfter(b: string, a: string): boolean {
  if (/^[0-9]+$/.test(a) && /^[0-9]+$/.test(b)) return BigInt(b) > BigInt(a);
  return b > a;
}

/** Checks of http.md §9 (long-poll). */
export const httpLongPollChecks: readonly Check[] = [
  defineCheck({
    id: "http.long-poll.data-at-once",
    title:
      "a long-poll at an offset with messages answers at once, as a catch-up read, with a cursor",
    section: "http.md §9",
    requirements: ["HTTP-POLL-1", "HTTP-POLL-4"],
    features: ["long-poll"],
    async run(t) {
      const timeout = longPollTimeoutMs(t);
      await t.property(
        fc.record({
          batches: fc.array(fcBatch(4), { minLength: 1, maxLength: 3 }),
          at: fc.nat(),
          limit: fc.option(fc.integer({ min: 1, max: 5 })),
          close: fc.boolean(),
        }),
        async ({ batches, at, limit, close }, run) => {
          const url = await run.createStream(undefined, { requirement: "HTTP-POLL-1" });
          const model: string[] = [];
          for (const batch of batches) {
            await appendJson(run, url, JSON.parse(batch.body));
            model.push(...batch.messages);
          }
          if (close) await run.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
          const offset = at % model.length;
          const query = `offset=${offset16(offset)}${limit === null ? "" : `&limit=${limit}`}`;
          const { reply, ms } = await longPoll(run, url, query);
          run.expect("HTTP-POLL-1", ms < timeout, `answered after ${ms} ms, the timeout`);
          expectCatchUp(run, reply, model, close, offset, limit ?? undefined, AS_POLL);
          const reachesClosedTail = close && offsetOf(reply) === model.length;
          if (!reachesClosedTail) {
            run.expect("HTTP-POLL-4", reply.headers.get("stream-cursor"), "no Stream-Cursor");
          }
        },
        { numRuns: 8 },
      );
    },
  }),
  defineCheck({
    id: "http.long-poll.wakes",
    title: "a waiting long-poll answers 200 with the messages as soon as they are appended",
    section: "http.md §9",
    requirements: ["HTTP-POLL-2", "HTTP-POLL-4"],
    features: ["long-poll"],
    async run(t) {
      const timeout = needsRoom(t);
      await t.property(
        fc.record({ before: fc.nat(3), batch: fcBatch(4) }),
        async ({ before, batch }, run) => {
          const url = await run.createStream(undefined, { requirement: "HTTP-POLL-2" });
          if (before > 0) await appendJson(run, url, Array.from({ length: before }, (_, i) => i));
          const waiting = longPoll(run, url, `offset=${offset16(before)}`);
          await run.sleep(SETTLE_MS);
          await appendJson(run, url, JSON.parse(batch.body));
          const { reply, ms } = await waiting;
          run.expectStatus("HTTP-POLL-2", reply, 200);
          run.expect("HTTP-POLL-2", ms < timeout, `answered after ${ms} ms, at the timeout`);
          const got = messagesOf(reply) ?? [];
          run.expect("HTTP-POLL-2", got.length >= 1, "no message in the answer");
          run.expectEqual("HTTP-POLL-2", got, batch.messages.slice(0, got.length), "messages");
          run.expectEqual("HTTP-POLL-2", offsetOf(reply), before + got.length, "next offset");
          run.expect("HTTP-POLL-4", reply.headers.get("stream-cursor"), "no Stream-Cursor");
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "http.long-poll.timeout",
    title:
      "a long-poll that times out answers 204 with the tail, Stream-Up-To-Date and a cursor, without a body",
    section: "http.md §9",
    requirements: ["HTTP-POLL-2", "HTTP-POLL-4"],
    features: ["long-poll"],
    async run(t) {
      const timeout = longPollTimeoutMs(t);
      t.needsWait(timeout, "the long-poll timeout");
      const url = await t.createStream(undefined, { requirement: "HTTP-POLL-2" });
      await appendJson(t, url, [1, 2]);
      for (const query of [`offset=${offset16(2)}`, "offset=now"]) {
        const { reply } = await longPoll(t, url, query);
        t.expectStatus("HTTP-POLL-2", reply, 204);
        t.expectEqual("HTTP-POLL-2", reply.text, "", "body of the 204");
        t.expectEqual("HTTP-POLL-2", offsetOf(reply), 2, "Stream-Next-Offset");
        t.expect("HTTP-POLL-2", flag(reply, "stream-up-to-date"), "no Stream-Up-To-Date: true");
        t.expect("HTTP-POLL-4", reply.headers.get("stream-cursor"), "no Stream-Cursor");
      }
    },
  }),
  defineCheck({
    id: "http.long-poll.closed",
    title:
      "a long-poll at the tail of a closed stream answers 204 with Stream-Closed at once, also when the close comes during the wait",
    section: "http.md §9",
    requirements: ["HTTP-POLL-3"],
    features: ["long-poll"],
    async run(t) {
      const timeout = needsRoom(t);
      for (const during of [false, true]) {
        const url = await t.createStream(undefined, { requirement: "HTTP-POLL-3" });
        await appendJson(t, url, [1, 2, 3]);
        const close = () => t.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
        if (!during) await close();
        const waiting = longPoll(t, url, `offset=${offset16(3)}`);
        if (during) {
          await t.sleep(SETTLE_MS);
          await close();
        }
        const { reply, ms } = await waiting;
        t.expectStatus("HTTP-POLL-3", reply, 204);
        t.expect("HTTP-POLL-3", ms < timeout, `answered after ${ms} ms, at the timeout`);
        t.expect("HTTP-POLL-3", flag(reply, "stream-closed"), "no Stream-Closed: true");
        t.expect("HTTP-POLL-3", flag(reply, "stream-up-to-date"), "no Stream-Up-To-Date: true");
        t.expectEqual("HTTP-POLL-3", offsetOf(reply), 3, "Stream-Next-Offset");
      }
    },
  }),
  defineCheck({
    id: "http.long-poll.cursor",
    title: "each long-poll answer carries a Stream-Cursor greater than the cursor of its request",
    section: "http.md §9",
    requirements: ["HTTP-POLL-4"],
    features: ["long-poll"],
    async run(t) {
      const url = await t.createStream(undefined, { requirement: "HTTP-POLL-4" });
      await appendJson(t, url, [1]);
      const first = (await longPoll(t, url, "offset=-1")).reply;
      let cursor = first.headers.get("stream-cursor");
      t.expect("HTTP-POLL-4", cursor, "no Stream-Cursor");
      await t.property(
        fc.constantFrom("echo", "ahead", "far-ahead"),
        async (how, run) => {
          let sent = cursor!;
          if (how !== "echo" && /^[0-9]+$/.test(sent)) {
            sent = String(BigInt(sent) + (how === "ahead" ? 1n : 1_000_000n));
          }
          const { reply } = await longPoll(
            run,
            url,
            `offset=-1&cursor=${encodeURIComponent(sent)}`,
          );
          const next = reply.headers.get("stream-cursor");
          run.expect("HTTP-POLL-4", next, "no Stream-Cursor");
          run.expect("HTTP-POLL-4", cursorAfter(next!, sent), `cursor ${next} after ${sent}`, {
            expected: `> ${sent}`,
            actual: next,
          });
          cursor = next;
        },
        { numRuns: 6 },
      );
    },
  }),
  defineCheck({
    id: "http.long-poll.now",
    title: "a long-poll at offset=now waits for the first message appended after it",
    section: "http.md §9",
    requirements: ["HTTP-POLL-5"],
    features: ["long-poll"],
    async run(t) {
      needsRoom(t);
      const url = await t.createStream(undefined, { requirement: "HTTP-POLL-5" });
      await appendJson(t, url, ["old", "older"]);
      const waiting = longPoll(t, url, "offset=now");
      await t.sleep(SETTLE_MS);
      await appendJson(t, url, ["new"]);
      const { reply } = await waiting;
      t.expectStatus("HTTP-POLL-5", reply, 200);
      t.expectEqual("HTTP-POLL-5", messagesOf(reply), ['"new"'], "messages");
      t.expectEqual("HTTP-POLL-5", offsetOf(reply), 3, "Stream-Next-Offset");
    },
  }),
  defineCheck({
    id: "http.long-poll.deleted",
    title: "a waiting long-poll ends with 404 stream-not-found when the stream is deleted",
    section: "http.md §9",
    requirements: ["HTTP-POLL-6"],
    features: ["long-poll"],
    async run(t) {
      needsRoom(t);
      const url = await t.createStream(undefined, { requirement: "HTTP-POLL-6" });
      const waiting = longPoll(t, url, "offset=-1");
      await t.sleep(SETTLE_MS);
      t.expectStatus("HTTP-POLL-6", await t.http.request("DELETE", url), 204);
      const { reply } = await waiting;
      t.expectProblem("HTTP-POLL-6", reply, 404, "stream-not-found");
    },
  }),
  defineCheck({
    id: "http.long-poll.no-offset",
    title: "a long-poll without an offset answers 400 invalid-offset",
    section: "http.md §9",
    requirements: ["HTTP-POLL-7"],
    features: ["long-poll"],
    async run(t) {
      const url = await t.createStream(undefined, { requirement: "HTTP-POLL-7" });
      await appendJson(t, url, [1]);
      await t.property(
        fc.record({
          cursor: fc.option(fc.nat()),
          limit: fc.option(fc.integer({ min: 1, max: 9 })),
        }),
        async ({ cursor, limit }, run) => {
          const query = ["live=long-poll"];
          if (cursor !== null) query.push(`cursor=${cursor}`);
          if (limit !== null) query.push(`limit=${limit}`);
          const reply = await run.http.request("GET", `${url}?${query.join("&")}`);
          run.expectProblem("HTTP-POLL-7", reply, 400, "invalid-offset");
        },
        { numRuns: 4 },
      );
    },
  }),
];
