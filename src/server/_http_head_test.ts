import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSON_TYPE, TEXT_TYPE, withServer } from "./_http_test_kit.ts";

describe("HEAD: metadata", () => {
  it("HTTP-HEAD-1/2: type, kind, tail, closure and lifetime, not cached, no body", () =>
    withServer(async (t) => {
      await t.call("PUT", "a", {
        headers: { ...JSON_TYPE, "agent-stream-kind": "agent", "stream-ttl": "3600" },
        body: '{"type":"run.started"}',
      });
      const r = await t.call("HEAD", "a");
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/json");
      assert.equal(r.headers.get("agent-stream-kind"), "agent");
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000001");
      assert.equal(r.headers.get("stream-ttl"), "3600");
      assert.equal(r.headers.get("stream-expires-at"), null);
      assert.equal(r.headers.get("stream-closed"), null);
      assert.match(r.headers.get("cache-control") ?? "", /no-store/);
      assert.equal(await r.text(), "");

      await t.call("PUT", "t", {
        headers: {
          ...TEXT_TYPE,
          "stream-expires-at": "2030-01-01T00:00:00Z",
          "stream-closed": "true",
        },
        body: "abc",
      });
      const closed = await t.call("HEAD", "t");
      assert.equal(closed.headers.get("content-type"), "text/plain");
      assert.equal(closed.headers.get("stream-closed"), "true");
      assert.equal(closed.headers.get("stream-next-offset"), "0000000000000003");
      assert.equal(closed.headers.get("stream-expires-at"), "2030-01-01T00:00:00.000Z");
    }));

  it("errors keep their status and headers but carry no body (ERR-HTTP-1)", () =>
    withServer(async (t) => {
      const missing = await t.call("HEAD", "none");
      assert.equal(missing.status, 404);
      assert.equal(await missing.text(), "");
      await t.call("PUT", "src");
      await t.call("PUT", "f", { headers: { "stream-forked-from": "src" } });
      await t.call("DELETE", "src");
      assert.equal((await t.call("HEAD", "src")).status, 410);
      assert.equal((await t.call("HEAD", "a%00b")).status, 400);
    }));
});
