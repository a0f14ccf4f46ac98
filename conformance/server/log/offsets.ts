// log.md §3: dense, 16-digit offsets; the sentinels -1 and now; refusal of
// malformed offsets and of offsets beyond the tail.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { arrayBody, splitJsonArray } from "./_log_json.ts";
import {
  checkRead,
  createJsonStream,
  expectRefusal,
  getAt,
  headTail,
  nextOffset,
  offsetText,
  post,
} from "./_log_http.ts";

const fcBatches = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 5 });

function numbered(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `{"i":${from + i}}`);
}

/** Checks of log.md §3 (offsets). */
export const logOffsetsChecks: readonly Check[] = [
  defineCheck({
    id: "log.offset.minted",
    title:
      "every offset a server mints (create, append, read, HEAD) is 16 digits counting the messages before it",
    section: "log.md §3",
    requirements: ["LOG-OFFSET-1"],
    async run(t) {
      await t.property(
        fc.tuple(fc.nat(4), fcBatches, fc.integer({ min: 1, max: 4 })),
        async ([initial, batches, limit], run) => {
          const url = run.streamUrl(run.stream());
          const created = await run.http.request("PUT", url, {
            headers: { "Content-Type": "application/json" },
            body: initial > 0 ? arrayBody(numbered(0, initial)) : undefined,
          });
          run.expectStatus("LOG-OFFSET-1", created, 201);
          run.expectEqual("LOG-OFFSET-1", nextOffset(run, created), initial, "tail on create");
          let tail = initial;
          for (const size of batches) {
            const reply = await post(run, url, arrayBody(numbered(tail, size)));
            tail += size;
            run.expectEqual("LOG-OFFSET-1", nextOffset(run, reply), tail, "tail on append");
          }
          run.expectEqual("LOG-OFFSET-1", await headTail(run, "LOG-OFFSET-1", url), tail, "HEAD");
          for (let offset = 0; offset < tail; offset += limit) {
            const read = await getAt(run, url, offsetText(offset), limit);
            const next = Math.min(tail, offset + limit);
            run.expectEqual("LOG-OFFSET-1", nextOffset(run, read), next, `read from ${offset}`);
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.offset.sentinels",
    title: "-1 reads from the start and now from the tail, in catch-up, long-poll and SSE reads",
    section: "log.md §3",
    requirements: ["LOG-OFFSET-2"],
    async run(t) {
      await t.property(fc.integer({ min: 1, max: 6 }), async (count, run) => {
        const content = numbered(0, count);
        const url = await createJsonStream(run, "LOG-OFFSET-2", { body: arrayBody(content) });
        for (const requested of ["-1", "now"]) {
          checkRead(run, await getAt(run, url, requested), {
            content,
            closed: false,
            requested,
            formatId: "LOG-OFFSET-2",
          });
        }
        if (run.features.has("long-poll")) {
          const poll = await run.http.request("GET", `${url}?offset=-1&live=long-poll`);
          run.expectStatus("LOG-OFFSET-2", poll, 200);
          run.expectEqual(
            "LOG-OFFSET-2",
            splitJsonArray(poll.text)?.[0],
            content[0],
            "long-poll from -1",
          );
        }
        if (run.features.has("sse")) {
          const sse = await run.http.openSse(`${url}?offset=-1&live=sse`);
          const items = await sse.collect((i) => i.kind === "event" && i.event === "data", 2_000);
          await sse.close();
          const data = items.find((i) => i.kind === "event" && i.event === "data");
          const first = data?.kind === "event" ? splitJsonArray(data.data)?.[0] : undefined;
          run.expectEqual("LOG-OFFSET-2", first, content[0], "first SSE message from -1");
          const live = await run.http.openSse(`${url}?offset=now&live=sse`);
          try {
            // The first control event says the reader is at the tail.
            await live.collect((i) => i.kind === "event" && i.event === "control", 2_000);
            await post(run, url, '{"i":"new"}');
            const next = await live.collect((i) => i.kind === "event" && i.event === "data", 2_000);
            const event = next.find((i) => i.kind === "event" && i.event === "data");
            const got = event?.kind === "event" ? splitJsonArray(event.data)?.[0] : undefined;
            run.expectEqual("LOG-OFFSET-2", got, '{"i":"new"}', "first SSE message from now");
          } finally {
            await live.close();
          }
        }
      }, { numRuns: 3 });
    },
  }),
  defineCheck({
    id: "log.offset.malformed",
    title: "an offset that is neither -1, now nor 16 digits is refused with invalid-offset",
    section: "log.md §3",
    requirements: ["LOG-OFFSET-3"],
    async run(t) {
      const url = await createJsonStream(t, "LOG-OFFSET-3", { body: "[1,2,3]" });
      await t.property(
        fc.array(fcMalformedOffset(), { minLength: 3, maxLength: 6 }),
        async (offsets, run) => {
          for (const offset of offsets) {
            const query = new URLSearchParams({ offset });
            expectRefusal(
              run,
              "LOG-OFFSET-3",
              await run.http.request("GET", `${url}?${query}`),
              "invalid-offset",
            );
            if (run.features.has("long-poll")) {
              query.set("live", "long-poll");
              const poll = await run.http.request("GET", `${url}?${query}`);
              expectRefusal(run, "LOG-OFFSET-3", poll, "invalid-offset");
            }
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.offset.beyond-tail",
    title: "a well-formed offset beyond the tail is refused with offset-out-of-range",
    section: "log.md §3",
    requirements: ["LOG-OFFSET-4"],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.nat(5),
          fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(Infinity), fc.integer({ min: 1 })),
        ),
        async ([count, beyond], run) => {
          const url = await createJsonStream(run, "LOG-OFFSET-4", {
            body: count > 0 ? arrayBody(numbered(0, count)) : undefined,
          });
          // The largest offset there is, as text: beyond any tail, and beyond 2^53.
          const offset = beyond === Infinity ? "9999999999999999" : offsetText(count + beyond);
          expectRefusal(run, "LOG-OFFSET-4", await getAt(run, url, offset), "offset-out-of-range");
          if (run.features.has("long-poll")) {
            const poll = await run.http.request("GET", `${url}?offset=${offset}&live=long-poll`);
            expectRefusal(run, "LOG-OFFSET-4", poll, "offset-out-of-range");
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.offset.stable",
    title:
      "the i-th message ever appended is read at offset i, after later appends, closing and forks",
    section: "log.md §3",
    requirements: ["LOG-OFFSET-5"],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
          fc.nat(),
        ),
        async ([batches, pick], run) => {
          const url = await createJsonStream(run, "LOG-OFFSET-5");
          const content: string[] = [];
          const probe = async (when: string) => {
            const i = pick % content.length;
            const read = await getAt(run, url, offsetText(i), 1);
            run.expectEqual(
              "LOG-OFFSET-5",
              splitJsonArray(read.text),
              [content[i]],
              `offset ${i} ${when}`,
            );
          };
          for (const size of batches) {
            const batch = numbered(content.length, size);
            const reply = await post(run, url, arrayBody(batch));
            run.expectStatus("LOG-OFFSET-5", reply, [200, 204]);
            content.push(...batch);
            await probe(`after appending ${content.length} messages`);
          }
          if (run.features.has("fork")) {
            const fork = run.streamUrl(run.stream("fork"));
            await run.http.request("PUT", fork, {
              headers: { "Stream-Forked-From": url.slice(run.streamUrl("").length) },
            });
            await post(run, fork, '{"fork":true}');
            await probe("after forking");
          }
          await post(run, url, undefined, { "Stream-Closed": "true" });
          for (let i = 0; i < content.length; i++) {
            const read = await getAt(run, url, offsetText(i), 1);
            run.expectEqual(
              "LOG-OFFSET-5",
              splitJsonArray(read.text),
              [content[i]],
              `offset ${i} after closing`,
            );
          }
        },
      );
    },
  }),
];

/** Offsets that are neither sentinels nor 16 digits. */
function fcMalformedOffset(): fc.Arbitrary<string> {
  const digits = (min: number, max: number) =>
    fc.integer({ min, max }).chain((n) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`)));
  return fc.oneof(
    digits(1, 15),
    digits(17, 20),
    fc.tuple(digits(16, 16), fc.nat(15), fc.constantFrom("a", " ", "-", "+", ".", "x", "\u0661"))
      .map(([d, i, c]) => d.slice(0, i) + c + d.slice(i + 1)),
    fc.constantFrom(
      "",
      "-2",
      "-0",
      "-1 ",
      " -1",
      "NOW",
      "Now",
      " now",
      "now()",
      "-01",
      "1e3",
      "0x000000000000001",
      "+000000000000001",
      "0000000000000001.0",
      "１２３４５６７８９０１２３４５６",
    ),
  );
}
