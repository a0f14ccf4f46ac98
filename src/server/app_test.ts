import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore } from "../stores/memory_store.ts";
import { createServer } from "./app.ts";
import { JSON_TYPE, problemOf, withServer } from "./_http_test_kit.ts";

describe("routing", () => {
  it("HTTP-RES-1: 405 method-not-allowed with Allow for unsupported methods", () =>
    withServer(async (t) => {
      for (const method of ["PATCH", "PROPFIND"]) {
        const r = await t.call(method, "s");
        await problemOf(r, "method-not-allowed");
        assert.equal(r.headers.get("allow"), "GET, HEAD, PUT, POST, DELETE, OPTIONS");
      }
    }));

  it("HTTP-RES-2: 404 not-found for anything else", () =>
    withServer(async (t) => {
      for (const path of ["/", "/v1/", "/v1/stream", "/v1/streams/a", "/v2/stream/a", "/v1/ws/x"]) {
        await problemOf(await t.call("GET", path), "not-found");
      }
    }));

  it("HTTP-HDR-1: every response carries Agent-Stream-Version", () =>
    withServer(async (t) => {
      const responses = [
        await t.call("GET", "/v1"),
        await t.call("PUT", "s"),
        await t.call("GET", "s"),
        await t.call("GET", "missing"),
        await t.call("GET", "/v1/nothing"),
        await t.call("OPTIONS", "s"),
        await t.call("GET", "s", { headers: { "agent-stream-version": "9.0" } }),
      ];
      for (const r of responses) assert.equal(r.headers.get("agent-stream-version"), "1.0");
    }));
});

describe("stream paths", () => {
  it("HTTP-PATH-1: empty, overlong, dot and empty segments, control characters, backslashes, bad encodings", () =>
    withServer(async (t) => {
      const bad = [
        "",
        "a//b",
        "a/",
        "%2Fa",
        "a%2F..%2Fb",
        "a%2F.",
        "%2E%2E%2Fx",
        "a%00b",
        "a%1Fb",
        "a%7Fb",
        "a%5Cb",
        "%",
        "%zz",
        "%C3",
        "%ED%A0%80",
        "%FF",
        "x".repeat(1025),
        "%C3%A9".repeat(513), // 513 characters, 1026 bytes
      ];
      for (const path of bad) {
        for (const method of ["GET", "PUT", "POST", "DELETE"]) {
          await problemOf(
            await t.call(method, "/v1/stream/" + path, {
              headers: JSON_TYPE,
              body: method === "POST" ? "1" : undefined,
            }),
            "invalid-stream-name",
          );
        }
      }
      for (
        const path of [
          "a",
          "tenants/acme/chats/42",
          "x".repeat(1024),
          "caf%C3%A9",
          "a.b/..c/.d",
          "%F0%9F%98%80",
        ]
      ) {
        assert.equal((await t.call("PUT", path)).status, 201, path);
      }
    }));

  it("HTTP-PATH-1: maxStreamPathBytes bounds paths in UTF-8 bytes (DISC-LIMIT-5)", () =>
    withServer(async (t) => {
      assert.equal((await t.call("PUT", "%C3%A9%C3%A9")).status, 201);
      await problemOf(await t.call("PUT", "%C3%A9%C3%A9x"), "invalid-stream-name");
    }, { limits: { maxStreamPathBytes: 4 } }));

  it("HTTP-PATH-2: paths are the same stream when their decoded forms are equal", () =>
    withServer(async (t) => {
      await t.call("PUT", "caf%C3%A9", { headers: JSON_TYPE, body: "[1]" });
      assert.equal(await (await t.call("GET", "café")).text(), "[1]");
      await t.call("PUT", "a%2Fb", { headers: JSON_TYPE, body: "[2]" });
      assert.equal(await (await t.call("GET", "a/b")).text(), "[2]");
      // Decoded once: %252F is a literal "%2F", not a slash.
      await t.call("PUT", "x%252Fy", { headers: JSON_TYPE, body: "[3]" });
      await problemOf(await t.call("GET", "x/y"), "stream-not-found");
      assert.equal(await (await t.call("GET", "x%252Fy")).text(), "[3]");
      // Case matters after decoding.
      await problemOf(await t.call("GET", "CAF%C3%A9"), "stream-not-found");
    }));
});

describe("version negotiation", () => {
  it("VER-NEG-1: a version of major 1 is served with the highest minor not above it", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      for (const version of ["1.0", "1.7", "1.10", " 1.0 "]) {
        const r = await t.call("GET", "s", { headers: { "agent-stream-version": version } });
        assert.equal(r.status, 200, version);
        assert.equal(r.headers.get("agent-stream-version"), "1.0");
      }
    }));

  it("VER-NEG-2: another major or an unparseable version is 400 unsupported-version", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      for (const version of ["2.0", "0.9", "1", "v1.0", "1.0.0", "", "01.0", "1.x"]) {
        const p = await problemOf(
          await t.call("GET", "s", { headers: { "agent-stream-version": version } }),
          "unsupported-version",
        );
        assert.deepEqual(p.supported, ["1.0"]); // ERR-EXT-3
      }
    }));
});

