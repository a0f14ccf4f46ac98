// log.md §4: appends flatten one array level, report the new tail, refuse
// empty bodies, store each batch whole and contiguously, and serialise
// concurrent writers.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { arrayBody, messagesOfBody, splitJsonArray } from "./_log_json.ts";
import {
  concurrentAppends,
  createJsonStream,
  getAt,
  headTail,
  nextOffset,
  offsetText,
  post,
  readAll,
} from "./_log_http.ts";

const fcMessage = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));

/** A body: an array (its elements are the messages) or any other value (one message). */
const fcBody = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(fcMessage, { minLength: 1, maxLength: 5 }).map((m) => arrayBody(m)),
  },
  {
    weight: 1,
    arbitrary: fcMessage.filter((m) => !m.startsWith("[")),
  },
  {
    weight: 1,
    arbitrary: fc.array(fc.array(fcMessage, { maxLength: 3 }).map((m) => arrayBody(m, "")), {
      minLength: 1,
      maxLength: 3,
    }).map((m) => arrayBody(m)),
  },
);

/** Checks of log.md §4 (appending). */
export const logAppendingChecks: readonly Check[] = [
  defineCheck({
    id: "log.append.flatten",
    title:
      "an array body appends its elements in order, nested arrays as single messages; any other body appends itself; the answer names the new tail",
    section: "log.md §4",
    requirements: ["LOG-APPEND-2", "LOG-APPEND-5", "LOG-OFFSET-1"],
    async run(t) {
      await t.property(fc.array(fcBody, { minLength: 1, maxLength: 5 }), async (bodies, run) => {
        const url = await createJsonStream(run, "LOG-APPEND-5");
        let tail = 0;
        for (const body of bodies) {
          const expected = messagesOfBody(body);
          const reply = await post(run, url, body);
          run.expectStatus("LOG-APPEND-5", reply, [200, 204]);
          run.expectEqual(
            "LOG-APPEND-5",
            nextOffset(run, reply),
            tail + expected.length,
            "new tail",
          );
          const read = await getAt(run, url, offsetText(tail), expected.length);
          run.expectEqual(
            "LOG-APPEND-2",
            splitJsonArray(read.text),
            expected,
            `messages of ${body}`,
          );
          tail += expected.length;
        }
      });
    },
  }),
  defineCheck({
    id: "log.append.empty",
    title: "an empty array, or an empty body without a close, is refused with empty-append",
    section: "log.md §4",
    requirements: ["LOG-APPEND-3"],
    async run(t) {
      await t.property(
        fc.array(fc.constantFrom("[]", "[ ]", " [\n] ", "\t[]\r\n", ""), {
          minLength: 1,
          maxLength: 4,
        }),
        async (bodies, run) => {
          const url = await createJsonStream(run, "LOG-APPEND-3", { body: "[1]" });
          for (const body of bodies) {
            const reply = await post(run, url, body === "" ? undefined : body);
            run.expectProblem("LOG-APPEND-3", reply, 400, "empty-append");
          }
          run.expectEqual("LOG-APPEND-3", await headTail(run, "LOG-APPEND-3", url), 1, "tail");
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "log.append.refused-batch",
    title: "a batch refused for one oversized message stores none of its messages",
    section: "log.md §4",
    requirements: ["LOG-APPEND-1"],
    async run(t) {
      const max = t.discovery.limits?.maxMessageBytes;
      if (typeof max !== "number") t.skip("the discovery document states no maxMessageBytes");
      if (max > 1_000_000) t.skip(`maxMessageBytes is ${max}; an oversized message costs too much`);
      await t.property(
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.nat()),
        async ([size, pick], run) => {
          const url = await createJsonStream(run, "LOG-APPEND-1", { body: "[0]" });
          const batch = Array.from({ length: size }, (_, i) => `{"i":${i + 1}}`);
          batch.splice(pick % (size + 1), 0, `"${"x".repeat(max + 1)}"`);
          const reply = await post(run, url, arrayBody(batch));
          run.expect(
            "LOG-APPEND-1",
            reply.status >= 400,
            `a batch with an oversized message answered ${reply.status}`,
          );
          run.expectEqual(
            "LOG-APPEND-1",
            await readAll(run, "LOG-APPEND-1", url),
            ["0"],
            "stream after the refusal",
          );
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "log.append.concurrent",
    title:
      "concurrent batch appends to one stream: dense offsets, no loss, each batch contiguous at its reported tail, never seen in part",
    section: "log.md §4",
    requirements: [
      "LOG-APPEND-1",
      "LOG-APPEND-6",
      "LOG-OFFSET-1",
      "LOG-READ-1",
      "LOG-READ-2",
      "LOG-MSG-1",
      "LOG-MSG-2",
    ],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.nat(5),
          fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 6 }), {
            minLength: 1,
            maxLength: 3,
          }),
        ),
        async ([initial, rounds], run) => {
          const content = Array.from({ length: initial }, (_, i) => `{"init":${i}}`);
          const url = await createJsonStream(run, "LOG-APPEND-6", {
            body: initial > 0 ? arrayBody(content) : undefined,
          });
          for (const [r, sizes] of rounds.entries()) {
            const batches = sizes.map((size, w) =>
              Array.from({ length: size }, (_, i) => `{"r":${r},"w":${w},"i":${i}}`)
            );
            await concurrentAppends(run, url, content, batches);
          }
        },
      );
    },
  }),
];
