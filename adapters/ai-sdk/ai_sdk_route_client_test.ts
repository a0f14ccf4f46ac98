// The endpoint against the real client: a DefaultChatTransport of the `ai`
// package talks to the reference server on 127.0.0.1, while a fake agent in
// the test answers each user message with a run.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from "ai";
import { serveHere } from "../../conformance/_serve.ts";
import { createServer } from "../../src/server/app.ts";
import type { EventStore } from "../../src/stores/event_store.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import { aiSdkRoute } from "./ai_sdk_route.ts";
import { jsonOf, readEvents } from "./_view_test_support.ts";
import { projectConversation } from "../../src/conversation/project_conversation.ts";
import { toUiMessages } from "./to_ui_messages.ts";

const encoder = new TextEncoder();

async function append(store: EventStore, path: string, events: object[]): Promise<void> {
  await store.append(path, { messages: events.map((e) => encoder.encode(JSON.stringify(e))) });
}

// Waits until the stream holds a user message, then answers it with a run.
async function agent(store: EventStore, path: string, answer: (text: string) => object[]) {
  const seen = new Set<string>();
  for (let tries = 0; tries < 200; tries++) {
    for (const event of await readEvents(store, path)) {
      const e = event as { type?: string; role?: string; messageId?: string; content?: string };
      if (e.type === "text.message" && e.role === "user" && !seen.has(e.messageId!)) {
        seen.add(e.messageId!);
        for (const piece of answer(e.content!)) {
          await append(store, path, [piece]);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no user message arrived");
}

function answer(runId: string, text: string): object[] {
  return [
    { type: "run.started", runId },
    { type: "text.start", runId, messageId: `${runId}-a` },
    { type: "text.delta", runId, messageId: `${runId}-a`, delta: "You said: " },
    { type: "text.delta", runId, messageId: `${runId}-a`, delta: text },
    { type: "text.end", runId, messageId: `${runId}-a` },
    { type: "tool.start", runId, toolCallId: `${runId}-c`, toolName: "echo" },
    { type: "tool.delta", runId, toolCallId: `${runId}-c`, delta: '{"text":' },
    { type: "tool.delta", runId, toolCallId: `${runId}-c`, delta: JSON.stringify(text) + "}" },
    { type: "tool.end", runId, toolCallId: `${runId}-c` },
    { type: "tool.result", runId, toolCallId: `${runId}-c`, output: { echoed: text } },
    { type: "custom.event", runId, name: "card", dataId: `${runId}-d`, value: { n: 1 } },
    { type: "run.finished", runId, outcome: "success" },
  ];
}

async function lastMessage(stream: ReadableStream<unknown>): Promise<unknown> {
  let last: unknown;
  // deno-lint-ignore no-explicit-any
  for await (const message of readUIMessageStream({ stream: stream as any })) last = message;
  return jsonOf(last);
}

function user(id: string, text: string): UIMessage {
  return { id, role: "user", parts: [{ type: "text", text }] };
}

async function withServer(
  run: (base: string, store: EventStore) => Promise<void>,
): Promise<void> {
  const store = new MemoryStore();
  const server = createServer({ store, routes: [aiSdkRoute()], timing: { heartbeatMs: 50 } });
  const handle = await serveHere(server, { port: 0, hostname: "127.0.0.1" });
  try {
    await run(handle.url, store);
  } finally {
    await server.shutdown();
    await handle.close();
  }
}

describe("DefaultChatTransport against aiSdkRoute", () => {
  it(
    "sendMessages streams the run that answers the new user message",
    { timeout: 20_000 },
    () =>
      withServer(async (base, store) => {
        await store.create("chats/42", { kind: "agent" });
        const transport = new DefaultChatTransport({ api: `${base}/v1/ai-sdk/chats` });
        const answering = agent(store, "chats/42", (text) => answer("run_1", text));
        const stream = await transport.sendMessages({
          chatId: "42",
          messages: [user("u1", "hello")],
          trigger: "submit-message",
          messageId: undefined,
          abortSignal: undefined,
        });
        const message = await lastMessage(stream);
        await answering;
        const events = await readEvents(store, "chats/42");
        assert.deepEqual(events[0], {
          ...(events[0] as object),
          type: "text.message",
          messageId: "u1",
          role: "user",
          content: "hello",
        });
        const expected = toUiMessages(projectConversation(events));
        assert.deepEqual(expected.map((m) => m.id), ["u1", "run_1"]);
        assert.deepEqual(message, jsonOf(expected[1]));
      }),
  );

  it("reconnectToStream replays the active run from its start and follows it", {
    timeout: 20_000,
  }, () =>
    withServer(async (base, store) => {
      await store.create("chats/7", { kind: "agent" });
      const transport = new DefaultChatTransport({ api: `${base}/v1/ai-sdk/chats` });
      assert.equal(await transport.reconnectToStream({ chatId: "7" }), null);
      const events = answer("run_9", "again");
      await append(store, "chats/7", [
        { type: "text.message", messageId: "u9", role: "user", content: "again" },
        ...events.slice(0, 4),
      ]);
      const stream = await transport.reconnectToStream({ chatId: "7" });
      assert.ok(stream !== null);
      const reading = lastMessage(stream);
      for (const event of events.slice(4)) await append(store, "chats/7", [event]);
      const message = await reading;
      assert.deepEqual(
        message,
        jsonOf(toUiMessages(projectConversation(await readEvents(store, "chats/7")))[1]),
      );
      assert.equal(await transport.reconnectToStream({ chatId: "7" }), null);
    }));
});
