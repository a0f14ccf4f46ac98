import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { type SseEvent, SseReader } from "../../test/_sse_reader.ts";
import { formatOffset } from "../protocol/offset.ts";
import { SseControlSchema } from "../protocol/sse_control.ts";
import type { ServerLimits, ServerTiming } from "./server_options.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { createContext, type ServerContext } from "./_context.ts";
import { sseDataEncodings } from "./_sse_encoder.ts";
import { sseResponse } from "./sse.ts";

const encoder = new TextEncoder();
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

type Query = Record<string, string> | [string, string][];

interface Harness {
  readonly store: MemoryStore;
  readonly ctx: ServerContext;
  readonly shutdown: AbortController;
  /** Opens an SSE response; its reader is cancelled when the test ends. */
  open(path: string, query?: Query, headers?: HeadersInit): Promise<Response>;
  reader(response: Response): SseReader;
}

/** Runs `body` against a fresh MemoryStore-backed context; always cleans up. */
async function withServer(
  options: { limits?: Partial<ServerLimits>; timing?: Partial<ServerTiming> },
  body: (h: Harness) => Promise<void>,
): Promise<void> {
  const store = new MemoryStore();
  const shutdown = new AbortController();
  const ctx = createContext({
    store,
    limits: options.limits,
    timing: { heartbeatMs: 5_000, sseRotationMs: 60_000, sseRetryMs: 250, ...options.timing },
  }, shutdown.signal);
  const readers: SseReader[] = [];
  const harness: Harness = {
    store,
    ctx,
    shutdown,
    open: (path, query = { offset: "-1" }, headers) => {
      const search = new URLSearchParams(query);
      search.set("live", "sse");
      const url = `http://localhost/v1/stream/${encodeURIComponent(path)}?${search}`;
      return sseResponse(ctx, path, new Request(url, { headers }));
    },
    reader: (response) => {
      assert.ok(response.body, "an SSE response has a body");
      const reader = new SseReader(response.body);
      readers.push(reader);
      return reader;
    },
  };
  try {
    await body(harness);
  } finally {
    await Promise.all(readers.map((r) => r.cancel()));
    shutdown.abort();
    await store.dispose();
  }
  assert.equal(ctx.subscribers.total, 0, "every subscriber slot is given back");
}

function control(event: SseEvent | undefined): Record<string, unknown> {
  assert.equal(event?.type, "control");
  const value = JSON.parse(event.data);
  assert.ok(v.is(SseControlSchema, value), `control event data is valid: ${event.data}`);
  assert.equal(event.id, value.streamNextOffset, "a control event's id is its streamNextOffset");
  return value;
}

