// The endpoint through the server's fetch handler: problems for bad
// requests, missing chats and paths, created chats, repeated requests,
// heartbeats while waiting, and the ends of a response.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createServer } from "../../src/server/app.ts";
import type { EventStore } from "../../src/stores/event_store.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import { aiSdkRoute, type AiSdkRouteOptions } from "./ai_sdk_route.ts";
import { readEvents } from "./_view_test_support.ts";

const BASE = "http://localhost/v1/ai-sdk/chats";
const encoder = new TextEncoder();

function setup(options: AiSdkRouteOptions = {}) {
  const store = new MemoryStore();
  const server = createServer({
    store,
    routes: [aiSdkRoute(options)],
    limits: { maxBodyBytes: 2_000, maxMessageBytes: 1_000 },
    timing: { heartbeatMs: 20 },
  });
  return { store, server };
}

function post(body: unknown, path = BASE): Request {
  return new Request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const send = (id: string, text = "Hi", extra: Record<string, unknown> = {}) => ({
  id,
  trigger: "submit-message",
  messages: [{ id: "u1", role: "user", parts: [{ type: "text", text }] }],
  ...extra,
});

async function append(store: EventStore, path: string, events: object[]): Promise<void> {
  await store.append(path, { messages: events.map((e) => encoder.encode(JSON.stringify(e))) });
}

const run = (runId: string) => [
  { type: "run.started", runId },
  { type: "text.message", runId, messageId: `${runId}-a`, role: "assistant", content: "Hello" },
  { type: "state.snapshot", runId, snapshot: { n: 1 } },
  { type: "run.finished", runId, outcome: "success" },
];

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  return await response.json();
}

