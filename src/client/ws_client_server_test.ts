// The WebSocket client against the reference server's sessions, bridged in
// process, with connections cut at random moments.

import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bridgedSockets, until } from "../../test/client/fake_websocket.ts";
import { createServer } from "../server/mod.ts";
import type { AgentStreamServer } from "../server/agent_stream_server.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { StreamClient } from "./stream_client.ts";
import type { StreamEvent } from "./stream_reader.ts";
import { WsClient } from "./ws_client.ts";

async function withServer(
  fn: (server: AgentStreamServer, http: StreamClient) => Promise<void>,
): Promise<void> {
  const server = createServer({ store: new MemoryStore(), timing: { heartbeatMs: 200 } });
  const http = new StreamClient({ baseUrl: "http://test", fetch: (r) => server.fetch(r) });
  try {
    await fn(server, http);
  } finally {
    await server.shutdown();
  }
}

async function log(http: StreamClient, path: string): Promise<unknown[]> {
  const messages: unknown[] = [];
  for await (const event of http.read(path)) messages.push(event.message);
  return messages;
}

describe("WsClient against the reference server", () => {
  test("subscribe, append, close: the subscription ends with the stream", async () => {
    await withServer(async (server, http) => {
      await http.create("chats/1", { kind: "agent" });
      const { ctor } = bridgedSockets(server);
      const ws = new WsClient({ url: "ws://test/v1/ws", WebSocket: ctor });
      try {
        const events: StreamEvent[] = [];
        const sub = ws.subscribe("chats/1", { offset: "-1", window: 2 }, (e) => events.push(e));
        const first = await ws.append("chats/1", [{ type: "run.started" }, {
          type: "text.delta",
          delta: "a",
        }]);
        assert.equal(first.nextOffset, "0000000000000002");
        await assert.rejects(ws.append("chats/1", [{ nope: 1 }]), { code: "invalid-envelope" });
        await ws.append("chats/1", [{ type: "run.finished" }], { close: true });
        assert.deepEqual(await sub.done, { reason: "closed" });
        assert.deepEqual(events.map((e) => e.offset.slice(-1)), ["0", "1", "2"]);
        assert.equal(sub.kind, "agent");
        assert.ok(ws.session);
      } finally {
        ws.close();
      }
    });
  });

  test("a subscription to a missing stream fails with stream-not-found", async () => {
    await withServer(async (server) => {
      const ws = new WsClient({ url: "ws://test/v1/ws", WebSocket: bridgedSockets(server).ctor });
      try {
        await assert.rejects(ws.subscribe("nope", {}, () => {}).done, { code: "stream-not-found" });
      } finally {
        ws.close();
      }
    });
  });

  test("shutdown says goodbye with reconnect: true, and the client tries again (WS-CLOSE-5)", async () => {
    await withServer(async (server, http) => {
      await http.create("a");
      const { ctor, sockets } = bridgedSockets(server);
      const ws = new WsClient({
        url: "ws://test/v1/ws",
        WebSocket: ctor,
        backoff: { initialDelayMs: 0, maxAttempts: 3 },
      });
      const goodbyes: boolean[] = [];
      const watcher = new WsClient({
        url: "ws://test/v1/ws",
        WebSocket: ctor,
        onGoodbye: (frame) => goodbyes.push(frame.reconnect),
        backoff: { maxAttempts: 0 },
      });
      try {
        await ws.connect();
        await watcher.connect();
        await server.shutdown();
        await until(() => goodbyes.length === 1, 2000, "goodbye");
        assert.deepEqual(goodbyes, [true]);
        assert.ok(sockets.length >= 2);
      } finally {
        ws.close();
        watcher.close();
      }
    });
  });

  test("property: random cuts lose nothing and repeat nothing, for readers and producers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            n: fc.integer({ min: 1, max: 3 }),
            cut: fc.boolean(),
            pause: fc.integer({ min: 0, max: 3 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (steps) => {
          await withServer(async (server, http) => {
            await http.create("p");
            const reading = bridgedSockets(server);
            const writing = bridgedSockets(server);
            const backoff = { initialDelayMs: 0, maxDelayMs: 2, maxAttempts: 50 };
            const reader = new WsClient({ url: "ws://t", WebSocket: reading.ctor, backoff });
            const writer = new WsClient({ url: "ws://t", WebSocket: writing.ctor, backoff });
            try {
              const seen: number[] = [];
              const sub = reader.subscribe("p", { offset: "-1", window: 3 }, (e) => {
                seen.push((e.message as { i: number }).i);
              });
              const producer = writer.producer("p", { id: "w" });
              let n = 0;
              const appends: Promise<unknown>[] = [];
              for (const step of steps) {
                appends.push(
                  producer.append(Array.from({ length: step.n }, (_, i) => ({ i: n + i }))),
                );
                n += step.n;
                if (step.cut) {
                  reading.sockets.at(-1)?.cut();
                  writing.sockets.at(-1)?.cut();
                }
                await new Promise((r) => setTimeout(r, step.pause));
              }
              await Promise.all(appends);
              await producer.close();
              const end = await Promise.race([
                sub.done,
                new Promise((_, reject) =>
                  setTimeout(() => reject(new Error("subscription hung")), 5000)
                ),
              ]);
              assert.deepEqual(end, { reason: "closed" });
              const expected = [...Array(n).keys()];
              assert.deepEqual(seen, expected);
              assert.deepEqual((await log(http, "p")).map((m) => (m as { i: number }).i), expected);
            } finally {
              reader.close();
              writer.close();
            }
          });
        },
      ),
      { numRuns: 30 },
    );
  });
});