function data(event: SseEvent | undefined): unknown[] {
  assert.equal(event?.type, "data");
  return JSON.parse(event.data);
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("sseResponse", () => {
  it("SSE-EVENT-1 SSE-ID-1: 200 text/event-stream, batches in offset order from the requested offset", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json({ n: 0 }), json({ n: 1 }), json({ n: 2 })] });
      const response = await h.open("chat", { offset: formatOffset(1) });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/event-stream");
      assert.equal(response.headers.get("agent-stream-version"), "1.0");
      assert.equal(response.headers.get("agent-stream-kind"), "json");
      assert.equal(response.headers.get("stream-sse-data-encoding"), null);
      const reader = h.reader(response);
      const first = await reader.nextEvent();
      assert.deepEqual(data(first), [{ n: 1 }, { n: 2 }]);
      assert.equal(first?.id, formatOffset(3), "a data event's id is the offset after it");
      assert.deepEqual(control(await reader.nextEvent()), {
        streamNextOffset: formatOffset(3),
        streamCursor: String(Math.floor(h.ctx.clock() / h.ctx.timing.cursorIntervalMs)),
        upToDate: true,
      });
      await h.store.append("chat", { messages: [json({ n: 3 })] });
      const live = await reader.nextEvent();
      assert.deepEqual(data(live), [{ n: 3 }]);
      assert.equal(live?.id, formatOffset(4));
      assert.equal(control(await reader.nextEvent()).streamNextOffset, formatOffset(4));
    });
  });

  it("SSE-EVENT-2 SSE-EVENT-3: every data event has a control event; upToDate only at the tail", async () => {
    await withServer({ limits: { maxReadMessages: 2 } }, async (h) => {
      await h.store.create("chat", { messages: [0, 1, 2, 3, 4].map((n) => json(n)) });
      const reader = h.reader(await h.open("chat"));
      const seen: [unknown[], Record<string, unknown>][] = [];
      for (let i = 0; i < 3; i++) {
        seen.push([data(await reader.nextEvent()), control(await reader.nextEvent())]);
      }
      assert.deepEqual(seen.map(([d]) => d), [[0, 1], [2, 3], [4]]);
      assert.deepEqual(seen.map(([, c]) => c.streamNextOffset), [2, 4, 5].map(formatOffset));
      assert.deepEqual(seen.map(([, c]) => c.upToDate), [undefined, undefined, true]);
    });
  });

  it("SSE-EVENT-4: a reader at the tail gets an upToDate control event at once (also offset=now)", async () => {
    await withServer({}, async (h) => {
      await h.store.create("empty");
      const atStart = h.reader(await h.open("empty"));
      const c = control(await atStart.nextEvent());
      assert.equal(c.streamNextOffset, formatOffset(0));
      assert.equal(c.upToDate, true);
      await h.store.create("chat", { messages: [json(1), json(2)] });
      const now = h.reader(await h.open("chat", { offset: "now" }));
      const atNow = control(await now.nextEvent());
      assert.equal(atNow.streamNextOffset, formatOffset(2));
      assert.equal(atNow.upToDate, true);
      await h.store.append("chat", { messages: [json(3)] });
      assert.deepEqual(data(await now.nextEvent()), [3], "offset=now delivers only new messages");
    });
  });

  it("SSE-EVENT-5: every control event of an open stream has a cursor above the request's", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json(1)] });
      const current = Math.floor(h.ctx.clock() / h.ctx.timing.cursorIntervalMs);
      const plain = h.reader(await h.open("chat"));
      await plain.nextEvent();
      assert.match(String(control(await plain.nextEvent()).streamCursor), /^[0-9]+$/);
      const huge = "123456789012345678901234567890";
      const far = h.reader(await h.open("chat", { offset: "-1", cursor: huge }));
      await far.nextEvent();
      assert.ok(BigInt(String(control(await far.nextEvent()).streamCursor)) > BigInt(huge));
      const ahead = String(current + 5);
      const echoed = h.reader(await h.open("chat", { offset: "-1", cursor: ahead }));
      await echoed.nextEvent();
      const cursor = Number(control(await echoed.nextEvent()).streamCursor);
      assert.ok(cursor > Number(ahead), `${cursor} > ${ahead}`);
      await h.store.append("chat", { messages: [json(2)] });
      await echoed.nextEvent();
      assert.ok(
        Number(control(await echoed.nextEvent()).streamCursor) >= cursor,
        "never goes back",
      );
    });
  });

  it("SSE-HEARTBEAT-2: the response starts with retry: sseRetryMs", async () => {
    await withServer({ timing: { sseRetryMs: 1234 } }, async (h) => {
      await h.store.create("chat");
      const response = await h.open("chat");
      const reader = h.reader(response);
      await reader.nextEvent();
      assert.equal(reader.retry, 1234);
      assert.ok(new TextDecoder().decode(reader.chunks[0]).startsWith("retry: 1234\n"));
    });
  });

  it("SSE-RESUME-1: Last-Event-ID decides where to start, and the offset parameter is ignored", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json(0), json(1), json(2)] });
      for (const offset of ["-1", "garbage"]) {
        const response = await h.open("chat", { offset }, { "last-event-id": formatOffset(2) });
        assert.equal(response.status, 200);
        const reader = h.reader(response);
        assert.deepEqual(data(await reader.nextEvent()), [2]);
      }
    });
  });

  it("SSE-RESUME-2 SSE-EVENT-6 SSE-ERR-1: a malformed or missing Last-Event-ID or offset is a 400 invalid-offset problem", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat");
      const cases: [Query, HeadersInit | undefined][] = [
        [{ offset: "0" }, { "last-event-id": "abc" }],
        [{ offset: "0" }, { "last-event-id": "-1" }],
        [{ offset: "0" }, { "last-event-id": "" }],
        [{ offset: "12" }, undefined],
        [{ offset: "0000000000000001_0" }, undefined],
        [{}, undefined], // Durable Streams: live reads need an offset
        [[["offset", "-1"], ["offset", "0"]], undefined], // twice, as a catch-up read answers
      ];
      for (const [query, headers] of cases) {
        const response = await h.open("chat", query, headers);
        assert.equal(response.status, 400, JSON.stringify([query, headers]));
        assert.equal(response.headers.get("content-type"), "application/problem+json");
        const problem = await response.json();
        assert.equal(problem.type, "https://agent-stream.dev/problems/invalid-offset");
        assert.equal(response.headers.get("agent-stream-version"), "1.0");
      }
    });
  });

  it("SSE-ERR-1: unknown, gone and out-of-range reads answer as a catch-up read would", async () => {
    await withServer({}, async (h) => {
      const missing = await h.open("nope");
      assert.equal(missing.status, 404);
      assert.match((await missing.json()).type, /stream-not-found$/);
      const missingNow = await h.open("nope", { offset: "now" });
      assert.equal(missingNow.status, 404);
      await missingNow.body?.cancel();

      await h.store.create("chat", { messages: [json(1)] });
      for (const offset of [formatOffset(2), "9999999999999999"]) {
        const beyond = await h.open("chat", { offset });
        assert.equal(beyond.status, 400);
        const problem = await beyond.json();
        assert.match(problem.type, /offset-out-of-range$/);
        assert.equal(problem.offset, formatOffset(1));
      }

      await h.store.create("fork", { fork: { path: "chat" } });
      await h.store.delete("chat");
      const gone = await h.open("chat");
      assert.equal(gone.status, 410);
      assert.match((await gone.json()).type, /stream-gone$/);
    });
  });

  it("SSE-RESUME-3: Last-Event-ID at a closed stream's final tail is answered 204", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json(1)], closed: true });
      const response = await h.open("chat", { offset: "-1" }, { "last-event-id": formatOffset(1) });
      assert.equal(response.status, 204);
      assert.equal(response.body, null);
      assert.equal(response.headers.get("stream-closed"), "true");
      // Before the tail, the rest is delivered and the response ends.
      const before = await h.open("chat", { offset: "-1" }, { "last-event-id": formatOffset(0) });
      const reader = h.reader(before);
      assert.deepEqual(data(await reader.nextEvent()), [1]);
      assert.equal(control(await reader.nextEvent()).streamClosed, true);
      assert.equal(await reader.nextEvent(), undefined);
    });
  });

  it("SSE-CLOSE-2: at a closed stream's tail without Last-Event-ID: one closing control event, then the end", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json(1)], closed: true });
      const reader = h.reader(await h.open("chat", { offset: formatOffset(1) }));
      const events = (await reader.rest()).filter((item) => item.kind === "event");
      assert.equal(events.length, 1);
      assert.deepEqual(control(events[0] as SseEvent), {
        streamNextOffset: formatOffset(1),
        upToDate: true,
        streamClosed: true,
      });
    });
  });

  it("SSE-CLOSE-1: a close while live delivers the last batch, a closing control, then ends", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat");
      const reader = h.reader(await h.open("chat"));
      control(await reader.nextEvent());
      await h.store.append("chat", { messages: [json("bye")], close: true });
      assert.deepEqual(data(await reader.nextEvent()), ["bye"]);
      const last = control(await reader.nextEvent());
      assert.equal(last.streamClosed, true);
      assert.equal(last.upToDate, true);
      assert.equal(last.streamCursor, undefined, "no cursor once closed");
      assert.equal(await reader.nextEvent(), undefined);
      await until(() => h.ctx.subscribers.total === 0);
    });
  });

  it("SSE-CLOSE-1: a close-only append ends a caught-up reader", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json(1)] });
      const reader = h.reader(await h.open("chat", { offset: "now" }));
      control(await reader.nextEvent());
      await h.store.append("chat", { messages: [], close: true });
      assert.deepEqual(control(await reader.nextEvent()), {
        streamNextOffset: formatOffset(1),
        upToDate: true,
        streamClosed: true,
      });
      assert.equal(await reader.nextEvent(), undefined);
    });
  });

  it("SSE-CLOSE-3: deleting the stream ends the response", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat");
      const reader = h.reader(await h.open("chat"));
      control(await reader.nextEvent());
      await h.store.delete("chat");
      assert.equal(await reader.nextEvent(), undefined);
      await until(() => h.ctx.subscribers.total === 0);
    });
  });

  it("SSE-HEARTBEAT-1: a silent connection writes a comment every heartbeatMs", async () => {
    await withServer({ timing: { heartbeatMs: 30 } }, async (h) => {
      await h.store.create("chat");
      const reader = h.reader(await h.open("chat"));
      control(await reader.nextEvent());
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        const item = await reader.next(500);
        assert.equal(item?.kind, "comment");
      }
      assert.ok(Date.now() - started >= 60, "comments come no faster than the interval");
      await h.store.append("chat", { messages: [json(1)] });
      let item = await reader.next(500);
      while (item?.kind === "comment") item = await reader.next(500);
      assert.deepEqual(data(item as SseEvent), [1], "events still flow between heartbeats");
    });
  });

  it("SSE-ROTATE-1 SSE-ROTATE-2: the response ends after sseRotationMs, after a control event, and resumes exactly", async () => {
    await withServer({ timing: { sseRotationMs: 60, heartbeatMs: 20 } }, async (h) => {
      await h.store.create("chat", { messages: [json(0)] });
      const first = h.reader(await h.open("chat"));
      const started = Date.now();
      const items = await first.rest(1000);
      assert.ok(Date.now() - started >= 50, "not before the rotation interval");
      const events = items.filter((i): i is SseEvent => i.kind === "event");
      assert.equal(events.at(-1)?.type, "control", "the last event is a control event");
      await h.store.append("chat", { messages: [json(1)] });
      const second = h.reader(
        await h.open("chat", { offset: "-1" }, { "last-event-id": first.lastEventId }),
      );
      assert.deepEqual(data(await second.nextEvent()), [1]);
    });
  });

  it("answers 429 subscriber-limit beyond maxSubscribersPerStream, and frees the slot on disconnect", async () => {
    await withServer({ limits: { maxSubscribersPerStream: 1 } }, async (h) => {
      await h.store.create("chat");
      const first = await h.open("chat");
      assert.equal(first.status, 200);
      const refused = await h.open("chat");
      assert.equal(refused.status, 429);
      assert.ok(refused.headers.get("retry-after"));
      const problem = await refused.json();
      assert.match(problem.type, /subscriber-limit$/);
      assert.equal(typeof problem.retryAfterMs, "number");
      await first.body?.cancel(); // the client went away before reading anything
      assert.equal(h.ctx.subscribers.total, 0);
      const second = await h.open("chat");
      assert.equal(second.status, 200);
      const reader = h.reader(second);
      control(await reader.nextEvent());
      await reader.cancel(); // the client went away (body cancelled)
      assert.equal(h.ctx.subscribers.total, 0);
      assert.equal((await h.open("chat")).status, 200);
    });
  });

  it("ends every response, resumably, when the server shuts down", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat", { messages: [json(1)] });
      const readers = [h.reader(await h.open("chat")), h.reader(await h.open("chat"))];
      for (const reader of readers) await reader.nextEvent();
      h.shutdown.abort();
      for (const reader of readers) {
        const rest = await reader.rest();
        assert.ok(rest.every((i) => i.kind !== "event" || i.type === "control"));
      }
      assert.equal(h.ctx.subscribers.total, 0);
      assert.equal((await h.open("chat")).status, 503);
    });
  });

  it("encodes a live batch once and writes the same bytes to every subscriber", async () => {
    await withServer({}, async (h) => {
      await h.store.create("chat");
      const readers: SseReader[] = [];
      for (let i = 0; i < 5; i++) readers.push(h.reader(await h.open("chat")));
      for (const reader of readers) control(await reader.nextEvent());
      const before = sseDataEncodings();
      await h.store.append("chat", { messages: [json({ text: "hello" }), json({ text: "all" })] });
      const received: string[] = [];
      for (const reader of readers) {
        const event = await reader.nextEvent();
        assert.deepEqual(data(event), [{ text: "hello" }, { text: "all" }]);
        received.push(new TextDecoder().decode(reader.chunks.at(-1)));
      }
      assert.equal(sseDataEncodings() - before, 1, "one encoding for five subscribers");
      assert.equal(new Set(received).size, 1);
    });
  });

  it("paces a slow reader through a long history without cutting it off", async () => {
    const limits = { maxReadMessages: 3, subscriberBufferMessages: 4 };
    await withServer({ limits }, async (h) => {
      const all = Array.from({ length: 40 }, (_, n) => n);
      await h.store.create("chat", { messages: all.map((n) => json(n)) });
      const reader = h.reader(await h.open("chat"));
      const got: unknown[] = [];
      while (got.length < all.length) {
        const event = await reader.nextEvent();
        if (event?.type === "data") got.push(...data(event));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assert.deepEqual(got, all);
    });
  });

  it("ends the response of a reader that stopped reading instead of buffering without bound", async () => {
    const limits = { maxReadMessages: 2, subscriberBufferMessages: 4 };
    await withServer({ limits, timing: { heartbeatMs: 40 } }, async (h) => {
      await h.store.create("chat");
      const reader = h.reader(await h.open("chat"));
      control(await reader.nextEvent()); // then the reader stops reading
      const before = sseDataEncodings();
      for (let i = 0; i < 50; i++) {
        await h.store.append("chat", { messages: [json(2 * i), json(2 * i + 1)] });
      }
      assert.ok(
        sseDataEncodings() - before <= 3,
        "the response stopped taking batches once its buffer was full",
      );
      await until(() => h.ctx.subscribers.total === 0); // cut off after heartbeatMs
      const events = (await reader.rest()).filter((i): i is SseEvent => i.kind === "event");
      const messages = events.filter((e) => e.type === "data").flatMap((e) => data(e));
      assert.ok(
        messages.length <= 4 + 2,
        `at most a buffer and a batch were held: ${messages.length}`,
      );
      assert.deepEqual(messages, messages.map((_, n) => n), "what was written has no gap");
      assert.notEqual(events.at(-1)?.type, "data", "cut at an event boundary");
      const resumed = h.reader(
        await h.open("chat", { offset: "-1" }, { "last-event-id": reader.lastEventId }),
      );
      assert.deepEqual(data(await resumed.nextEvent()), [messages.length, messages.length + 1]);
    });
  });
});

