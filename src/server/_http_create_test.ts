import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSON_TYPE, problemOf, TEXT_TYPE, withServer } from "./_http_test_kit.ts";

const AGENT = { ...JSON_TYPE, "agent-stream-kind": "agent" };

describe("PUT: create", () => {
  it("HTTP-CREATE-1, HTTP-CREATE-9: 201 with the tail after initial messages, and Location", () =>
    withServer(async (t) => {
      const r = await t.call("PUT", "chats/1", { headers: JSON_TYPE, body: '[{"a":1}, 2, "x"]' });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000003");
      assert.equal(r.headers.get("location"), "http://localhost/v1/stream/chats/1");
      assert.equal(r.headers.get("content-type"), "application/json");
      assert.equal(r.headers.get("agent-stream-kind"), "json"); // HTTP-HDR-2
      const read = await t.call("GET", "chats/1");
      assert.equal(await read.text(), '[{"a":1},2,"x"]');
    }));

  it("creates an empty stream from no body or [] (Durable Streams JSON mode)", () =>
    withServer(async (t) => {
      assert.equal((await t.call("PUT", "a")).status, 201);
      assert.equal((await t.call("PUT", "b", { headers: JSON_TYPE, body: "[]" })).status, 201);
      assert.equal(await (await t.call("GET", "b")).text(), "[]");
    }));

  it("HTTP-CREATE-2: 200 and nothing changed for the same configuration", () =>
    withServer(async (t) => {
      const headers = { ...TEXT_TYPE, "stream-ttl": "60" };
      assert.equal((await t.call("PUT", "s", { headers, body: "one" })).status, 201);
      const again = await t.call("PUT", "s", {
        headers: { ...headers, "content-type": "TEXT/PLAIN" },
        body: "two",
      });
      assert.equal(again.status, 200);
      assert.equal(again.headers.get("location"), null);
      assert.equal(await (await t.call("GET", "s")).text(), "one");
    }));

  it("HTTP-CREATE-3: 409 stream-exists when any property differs", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: { ...TEXT_TYPE, "stream-ttl": "60" } });
      for (
        const headers of [
          { ...JSON_TYPE, "stream-ttl": "60" },
          { ...TEXT_TYPE, "stream-ttl": "61" },
          { ...TEXT_TYPE },
          { ...TEXT_TYPE, "stream-ttl": "60", "stream-closed": "true" },
        ]
      ) {
        await problemOf(await t.call("PUT", "s", { headers }), "stream-exists");
      }
      await t.call("PUT", "j", { headers: JSON_TYPE });
      await problemOf(await t.call("PUT", "j", { headers: AGENT }), "stream-exists");
    }));

  it("HTTP-CREATE-4: Stream-Closed: true creates the stream closed, after its messages", () =>
    withServer(async (t) => {
      const r = await t.call("PUT", "c", {
        headers: { ...JSON_TYPE, "stream-closed": "TRUE" },
        body: "[1,2]",
      });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("stream-closed"), "true");
      const read = await t.call("GET", "c");
      assert.equal(await read.text(), "[1,2]");
      assert.equal(read.headers.get("stream-closed"), "true");
      // A value other than "true" is no close request.
      await t.call("PUT", "o", { headers: { ...JSON_TYPE, "stream-closed": "yes" } });
      assert.equal((await t.call("HEAD", "o")).headers.get("stream-closed"), null);
    }));

  it("HTTP-CREATE-5: TTL and expiry formats", () =>
    withServer(async (t) => {
      for (const ttl of ["abc", "-1", "00060", "+60", "60.5", "1e3", ""]) {
        await problemOf(
          await t.call("PUT", "x", { headers: { "stream-ttl": ttl } }),
          "invalid-header",
        );
      }
      for (
        const at of ["not-a-timestamp", "2026-01-01", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00"]
      ) {
        await problemOf(
          await t.call("PUT", "x", { headers: { "stream-expires-at": at } }),
          "invalid-header",
        );
      }
      // LOG-TTL-3.
      await problemOf(
        await t.call("PUT", "x", {
          headers: { "stream-ttl": "60", "stream-expires-at": "2027-01-01T00:00:00Z" },
        }),
        "invalid-header",
      );
      assert.equal((await t.call("PUT", "ttl", { headers: { "stream-ttl": "3600" } })).status, 201);
      for (
        const [path, at, expected] of [
          ["z", "2027-01-01T00:00:00Z", "2027-01-01T00:00:00.000Z"],
          ["offset", "2027-01-01T02:00:00.5+02:00", "2027-01-01T00:00:00.500Z"],
          ["lower", "2027-01-01t00:00:00z", "2027-01-01T00:00:00.000Z"],
          ["leap", "2026-12-31T23:59:60Z", "2027-01-01T00:00:00.000Z"],
        ]
      ) {
        const r = await t.call("PUT", path, { headers: { "stream-expires-at": at } });
        assert.equal(r.status, 201, at);
        const head = await t.call("HEAD", path);
        assert.equal(head.headers.get("stream-expires-at"), expected);
      }
      assert.equal((await t.call("HEAD", "ttl")).headers.get("stream-ttl"), "3600");
    }));

  it("HTTP-CREATE-6: Agent-Stream-Kind is json (the default) or agent", () =>
    withServer(async (t) => {
      await problemOf(
        await t.call("PUT", "k", { headers: { "agent-stream-kind": "Agent" } }),
        "invalid-header",
      );
      const r = await t.call("PUT", "k", { headers: AGENT });
      assert.equal(r.headers.get("agent-stream-kind"), "agent");
    }));

  it("HTTP-CREATE-7: 415 for a content type the server does not serve; listed ones are byte streams", () =>
    withServer(async (t) => {
      await problemOf(
        await t.call("PUT", "v", { headers: { "content-type": "video/mp4" } }),
        "unsupported-media-type",
      );
      await problemOf(
        await t.call("PUT", "v", { headers: { "content-type": "garbage" } }),
        "unsupported-media-type",
      );
      const r = await t.call("PUT", "t", { headers: TEXT_TYPE, body: "hello" });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("content-type"), "text/plain");
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000005"); // LOG-BYTES-1
      const charset = await t.call("PUT", "cs", {
        headers: { "content-type": "application/json; charset=utf-8" },
        body: '{"a":1}',
      });
      assert.equal(charset.status, 201);
      assert.equal(await (await t.call("GET", "cs")).text(), '[{"a":1}]');
    }));

  it("HTTP-CREATE-10: an agent stream has to be application/json", () =>
    withServer(async (t) => {
      await problemOf(
        await t.call("PUT", "k", { headers: { ...TEXT_TYPE, "agent-stream-kind": "agent" } }),
        "invalid-header",
      );
    }));

  it("HTTP-CREATE-8: initial messages of an agent stream are envelopes, or nothing is created", () =>
    withServer(async (t) => {
      const p = await problemOf(
        await t.call("PUT", "k", { headers: AGENT, body: '[{"type":"run.started"},{"type":7}]' }),
        "invalid-envelope",
      );
      assert.ok(p.errors?.some((e) => e.path === "/1/type"));
      await problemOf(await t.call("GET", "k"), "stream-not-found");
      assert.equal(
        (await t.call("PUT", "k", { headers: AGENT, body: '{"type":"run.started"}' })).status,
        201,
      );
    }));

  it("refuses an invalid JSON body or oversize messages, creating nothing (HTTP-ERR-2)", () =>
    withServer(
      async (t) => {
        await problemOf(
          await t.call("PUT", "j", { headers: JSON_TYPE, body: "{" }),
          "invalid-json",
        );
        await problemOf(
          await t.call("PUT", "j", { headers: JSON_TYPE, body: `["${"x".repeat(40)}"]` }),
          "payload-too-large",
        );
        await problemOf(
          await t.call("PUT", "j", { headers: TEXT_TYPE, body: "x".repeat(300) }),
          "payload-too-large",
        );
        await problemOf(await t.call("GET", "j"), "stream-not-found");
      },
      { limits: { maxMessageBytes: 32, maxBodyBytes: 256 } },
    ));

  it("DISC-LIMIT-6: 507 stream-limit beyond maxStreams; deleted and expired streams free slots", () =>
    withServer(
      async (t) => {
        assert.equal((await t.call("PUT", "a")).status, 201);
        assert.equal((await t.call("PUT", "b", { headers: { "stream-ttl": "10" } })).status, 201);
        await problemOf(await t.call("PUT", "c"), "stream-limit");
        // An identical create of an existing stream is still answered.
        assert.equal((await t.call("PUT", "a")).status, 200);
        assert.equal((await t.call("DELETE", "a")).status, 204);
        assert.equal((await t.call("PUT", "c")).status, 201);
        await problemOf(await t.call("PUT", "d"), "stream-limit");
        t.now += 11_000; // b expires
        assert.equal((await t.call("PUT", "d")).status, 201);
      },
      { limits: { maxStreams: 2 } },
    ));
});

