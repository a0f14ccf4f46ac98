import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSON_TYPE, problemOf, type TestServer, TEXT_TYPE, withServer } from "./_http_test_kit.ts";

async function fill(t: TestServer, path: string, n: number): Promise<void> {
  await t.call("PUT", path, {
    headers: JSON_TYPE,
    body: JSON.stringify(Array.from({ length: n }, (_, i) => ({ i }))),
  });
}

describe("GET: catch-up read", () => {
  it("HTTP-READ-1/2: messages from the offset, the next offset, up-to-date at the tail", () =>
    withServer(async (t) => {
      await fill(t, "s", 5);
      const all = await t.call("GET", "s");
      assert.equal(all.status, 200);
      assert.equal(all.headers.get("content-type"), "application/json");
      assert.equal(all.headers.get("agent-stream-kind"), "json"); // HTTP-HDR-2
      assert.equal(await all.text(), '[{"i":0},{"i":1},{"i":2},{"i":3},{"i":4}]');
      assert.equal(all.headers.get("stream-next-offset"), "0000000000000005");
      assert.equal(all.headers.get("stream-up-to-date"), "true");
      const from3 = await t.call("GET", "s?offset=0000000000000003&limit=1");
      assert.equal(await from3.text(), '[{"i":3}]');
      assert.equal(from3.headers.get("stream-next-offset"), "0000000000000004");
      assert.equal(from3.headers.get("stream-up-to-date"), null);
      // -1 and no offset mean the start (LOG-OFFSET-2).
      assert.equal(
        await (await t.call("GET", "s?offset=-1")).text(),
        await (await t.call("GET", "s")).text(),
      );
      const tail = await t.call("GET", "s?offset=0000000000000005");
      assert.equal(await tail.text(), "[]");
      assert.equal(tail.headers.get("stream-up-to-date"), "true");
    }));

  it("HTTP-READ-3: Stream-Closed only when a closed stream's final tail is reached", () =>
    withServer(async (t) => {
      await fill(t, "s", 3);
      await t.call("POST", "s", { headers: { "stream-closed": "true" } });
      const partial = await t.call("GET", "s?limit=2");
      assert.equal(partial.headers.get("stream-closed"), null);
      const rest = await t.call("GET", "s?offset=0000000000000002");
      assert.equal(rest.headers.get("stream-closed"), "true");
      const eof = await t.call("GET", "s?offset=0000000000000003");
      assert.equal(await eof.text(), "[]");
      assert.equal(eof.headers.get("stream-closed"), "true");
      assert.equal(eof.headers.get("stream-up-to-date"), "true");
    }));

  it("HTTP-READ-4/5: limit bounds the answer, is lowered to maxReadMessages, and is validated", () =>
    withServer(
      async (t) => {
        await fill(t, "s", 10);
        assert.equal(JSON.parse(await (await t.call("GET", "s?limit=2")).text()).length, 2);
        // DISC-LIMIT-4.
        assert.equal(JSON.parse(await (await t.call("GET", "s")).text()).length, 4);
        assert.equal(
          JSON.parse(await (await t.call("GET", "s?limit=99999999999999999999999")).text()).length,
          4,
        );
        for (const limit of ["0", "-1", "abc", "1.5", "", "00"]) {
          await problemOf(await t.call("GET", `s?limit=${limit}`), "invalid-parameter");
        }
        assert.equal(JSON.parse(await (await t.call("GET", "s?limit=007")).text()).length, 4);
      },
      { limits: { maxReadMessages: 4 } },
    ));

  it("HTTP-READ-6: offset=now is an empty array at the tail, up to date, not cached", () =>
    withServer(async (t) => {
      await fill(t, "s", 2);
      const r = await t.call("GET", "s?offset=now");
      assert.equal(r.status, 200);
      assert.equal(await r.text(), "[]");
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000002");
      assert.equal(r.headers.get("stream-up-to-date"), "true");
      assert.match(r.headers.get("cache-control") ?? "", /no-store/);
      await t.call("PUT", "t", { headers: TEXT_TYPE, body: "history" });
      const bytes = await t.call("GET", "t?offset=now");
      assert.equal(await bytes.text(), "");
      assert.equal(bytes.headers.get("stream-next-offset"), "0000000000000007");
      await t.call("POST", "t", { headers: { "stream-closed": "true" } });
      const closed = await t.call("GET", "t?offset=now");
      assert.equal(closed.headers.get("stream-closed"), "true");
      await problemOf(await t.call("GET", "none?offset=now"), "stream-not-found");
    }));

  it("HTTP-READ-7: an unknown live mode is 400 invalid-parameter", () =>
    withServer(async (t) => {
      await fill(t, "s", 1);
      for (const q of ["live=poll", "live=", "live=long-poll&live=long-poll", "live=SSE"]) {
        await problemOf(await t.call("GET", `s?${q}`), "invalid-parameter");
      }
    }));

  it("LOG-OFFSET-3/4: malformed offsets are invalid-offset, offsets beyond the tail out of range", () =>
    withServer(async (t) => {
      await fill(t, "s", 2);
      for (const offset of ["0,1", "0%201", "", "-2", "NOW", "123", "abc", "00000000000000001"]) {
        await problemOf(await t.call("GET", `s?offset=${offset}`), "invalid-offset");
      }
      await problemOf(await t.call("GET", "s?offset=a&offset=b"), "invalid-offset");
      const p = await problemOf(
        await t.call("GET", "s?offset=0000000000000003"),
        "offset-out-of-range",
      );
      assert.equal(p.offset, "0000000000000002"); // ERR-EXT-5
      // Well formed, though past 2^53: beyond the tail, not malformed.
      await problemOf(await t.call("GET", "s?offset=9999999999999999"), "offset-out-of-range");
      await problemOf(
        await t.call("GET", "s?offset=9999999999999999&live=long-poll"),
        "offset-out-of-range",
      );
      // VER-FWD-1: unknown parameters are ignored.
      assert.equal((await t.call("GET", "s?offset=-1&foo=bar")).status, 200);
    }));

  it("HTTP-READ-8: ETag changes with body, tail and closure; If-None-Match gives 304", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE, body: "test data" });
      const first = await t.call("GET", "t");
      const etag = first.headers.get("etag")!;
      assert.ok(etag.length > 2);
      const same = await t.call("GET", "t", { headers: { "if-none-match": etag } });
      assert.equal(same.status, 304);
      assert.equal(await same.text(), "");
      assert.equal(same.headers.get("etag"), etag);
      assert.equal(
        (await t.call("GET", "t", { headers: { "if-none-match": '"nope", W/' + etag } })).status,
        304,
      );
      assert.equal(
        (await t.call("GET", "t", { headers: { "if-none-match": '"wrong"' } })).status,
        200,
      );
      await t.call("POST", "t", { headers: { "stream-closed": "true" } });
      const closed = await t.call("GET", "t", { headers: { "if-none-match": etag } });
      assert.equal(closed.status, 200);
      assert.notEqual(closed.headers.get("etag"), etag);
      // A stream created again at the same path has other content at the same offsets.
      await t.call("DELETE", "t");
      await t.call("PUT", "t", { headers: TEXT_TYPE, body: "other dat" });
      assert.equal((await t.call("GET", "t", { headers: { "if-none-match": etag } })).status, 200);
    }));

  it("byte streams read back byte for byte, in chunks of at most maxBodyBytes", () =>
    withServer(
      async (t) => {
        const data = new Uint8Array(120).map((_, i) => i);
        const headers = { "content-type": "application/octet-stream" };
        await t.call("PUT", "b", { headers });
        for (let i = 0; i < 120; i += 30) {
          await t.call("POST", "b", { headers, body: data.slice(i, i + 30) });
        }
        const chunks: number[] = [];
        let offset = "-1";
        for (let i = 0; i < 10; i++) {
          const r = await t.call("GET", `b?offset=${offset}`);
          const chunk = new Uint8Array(await r.arrayBuffer());
          assert.ok(chunk.length <= 40);
          chunks.push(...chunk);
          offset = r.headers.get("stream-next-offset")!;
          if (r.headers.get("stream-up-to-date") === "true") break;
        }
        assert.deepEqual(chunks, [...data]);
        assert.equal(offset, "0000000000000120");
      },
      { limits: { maxBodyBytes: 40 } },
    ));

  it("LOG-TTL-1/2: reads restart the TTL, HEAD does not; an expired stream is gone", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: { "stream-ttl": "10" } });
      t.now += 8_000;
      assert.equal((await t.call("GET", "s")).status, 200);
      t.now += 8_000;
      assert.equal((await t.call("HEAD", "s")).status, 200);
      t.now += 3_000;
      await problemOf(await t.call("GET", "s"), "stream-not-found");
      assert.equal((await t.call("PUT", "s", { headers: TEXT_TYPE })).status, 201);
    }));

  it("404 for a missing stream, 410 for a soft-deleted one", () =>
    withServer(async (t) => {
      await problemOf(await t.call("GET", "none"), "stream-not-found");
      await fill(t, "src", 1);
      await t.call("PUT", "f", { headers: { "stream-forked-from": "src" } });
      await t.call("DELETE", "src");
      await problemOf(await t.call("GET", "src"), "stream-gone");
      await problemOf(await t.call("GET", "src?live=long-poll&offset=-1"), "stream-gone");
    }));
});
