// log.md §7: idempotent producers decided by the table, their refusals, their
// state kept atomically and serially; Stream-Seq ordering.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { arrayBody } from "./_log_json.ts";
import { engineRequirements, type OpMix, runModel } from "./_log_engine.ts";
import {
  createJsonStream,
  expectRefusal,
  nextOffset,
  post,
  problemSlug,
  readAll,
  stated,
} from "./_log_http.ts";

const PRODUCING: OpMix = {
  weights: { append: 10, close: 1, read: 2, delete: 1, create: 1 },
  producers: "always",
};

function producer(id: string, epoch: number, seq: number): Record<string, string> {
  return { "Producer-Id": id, "Producer-Epoch": String(epoch), "Producer-Seq": String(seq) };
}

/** Appends one message `{"p":id,"e":epoch,"s":seq}` as producer `id`. */
function produce(t: CheckContext, url: string, id: string, epoch: number, seq: number) {
  return post(t, url, `[{"p":"${id}","e":${epoch},"s":${seq}}]`, producer(id, epoch, seq));
}

/** Appends seq 0…count-1 of producer `id` in `epoch`; fails `requirement` unless each is stored. */
async function produceMany(
  t: CheckContext,
  requirement: string,
  url: string,
  id: string,
  epoch: number,
  count: number,
): Promise<void> {
  for (let seq = 0; seq < count; seq++) {
    t.expectStatus(requirement, await produce(t, url, id, epoch, seq), 200);
  }
}