describe("PUT: fork", () => {
  async function source(t: Parameters<Parameters<typeof withServer>[0]>[0]) {
    await t.call("PUT", "src", { headers: JSON_TYPE, body: "[0,1,2,3]" });
  }

  it("LOG-FORK-1, LOG-FORK-5: a fork reads the source's messages before the fork offset", () =>
    withServer(async (t) => {
      await source(t);
      const all = await t.call("PUT", "f1", { headers: { "stream-forked-from": "src" } });
      assert.equal(all.status, 201);
      assert.equal(all.headers.get("stream-next-offset"), "0000000000000004");
      const part = await t.call("PUT", "f2", {
        headers: { "stream-forked-from": "src", "stream-fork-offset": "0000000000000002" },
      });
      assert.equal(part.status, 201);
      await t.call("POST", "f2", { headers: JSON_TYPE, body: '"own"' });
      assert.equal(await (await t.call("GET", "f2")).text(), '[0,1,"own"]');
      // Idempotent with the same origin, 409 with another (HTTP-CREATE-2/3).
      const headers = { "stream-forked-from": "src", "stream-fork-offset": "0000000000000002" };
      assert.equal((await t.call("PUT", "f2", { headers })).status, 200);
      await problemOf(
        await t.call("PUT", "f2", { headers: { "stream-forked-from": "src" } }),
        "stream-exists",
      );
    }));

  it("accepts the source as a Durable Streams URL path and a Stream-Fork-Sub-Offset", () =>
    withServer(async (t) => {
      await source(t);
      const r = await t.call("PUT", "f", {
        headers: {
          "stream-forked-from": "/v1/stream/src",
          "stream-fork-offset": "0000000000000001",
          "stream-fork-sub-offset": "2",
        },
      });
      assert.equal(r.status, 201);
      assert.equal(await (await t.call("GET", "f")).text(), "[0,1,2]");
      for (const bad of ["-1", "abc", "1.5", "05", "+1"]) {
        await problemOf(
          await t.call("PUT", "g", {
            headers: {
              "stream-forked-from": "src",
              "stream-fork-offset": "0000000000000000",
              "stream-fork-sub-offset": bad,
            },
          }),
          "invalid-header",
        );
      }
      await problemOf(
        await t.call("PUT", "g", {
          headers: { "stream-forked-from": "src", "stream-fork-sub-offset": "1" },
        }),
        "invalid-header",
      );
      await problemOf(
        await t.call("PUT", "g", { headers: { "stream-fork-sub-offset": "0" } }),
        "invalid-header",
      );
      await problemOf(
        await t.call("PUT", "g", {
          headers: {
            "stream-forked-from": "src",
            "stream-fork-offset": "0000000000000003",
            "stream-fork-sub-offset": "2",
          },
        }),
        "offset-out-of-range",
      );
    }));

  it("HTTP-FORK-1: 409 when the content type or kind differs from the source's", () =>
    withServer(async (t) => {
      await source(t);
      await problemOf(
        await t.call("PUT", "f", { headers: { ...TEXT_TYPE, "stream-forked-from": "src" } }),
        "stream-exists",
      );
      await problemOf(
        await t.call("PUT", "f", { headers: { ...AGENT, "stream-forked-from": "src" } }),
        "stream-exists",
      );
      // The refused fork took no reference on the source: deleting it frees the path.
      assert.equal((await t.call("DELETE", "src")).status, 204);
      await problemOf(await t.call("GET", "src"), "stream-not-found");
      // A fork of an agent stream that names another content type differs from its
      // source (409); it does not ask for an agent byte stream (HTTP-CREATE-10).
      await t.call("PUT", "a", { headers: AGENT, body: '{"type":"run.started"}' });
      await problemOf(
        await t.call("PUT", "g", { headers: { ...TEXT_TYPE, "stream-forked-from": "a" } }),
        "stream-exists",
      );
    }));

  it("HTTP-FORK-2, LOG-FORK-4: malformed, out-of-range and missing sources", () =>
    withServer(async (t) => {
      await source(t);
      for (const offset of ["0", "-1", "now", "0000000000000000_0000000000000000"]) {
        await problemOf(
          await t.call("PUT", "f", {
            headers: { "stream-forked-from": "src", "stream-fork-offset": offset },
          }),
          "invalid-offset",
        );
      }
      for (const offset of ["0000000000000005", "9999999999999999"]) {
        await problemOf(
          await t.call("PUT", "f", {
            headers: { "stream-forked-from": "src", "stream-fork-offset": offset },
          }),
          "offset-out-of-range",
        );
      }
      await problemOf(
        await t.call("PUT", "f", { headers: { "stream-forked-from": "missing" } }),
        "stream-not-found",
      );
      await problemOf(
        await t.call("PUT", "f", { headers: { "stream-forked-from": "a//b" } }),
        "invalid-stream-name",
      );
      await problemOf(
        await t.call("PUT", "f", { headers: { "stream-fork-offset": "0000000000000000" } }),
        "invalid-header",
      );
    }));

  it("HTTP-DELETE-2: a soft-deleted source holds its path (409) and cannot be forked (409)", () =>
    withServer(async (t) => {
      await source(t);
      await t.call("PUT", "f", { headers: { "stream-forked-from": "src" } });
      assert.equal((await t.call("DELETE", "src")).status, 204);
      await problemOf(await t.call("PUT", "src"), "stream-exists");
      await problemOf(
        await t.call("PUT", "g", { headers: { "stream-forked-from": "src" } }),
        "stream-exists",
      );
      assert.equal(await (await t.call("GET", "f")).text(), "[0,1,2,3]"); // LOG-DELETE-2
    }));

  it("an agent fork validates its initial messages as envelopes (ENV-AGENT-5)", () =>
    withServer(async (t) => {
      await t.call("PUT", "a", { headers: AGENT, body: '{"type":"run.started"}' });
      await problemOf(
        await t.call("PUT", "f", {
          headers: { ...JSON_TYPE, "stream-forked-from": "a" },
          body: "[1]",
        }),
        "invalid-envelope",
      );
      const ok = await t.call("PUT", "f", {
        headers: { ...JSON_TYPE, "stream-forked-from": "a" },
        body: '{"type":"run.finished"}',
      });
      assert.equal(ok.status, 201);
      assert.equal(ok.headers.get("agent-stream-kind"), "agent");
    }));
});
