// http.md §8: catch-up reads with GET.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import {
  appendJson,
  type Batch,
  expectCatchUp,
  fcBatch,
  fcHeaderText,
  flag,
  messagesOf,
  offset16,
  offsetOf,
} from "./_support.ts";

/** A stream made of `batches`, closed or not; returns its URL and messages. */
async function buildStream(
  t: CheckContext,
  batches: readonly Batch[],
  close: boolean,
  requirement: string,
): Promise<{ url: string; messages: string[] }> {
  const url = await t.createStream(undefined, { requirement });
  const messages: string[] = [];
  for (const batch of batches) {
    t.expectStatus(requirement, await appendJson(t, url, JSON.parse(batch.body)), [200, 204]);
    messages.push(...batch.messages);
  }
  if (close) await t.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
  return { url, messages };
}

/** Checks of http.md §8 (catch-up read). */
export const httpReadChecks: readonly Check[] = [
  defineCheck({
    id: "http.read.catch-up",
    title:
      "a catch-up read returns the messages from the offset, at most limit, with the next offset, up-to-date and closure",
    section: "http.md §8",
    requirements: ["HTTP-READ-1", "HTTP-READ-2", "HTTP-READ-3", "HTTP-READ-4"],
    async run(t) {
      await t.property(
        fc.record({
          batches: fc.array(fcBatch(6), { maxLength: 5 }),
          close: fc.boolean(),
          reads: fc.array(
            fc.record({
              at: fc.nat(),
              limit: fc.option(fc.integer({ min: 1, max: 8 })),
              form: fc.constantFrom("digits", "sentinel", "omitted"),
            }),
            { minLength: 1, maxLength: 4 },
          ),
        }),
        async ({ batches, close, reads }, run) => {
          const { url, messages } = await buildStream(run, batches, close, "HTTP-READ-1");
          for (const { at, limit, form } of reads) {
            const offset = form === "digits" ? at % (messages.length + 1) : 0;
            const query: Record<string, string> = {};
            if (form === "digits") query.offset = offset16(offset);
            if (form === "sentinel") query.offset = "-1";
            if (limit !== null) query.limit = String(limit);
            const search = new URLSearchParams(query).toString();
            const reply = await run.http.request("GET", search ? `${url}?${search}` : url);
            expectCatchUp(run, reply, messages, close, offset, limit ?? undefined);
          }
        },
        { numRuns: 15 },
      );
    },
  }),
  defineCheck({
    id: "http.read.limit-ceiling",
    title: "a limit above maxReadMessages is lowered to it, not refused",
    section: "http.md §8",
    requirements: ["HTTP-READ-5"],
    async run(t) {
      const { maxReadMessages, maxBodyBytes } = t.discovery.limits;
      const count = maxReadMessages + 3;
      if (count * 4 > maxBodyBytes || count > 5000) {
        t.skip(`maxReadMessages ${maxReadMessages} needs too many messages to reach`);
      }
      const url = await t.createStream();
      await appendJson(t, url, Array.from({ length: count }, (_, i) => i % 100));
      for (const limit of [String(count), String(maxReadMessages * 10), "9".repeat(30)]) {
        const reply = await t.http.request("GET", `${url}?offset=-1&limit=${limit}`);
        t.expectStatus("HTTP-READ-5", reply, 200);
        const got = messagesOf(reply) ?? [];
        t.expect(
          "HTTP-READ-5",
          got.length >= 1 && got.length <= maxReadMessages,
          `${got.length} messages for limit=${
            limit.slice(0, 12)
          }, maxReadMessages ${maxReadMessages}`,
        );
      }
    },
  }),
  defineCheck({
    id: "http.read.bad-limit",
    title: "a limit that is not a decimal integer of at least 1 answers 400 invalid-parameter",
    section: "http.md §8",
    requirements: ["HTTP-READ-5"],
    async run(t) {
      const url = await t.createStream();
      await appendJson(t, url, [1, 2]);
      await t.property(
        fc.oneof(
          fc.constantFrom("0", "00", "-1", "1.5", "abc", "", "1e2", "+1", "0x10", " 1", "\uff11"),
          fcHeaderText(8).filter((s) => !/^[0-9]+$/.test(s)),
        ),
        async (limit, run) => {
          const reply = await run.http.request(
            "GET",
            `${url}?offset=-1&limit=${encodeURIComponent(limit)}`,
          );
          run.expectProblem("HTTP-READ-5", reply, 400, "invalid-parameter");
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.read.bad-offset",
    title: "an offset that is neither -1, now nor 16 digits answers 400 invalid-offset",
    section: "http.md §8",
    requirements: ["LOG-OFFSET-3"],
    async run(t) {
      const url = await t.createStream();
      await appendJson(t, url, [1, 2]);
      await t.property(
        fc.record({
          offset: fc.oneof(
            fc.constantFrom(
              "1",
              "-2",
              "NOW",
              "Now",
              "0000000000000000_0000000000000000",
              "00000000000000001",
              "000000000000001",
              "0000000000000001x",
              "abc",
              "+000000000000001",
              "\uff10".repeat(16),
            ),
            fc.stringMatching(/^[0-9]{1,15}$/),
            fc.stringMatching(/^[0-9]{17,24}$/),
            fcHeaderText(20).filter((s) => s.length > 0),
          ).filter((o) => !/^[0-9]{16}$/.test(o) && o !== "-1" && o !== "now"),
          live: fc.constantFrom(...(t.features.has("long-poll") ? [false, true] : [false])),
        }),
        async ({ offset, live }, run) => {
          const query = `offset=${encodeURIComponent(offset)}${live ? "&live=long-poll" : ""}`;
          const reply = await run.http.request("GET", `${url}?${query}`);
          run.expectProblem("LOG-OFFSET-3", reply, 400, "invalid-offset");
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.read.now",
    title: "offset=now answers an empty array with the tail and Stream-Up-To-Date: true",
    section: "http.md §8",
    requirements: ["HTTP-READ-6"],
    async run(t) {
      await t.property(
        fc.record({ batches: fc.array(fcBatch(), { maxLength: 3 }), close: fc.boolean() }),
        async ({ batches, close }, run) => {
          const { url, messages } = await buildStream(run, batches, close, "HTTP-READ-6");
          const reply = await run.http.request("GET", `${url}?offset=now`);
          run.expectStatus("HTTP-READ-6", reply, 200);
          run.expectEqual("HTTP-READ-6", messagesOf(reply), [], "body");
          run.expectEqual("HTTP-READ-6", offsetOf(reply), messages.length, "Stream-Next-Offset");
          run.expect("HTTP-READ-6", flag(reply, "stream-up-to-date"), "no Stream-Up-To-Date");
        },
        { numRuns: 6 },
      );
    },
  }),
  defineCheck({
    id: "http.read.bad-live",
    title: "an unknown value of live answers 400 invalid-parameter",
    section: "http.md §8",
    requirements: ["HTTP-READ-7"],
    async run(t) {
      const url = await t.createStream();
      await t.property(
        fc.oneof(
          fc.constantFrom("", "LONG-POLL", "longpoll", "long_poll", "SSE", "ws", "true", "1"),
          fc.stringMatching(/^[a-z-]{1,12}$/),
        ).filter((v) => v !== "long-poll" && v !== "sse"),
        async (live, run) => {
          const reply = await run.http.request(
            "GET",
            `${url}?offset=-1&live=${encodeURIComponent(live)}`,
          );
          run.expectProblem("HTTP-READ-7", reply, 400, "invalid-parameter");
        },
        { numRuns: 8 },
      );
    },
  }),
  defineCheck({
    id: "http.read.etag",
    title:
      "reads carry an ETag that changes with the body or the closure, and a matching If-None-Match answers 304 without a body",
    section: "http.md §8",
    requirements: ["HTTP-READ-8"],
    async run(t) {
      // The case a stale cache would get wrong: the body stays, the closure signal changes.
      const url = await t.createStream();
      await appendJson(t, url, [1, 2]);
      const open = await t.http.request("GET", `${url}?offset=-1`);
      const etag = open.headers.get("etag");
      t.expect("HTTP-READ-8", etag, "no ETag on a catch-up read");
      const same = await t.http.request("GET", `${url}?offset=-1`, {
        headers: { "If-None-Match": etag! },
      });
      t.expectStatus("HTTP-READ-8", same, 304);
      t.expectEqual("HTTP-READ-8", same.text, "", "body of the 304");
      await t.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
      const closed = await t.http.request("GET", `${url}?offset=-1`, {
        headers: { "If-None-Match": etag! },
      });
      t.expectStatus("HTTP-READ-8", closed, 200);
      t.expect("HTTP-READ-8", closed.headers.get("etag") !== etag, "ETag kept across the close");

      await t.property(
        fc.array(
          fc.oneof(
            fcBatch(3).map((batch) => ({ op: "append" as const, batch })),
            fc.record({ op: fc.constant("read" as const), at: fc.nat(3), limit: fc.nat(2) }),
            fc.constant({ op: "close" as const }),
          ),
          { minLength: 2, maxLength: 10 },
        ),
        async (ops, run) => {
          const url = await run.createStream();
          const seen = new Map<string, { etag: string; text: string; closed: boolean }>();
          let tail = 0;
          let isClosed = false;
          for (const op of ops) {
            if (op.op === "append" && !isClosed) {
              await appendJson(run, url, JSON.parse(op.batch.body));
              tail += op.batch.messages.length;
            } else if (op.op === "close") {
              await run.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
              isClosed = true;
            } else if (op.op === "read") {
              const query = `offset=${offset16(Math.min(op.at, tail))}` +
                (op.limit > 0 ? `&limit=${op.limit}` : "");
              const now = await run.http.request("GET", `${url}?${query}`);
              run.expectStatus("HTTP-READ-8", now, 200);
              const etag = now.headers.get("etag");
              run.expect("HTTP-READ-8", etag, "no ETag on a catch-up read");
              const current = { etag: etag!, text: now.text, closed: flag(now, "stream-closed") };
              const before = seen.get(query);
              seen.set(query, current);
              if (!before) continue;
              const changed = before.text !== current.text || before.closed !== current.closed;
              if (changed) {
                run.expect("HTTP-READ-8", before.etag !== current.etag, "ETag kept for a change");
              }
              const conditional = await run.http.request("GET", `${url}?${query}`, {
                headers: { "If-None-Match": before.etag },
              });
              if (before.etag === current.etag) {
                run.expectStatus("HTTP-READ-8", conditional, 304);
                run.expectEqual("HTTP-READ-8", conditional.text, "", "body of the 304");
              } else {
                run.expectStatus("HTTP-READ-8", conditional, 200);
              }
            }
          }
        },
        { numRuns: 10 },
      );
    },
  }),
];