/** Checks of log.md §7 (idempotent producers, Stream-Seq). */
export const logProducersChecks: readonly Check[] = [
  defineCheck({
    id: "log.producer.model",
    title:
      "random producer appends (new, next, duplicate, gap, new epoch, stale epoch) behave as the table says",
    section: "log.md §7",
    requirements: engineRequirements(PRODUCING),
    features: ["idempotent-producer"],
    async run(t) {
      await runModel(t, PRODUCING);
    },
  }),
  defineCheck({
    id: "log.producer.duplicates",
    title:
      "a retried producer append is acknowledged as a duplicate with the current tail and stores nothing",
    section: "log.md §7",
    requirements: ["LOG-PRODUCER-2"],
    features: ["idempotent-producer"],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.nat(3),
          fc.integer({ min: 1, max: 4 }),
          fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        ),
        async ([epoch, count, retries], run) => {
          const url = await createJsonStream(run, "LOG-PRODUCER-2", { body: "[0]" });
          await produceMany(run, "LOG-PRODUCER-2", url, "p", epoch, count);
          const before = await readAll(run, "LOG-PRODUCER-2", url);
          for (const pick of retries) {
            const reply = await produce(run, url, "p", epoch, pick % count);
            run.expectEqual(
              "LOG-PRODUCER-2",
              reply.status,
              204,
              `status of a retry of seq ${pick % count}`,
            );
            run.expectEqual(
              "LOG-PRODUCER-2",
              nextOffset(run, reply),
              count + 1,
              "tail reported for a duplicate",
            );
          }
          run.expectEqual(
            "LOG-PRODUCER-2",
            await readAll(run, "LOG-PRODUCER-2", url),
            before,
            "messages after retries",
          );
        },
      );
    },
  }),
  defineCheck({
    id: "log.producer.refusals",
    title:
      "stale epochs, sequence gaps and raised epochs not starting at 0 are refused with their problems, stating epoch and sequence numbers, and change nothing",
    section: "log.md §7",
    requirements: ["LOG-PRODUCER-1", "LOG-PRODUCER-3", "LOG-PRODUCER-4", "LOG-PRODUCER-5"],
    features: ["idempotent-producer"],
    async run(t) {
      type Bad = "stale" | "gap" | "new-gap" | "epoch-start";
      await t.property(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.array(
            fc.tuple(fc.constantFrom<Bad>("stale", "gap", "new-gap", "epoch-start"), fc.nat(4)),
            {
              minLength: 1,
              maxLength: 5,
            },
          ),
        ),
        async ([epoch, count, attempts], run) => {
          const url = await createJsonStream(run, "LOG-PRODUCER-1");
          await produceMany(run, "LOG-PRODUCER-1", url, "p", epoch, count);
          for (const [bad, k] of attempts) {
            if (bad === "stale") {
              const reply = await produce(run, url, "p", k % epoch, k % 3);
              expectRefusal(run, "LOG-PRODUCER-3", reply, "producer-stale-epoch");
              stated(run, "LOG-PRODUCER-3", reply, [["producer-epoch", "producerEpoch", epoch]]);
            } else if (bad === "gap" || bad === "new-gap") {
              const [id, expected] = bad === "gap" ? ["p", count] : ["q", 0];
              const received = expected + 1 + k;
              const reply = await produce(run, url, id, epoch, received);
              expectRefusal(run, "LOG-PRODUCER-4", reply, "producer-seq-gap");
              stated(run, "LOG-PRODUCER-4", reply, [
                ["producer-expected-seq", "expectedSeq", expected],
                ["producer-received-seq", "receivedSeq", received],
              ]);
            } else {
              const reply = await produce(run, url, "p", epoch + 1 + k, 1 + k);
              expectRefusal(run, "LOG-PRODUCER-5", reply, "producer-epoch-start");
            }
          }
          const next = await produce(run, url, "p", epoch, count);
          run.expectStatus("LOG-PRODUCER-1", next, 200);
          run.expectEqual(
            "LOG-PRODUCER-1",
            nextOffset(run, next, "LOG-PRODUCER-1"),
            count + 1,
            "tail after the refusals",
          );
        },
      );
    },
  }),
  defineCheck({
    id: "log.producer.refusal-keeps-state",
    title:
      "a producer append refused for another reason leaves the producer state, so its retry is stored",
    section: "log.md §7",
    requirements: ["LOG-PRODUCER-6"],
    features: ["idempotent-producer"],
    async run(t) {
      const reasons = ["invalid-json", "oversized"];
      if (t.features.has("stream-seq")) reasons.push("stream-seq");
      const max = t.discovery.limits?.maxMessageBytes ?? 1_000_000;
      await t.property(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.array(fc.constantFrom(...reasons), { minLength: 1, maxLength: 3 }),
        ),
        async ([count, refusals], run) => {
          const url = await createJsonStream(run, "LOG-PRODUCER-6");
          let tail = 0;
          for (let seq = 0; seq < count + refusals.length; seq++) {
            const reason = refusals[seq - count];
            if (reason !== undefined) {
              const headers = {
                ...producer("p", 0, seq),
                ...(reason === "stream-seq" ? { "Stream-Seq": "a" } : {}),
              };
              const body = reason === "invalid-json"
                ? "[{]"
                : reason === "oversized"
                ? `["${"x".repeat(max + 1)}"]`
                : "[1]";
              const refused = await post(run, url, body, headers);
              run.expect(
                "LOG-PRODUCER-6",
                refused.status >= 400,
                `seq ${seq} refused for ${reason} answered ${refused.status}`,
              );
            }
            const ordered: Record<string, string> = run.features.has("stream-seq")
              ? { "Stream-Seq": `m${seq}` }
              : {};
            const reply = await post(run, url, `[${seq}]`, {
              ...producer("p", 0, seq),
              ...ordered,
            });
            run.expectEqual(
              "LOG-PRODUCER-6",
              reply.status,
              200,
              `seq ${seq}${reason ? ` after a refusal for ${reason}` : ""}`,
            );
            tail += 1;
            run.expectEqual(
              "LOG-PRODUCER-6",
              nextOffset(run, reply, "LOG-PRODUCER-6"),
              tail,
              `tail after seq ${seq}`,
            );
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.producer.concurrent",
    title:
      "concurrent copies of one producer append store it once; concurrent new producers are all stored",
    section: "log.md §7",
    requirements: ["LOG-PRODUCER-7"],
    features: ["idempotent-producer"],
    async run(t) {
      await t.property(
        fc.tuple(fc.nat(2), fc.integer({ min: 2, max: 6 })),
        async ([before, copies], run) => {
          const url = await createJsonStream(run, "LOG-PRODUCER-7");
          await produceMany(run, "LOG-PRODUCER-7", url, "p", 0, before);
          const replies = await Promise.all(
            Array.from({ length: copies }, () => produce(run, url, "p", 0, before)),
          );
          const stored = replies.filter((r) => r.status === 200).length;
          run.expectEqual("LOG-PRODUCER-7", stored, 1, `copies of seq ${before} answered 200`);
          const fresh = await Promise.all(
            Array.from({ length: copies }, (_, i) => produce(run, url, `new${i}`, 0, 0)),
          );
          run.expect(
            "LOG-PRODUCER-7",
            fresh.every((r) => r.status === 200),
            "a new producer was not stored",
          );
          const all = await readAll(run, "LOG-PRODUCER-7", url);
          run.expectEqual("LOG-PRODUCER-7", all.length, before + 1 + copies, "messages stored");
        },
      );
    },
  }),
  defineCheck({
    id: "log.producer.state-kept",
    title: "a producer's state outlives many appends of other writers",
    section: "log.md §7",
    requirements: ["LOG-PRODUCER-8"],
    features: ["idempotent-producer"],
    async run(t) {
      const url = await createJsonStream(t, "LOG-PRODUCER-8");
      await produceMany(t, "LOG-PRODUCER-8", url, "p", 0, 3);
      for (let i = 0; i < 40; i++) {
        const reply = i % 2 === 0
          ? await produce(t, url, `other${i}`, 0, 0)
          : await post(t, url, `[${i}]`);
        t.expectStatus("LOG-PRODUCER-8", reply, [200, 204]);
      }
      const retry = await produce(t, url, "p", 0, 2);
      t.expectEqual("LOG-PRODUCER-8", retry.status, 204, "a retry after 40 other appends");
      t.expectEqual(
        "LOG-PRODUCER-8",
        (await produce(t, url, "p", 0, 3)).status,
        200,
        "the next append",
      );
    },
  }),
  defineCheck({
    id: "log.seq.order",
    title:
      "an append whose Stream-Seq is not byte-wise greater than the last accepted one is refused with stream-seq-conflict",
    section: "log.md §7",
    requirements: ["LOG-SEQ-1"],
    features: ["stream-seq"],
    async run(t) {
      const fcSeq = fc.stringMatching(/^[0-9A-Za-z~.-]{1,3}$/);
      await t.property(
        fc.array(fc.tuple(fc.option(fcSeq, { freq: 4, nil: undefined }), fc.boolean()), {
          minLength: 2,
          maxLength: 10,
        }),
        async (appends, run) => {
          const url = await createJsonStream(run, "LOG-SEQ-1");
          const content: string[] = [];
          let last: string | undefined;
          for (const [i, [seq, batch]] of appends.entries()) {
            const messages = batch ? [`{"i":${i}}`, `{"j":${i}}`] : [`{"i":${i}}`];
            const reply = await post(
              run,
              url,
              arrayBody(messages),
              seq === undefined ? {} : { "Stream-Seq": seq },
            );
            if (seq !== undefined && last !== undefined && !(seq > last)) {
              expectRefusal(run, "LOG-SEQ-1", reply, "stream-seq-conflict");
              continue;
            }
            run.expect(
              "LOG-SEQ-1",
              reply.status < 300,
              `Stream-Seq ${seq} after ${last} answered ${reply.status} (${problemSlug(reply)})`,
            );
            content.push(...messages);
            if (seq !== undefined) last = seq;
          }
          run.expectEqual(
            "LOG-SEQ-1",
            await readAll(run, "LOG-SEQ-1", url),
            content,
            "messages stored",
          );
        },
      );
    },
  }),
];
