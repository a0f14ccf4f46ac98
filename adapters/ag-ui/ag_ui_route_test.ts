import { test } from "node:test";
import assert from "node:assert/strict";
import { type SseItem, SseParser } from "../../src/client/_sse_parser.ts";
import { createServer } from "../../src/server/app.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import { agUiRoute } from "./ag_ui_route.ts";
import { toAgUiEvents } from "./to_ag_ui_events.ts";

type Event = { type: string; [key: string]: unknown };

const encode = (event: unknown) => new TextEncoder().encode(JSON.stringify(event));

const CHAT: Event[] = [
  { type: "text.message", messageId: "u1", role: "user", content: "Hi" },
  { type: "run.started", runId: "r1" },
  { type: "text.start", runId: "r1", messageId: "a1" },
  { type: "text.delta", runId: "r1", messageId: "a1", delta: "Hel" },
  { type: "text.delta", runId: "r1", messageId: "a1", delta: "lo" },
  { type: "text.end", runId: "r1", messageId: "a1" },
  { type: "run.finished", runId: "r1", outcome: "success" },
];

async function setup(events: Event[] = CHAT, kind: "agent" | "json" = "agent") {
  const store = new MemoryStore();
  const server = createServer({
    store,
    routes: [agUiRoute()],
    timing: { heartbeatMs: 100 },
  });
  await store.create("chat", { kind, messages: events.map(encode) });
  const call = (init: RequestInit & { path?: string } = {}) =>
    server.fetch(new Request(`http://x/v1/ag-ui/${init.path ?? "chat"}`, init));
  return {
    store,
    call,
    async close() {
      await server.shutdown();
      await store.dispose();
    },
  };
}

type Read = { events: { id: string; data: unknown }[]; items: SseItem[]; ended: boolean };

