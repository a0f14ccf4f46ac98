// log.md §6: a closed stream refuses appends but keeps its messages; a close
// carrying messages happens whole or not at all; closing again succeeds.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { arrayBody } from "./_log_json.ts";
import { engineRequirements, type OpMix, runModel } from "./_log_engine.ts";
import {
  createJsonStream,
  expectRefusal,
  flag,
  getAt,
  nextOffset,
  post,
  readAll,
} from "./_log_http.ts";

const CLOSING: OpMix = {
  weights: { create: 1, append: 4, close: 3, read: 4, head: 1 },
  producers: true,
};

type HowClosed = "close-only" | "close-batch" | "create-closed" | "producer-close";

const PRODUCER = { "Producer-Id": "closer", "Producer-Epoch": "0", "Producer-Seq": "0" };

/** Creates a stream of `initial` messages and closes it `how`; returns the URL and its messages. */
async function closedStream(
  t: CheckContext,
  requirement: string,
  initial: number,
  how: HowClosed,
): Promise<{ url: string; content: string[] }> {
  const content = Array.from({ length: initial }, (_, i) => `{"i":${i}}`);
  const body = initial > 0 ? arrayBody(content) : undefined;
  if (how === "create-closed") {
    return { url: await createJsonStream(t, requirement, { body, closed: true }), content };
  }
  const url = await createJsonStream(t, requirement, { body });
  const last = how === "close-only" ? undefined : '{"last":true}';
  const headers: Record<string, string> = { "Stream-Closed": "true" };
  if (how === "producer-close") Object.assign(headers, PRODUCER);
  t.expectStatus(requirement, await post(t, url, last, headers), [200, 204]);
  if (last !== undefined) content.push(last);
  return { url, content };
}

const fcHow = fc.constantFrom<HowClosed>(
  "close-only",
  "close-batch",
  "create-closed",
  "producer-close",
);

