import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSON_TYPE, problemOf, TEXT_TYPE, withServer } from "./_http_test_kit.ts";

const FAST = { timing: { longPollTimeoutMs: 50 } };

/** Resolves after `ms` of real time (the server's timeout runs on real timers). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("GET live=long-poll", () => {
  it("HTTP-POLL-1: answers at once when messages exist at the offset", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: JSON_TYPE, body: "[1,2]" });
      const r = await t.call("GET", "s?offset=-1&live=long-poll");
      assert.equal(r.status, 200);
      assert.equal(await r.text(), "[1,2]");
      assert.equal(r.headers.get("stream-up-to-date"), "true");
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000002");
      assert.match(r.headers.get("stream-cursor") ?? "", /^[0-9]+$/); // HTTP-POLL-4
    }, { timing: { longPollTimeoutMs: 60_000 } }));

  it("HTTP-POLL-2, LOG-LIVE-2: a waiting poll answers with what is appended", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: JSON_TYPE, body: "[1]" });
      const poll = t.call("GET", "s?offset=0000000000000001&live=long-poll");
      await sleep(10);
      await t.call("POST", "s", { headers: JSON_TYPE, body: "[2,3]" });
      const r = await poll;
      assert.equal(r.status, 200);
      assert.equal(await r.text(), "[2,3]");
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000003");
      assert.equal(r.headers.get("stream-up-to-date"), "true");
    }, { timing: { longPollTimeoutMs: 10_000 } }));

  it("HTTP-POLL-2: 204 with the offset and up-to-date when the timeout passes", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: TEXT_TYPE, body: "abc" });
      const r = await t.call("GET", "s?offset=0000000000000003&live=long-poll");
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000003");
      assert.equal(r.headers.get("stream-up-to-date"), "true");
      assert.match(r.headers.get("stream-cursor") ?? "", /^[0-9]+$/);
      assert.equal(r.headers.get("stream-closed"), null);
    }, FAST));

  it("HTTP-POLL-3: 204 closed at once at a closed stream's tail, and when it closes during the wait", () =>
    withServer(async (t) => {
      await t.call("PUT", "c", { headers: { ...JSON_TYPE, "stream-closed": "true" }, body: "[1]" });
      const started = Date.now();
      const r = await t.call("GET", "c?offset=0000000000000001&live=long-poll");
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("stream-closed"), "true");
      assert.equal(r.headers.get("stream-up-to-date"), "true");
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000001");
      assert.ok(Date.now() - started < 5_000);
      const now = await t.call("GET", "c?offset=now&live=long-poll");
      assert.equal(now.status, 204);
      assert.equal(now.headers.get("stream-closed"), "true");

      await t.call("PUT", "o");
      const poll = t.call("GET", "o?offset=0000000000000000&live=long-poll");
      await sleep(10);
      await t.call("POST", "o", { headers: { "stream-closed": "true" } });
      const closed = await poll;
      assert.equal(closed.status, 204);
      assert.equal(closed.headers.get("stream-closed"), "true");
      assert.equal(closed.headers.get("stream-cursor"), null);
    }, { timing: { longPollTimeoutMs: 10_000 } }));

  it("HTTP-POLL-3: a final append that closes the stream comes with Stream-Closed", () =>
    withServer(async (t) => {
      await t.call("PUT", "o");
      const poll = t.call("GET", "o?offset=0000000000000000&live=long-poll");
      await sleep(10);
      await t.call("POST", "o", {
        headers: { ...JSON_TYPE, "stream-closed": "true" },
        body: '"last"',
      });
      const r = await poll;
      assert.equal(r.status, 200);
      assert.equal(await r.text(), '["last"]');
      assert.equal(r.headers.get("stream-closed"), "true");
    }, { timing: { longPollTimeoutMs: 10_000 } }));

  it("HTTP-POLL-4: the cursor is greater than the client's", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: JSON_TYPE, body: "[1]" });
      const first = await t.call("GET", "s?offset=-1&live=long-poll");
      const cursor = BigInt(first.headers.get("stream-cursor")!);
      assert.equal(cursor, BigInt(Math.floor(t.now / 20_000)));
      for (const sent of [cursor, cursor + 5n, 10n ** 30n]) {
        const next = await t.call("GET", `s?offset=-1&live=long-poll&cursor=${sent}`);
        assert.ok(BigInt(next.headers.get("stream-cursor")!) > sent);
      }
      // An older cursor gets the current interval; a foreign one is not compared.
      const old = await t.call("GET", "s?offset=-1&live=long-poll&cursor=1");
      assert.equal(BigInt(old.headers.get("stream-cursor")!), cursor);
      const junk = await t.call("GET", "s?offset=-1&live=long-poll&cursor=abc");
      assert.equal(BigInt(junk.headers.get("stream-cursor")!), cursor);
    }));

  it("HTTP-POLL-5: offset=now waits for the first message after the request", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: TEXT_TYPE, body: "historical" });
      const poll = t.call("GET", "s?offset=now&live=long-poll");
      await sleep(10);
      await t.call("POST", "s", { headers: TEXT_TYPE, body: "new data" });
      const r = await poll;
      assert.equal(r.status, 200);
      assert.equal(await r.text(), "new data");
    }, { timing: { longPollTimeoutMs: 10_000 } }));

  it("HTTP-POLL-5: offset=now times out with the tail", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: TEXT_TYPE, body: "abc" });
      const r = await t.call("GET", "s?offset=now&live=long-poll");
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000003");
    }, FAST));

  it("HTTP-POLL-6, LOG-DELETE-3: a delete during the wait ends it with 404", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      const poll = t.call("GET", "s?offset=now&live=long-poll");
      await sleep(10);
      assert.equal((await t.call("DELETE", "s")).status, 204);
      await problemOf(await poll, "stream-not-found");
    }, { timing: { longPollTimeoutMs: 10_000 } }));

  it("HTTP-POLL-7: needs an offset, as in Durable Streams; other parameters as in a catch-up read", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      await problemOf(await t.call("GET", "s?live=long-poll"), "invalid-offset");
      await problemOf(await t.call("GET", "s?live=long-poll&offset=x"), "invalid-offset");
      await problemOf(
        await t.call("GET", "s?live=long-poll&offset=-1&limit=0"),
        "invalid-parameter",
      );
      await problemOf(await t.call("GET", "none?live=long-poll&offset=now"), "stream-not-found");
      await problemOf(
        await t.call("GET", "s?live=long-poll&offset=0000000000000001"),
        "offset-out-of-range",
      );
    }, FAST));

  it("a fork's poll at its tail waits for the fork's own appends only", () =>
    withServer(async (t) => {
      await t.call("PUT", "src", { headers: JSON_TYPE, body: "[1]" });
      await t.call("PUT", "f", { headers: { "stream-forked-from": "src" } });
      const inherited = await t.call("GET", "f?offset=-1&live=long-poll");
      assert.equal(await inherited.text(), "[1]");
      const poll = t.call("GET", "f?offset=0000000000000001&live=long-poll");
      await sleep(10);
      await t.call("POST", "src", { headers: JSON_TYPE, body: '"source"' });
      await sleep(10);
      await t.call("POST", "f", { headers: JSON_TYPE, body: '"fork"' });
      assert.equal(await (await poll).text(), '["fork"]');
    }, { timing: { longPollTimeoutMs: 10_000 } }));

  it("DISC-LIMIT-7/8: 429 subscriber-limit with Retry-After beyond the live reader limits", () =>
    withServer(async (t) => {
      await t.call("PUT", "a");
      await t.call("PUT", "b");
      const waiting = t.call("GET", "a?offset=now&live=long-poll");
      await sleep(10);
      const refused = await t.call("GET", "a?offset=now&live=long-poll");
      const p = await problemOf(refused, "subscriber-limit");
      assert.ok(p.retryAfterMs !== undefined && p.retryAfterMs > 0); // ERR-EXT-4
      assert.equal(refused.headers.get("retry-after"), String(Math.ceil(p.retryAfterMs / 1000)));
      // A poll with data at its offset never waits, so it needs no slot.
      await t.call("POST", "a", { headers: JSON_TYPE, body: "1" });
      assert.equal((await waiting).status, 200);
    }, { limits: { maxSubscribersPerStream: 1 }, timing: { longPollTimeoutMs: 10_000 } }));

  it("server shutdown ends waiting polls with a resumable 204", async () => {
    let pending: Promise<Response> | undefined;
    await withServer(async (t) => {
      await t.call("PUT", "s");
      pending = t.call("GET", "s?offset=now&live=long-poll");
      await sleep(10);
    }, { timing: { longPollTimeoutMs: 60_000 } });
    const r = await pending!;
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("stream-next-offset"), "0000000000000000");
  });

  it("a client that goes away stops its wait", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      const controller = new AbortController();
      const poll = t.server.fetch(
        new Request("http://localhost/v1/stream/s?offset=now&live=long-poll", {
          signal: controller.signal,
        }),
      );
      await sleep(10);
      controller.abort();
      const r = await poll;
      assert.equal(r.status, 204);
    }, { limits: { maxSubscribersPerStream: 1 }, timing: { longPollTimeoutMs: 60_000 } }));
});