/** Reads a response's SSE items, in steps that each stop when told, at its end, or after `ms`. */
class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #parser = new SseParser();
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  readonly read: Read = { events: [], items: [], ended: false };

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
  }

  async until(stop: (events: Read["events"]) => boolean = () => false, ms = 2000): Promise<Read> {
    const deadline = Date.now() + ms;
    while (!this.read.ended && !stop(this.read.events) && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((r) =>
        timer = setTimeout(() => r("timeout"), deadline - Date.now())
      );
      // A read that loses the race is kept for the next step: its chunk must not be lost.
      this.#pending ??= this.#reader.read();
      const next = await Promise.race([this.#pending, timeout]);
      clearTimeout(timer);
      if (next === "timeout") break;
      this.#pending = undefined;
      if (next.done) {
        this.read.ended = true;
        break;
      }
      const before = this.read.items.length;
      this.#parser.feed(next.value, this.read.items);
      for (const item of this.read.items.slice(before)) {
        if (item.kind === "event") {
          this.read.events.push({ id: item.lastEventId, data: JSON.parse(item.data) });
        }
      }
    }
    return this.read;
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

/** Reads SSE items until `stop` says so, the body ends, or `ms` pass; then lets go. */
async function readSse(
  response: Response,
  stop: (events: Read["events"]) => boolean = () => false,
  ms = 2000,
): Promise<Read> {
  const reader = new SseReader(response);
  const read = await reader.until(stop, ms);
  await reader.cancel();
  return read;
}

const offset = (n: number) => String(n).padStart(16, "0");

test("VIEW-AGUI-SSE-1, VIEW-AGUI-SSE-2: GET writes each event as data with the id of its group", async () => {
  const s = await setup();
  try {
    const response = await s.call();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const expected = [...toAgUiEvents(CHAT, { threadId: "chat" })];
    const { events, items } = await readSse(response, (e) => e.length >= expected.length);
    assert.deepEqual(events.map((e) => e.data), expected);
    assert.ok(items.every((i) => i.kind !== "event" || i.event === "message"));
    // u1 (offset 0) is held: the group of run.started (offset 1) is RUN_STARTED and u1's
    // three events, all with id 1 but the last, which carries 2.
    assert.deepEqual(events.map((e) => e.id), [
      offset(1),
      offset(1),
      offset(1),
      offset(2),
      offset(3),
      offset(4),
      offset(5),
      offset(6),
      offset(7),
    ]);
  } finally {
    await s.close();
  }
});

test("VIEW-AGUI-GET-1: live events follow, and the response ends after a closed stream", async () => {
  const s = await setup();
  try {
    const response = await s.call();
    setTimeout(() => {
      s.store.append("chat", {
        messages: [
          { type: "run.started", runId: "r2" },
          { type: "run.finished", runId: "r2", outcome: "cancelled" },
        ].map(encode),
        close: true,
      });
    }, 150);
    const { events, items, ended } = await readSse(response, () => false, 3000);
    assert.ok(ended, "the response ends once the closed stream is written");
    assert.deepEqual(events.slice(-2).map((e) => (e.data as Event).type), [
      "RUN_STARTED",
      "RUN_FINISHED",
    ]);
    assert.ok(items.some((i) => i.kind === "comment"), "a heartbeat while waiting");
  } finally {
    await s.close();
  }
});

test("VIEW-AGUI-GET-2: Last-Event-ID resumes after that event; bad ids are refused", async () => {
  const s = await setup();
  try {
    const all = [...toAgUiEvents(CHAT, { threadId: "chat" })];
    for (const from of [2, 4, 6]) {
      const response = await s.call({ headers: { "last-event-id": offset(from) } });
      const { events } = await readSse(response, (e) => e.length >= all.length - from - 2, 500);
      assert.deepEqual(events.map((e) => e.data), all.slice(from + 2));
    }
    const bad = await s.call({ headers: { "last-event-id": "x" } });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).type, /invalid-offset$/);
    const beyond = await s.call({ headers: { "last-event-id": offset(99) } });
    assert.equal(beyond.status, 400);
    assert.match((await beyond.json()).type, /offset-out-of-range$/);
    await s.store.append("chat", { messages: [], close: true });
    const done = await s.call({ headers: { "last-event-id": offset(CHAT.length) } });
    assert.equal(done.status, 204);
  } finally {
    await s.close();
  }
});

test("VIEW-AGUI-ERR-1: no stream is not found, a json stream is not an agent stream", async () => {
  const s = await setup(CHAT, "json");
  try {
    for (const method of ["GET", "POST"]) {
      const missing = await s.call({
        method,
        path: "nope",
        body: method === "POST" ? "{}" : undefined,
      });
      assert.equal(missing.status, 404);
      assert.match((await missing.json()).type, /stream-not-found$/);
    }
    for (const method of ["GET", "POST"]) {
      const json = await s.call({ method, body: method === "POST" ? "{}" : undefined });
      assert.equal(json.status, 409);
      assert.equal(json.headers.get("content-type"), "application/problem+json");
      assert.equal(
        (await json.json()).type,
        "https://agent-stream.dev/problems/not-agent-stream",
      );
    }
    assert.equal((await s.store.head("chat")).tail, CHAT.length);
  } finally {
    await s.close();
  }
});

test("VIEW-AGUI-ERR-2: a body that is not a RunAgentInput is refused and nothing is appended", async () => {
  const s = await setup();
  try {
    const notJson = await s.call({ method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
    assert.match((await notJson.json()).type, /\/invalid-json$/);
    const bad = await s.call({
      method: "POST",
      body: JSON.stringify({ threadId: "t", runId: 1, messages: [{ id: "x", role: "user" }] }),
    });
    assert.equal(bad.status, 400);
    const problem = await bad.json();
    assert.equal(problem.type, "https://agent-stream.dev/problems/invalid-request");
    assert.deepEqual(problem.errors.map((e: { path: string }) => e.path).sort(), [
      "/messages/0/content",
      "/runId",
    ]);
    const long = await s.call({
      method: "POST",
      body: JSON.stringify({
        threadId: "t",
        runId: "r",
        messages: [{ id: "x".repeat(257), role: "user", content: "" }],
      }),
    });
    assert.equal(long.status, 400);
    const tooLong = await long.json();
    assert.equal(tooLong.type, "https://agent-stream.dev/problems/invalid-request");
    assert.equal(tooLong.errors[0].path, "/messages/0/id");
    assert.equal((await s.store.head("chat")).tail, CHAT.length);
  } finally {
    await s.close();
  }
});

const input = (messages: unknown[]) =>
  JSON.stringify({ threadId: "chat", runId: "x", messages, state: {}, tools: [], context: [] });

test("VIEW-AGUI-POST-1: a new user message is appended once, other messages never", async () => {
  const s = await setup();
  try {
    const messages = [
      { id: "u1", role: "user", content: "Hi" },
      { id: "sys", role: "system", content: "Be brief" },
      { id: "u2", role: "user", content: [{ type: "text", text: "More" }] },
    ];
    for (let i = 0; i < 2; i++) {
      const response = await s.call({ method: "POST", body: input(messages) });
      assert.equal(response.status, 200);
      await response.body?.cancel();
    }
    const read = await s.store.read("chat", { offset: CHAT.length });
    assert.deepEqual(read.messages.map((m) => JSON.parse(new TextDecoder().decode(m))), [
      { type: "text.message", messageId: "u2", role: "user", content: "More" },
    ]);
  } finally {
    await s.close();
  }
});

test("VIEW-AGUI-POST-3: a POST with nothing new ends at once; with a message, after the answer", async () => {
  const s = await setup();
  try {
    const quiet = await readSse(
      await s.call({ method: "POST", body: input([{ id: "u1", role: "user", content: "Hi" }]) }),
    );
    assert.ok(quiet.ended);
    assert.deepEqual(quiet.events, []);
    const response = await s.call({
      method: "POST",
      body: input([{ id: "u1", role: "user", content: "Hi" }, {
        id: "u2",
        role: "user",
        content: "?",
      }]),
    });
    const reader = new SseReader(response);
    const early = await reader.until(() => false, 300);
    assert.ok(!early.ended, "still waiting for the answer");
    await s.store.append("chat", {
      messages: [
        { type: "run.started", runId: "r2" },
        { type: "run.finished", runId: "r2", outcome: "success" },
      ].map(encode),
    });
    const { events, ended } = await reader.until();
    await reader.cancel();
    assert.ok(ended);
    assert.deepEqual(events.map((e) => (e.data as Event).type), [
      "RUN_STARTED",
      "MESSAGES_SNAPSHOT",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "RUN_FINISHED",
    ]);
  } finally {
    await s.close();
  }
});
