import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FakeStreamServer } from "../../test/client/fake_stream_server.ts";
import { StreamClient } from "./stream_client.ts";
import { errorFromResponse, StreamError } from "./stream_error.ts";

function setup() {
  const server = new FakeStreamServer();
  const client = new StreamClient({
    baseUrl: "http://test",
    fetch: server.fetch,
    backoff: { initialDelayMs: 0, maxAttempts: 5 },
    headers: () => ({ authorization: "Bearer t" }),
  });
  return { server, client };
}

describe("StreamClient", () => {
  test("builds stream URLs with each segment percent-encoded", () => {
    const client = new StreamClient({ baseUrl: "http://h/api" });
    assert.equal(client.streamUrl("chats/a b/ü?"), "http://h/api/v1/stream/chats/a%20b/%C3%BC%3F");
    assert.equal(new StreamClient({ baseUrl: "http://h/" }).streamUrl("x"), "http://h/v1/stream/x");
  });

  test("takes the stream prefix from the discovery document once read (DISC-BIND-8)", async () => {
    const client = new StreamClient({
      baseUrl: "http://h/api",
      fetch: () =>
        Promise.resolve(Response.json({
          protocol: "agent-stream",
          versions: ["1.0"],
          bindings: { http: { streamPrefix: "/elsewhere/streams/" } },
          limits: {},
          features: [],
        })),
    });
    const doc = await client.discover();
    assert.deepEqual(doc.versions, ["1.0"]);
    assert.equal(client.streamUrl("a/b"), "http://h/elsewhere/streams/a/b");
  });

  test("sends Agent-Stream-Version and the caller's headers on every request", async () => {
    const { server, client } = setup();
    await client.create("a");
    await client.append("a", [1]);
    for (const request of server.requests) {
      assert.equal(request.headers.get("agent-stream-version"), "1.0");
      assert.equal(request.headers.get("authorization"), "Bearer t");
    }
  });

  test("create: 201 then 200 for the same configuration; the kind is reported", async () => {
    const { server, client } = setup();
    const first = await client.create("a", { kind: "agent", messages: [{ type: "run.started" }] });
    assert.deepEqual(first, { created: true, nextOffset: "0000000000000001", kind: "agent" });
    const again = await client.create("a", { kind: "agent" });
    assert.equal(again.created, false);
    const put = server.requests.find((r) => r.method === "PUT")!;
    assert.equal(put.headers.get("agent-stream-kind"), "agent");
    assert.equal(put.headers.get("content-type"), "application/json");
  });

  test("create sends TTL, expiry, closed and fork headers", async () => {
    const { server, client } = setup();
    await client.create("a", { ttlSeconds: 60, closed: true });
    await client.create("b", { expiresAt: new Date(Date.UTC(2030, 0, 1)) });
    await client.create("c", { forkedFrom: "a", forkOffset: 0 });
    const [a, b, c] = server.requests.filter((r) => r.method === "PUT");
    assert.equal(a.headers.get("stream-ttl"), "60");
    assert.equal(a.headers.get("stream-closed"), "true");
    assert.equal(b.headers.get("stream-expires-at"), "2030-01-01T00:00:00.000Z");
    assert.equal(c.headers.get("stream-forked-from"), "a");
    assert.equal(c.headers.get("stream-fork-offset"), "0000000000000000");
    assert.equal(c.headers.get("content-type"), null);
  });

  test("append sends one batch and reports the tail; close reports closed", async () => {
    const { server, client } = setup();
    await client.create("a");
    const result = await client.append("a", [{ a: 1 }, [2, 3]]);
    assert.deepEqual(result, { nextOffset: "0000000000000002", closed: false, duplicate: false });
    assert.deepEqual(server.log("a"), ['{"a":1}', "[2,3]"]);
    const closed = await client.close("a");
    assert.equal(closed.closed, true);
    await assert.rejects(client.append("a", [1]), { code: "stream-closed", status: 409 });
    await assert.rejects(client.append("a", []), TypeError);
  });

  test("a plain append is not repeated after a 5xx or a network failure (ERR-RETRY-5)", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.inject({ kind: "status", status: 503, slug: "unavailable" }, (r) => r.method === "POST");
    await assert.rejects(client.append("a", [1]), { code: "unavailable" });
    server.inject({ kind: "apply-then-drop" }, (r) => r.method === "POST");
    await assert.rejects(client.append("a", [2]), { code: "network" });
    assert.deepEqual(server.log("a"), ["2"]);
    assert.equal(server.requests.filter((r) => r.method === "POST").length, 2);
  });

  test("a plain append refused with 429 is repeated, after Retry-After", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.inject(
      { kind: "status", status: 429, slug: "rate-limited", retryAfter: "0" },
      (r) => r.method === "POST",
    );
    await client.append("a", [1]);
    assert.deepEqual(server.log("a"), ["1"]);
  });

  test("head and delete", async () => {
    const { server, client } = setup();
    await client.create("a", { kind: "agent" });
    server.append("a", [{ type: "x.y" }]);
    assert.deepEqual(await client.head("a"), {
      nextOffset: "0000000000000001",
      closed: false,
      kind: "agent",
      contentType: "application/json",
    });
    await client.delete("a");
    await assert.rejects(client.head("a"), { code: "stream-not-found", status: 404 });
    await assert.rejects(client.delete("a"), { code: "stream-not-found" });
  });

  test("an aborted signal cancels an operation with its reason", async () => {
    const { client } = setup();
    await assert.rejects(
      client.create("a", { signal: AbortSignal.abort(new Error("no")) }),
      /no/,
    );
  });
});

describe("StreamError", () => {
  test("reads the problem type, not the title (ERR-TYPE-5), and unknown types by status (ERR-TYPE-6)", async () => {
    const known = await errorFromResponse(
      new Response(
        JSON.stringify({
          type: "https://agent-stream.dev/problems/rate-limited",
          title: "Something else entirely",
          status: 429,
          retryAfterMs: 1500,
          extra: "ignored",
        }),
        { status: 429 },
      ),
    );
    assert.equal(known.code, "rate-limited");
    assert.equal(known.retryAfterMs, 1500);
    assert.equal(known.transient, true);
    const unknown = await errorFromResponse(
      new Response(
        JSON.stringify({ type: "https://example.com/quota", title: "Quota", status: 503 }),
        {
          status: 503,
          headers: { "retry-after": "2" },
        },
      ),
    );
    assert.equal(unknown.code, "http");
    assert.equal(unknown.transient, true);
    assert.equal(unknown.retryAfterMs, 2000);
    const html = await errorFromResponse(new Response("<html>", { status: 404 }));
    assert.equal(html.code, "http");
    assert.equal(html.transient, false);
  });

  test("producer members come from the problem or from the headers", () => {
    const error = new StreamError("gap", {
      code: "producer-seq-gap",
      headers: new Headers({ "producer-expected-seq": "4", "producer-received-seq": "6" }),
    });
    assert.equal(error.expectedSeq, 4);
    assert.equal(error.receivedSeq, 6);
  });
});
