// log.md §9: a fork reads its source's messages before the fork offset, then
// its own; the two never see each other's later appends; a fork starts open
// and fresh; bad fork offsets and missing sources are refused.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { arrayBody } from "./_log_json.ts";
import { engineRequirements, type OpMix, runModel } from "./_log_engine.ts";
import {
  createJsonStream,
  expectRefusal,
  flag,
  forkOf,
  getAt,
  nextOffset,
  post,
  readAll,
} from "./_log_http.ts";

const FORKING: OpMix = {
  weights: { fork: 2, append: 4, close: 1, read: 4, head: 1, delete: 1 },
};

function numbered(tag: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `{"${tag}":${from + i}}`);
}

/** Checks of log.md §9 (forks). */
export const logForksChecks: readonly Check[] = [
  defineCheck({
    id: "log.fork.model",
    title:
      "random forks at random offsets, appends, closes, reads and deletes of sources and forks behave as the log model",
    section: "log.md §9",
    requirements: engineRequirements(FORKING),
    features: ["fork"],
    async run(t) {
      await runModel(t, FORKING);
    },
  }),
  defineCheck({
    id: "log.fork.isolation",
    title:
      "a fork reads the source's messages before the fork offset, then its own, densely; later appends to either stay apart",
    section: "log.md §9",
    requirements: ["LOG-FORK-1", "LOG-FORK-2"],
    features: ["fork"],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.nat(6),
          fc.nat(),
          fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3 })), { maxLength: 6 }),
        ),
        async ([initial, pick, appends], run) => {
          const source = numbered("s", 0, initial);
          const src = await createJsonStream(run, "LOG-FORK-1", {
            body: initial > 0 ? arrayBody(source) : undefined,
          });
          const at = pick % (initial + 1);
          const { url: fork, reply } = await forkOf(run, src, at);
          run.expectStatus("LOG-FORK-1", reply, 201);
          run.expectEqual("LOG-FORK-1", nextOffset(run, reply), at, "tail of the new fork");
          const own: string[] = [];
          for (const [toFork, size] of appends) {
            const batch = numbered(toFork ? "f" : "s", toFork ? own.length : source.length, size);
            const reply = await post(run, toFork ? fork : src, arrayBody(batch));
            run.expectStatus(toFork ? "LOG-FORK-1" : "LOG-FORK-2", reply, [200, 204]);
            if (toFork) {
              own.push(...batch);
              run.expectEqual(
                "LOG-FORK-1",
                nextOffset(run, reply),
                at + own.length,
                "tail of the fork",
              );
            } else {
              source.push(...batch);
            }
          }
          const forkRead = await readAll(run, "LOG-FORK-1", fork);
          const expected = [...source.slice(0, at), ...own];
          const leaked = forkRead.some((m, i) => i >= at && m.startsWith('{"s"'));
          run.expectEqual(
            leaked ? "LOG-FORK-2" : "LOG-FORK-1",
            forkRead,
            expected,
            "messages of the fork",
          );
          run.expectEqual(
            "LOG-FORK-2",
            await readAll(run, "LOG-FORK-2", src),
            source,
            "messages of the source",
          );
        },
      );
    },
  }),
  defineCheck({
    id: "log.fork.fresh",
    title:
      "a fork starts open, with its source's kind and content type, and no producer or Stream-Seq state",
    section: "log.md §9",
    requirements: ["LOG-FORK-3"],
    features: ["fork"],
    async run(t) {
      await t.property(fc.tuple(fc.nat(3), fc.nat()), async ([count, pick], run) => {
        const src = await createJsonStream(run, "LOG-FORK-3", { body: "[0]" });
        const producers = run.features.has("idempotent-producer");
        const ordered = run.features.has("stream-seq");
        for (let seq = 0; seq <= count; seq++) {
          await post(run, src, `[${seq}]`, {
            ...(producers
              ? { "Producer-Id": "p", "Producer-Epoch": "2", "Producer-Seq": String(seq) }
              : {}),
            ...(ordered ? { "Stream-Seq": `z${seq}` } : {}),
          });
        }
        run.expectStatus(
          "LOG-FORK-3",
          await post(run, src, undefined, { "Stream-Closed": "true" }),
          [200, 204],
        );
        const { url: fork, reply } = await forkOf(run, src, pick % (count + 3));
        run.expectStatus("LOG-FORK-3", reply, 201);
        const head = await run.http.request("HEAD", fork);
        run.expect(
          "LOG-FORK-3",
          !flag(head, "stream-closed"),
          "the fork of a closed stream is closed",
        );
        const type = (head.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
        run.expectEqual("LOG-FORK-3", type, "application/json", "content type of the fork");
        run.expectEqual(
          "LOG-FORK-3",
          head.headers.get("agent-stream-kind"),
          "json",
          "kind of the fork",
        );
        const first = await post(run, fork, '"first"', {
          ...(producers ? { "Producer-Id": "p", "Producer-Epoch": "0", "Producer-Seq": "0" } : {}),
          ...(ordered ? { "Stream-Seq": "a" } : {}),
        });
        // Stored as new: producer p at epoch 0, seq 0, and Stream-Seq "a", all behind the source's.
        run.expectStatus("LOG-FORK-3", first, producers ? 200 : [200, 204]);
        if (run.features.has("agent")) {
          const agent = run.streamUrl(run.stream("agent"));
          await run.http.request("PUT", agent, { headers: { "Agent-Stream-Kind": "agent" } });
          const forked = await forkOf(run, agent);
          const kind = (await run.http.request("HEAD", forked.url)).headers.get(
            "agent-stream-kind",
          );
          run.expectEqual("LOG-FORK-3", kind, "agent", "kind of the fork of an agent stream");
        }
      }, { numRuns: 4 });
    },
  }),
  defineCheck({
    id: "log.fork.refusals",
    title:
      "a fork offset beyond the source's tail is refused with offset-out-of-range, a missing source with stream-not-found",
    section: "log.md §9",
    requirements: ["LOG-FORK-4"],
    features: ["fork"],
    async run(t) {
      await t.property(
        fc.tuple(fc.nat(4), fc.integer({ min: 1, max: 1000 })),
        async ([count, beyond], run) => {
          const src = await createJsonStream(run, "LOG-FORK-4", {
            body: count > 0 ? arrayBody(numbered("s", 0, count)) : undefined,
          });
          const far = await forkOf(run, src, count + beyond);
          expectRefusal(run, "LOG-FORK-4", far.reply, "offset-out-of-range");
          run.expectStatus("LOG-FORK-4", await run.http.request("HEAD", far.url), 404);
          const missing = await forkOf(
            run,
            run.streamUrl(run.stream("missing")),
            beyond % 2 === 0 ? undefined : 0,
          );
          expectRefusal(run, "LOG-FORK-4", missing.reply, "stream-not-found");
          run.expectStatus("LOG-FORK-4", await run.http.request("HEAD", missing.url), 404);
        },
        { numRuns: 5 },
      );
    },
  }),
  defineCheck({
    id: "log.fork.default-offset",
    title: "a fork without a fork offset starts at the source's tail",
    section: "log.md §9",
    requirements: ["LOG-FORK-5"],
    features: ["fork"],
    async run(t) {
      await t.property(fc.tuple(fc.nat(6), fc.boolean()), async ([count, closed], run) => {
        const source = numbered("s", 0, count);
        const src = await createJsonStream(run, "LOG-FORK-5", {
          body: count > 0 ? arrayBody(source) : undefined,
          closed,
        });
        const { url: fork, reply } = await forkOf(run, src);
        run.expectStatus("LOG-FORK-5", reply, 201);
        run.expectEqual(
          "LOG-FORK-5",
          nextOffset(run, reply),
          count,
          "tail of a fork without offset",
        );
        run.expectEqual(
          "LOG-FORK-5",
          await readAll(run, "LOG-FORK-5", fork),
          source,
          "messages of the fork",
        );
        const read = await getAt(run, fork, "now");
        run.expectEqual("LOG-FORK-5", nextOffset(run, read), count, "tail of the fork read at now");
      }, { numRuns: 5 });
    },
  }),
];