/** Checks of log.md §6 (closing). */
export const logClosingChecks: readonly Check[] = [
  defineCheck({
    id: "log.close.model",
    title:
      "random appends, closes (with and without messages and producers) and reads behave as the log model",
    section: "log.md §6",
    requirements: engineRequirements(CLOSING),
    async run(t) {
      await runModel(t, CLOSING);
    },
  }),
  defineCheck({
    id: "log.close.refuses-appends",
    title:
      "a closed stream refuses every append with stream-closed, except a retry of the producer request that closed it, and keeps its messages readable",
    section: "log.md §6",
    requirements: ["LOG-CLOSE-1", "LOG-CLOSE-4"],
    async run(t) {
      const producers = t.features.has("idempotent-producer");
      const attempts: fc.Arbitrary<Record<string, string>>[] = [
        fc.constant({}),
        fc.constant({ "Content-Type": "application/json; charset=utf-8" }),
      ];
      if (producers) {
        attempts.push(
          fc.constant({ "Producer-Id": "other", "Producer-Epoch": "0", "Producer-Seq": "0" }),
        );
        attempts.push(fc.constant({ ...PRODUCER, "Producer-Seq": "1" }));
      }
      if (t.features.has("stream-seq")) attempts.push(fc.constant({ "Stream-Seq": "zzzz" }));
      await t.property(
        fc.tuple(
          fc.nat(3),
          producers ? fcHow : fcHow.filter((h) => h !== "producer-close"),
          fc.array(fc.tuple(fc.oneof(...attempts), fc.boolean()), { minLength: 1, maxLength: 4 }),
        ),
        async ([initial, how, tries], run) => {
          const { url, content } = await closedStream(run, "LOG-CLOSE-1", initial, how);
          for (const [headers, batch] of tries) {
            const reply = await post(run, url, batch ? "[5,6]" : "7", headers);
            expectRefusal(run, "LOG-CLOSE-1", reply, "stream-closed");
          }
          if (how === "producer-close") {
            const retry = await post(run, url, '{"last":true}', {
              "Stream-Closed": "true",
              ...PRODUCER,
            });
            run.expectStatus("LOG-CLOSE-1", retry, [200, 204]);
            run.expectEqual(
              "LOG-CLOSE-1",
              nextOffset(run, retry),
              content.length,
              "tail after the retry",
            );
          }
          run.expectEqual(
            "LOG-CLOSE-4",
            await readAll(run, "LOG-CLOSE-4", url),
            content,
            "messages of the closed stream",
          );
          const last = await getAt(run, url, "-1");
          run.expect(
            "LOG-CLOSE-4",
            flag(last, "stream-closed"),
            "the read of the whole stream does not report the end",
          );
        },
      );
    },
  }),
  defineCheck({
    id: "log.close.atomic",
    title:
      "a close carrying messages that is refused neither appends nor closes; one accepted does both",
    section: "log.md §6",
    requirements: ["LOG-CLOSE-2"],
    async run(t) {
      const ways: string[] = ["invalid-json", "oversized"];
      if (t.features.has("idempotent-producer")) ways.push("producer-gap");
      if (t.features.has("stream-seq")) ways.push("stream-seq");
      const max = t.discovery.limits?.maxMessageBytes ?? 1_000_000;
      await t.property(
        fc.tuple(
          fc.nat(3),
          fc.array(fc.constantFrom(...ways), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 3 }),
        ),
        async ([initial, refusals, size], run) => {
          const content = Array.from({ length: initial + 2 }, (_, i) => `{"i":${i}}`);
          const url = await createJsonStream(run, "LOG-CLOSE-2", {
            body: arrayBody(content.slice(0, 1)),
          });
          const seq = { "Stream-Seq": "m" };
          const ordered = ways.includes("stream-seq") ? seq : {};
          const rest = await post(run, url, arrayBody(content.slice(1)), ordered);
          run.expectStatus("LOG-CLOSE-2", rest, [200, 204]);
          const close = { "Stream-Closed": "true" };
          for (const way of refusals) {
            const reply = way === "invalid-json"
              ? await post(run, url, '[1,{"a":]', close)
              : way === "oversized"
              ? await post(run, url, `[1,"${"x".repeat(max + 1)}"]`, close)
              : way === "producer-gap"
              ? await post(run, url, "[1]", {
                ...close,
                "Producer-Id": "gap",
                "Producer-Epoch": "0",
                "Producer-Seq": "3",
              })
              : await post(run, url, "[1]", { ...close, "Stream-Seq": "a" });
            run.expect(
              "LOG-CLOSE-2",
              reply.status >= 400,
              `a close refused for ${way} answered ${reply.status}`,
            );
            const read = await getAt(run, url, "-1");
            run.expect(
              "LOG-CLOSE-2",
              !flag(read, "stream-closed"),
              `a close refused for ${way} closed the stream`,
            );
            run.expectEqual(
              "LOG-CLOSE-2",
              nextOffset(run, read, "LOG-CLOSE-2"),
              content.length,
              `tail after a close refused for ${way}`,
            );
          }
          const batch = Array.from({ length: size }, (_, i) => `{"final":${i}}`);
          const closing = await post(run, url, arrayBody(batch), {
            ...close,
            ...(ways.includes("stream-seq") ? { "Stream-Seq": "z" } : {}),
          });
          run.expectStatus("LOG-CLOSE-2", closing, [200, 204]);
          run.expectEqual(
            "LOG-CLOSE-2",
            nextOffset(run, closing, "LOG-CLOSE-2"),
            content.length + size,
            "tail after the close",
          );
          const read = await getAt(run, url, "-1");
          run.expectEqual("LOG-CLOSE-2", await readAll(run, "LOG-CLOSE-2", url), [
            ...content,
            ...batch,
          ], "messages after the close");
          run.expect(
            "LOG-CLOSE-2",
            flag(read, "stream-closed"),
            "the close with messages did not close the stream",
          );
        },
      );
    },
  }),
  defineCheck({
    id: "log.close.idempotent",
    title: "closing an already closed stream without messages succeeds and changes nothing",
    section: "log.md §6",
    requirements: ["LOG-CLOSE-3"],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.nat(3),
          fcHow.filter((h) => h !== "producer-close"),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
        ),
        async ([initial, how, typed], run) => {
          const { url, content } = await closedStream(run, "LOG-CLOSE-3", initial, how);
          for (const withType of typed) {
            const reply = await run.http.request("POST", url, {
              headers: {
                "Stream-Closed": "true",
                ...(withType ? { "Content-Type": "application/json" } : {}),
              },
            });
            run.expectStatus("LOG-CLOSE-3", reply, [200, 204]);
            run.expectEqual(
              "LOG-CLOSE-3",
              nextOffset(run, reply, "LOG-CLOSE-3"),
              content.length,
              "tail after closing again",
            );
          }
          run.expectEqual(
            "LOG-CLOSE-3",
            await readAll(run, "LOG-CLOSE-3", url),
            content,
            "messages after closing again",
          );
        },
        { numRuns: 5 },
      );
    },
  }),
];
