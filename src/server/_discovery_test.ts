import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DiscoverySchema } from "../protocol/discovery.ts";
import { validate } from "../protocol/validate.ts";
import { problemOf, withServer } from "./_http_test_kit.ts";

describe("discovery document", () => {
  it("DISC-GET-1/2: 200 application/json, valid against the schema", () =>
    withServer(async (t) => {
      const r = await t.call("GET", "/v1");
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/json");
      const doc = await r.json();
      assert.deepEqual(validate(DiscoverySchema, doc), { ok: true, value: doc });
      assert.deepEqual(doc.versions, ["1.0"]); // DISC-VERSION-1/2
      assert.equal(doc.bindings.http.streamPrefix, "/v1/stream/");
      assert.ok(doc.contentTypes.includes("application/json")); // DISC-DOC-1
    }));

  it("DISC-FEATURE-1/2, DISC-BIND-2…5: features and bindings follow what is enabled", () =>
    withServer(async (t) => {
      const doc = await (await t.call("GET", "/v1")).json();
      assert.deepEqual(doc.features, [
        "long-poll",
        "sse",
        "websocket",
        "idempotent-producer",
        "stream-seq",
        "ttl",
        "fork",
        "agent",
      ]);
      assert.deepEqual(doc.bindings.websocket, {
        path: "/v1/ws",
        subprotocols: ["agent-stream.v1"],
        heartbeatMs: 7000,
        maxSubscriptions: 3,
      });
      assert.deepEqual(doc.bindings.longPoll, { timeoutMs: 1234 });
      assert.equal(doc.bindings.sse.heartbeatMs, 7000);
      assert.equal(doc.limits.maxMessageBytes, 4096);
      assert.equal(doc.limits.maxWsFrameBytes, 8 * 1024 * 1024);
    }, {
      limits: { maxMessageBytes: 4096, maxWsSubscriptions: 3 },
      timing: { longPollTimeoutMs: 1234, heartbeatMs: 7000 },
    }));

  it("without the WebSocket binding: no feature, no binding, /v1/ws is 404 (WS-HANDSHAKE-6)", () =>
    withServer(async (t) => {
      const doc = await (await t.call("GET", "/v1")).json();
      assert.ok(!doc.features.includes("websocket"));
      assert.equal(doc.bindings.websocket, undefined);
      assert.equal(doc.limits.maxWsFrameBytes, undefined);
      await problemOf(await t.call("GET", "/v1/ws"), "not-found");
      const upgrade = t.server.checkWsUpgrade(
        new Request("http://localhost/v1/ws", {
          headers: { upgrade: "websocket", "sec-websocket-protocol": "agent-stream.v1" },
        }),
      );
      assert.ok(upgrade instanceof Response);
      await problemOf(upgrade, "not-found");
    }, { websocket: false }));

  it("DISC-GET-4: served whatever Agent-Stream-Version says", () =>
    withServer(async (t) => {
      for (const version of ["2.0", "junk", "1.7"]) {
        const r = await t.call("GET", "/v1", { headers: { "agent-stream-version": version } });
        assert.equal(r.status, 200);
      }
    }));

  it("DISC-GET-5/6/7, DISC-CACHE-1: HEAD, 405 for other methods, CORS, short max-age", () =>
    withServer(async (t) => {
      const head = await t.call("HEAD", "/v1");
      assert.equal(head.status, 200);
      assert.equal(head.headers.get("content-type"), "application/json");
      assert.equal(await head.text(), "");
      const get = await t.call("GET", "/v1");
      assert.equal(get.headers.get("access-control-allow-origin"), "*");
      const maxAge = Number(/max-age=(\d+)/.exec(get.headers.get("cache-control") ?? "")?.[1]);
      assert.ok(maxAge > 0 && maxAge <= 300);
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
        const r = await t.call(method, "/v1");
        await problemOf(r, "method-not-allowed");
        assert.match(r.headers.get("allow") ?? "", /GET, HEAD/);
      }
    }));
});
