// log.md §10: a deleted stream answers as not found (or gone, while forks
// read from it), its forks keep what they inherited, and its live readers end.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { arrayBody } from "./_log_json.ts";
import {
  createJsonStream,
  expectRefusal,
  forkOf,
  getAt,
  nextOffset,
  offsetText,
  post,
  putStream,
  readAll,
} from "./_log_http.ts";

/** Every operation on a deleted stream answers `slug` (LOG-DELETE-1). */
async function answersAs(t: CheckContext, url: string, slug: string, tail: number): Promise<void> {
  const id = "LOG-DELETE-1";
  expectRefusal(t, id, await getAt(t, url, "-1"), slug);
  expectRefusal(t, id, await getAt(t, url, offsetText(Math.min(tail, 1))), slug);
  expectRefusal(t, id, await t.http.request("HEAD", url), slug, true);
  expectRefusal(t, id, await post(t, url, "[1]"), slug);
  expectRefusal(t, id, await post(t, url, undefined, { "Stream-Closed": "true" }), slug);
  if (t.features.has("long-poll")) {
    expectRefusal(t, id, await t.http.request("GET", `${url}?offset=-1&live=long-poll`), slug);
  }
  expectRefusal(t, id, await t.http.request("DELETE", url), slug);
}

/** Checks of log.md §10 (deleting). */
export const logDeletingChecks: readonly Check[] = [
  defineCheck({
    id: "log.delete.not-found",
    title:
      "a deleted stream answers every operation with stream-not-found; a create at its path starts empty",
    section: "log.md §10",
    requirements: ["LOG-DELETE-1"],
    async run(t) {
      await t.property(fc.tuple(fc.nat(4), fc.boolean()), async ([count, closed], run) => {
        const url = await createJsonStream(run, "LOG-DELETE-1", {
          body: count > 0
            ? arrayBody(Array.from({ length: count }, (_, i) => String(i)))
            : undefined,
          closed,
        });
        run.expectStatus("LOG-DELETE-1", await run.http.request("DELETE", url), [200, 204]);
        await answersAs(run, url, "stream-not-found", count);
        const again = await putStream(run, url);
        run.expectStatus("LOG-DELETE-1", again, 201);
        run.expectEqual(
          "LOG-DELETE-1",
          nextOffset(run, again, "LOG-DELETE-1"),
          0,
          "tail of the stream created again",
        );
        run.expectEqual(
          "LOG-DELETE-1",
          await readAll(run, "LOG-DELETE-1", url),
          [],
          "messages of the stream created again",
        );
      }, { numRuns: 4 });
    },
  }),
  defineCheck({
    id: "log.delete.soft",
    title:
      "a deleted source of forks answers stream-gone while they exist, the forks keep its messages, and it is gone for good after them",
    section: "log.md §10",
    requirements: ["LOG-DELETE-1", "LOG-DELETE-2"],
    features: ["fork"],
    async run(t) {
      await t.property(
        fc.tuple(fc.integer({ min: 1, max: 5 }), fc.nat(), fc.integer({ min: 1, max: 2 })),
        async ([count, pick, forks], run) => {
          const source = Array.from({ length: count }, (_, i) => `{"s":${i}}`);
          const src = await createJsonStream(run, "LOG-DELETE-2", { body: arrayBody(source) });
          const made: { url: string; at: number }[] = [];
          for (let i = 0; i < forks; i++) {
            const at = (pick + i) % (count + 1);
            const { url, reply } = await forkOf(run, src, at);
            run.expectStatus("LOG-DELETE-2", reply, 201);
            made.push({ url, at });
          }
          run.expectStatus("LOG-DELETE-1", await run.http.request("DELETE", src), [200, 204]);
          await answersAs(run, src, "stream-gone", count);
          for (const { url, at } of made) {
            run.expectStatus("LOG-DELETE-2", await post(run, url, '"own"'), [200, 204]);
            run.expectEqual(
              "LOG-DELETE-2",
              await readAll(run, "LOG-DELETE-2", url),
              [...source.slice(0, at), '"own"'],
              `messages of a fork at ${at} after its source was deleted`,
            );
            run.expectStatus("LOG-DELETE-1", await run.http.request("DELETE", url), [200, 204]);
          }
          await answersAs(run, src, "stream-not-found", count);
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "log.delete.ends-live-reads",
    title: "deleting a stream ends a long-poll waiting on it before its timeout",
    section: "log.md §10",
    requirements: ["LOG-DELETE-3"],
    features: ["long-poll"],
    async run(t) {
      const timeout = t.discovery.bindings?.longPoll?.timeoutMs ?? 30_000;
      t.needsWait(timeout, "the long-poll timeout");
      const url = await createJsonStream(t, "LOG-DELETE-3", { body: "[0]" });
      const started = Date.now();
      const [reply] = await Promise.all([
        t.http.request("GET", `${url}?offset=${offsetText(1)}&live=long-poll`, {
          timeoutMs: timeout + t.timeoutMs,
        }),
        t.sleep(50).then(() => t.http.request("DELETE", url)),
      ]);
      const elapsed = Date.now() - started;
      t.expect(
        "LOG-DELETE-3",
        elapsed < timeout,
        `the long-poll ended ${elapsed} ms after it began, not before its ${timeout} ms timeout, although the stream was deleted at 50 ms (status ${reply.status})`,
      );
      t.expect(
        "LOG-DELETE-3",
        reply.status !== 200,
        "the long-poll of a deleted stream returned messages",
      );
    },
  }),
];
