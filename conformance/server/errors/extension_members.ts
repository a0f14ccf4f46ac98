// errors.md §3: the extension members of problems.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { badRequestKind, forEachBadRequest } from "./_bad_requests.ts";
import { fcEnvelopeBatch, fcInvalidEnvelope, judgeEnvelopeErrors } from "./_envelopes.ts";
import { exceedPerStreamLimit } from "./_live_readers.ts";
import { catalogueSlug, problemOf, show } from "./_problems.ts";
import { offset16, seedStream, setupRequest } from "./_setup.ts";

const OFFSET_TYPES = ["offset-out-of-range", "stream-closed", "subscriber-overflow"];

async function appendOf(t: CheckContext, url: string, body: unknown): Promise<HttpReply> {
  return await t.http.request("POST", url, { body: { json: body } });
}

/** Checks of errors.md §3 (extension members). */
export const errorsExtensionMembersChecks: readonly Check[] = [
  defineCheck({
    id: "errors.members.envelope-pointers",
    title: "an invalid-envelope problem points into the body at each invalid message",
    section: "errors.md §3.1",
    requirements: ["ERR-EXT-1", "ERR-EXT-2"],
    features: ["agent"],
    async run(t) {
      await t.property(
        fc.oneof(
          fcEnvelopeBatch(),
          // A body that is not an array is one message (http.md §5).
          fcInvalidEnvelope().filter(({ value }) => !Array.isArray(value))
            .map(({ value }) => ({ messages: value, invalid: "whole" as const })),
        ),
        async ({ messages, invalid }, run) => {
          const s = await seedStream(run, { agent: true });
          const reply = await appendOf(run, s.url, messages);
          const problem = problemOf(reply);
          // Another type is the business of envelope.md's checks (ENV-AGENT-1).
          if (catalogueSlug(problem?.type) !== "invalid-envelope") return;
          judgeEnvelopeErrors(run, problem, messages, invalid, "append");
        },
      );
    },
  }),
  defineCheck({
    id: "errors.members.supported",
    title: "an unsupported-version problem lists the versions of the discovery document",
    section: "errors.md §3.2",
    requirements: ["ERR-EXT-3"],
    async run(t) {
      const k = badRequestKind("unsupported-version");
      await t.property(k.params(t), async (params, run) => {
        const { reply, what } = await k.send(run, params);
        const problem = reply ? problemOf(reply) : undefined;
        if (catalogueSlug(problem?.type) !== "unsupported-version") return;
        const supported = problem?.supported;
        run.expect(
          "ERR-EXT-3",
          Array.isArray(supported) &&
            [...supported].sort().join() === [...t.discovery.versions].sort().join(),
          `${what}: supported is ${show(supported)}, the discovery document lists ${
            show(t.discovery.versions)
          }`,
        );
      });
    },
  }),
  defineCheck({
    id: "errors.members.retry-after-ms",
    title: "a subscriber-limit problem carries retryAfterMs",
    section: "errors.md §3.3",
    requirements: ["ERR-EXT-4"],
    async run(t) {
      const readers = await exceedPerStreamLimit(t);
      try {
        const refusal = readers.refused?.reply;
        const problem = refusal ? problemOf(refusal) : undefined;
        if (catalogueSlug(problem?.type) !== "subscriber-limit") {
          t.skip("the server refused no live reader with subscriber-limit");
        }
        t.expect(
          "ERR-EXT-4",
          Number.isSafeInteger(problem!.retryAfterMs),
          `the subscriber-limit problem has retryAfterMs ${show(problem!.retryAfterMs)}`,
        );
      } finally {
        await readers.close();
      }
    },
  }),
  defineCheck({
    id: "errors.members.offset-beyond-tail",
    title: "an offset-out-of-range problem carries the stream's tail in offset",
    section: "errors.md §3.4",
    requirements: ["ERR-EXT-5"],
    async run(t) {
      const k = badRequestKind("read-beyond-tail");
      await t.property(k.params(t), async (params, run) => {
        const { reply, what } = await k.send(run, params);
        const problem = reply ? problemOf(reply) : undefined;
        if (catalogueSlug(problem?.type) !== "offset-out-of-range") return;
        run.expectEqual(
          "ERR-EXT-5",
          problem?.offset,
          offset16((params as { messages: number }).messages),
          `${what}: offset`,
        );
      });
    },
  }),
  defineCheck({
    id: "errors.members.closed-tail",
    title: "a stream-closed problem carries the final tail in offset",
    section: "errors.md §3.4",
    requirements: ["ERR-EXT-6"],
    async run(t) {
      await t.property(
        fc.record({ before: fc.nat(4), last: fc.nat(3) }),
        async ({ before, last }, run) => {
          const s = await seedStream(run, { messages: before });
          // A close that carries a final batch: the final tail counts it.
          await setupRequest(
            run,
            "POST",
            s.url,
            last > 0
              ? { headers: { "Stream-Closed": "true" }, body: { json: Array(last).fill(0) } }
              : { headers: { "Stream-Closed": "true" } },
            [200, 204],
            "closing the stream",
          );
          const reply = await appendOf(run, s.url, [1]);
          const problem = problemOf(reply);
          // Another type is the business of log.md's checks (LOG-CLOSE-1).
          if (catalogueSlug(problem?.type) !== "stream-closed") return;
          run.expectEqual("ERR-EXT-6", problem?.offset, offset16(before + last), "offset");
        },
      );
    },
  }),
  defineCheck({
    id: "errors.members.no-stray-offset",
    title: "problems of types without a meaning for offset carry none",
    section: "errors.md §3.4",
    requirements: ["ERR-EXT-7"],
    async run(t) {
      await forEachBadRequest(t, ({ what, reply }, run) => {
        const problem = reply && reply.status >= 400 ? problemOf(reply) : undefined;
        const slug = catalogueSlug(problem?.type);
        if (slug === undefined || OFFSET_TYPES.includes(slug)) return;
        run.expect(
          "ERR-EXT-7",
          problem?.offset === undefined,
          `${what}: the ${slug} problem carries offset ${show(problem?.offset)}`,
        );
      }, 1);
    },
  }),
  defineCheck({
    id: "errors.members.producer",
    title: "producer problems carry the producer's epoch, or the expected and received sequence",
    section: "errors.md §3.5",
    requirements: ["ERR-EXT-8", "ERR-EXT-9"],
    features: ["idempotent-producer"],
    async run(t) {
      await t.property(
        fc.record({
          epoch: fc.integer({ min: 1, max: 9 }),
          older: fc.nat(8),
          accepted: fc.nat(3),
          skip: fc.integer({ min: 2, max: 20 }),
        }),
        async ({ epoch, older, accepted, skip }, run) => {
          const s = await seedStream(run);
          const send = (e: number, seq: number) =>
            run.http.request("POST", s.url, {
              headers: {
                "Content-Type": "application/json",
                "Producer-Id": "p",
                "Producer-Epoch": String(e),
                "Producer-Seq": String(seq),
              },
              body: "[1]",
            });
          for (let seq = 0; seq <= accepted; seq++) {
            const reply = await send(epoch, seq);
            if (reply.status !== 200) {
              throw new Error(`setup failed: producer append ${reply.status}`);
            }
          }
          const stale = problemOf(await send(older % epoch, 0));
          if (catalogueSlug(stale?.type) === "producer-stale-epoch") {
            run.expectEqual("ERR-EXT-8", stale?.producerEpoch, epoch, "producerEpoch");
          }
          const gap = problemOf(await send(epoch, accepted + skip));
          if (catalogueSlug(gap?.type) === "producer-seq-gap") {
            run.expectEqual(
              "ERR-EXT-9",
              [gap?.expectedSeq, gap?.receivedSeq],
              [accepted + 1, accepted + skip],
              "[expectedSeq, receivedSeq]",
            );
          }
        },
      );
    },
  }),
];
