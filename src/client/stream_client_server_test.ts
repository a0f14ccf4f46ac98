// The HTTP client against the real reference server, in process: the
// server's fetch handler is the client's fetch, wrapped to lose answers and
// cut response bodies where a property asks for it.

import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createServer } from "../server/mod.ts";
import type { AgentStreamServer } from "../server/agent_stream_server.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { StreamClient } from "./stream_client.ts";
import type { LiveMode, StreamEvent } from "./stream_reader.ts";

type Trouble = "none" | "cut" | "lose-answer" | "refuse";

/** A fetch over the server whose next requests meet the scripted trouble. */
function troubled(server: AgentStreamServer) {
  const script: Trouble[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    const request = new Request(input);
    const isStream = new URL(request.url).pathname.startsWith("/v1/stream/");
    const trouble = isStream && request.method !== "PUT" ? script.shift() ?? "none" : "none";
    if (trouble === "refuse") throw new TypeError("connection refused");
    const response = await server.fetch(request);
    if (trouble === "lose-answer") {
      await response.body?.cancel();
      throw new TypeError("connection reset before the answer");
    }
    if (trouble === "cut" && response.body !== null) {
      // The body errors after its first chunk: a connection dropped mid-stream.
      const reader = response.body.getReader();
      let chunks = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (chunks++ >= 1) {
            await reader.cancel();
            controller.error(new TypeError("connection reset"));
            return;
          }
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    }
    return response;
  };
  return { fetch, script };
}

async function withServer(
  fn: (server: AgentStreamServer, client: StreamClient, script: Trouble[]) => Promise<void>,
): Promise<void> {
  const server = createServer({
    store: new MemoryStore(),
    timing: { heartbeatMs: 200, longPollTimeoutMs: 100, sseRotationMs: 60_000 },
  });
  const { fetch, script } = troubled(server);
  const client = new StreamClient({
    baseUrl: "http://test",
    fetch,
    backoff: { initialDelayMs: 0, maxDelayMs: 2, maxAttempts: 100 },
  });
  try {
    await fn(server, client, script);
  } finally {
    await server.shutdown();
  }
}

async function collect<M>(iterable: AsyncIterable<StreamEvent<M>>): Promise<StreamEvent<M>[]> {
  const events: StreamEvent<M>[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** A signal that aborts after `ms`, so that a hang fails the test; call clear() after. */
function deadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no end within ${ms} ms`)), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

describe("StreamClient against the reference server", () => {
  test("create, produce, read back by every mode, and metadata", async () => {
    await withServer(async (server, client) => {
      assert.ok((await client.discover()).features.includes("sse"));
      const created = await client.create("chats/1", { kind: "agent" });
      assert.deepEqual(created, { created: true, nextOffset: "0000000000000000", kind: "agent" });
      const producer = client.producer("chats/1", { id: "agent-1" });
      await producer.append([{ type: "run.started", runId: "r" }]);
      // A number no JS value holds, written as text by another writer (LOG-MSG-2).
      await server.fetch(
        new Request("http://test/v1/stream/chats/1", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"type":"text.delta","delta":"Hi","n":12345678901234567890}',
        }),
      );
      await producer.append([{ type: "run.finished", runId: "r" }], { close: true });
      assert.deepEqual(await client.head("chats/1"), {
        nextOffset: "0000000000000003",
        closed: true,
        kind: "agent",
        contentType: "application/json",
      });
      for (const live of [false, "long-poll", "sse"] as LiveMode[]) {
        const limit = deadline(5000);
        const events = await collect(client.read("chats/1", { live, signal: limit.signal }));
        limit.clear();
        assert.deepEqual(events.map((e) => e.offset.slice(-1)), ["0", "1", "2"], String(live));
        assert.match(events[1].raw, /12345678901234567890/);
      }
    });
  });

  test("an invalid envelope is refused with JSON Pointers into the batch", async () => {
    await withServer(async (_server, client) => {
      await client.create("a", { kind: "agent" });
      await assert.rejects(client.append("a", [{ type: "run.started" }, { nope: 1 }]), (error: {
        code: string;
        problem: { errors: { path: string }[] };
      }) => {
        assert.equal(error.code, "invalid-envelope");
        assert.ok(error.problem.errors.some((e) => e.path.startsWith("/1")));
        return true;
      });
    });
  });

  test("a producer whose answers get lost stores every batch once", async () => {
    await withServer(async (server, client, script) => {
      await client.create("a");
      script.push("lose-answer", "refuse", "lose-answer", "none", "lose-answer");
      const producer = client.producer("a", { id: "p" });
      for (let i = 0; i < 4; i++) await producer.append([{ i }]);
      const body = await (await server.fetch(new Request("http://test/v1/stream/a"))).text();
      assert.equal(body, '[{"i":0},{"i":1},{"i":2},{"i":3}]');
    });
  });

  for (const live of ["long-poll", "sse"] as const) {
    test(`property: over ${live}, appends with dropped connections arrive exactly once, in order`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              n: fc.integer({ min: 1, max: 4 }),
              trouble: fc.constantFrom<Trouble>("none", "none", "cut", "refuse", "lose-answer"),
              pause: fc.boolean(),
            }),
            { minLength: 1, maxLength: 10 },
          ),
          async (steps) => {
            await withServer(async (server, client, script) => {
              await client.create("p");
              const appender = new StreamClient({ baseUrl: "http://test", fetch: server.fetch });
              const limit = deadline(5000);
              const done = collect(client.read("p", { live, signal: limit.signal }));
              let n = 0;
              for (const s of steps) {
                script.push(s.trouble);
                await appender.append("p", Array.from({ length: s.n }, (_, i) => ({ i: n + i })));
                n += s.n;
                if (s.pause) await new Promise((r) => setTimeout(r, 2));
              }
              await appender.close("p");
              const events = await done.finally(limit.clear);
              assert.deepEqual(events.map((e) => (e.message as { i: number }).i), [
                ...Array(n).keys(),
              ]);
              events.forEach((e, i) => assert.equal(Number(e.offset), i));
            });
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});