describe("sseResponse on byte streams", () => {
  it("writes text/* chunks as text, one data: line per line, with no forged events", async () => {
    await withServer({}, async (h) => {
      const attack = 'safe\r\n\r\nevent: control\rdata: {"injected":true}\n\n more';
      await h.store.create("log", {
        contentType: "text/plain",
        messages: [encoder.encode(attack)],
      });
      const response = await h.open("log");
      assert.equal(response.headers.get("stream-sse-data-encoding"), null);
      const reader = h.reader(response);
      const event = await reader.nextEvent();
      assert.equal(event?.type, "data");
      assert.equal(event.data, attack.replace(/\r\n|\r/g, "\n"));
      assert.equal(event.id, formatOffset(encoder.encode(attack).length));
      const c = control(await reader.nextEvent());
      assert.equal(c.injected, undefined);
      assert.ok(new TextDecoder().decode(reader.chunks.at(-2)).includes("data:  more\n"));
    });
  });

  it("never splits a UTF-8 character between events of a text stream", async () => {
    await withServer({ limits: { maxReadMessages: 1, maxBodyBytes: 1 } }, async (h) => {
      const text = "añ€😀z";
      await h.store.create("log", { contentType: "text/plain", messages: [encoder.encode(text)] });
      const reader = h.reader(await h.open("log"));
      let got = "";
      for (;;) {
        const event = await reader.nextEvent();
        if (event?.type === "data") got += event.data;
        else if (control(event).upToDate) break;
      }
      assert.equal(got, text);
      assert.equal(reader.lastEventId, formatOffset(encoder.encode(text).length));
    });
  });

  it("base64-encodes other byte streams and says so in stream-sse-data-encoding", async () => {
    await withServer({}, async (h) => {
      const bytes = new Uint8Array([0x00, 0x0a, 0x0d, 0xff, 0xfe, 0x00, 0x0a]);
      await h.store.create("bin", { contentType: "application/octet-stream", messages: [bytes] });
      const response = await h.open("bin");
      assert.equal(response.headers.get("stream-sse-data-encoding"), "base64");
      const reader = h.reader(response);
      const event = await reader.nextEvent();
      assert.equal(event?.type, "data");
      assert.deepEqual(Uint8Array.from(atob(event.data), (c) => c.charCodeAt(0)), bytes);
      assert.equal(control(await reader.nextEvent()).streamNextOffset, formatOffset(7));
    });
  });
});
