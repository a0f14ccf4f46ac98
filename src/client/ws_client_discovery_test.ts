// WsClient and the discovery document (with a base URL): the endpoint comes
// from it (DISC-BIND-8), a server without the binding is not connected to
// (DISC-FEATURE-7), appends stay within its limits (DISC-LIMIT-9), and it is
// fetched again when stale (DISC-CACHE-2) or after unsupported-version (DISC-CACHE-3).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { scriptedSockets, until } from "../../test/client/fake_websocket.ts";
import { WsClient } from "./ws_client.ts";

type Doc = Record<string, unknown>;

function document(overrides: Doc = {}): Doc {
  return {
    protocol: "agent-stream",
    versions: ["1.0"],
    bindings: {
      http: { streamPrefix: "/v1/stream/" },
      websocket: { path: "/alt/socket", subprotocols: ["agent-stream.v1"] },
    },
    limits: { maxMessageBytes: 64, maxBodyBytes: 128 },
    features: ["websocket", "idempotent-producer"],
    ...overrides,
  };
}

function setup(doc: Doc, maxAge = 60) {
  const { ctor, sockets } = scriptedSockets();
  const fetched: string[] = [];
  const client = new WsClient({
    baseUrl: "https://h/api",
    WebSocket: ctor,
    backoff: { initialDelayMs: 0, maxDelayMs: 1, maxAttempts: 5 },
    fetch: (request) => {
      fetched.push(request.url);
      return Promise.resolve(
        Response.json(doc, { headers: { "cache-control": `max-age=${maxAge}` } }),
      );
    },
  });
  return { client, sockets, fetched };
}

describe("WsClient and the discovery document", () => {
  test("connects to the advertised endpoint (DISC-BIND-8)", async () => {
    const { client, sockets, fetched } = setup(document());
    client.subscribe("a", {}, () => {});
    await until(() => sockets.length === 1);
    assert.deepEqual(fetched, ["https://h/api/v1"]);
    assert.equal(sockets[0].url, "wss://h/alt/socket");
    client.close();
  });

  test("does not connect to a server that lists no websocket (DISC-FEATURE-7)", async () => {
    const { client, sockets } = setup(document({ features: [] }));
    const subscription = client.subscribe("a", {}, () => {});
    await assert.rejects(subscription.done, { code: "protocol" });
    assert.equal(sockets.length, 0);
  });

  test("appends beyond the limits, or as a producer the server does not offer, fail unsent (DISC-LIMIT-9, DISC-FEATURE-7)", async () => {
    const { client, sockets } = setup(document({ features: ["websocket"] }));
    await assert.rejects(client.append("a", ["x".repeat(80)]), { code: "payload-too-large" });
    await assert.rejects(client.append("a", ["y".repeat(40), "y".repeat(40), "y".repeat(40)]), {
      code: "payload-too-large",
    });
    await assert.rejects(client.append("a", [1], { producer: { id: "p", epoch: 0, seq: 0 } }), {
      code: "protocol",
    });
    assert.equal(sockets.length, 0);
    client.close();
  });

  test("a stale document is fetched again before reconnecting (DISC-CACHE-2)", async () => {
    const { client, sockets, fetched } = setup(document(), 0);
    client.subscribe("a", {}, () => {});
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome();
    sockets[0].drop();
    await until(() => sockets.length === 2);
    assert.equal(fetched.length, 2);
    client.close();
  });

  test("an unsupported-version error makes the next connection fetch the document again (DISC-CACHE-3)", async () => {
    const { client, sockets, fetched } = setup(document());
    client.subscribe("a", {}, () => {});
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome();
    sockets[0].receive({
      type: "error",
      problem: {
        type: "https://agent-stream.dev/problems/unsupported-version",
        title: "Unsupported version",
        status: 400,
        supported: ["1.0"],
      },
    });
    sockets[0].drop();
    await until(() => sockets.length === 2);
    assert.equal(fetched.length, 2);
    client.close();
  });
});
