// StreamClient and the discovery document: stream URLs come from it before
// the first request (DISC-BIND-8), unlisted features are not used
// (DISC-FEATURE-7), requests stay within its limits (DISC-LIMIT-9), and an
// unsupported-version problem makes it fetch the document again (DISC-CACHE-3).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FakeStreamServer } from "../../test/client/fake_stream_server.ts";
import { StreamClient } from "./stream_client.ts";

type Doc = Record<string, unknown>;

/** The fake server behind a document edited by `edit`, served under `prefix` if given. */
function served(edit: (doc: Doc) => Doc, prefix?: string) {
  const server = new FakeStreamServer();
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (prefix !== undefined && url.pathname.startsWith(prefix)) {
      url.pathname = `/v1/stream/${url.pathname.slice(prefix.length)}`;
      request = new Request(url, request);
    } else if (prefix !== undefined && url.pathname.startsWith("/v1/stream/")) {
      return new Response(null, { status: 404 });
    }
    const response = await server.fetch(request);
    if (url.pathname !== "/v1") return response;
    return Response.json(edit(await response.json()), {
      headers: { "cache-control": "max-age=60" },
    });
  };
  const client = new StreamClient({
    baseUrl: "http://test",
    fetch,
    backoff: { initialDelayMs: 0, maxAttempts: 3 },
  });
  return { server, client };
}

const streamRequests = (server: FakeStreamServer) =>
  server.requests.filter((r) => new URL(r.url).pathname.startsWith("/v1/stream/"));

describe("StreamClient and the discovery document", () => {
  test("the first request, an append, already goes to the advertised stream prefix (DISC-BIND-8)", async () => {
    const { server, client } = served((doc) => ({
      ...doc,
      bindings: { ...(doc.bindings as Doc), http: { streamPrefix: "/alt/streams/" } },
    }), "/alt/streams/");
    await client.create("a");
    await client.append("a", [1]);
    assert.deepEqual(server.log("a"), ["1"]);
  });

  test("SSE falls back to long-poll when the server lists no sse; with neither the read fails (DISC-FEATURE-7)", async () => {
    const { server, client } = served((doc) => ({ ...doc, features: ["long-poll"] }));
    await client.create("a");
    await client.append("a", [1]);
    await client.close("a");
    const events = [];
    for await (const event of client.read("a", { live: "sse" })) events.push(event.message);
    assert.deepEqual(events, [1]);
    const reads = streamRequests(server).filter((r) => r.method === "GET");
    assert.ok(
      reads.length > 0 &&
        reads.every((r) => new URL(r.url).searchParams.get("live") === "long-poll"),
    );

    const none = served((doc) => ({ ...doc, features: [] }));
    await none.client.create("b");
    await assert.rejects(none.client.read("b", { live: "long-poll" }).run(), { code: "protocol" });
    assert.equal(streamRequests(none.server).filter((r) => r.method === "GET").length, 0);
  });

  test("producer and Stream-Seq appends the server does not offer fail before sending (DISC-FEATURE-7)", async () => {
    const { server, client } = served((doc) => ({ ...doc, features: ["long-poll", "sse"] }));
    await client.create("a");
    await assert.rejects(
      client.append("a", [1], { producer: { id: "p", epoch: 0, seq: 0 } }),
      { code: "protocol" },
    );
    await assert.rejects(client.append("a", [1], { streamSeq: "a" }), { code: "protocol" });
    assert.equal(streamRequests(server).filter((r) => r.method === "POST").length, 0);
  });

  test("appends beyond maxMessageBytes or maxBodyBytes fail before sending (DISC-LIMIT-9)", async () => {
    const { server, client } = served((doc) => ({
      ...doc,
      limits: { ...(doc.limits as Doc), maxMessageBytes: 64, maxBodyBytes: 128 },
    }));
    await client.create("a");
    await assert.rejects(client.append("a", ["x".repeat(80)]), {
      code: "payload-too-large",
      status: 413,
    });
    await assert.rejects(
      client.append("a", Array.from({ length: 4 }, () => "y".repeat(40))),
      { code: "payload-too-large" },
    );
    await client.append("a", ["z".repeat(40)]);
    assert.equal(streamRequests(server).filter((r) => r.method === "POST").length, 1);
  });

  test("after a read refused with unsupported-version the next read fetches the document again (DISC-CACHE-3)", async () => {
    const { server, client } = served((doc) => doc);
    await client.create("a");
    await client.close("a");
    server.inject(
      { kind: "status", status: 400, slug: "unsupported-version" },
      (r) => r.method === "GET" && r.url.includes("/stream/"),
    );
    await assert.rejects(client.read("a", { live: "sse" }).run(), { code: "unsupported-version" });
    const before = server.requests.filter((r) => new URL(r.url).pathname === "/v1").length;
    await client.read("a", { live: "sse" }).run();
    const after = server.requests.filter((r) => new URL(r.url).pathname === "/v1").length;
    assert.equal(after, before + 1);
  });
});