describe("aiSdkRoute", () => {
  it("answers bodies that are not JSON with 400 invalid-json", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    for (const body of ["{", "", "Hi"]) {
      const response = await server.fetch(post(body));
      assert.equal(response.status, 400, JSON.stringify(body));
      const problem = await problemOf(response);
      assert.equal(problem.type, "https://agent-stream.dev/problems/invalid-json");
    }
    assert.deepEqual(await readEvents(store, "chats/1"), []);
    await server.shutdown();
  });

  it("answers JSON bodies it cannot serve with 400 invalid-request naming the defect", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    const cases: [unknown, string][] = [
      [[], ""],
      ["chat", ""],
      [{ messages: [] }, "/id"],
      [send("1", "Hi", { trigger: "regenerate-message" }), "/trigger"],
      [send("1", "Hi", { messageId: "u0" }), "/messageId"],
      [{ id: "1", messages: [{ id: "a", role: "assistant", parts: [] }] }, "/messages/0/role"],
      [{ id: "1", messages: [{ role: "user", parts: [] }] }, "/messages/0/id"],
      [{ id: "1", messages: [{ id: "u", role: "user" }] }, "/messages/0/parts"],
    ];
    for (const [body, pointer] of cases) {
      const response = await server.fetch(post(JSON.stringify(body)));
      assert.equal(response.status, 400, JSON.stringify(body));
      const problem = await problemOf(response);
      assert.equal(problem.type, "https://agent-stream.dev/problems/invalid-request");
      const errors = (problem.errors ?? []) as { path: string }[];
      assert.ok(errors.some((e) => e.path === pointer), JSON.stringify(errors));
    }
    assert.deepEqual(await readEvents(store, "chats/1"), []);
    await server.shutdown();
  });

  it("refuses bodies and messages over the limits, and chat ids that break the path", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    const big = await server.fetch(post(send("1", "x".repeat(3_000))));
    assert.equal(
      (await problemOf(big)).type,
      "https://agent-stream.dev/problems/payload-too-large",
    );
    const long = await server.fetch(post(send("1", "x".repeat(1_100))));
    assert.equal(long.status, 413);
    await long.body?.cancel();
    for (const id of ["..", "a\\b", "a//b"]) {
      const response = await server.fetch(post(send(id)));
      const problem = await problemOf(response);
      assert.equal(problem.type, "https://agent-stream.dev/problems/invalid-stream-name", id);
    }
    await server.shutdown();
  });

  it("answers a missing chat 404 stream-not-found, or creates it as an agent stream", async () => {
    const { server } = setup();
    const missing = await server.fetch(post(send("nope")));
    assert.equal(
      (await problemOf(missing)).type,
      "https://agent-stream.dev/problems/stream-not-found",
    );
    const resume = await server.fetch(new Request(`${BASE}/nope/stream`));
    assert.equal(resume.status, 404);
    await resume.body?.cancel();
    await server.shutdown();

    const created = setup({ createStreams: true });
    const response = await created.server.fetch(post(send("new")));
    assert.equal(response.status, 200);
    await response.body?.cancel();
    assert.equal((await created.store.head("chats/new")).kind, "agent");
    await created.server.shutdown();
  });

  it("answers a chat whose stream is a json stream 409 not-agent-stream, appending nothing", async () => {
    for (const createStreams of [false, true]) {
      const { store, server } = setup({ createStreams });
      await store.create("chats/j", { kind: "json" });
      for (const request of [post(send("j")), new Request(`${BASE}/j/stream`)]) {
        const response = await server.fetch(request);
        assert.equal(response.status, 409, request.method);
        const problem = await problemOf(response);
        assert.equal(problem.type, "https://agent-stream.dev/problems/not-agent-stream");
        assert.equal(problem.instance, new URL(request.url).pathname);
      }
      assert.deepEqual(await readEvents(store, "chats/j"), []);
      assert.equal((await store.head("chats/j")).kind, "json");
      await server.shutdown();
    }
  });

  it("serves GET only for …/stream, and answers 204 while no run is active", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    const wrong = await server.fetch(new Request(`${BASE}/1`));
    assert.equal((await problemOf(wrong)).type, "https://agent-stream.dev/problems/not-found");
    const idle = await server.fetch(new Request(`${BASE}/1/stream`));
    assert.equal(idle.status, 204);
    assert.equal(await idle.text(), "");
    await server.shutdown();
  });

  it("answers a repeated request with the same run, appending the message once", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    const first = server.fetch(post(send("1")));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await append(store, "chats/1", run("r1"));
    const text = await (await first).text();
    assert.match(text, /^: keep-alive\n\n|^data: \{"type":"start"/);
    const again = await (await server.fetch(post(send("1")))).text();
    const data = (body: string) => body.split("\n").filter((line) => line.startsWith("data: "));
    assert.deepEqual(data(again), data(text));
    assert.equal(data(text).at(-1), "data: [DONE]");
    assert.ok(text.includes('"type":"data-agent-stream"'));
    const users = (await readEvents(store, "chats/1")).filter((e) =>
      (e as { role?: string }).role === "user"
    );
    assert.equal(users.length, 1);
    await server.shutdown();
  });

  it("sends heartbeats while the run has not started, and leaves out passed-through events when asked", async () => {
    const { store, server } = setup({ passthrough: false });
    await store.create("chats/1", { kind: "agent" });
    const response = await server.fetch(post(send("1")));
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    assert.equal(first.value, ": keep-alive\n\n");
    await append(store, "chats/1", run("r1"));
    let text = "";
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += part.value;
    assert.ok(text.endsWith("data: [DONE]\n\n"));
    assert.ok(!text.includes("data-agent-stream"));
    await server.shutdown();
  });

  it("ends a waiting response with [DONE] when the stream closes, and without it at shutdown", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    await store.create("chats/2", { kind: "agent" });
    const closing = server.fetch(post(send("1")));
    const stopping = server.fetch(post(send("2")));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await store.append("chats/1", { messages: [], close: true });
    const closed = await (await closing).text();
    assert.ok(closed.endsWith("data: [DONE]\n\n"));
    const body = (await stopping).text();
    await server.shutdown();
    assert.ok(!(await body).includes("[DONE]"));
  });

  it("stops following the stream when the client goes away", async () => {
    const { store, server } = setup();
    await store.create("chats/1", { kind: "agent" });
    await append(store, "chats/1", run("r0").slice(0, 1));
    const response = await server.fetch(new Request(`${BASE}/1/stream`));
    assert.equal(response.status, 200);
    await response.body!.cancel();
    await append(store, "chats/1", run("r0").slice(1));
    await server.shutdown();
  });
});
