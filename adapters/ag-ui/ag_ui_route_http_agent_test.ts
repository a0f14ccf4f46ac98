// AG-UI's own HttpAgent against the endpoint on a loopback socket: it reads
// a stored conversation, continues it, and holds what the projection holds.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { HttpAgent } from "@ag-ui/client";
import { validEventSequence } from "../../conformance/agent/event_sequences.ts";
import { serveHere } from "../../conformance/_serve.ts";
import { createServer } from "../../src/server/app.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import { delivered, project } from "./_ag_ui_test_support.ts";
import { agUiRoute } from "./ag_ui_route.ts";
import { toAgUiMessages } from "./to_ag_ui_messages.ts";

type Event = { type: string; [key: string]: unknown };

const encode = (event: unknown) => new TextEncoder().encode(JSON.stringify(event));

async function serve() {
  const store = new MemoryStore();
  const server = createServer({ store, routes: [agUiRoute()], timing: { heartbeatMs: 200 } });
  const handle = await serveHere(server, { port: 0, hostname: "127.0.0.1" });
  let n = 0;
  return {
    store,
    /** A new agent stream holding `events`, and an HttpAgent for it. */
    async conversation(events: readonly unknown[]) {
      const path = `chats/${n++}`;
      await store.create(path, { kind: "agent", messages: events.map(encode) });
      return { path, agent: new HttpAgent({ url: `${handle.url}/v1/ag-ui/${path}` }) };
    },
    async close() {
      await server.shutdown();
      await handle.close();
      await store.dispose();
    },
  };
}

// The client warns about the members it strips and events it ignores.
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await run();
  } finally {
    console.warn = warn;
  }
}

test("VIEW-AGUI-POST-2: HttpAgent reads a stored conversation and continues it", {
  timeout: 20_000,
}, async () => {
  const s = await serve();
  try {
    const stored: Event[] = [
      { type: "text.message", messageId: "u1", role: "user", content: "Weather in Oslo?" },
      { type: "run.started", runId: "r1", threadId: "t1" },
      { type: "text.start", runId: "r1", messageId: "a1" },
      { type: "text.delta", runId: "r1", messageId: "a1", delta: "Sunny" },
      { type: "text.end", runId: "r1", messageId: "a1" },
      { type: "state.snapshot", runId: "r1", snapshot: { city: "Oslo" } },
      { type: "run.finished", runId: "r1", outcome: "success", result: 1 },
    ];
    const { path, agent } = await s.conversation(stored);
    const first = await agent.runAgent();
    assert.equal(first.result, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(agent.messages)), toAgUiMessages(project(stored)));
    assert.deepEqual(agent.state, { city: "Oslo" });

    // The agent (a producer following the stream) answers the next message.
    agent.addMessage({ id: "u2", role: "user", content: "And Bergen?" });
    const answer: Event[] = [
      { type: "run.started", runId: "r2" },
      { type: "text.message", runId: "r2", messageId: "a2", role: "assistant", content: "Rain" },
      {
        type: "state.delta",
        runId: "r2",
        patch: [{ op: "replace", path: "/city", value: "Bergen" }],
      },
      { type: "run.finished", runId: "r2", outcome: "success" },
    ];
    const answering = (async () => {
      const tail = stored.length + 1;
      while ((await s.store.head(path)).tail < tail) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await s.store.append(path, { messages: answer.map(encode) });
    })();
    await agent.runAgent();
    await answering;
    const all = [
      ...stored,
      { type: "text.message", messageId: "u2", role: "user", content: "And Bergen?" },
      ...answer,
    ];
    assert.deepEqual(JSON.parse(JSON.stringify(agent.messages)), toAgUiMessages(project(all)));
    assert.deepEqual(agent.state, { city: "Bergen" });

    // A second client that holds nothing reads all of it.
    const fresh = new HttpAgent({ url: `${agent.url}` });
    await fresh.runAgent();
    assert.deepEqual(fresh.messages, agent.messages);
    assert.deepEqual(fresh.state, agent.state);
  } finally {
    await s.close();
  }
});

test("VIEW-AGUI-MSG-1: HttpAgent holds the projection of any valid stored conversation", {
  timeout: 60_000,
}, async () => {
  const s = await serve();
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
  console.log(`HttpAgent property: seed ${seed} (set PROPERTY_SEED to repeat)`);
  try {
    await quietly(() =>
      fc.assert(
        fc.asyncProperty(validEventSequence({ lastRun: "ended" }), async (events) => {
          const { agent } = await s.conversation(events);
          await agent.runAgent();
          const expected = project(delivered(events as Event[]));
          assert.deepEqual(JSON.parse(JSON.stringify(agent.messages)), toAgUiMessages(expected));
          assert.deepEqual(agent.state, expected.state);
        }),
        { numRuns: 25, seed },
      )
    );
  } finally {
    await s.close();
  }
});
