// log.md §8: streams expire after their TTL or at their expiry instant, as if
// deleted; reads and appends restart the TTL, metadata requests do not.
// TTLs are whole seconds, so these checks use 1 s and margins of 400–500 ms.

import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { expectRefusal, getAt, nextOffset, post, putStream } from "./_log_http.ts";

/** Creates a stream with `headers` (a lifetime) and messages; fails `requirement` if refused. */
async function createWith(
  t: CheckContext,
  requirement: string,
  headers: Record<string, string>,
): Promise<string> {
  const url = t.streamUrl(t.stream());
  t.expectStatus(requirement, await putStream(t, url, { headers, body: "[1,2]" }), 201);
  return url;
}

/** Checks of log.md §8 (TTL and expiry). */
export const logLifetimeChecks: readonly Check[] = [
  defineCheck({
    id: "log.ttl.expiry",
    title:
      "a stream whose TTL ran out or whose expiry instant passed answers stream-not-found, and its path starts afresh",
    section: "log.md §8",
    requirements: ["LOG-TTL-1"],
    features: ["ttl"],
    async run(t) {
      t.needsWait(1_400, "a TTL of 1 s");
      const ttl = await createWith(t, "LOG-TTL-1", { "Stream-TTL": "1" });
      const instant = new Date(Date.now() + 300).toISOString();
      const expiring = await createWith(t, "LOG-TTL-1", { "Stream-Expires-At": instant });
      await t.sleep(1_400);
      expectRefusal(t, "LOG-TTL-1", await getAt(t, ttl, "-1"), "stream-not-found");
      expectRefusal(t, "LOG-TTL-1", await post(t, expiring, "[3]"), "stream-not-found");
      const again = await putStream(t, ttl);
      t.expectStatus("LOG-TTL-1", again, 201);
      t.expectEqual(
        "LOG-TTL-1",
        nextOffset(t, again, "LOG-TTL-1"),
        0,
        "tail of the stream created again",
      );
      const read = await getAt(t, ttl, "-1");
      t.expectEqual(
        "LOG-TTL-1",
        read.text.replace(/\s/g, ""),
        "[]",
        "messages of the stream created again",
      );
    },
  }),
  defineCheck({
    id: "log.ttl.sliding",
    title: "reads and appends restart a stream's TTL; HEAD does not",
    section: "log.md §8",
    requirements: ["LOG-TTL-2"],
    features: ["ttl"],
    async run(t) {
      t.needsWait(1_500, "a TTL of 1 s, touched twice");
      const [read, appended, headed] = await Promise.all(
        [0, 1, 2].map(() => createWith(t, "LOG-TTL-2", { "Stream-TTL": "1" })),
      );
      const alive = (reply: HttpReply, what: string) =>
        t.expect("LOG-TTL-2", reply.status < 300, `${what} answered ${reply.status}`);
      for (const step of [1, 2]) {
        await t.sleep(500);
        const [r, a] = await Promise.all([
          getAt(t, read, "-1"),
          post(t, appended, `[${step}]`),
          t.http.request("HEAD", headed),
        ]);
        alive(r, `a read ${step * 500} ms into a 1 s TTL renewed every 500 ms`);
        alive(a, `an append ${step * 500} ms into a 1 s TTL renewed every 500 ms`);
      }
      await t.sleep(500);
      const [r, a, h] = await Promise.all([
        getAt(t, read, "-1"),
        getAt(t, appended, "-1"),
        getAt(t, headed, "-1"),
      ]);
      alive(r, "a read 500 ms after the last read");
      alive(a, "a read 500 ms after the last append");
      expectRefusal(t, "LOG-TTL-2", h, "stream-not-found");
    },
  }),
  defineCheck({
    id: "log.ttl.exclusive",
    title: "a create with both a TTL and an expiry instant is refused with invalid-header",
    section: "log.md §8",
    requirements: ["LOG-TTL-3"],
    features: ["ttl"],
    async run(t) {
      const url = t.streamUrl(t.stream());
      const reply = await putStream(t, url, {
        headers: {
          "Stream-TTL": "60",
          "Stream-Expires-At": new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      expectRefusal(t, "LOG-TTL-3", reply, "invalid-header");
      t.expectStatus("LOG-TTL-3", await t.http.request("HEAD", url), 404);
    },
  }),
];