describe("WebSocket endpoint", () => {
  const opening = {
    upgrade: "websocket",
    connection: "Upgrade",
    "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    "sec-websocket-version": "13",
  };
  const handshake = { ...opening, "sec-websocket-protocol": "agent-stream.v1" };

  it("checkWsUpgrade: upgrade for a valid handshake, undefined elsewhere", () =>
    withServer((t) => {
      const check = (path: string, init: RequestInit = {}) =>
        t.server.checkWsUpgrade(new Request("http://localhost" + path, init));
      assert.equal(check("/v1/ws", { headers: handshake }), "upgrade");
      assert.equal(
        check("/v1/ws", {
          headers: {
            ...opening,
            upgrade: "WebSocket",
            connection: "keep-alive, Upgrade",
            "sec-websocket-protocol": "x, agent-stream.v1",
          },
        }),
        "upgrade",
      );
      assert.equal(check("/v1/stream/s", { headers: handshake }), undefined);
      assert.equal(check("/v1", { headers: handshake }), undefined);
      return Promise.resolve();
    }));

  it("WS-HANDSHAKE-3/4/5: refusals", () =>
    withServer(async (t) => {
      const check = (init: RequestInit) =>
        t.server.checkWsUpgrade(new Request("http://localhost/v1/ws", init)) as Response;
      const noProtocol = check({
        headers: { ...opening, "sec-websocket-protocol": "chat" },
      });
      const p = await problemOf(noProtocol, "unsupported-version");
      assert.deepEqual(p.supported, ["1.0"]);
      assert.equal(noProtocol.headers.get("agent-stream-version"), "1.0");
      await problemOf(
        check({ headers: { "sec-websocket-protocol": "agent-stream.v1" } }),
        "invalid-header",
      );
      // WS-HANDSHAKE-4: each header of RFC 6455 §4.2.1 is checked, whatever the runtime checks.
      const broken: Record<string, string | null>[] = [
        { upgrade: null },
        { upgrade: "h2c" },
        { connection: null },
        { connection: "keep-alive" },
        { "sec-websocket-key": null },
        { "sec-websocket-key": "short" },
        { "sec-websocket-version": null },
        { "sec-websocket-version": "8" },
      ];
      for (const change of broken) {
        const headers = new Headers(handshake);
        for (const [name, value] of Object.entries(change)) {
          if (value === null) headers.delete(name);
          else headers.set(name, value);
        }
        const r = check({ headers });
        await problemOf(r, "invalid-header");
        assert.equal(r.headers.get("sec-websocket-version"), "13");
      }
      for (const method of ["POST", "PUT", "OPTIONS"]) {
        const r = check({ method, headers: handshake });
        await problemOf(r, "method-not-allowed");
        assert.equal(r.headers.get("allow"), "GET");
      }
      // fetch() on the endpoint refuses what is not upgraded.
      await problemOf(await t.call("GET", "/v1/ws"), "invalid-header");
      await problemOf(await t.call("DELETE", "/v1/ws"), "method-not-allowed");
    }));

  it("openWs starts a session on an upgraded connection", () =>
    withServer((t) => {
      const sent: string[] = [];
      const connection = t.server.openWs({ send: (text) => sent.push(text), close: () => {} });
      assert.equal(typeof connection.receive, "function");
      connection.closed();
      return Promise.resolve();
    }));
});

describe("SSE dispatch", () => {
  it("live=sse is answered by the SSE binding", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: { ...JSON_TYPE, "stream-closed": "true" }, body: "[1]" });
      const r = await t.call("GET", "s?offset=-1&live=sse");
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type") ?? "", /^text\/event-stream/);
      assert.equal(r.headers.get("x-content-type-options"), "nosniff");
      assert.equal(r.headers.get("agent-stream-version"), "1.0");
      await r.body?.cancel();
    }));
});

describe("shutdown", () => {
  it("refuses new work with 503 unavailable and disposes the store, once", async () => {
    const store = new MemoryStore();
    const server = createServer({ store });
    await server.fetch(new Request("http://localhost/v1/stream/s", { method: "PUT" }));
    await Promise.all([server.shutdown(), server.shutdown()]);
    const r = await server.fetch(new Request("http://localhost/v1/stream/s"));
    const p = await problemOf(r, "unavailable");
    assert.ok(p.retryAfterMs !== undefined);
    assert.equal(r.headers.get("retry-after"), "1"); // ERR-RETRY-1/2
    const ws = server.checkWsUpgrade(
      new Request("http://localhost/v1/ws", {
        headers: { upgrade: "websocket", "sec-websocket-protocol": "agent-stream.v1" },
      }),
    );
    assert.ok(ws instanceof Response && ws.status === 503);
    await assert.rejects(store.create("x")); // disposed
  });

  it("lets requests in flight finish first", async () => {
    const store = new MemoryStore();
    const server = createServer({ store });
    await server.fetch(new Request("http://localhost/v1/stream/s", { method: "PUT" }));
    const append = server.fetch(
      new Request("http://localhost/v1/stream/s", {
        method: "POST",
        headers: JSON_TYPE,
        body: "[1,2]",
      }),
    );
    const stopped = server.shutdown();
    assert.equal((await append).status, 204);
    await stopped;
  });
});
