// End to end over real sockets: for random schedules of appends, dropped
// connections and server restarts (a new SqliteStore on the same file, a new
// listener on the same port), every reader — StreamClient over SSE and over
// long-poll, WsClient, and a browser-style EventSource that resumes through
// Last-Event-ID — delivers exactly the log: no gap, no duplicate, order kept
// (SSE-EVENT-1, SSE-RESUME-1/3/4, SSE-CLOSE-1, LOG-MSG-1/2).

import fc from "fast-check";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { splitJsonArray } from "../../src/client/_json_array.ts";
import { StreamClient } from "../../src/client/stream_client.ts";
import type { StreamReader } from "../../src/client/stream_reader.ts";
import { WsClient } from "../../src/client/ws_client.ts";
import type { WebSocketConstructor } from "../../src/client/ws_client_options.ts";
import type { AgentStreamServer } from "../../src/server/agent_stream_server.ts";
import { createServer } from "../../src/server/mod.ts";
import type { ServeHandle, ServeOptions } from "../../src/server/serve_options.ts";
import { SqliteStore } from "../../src/stores/sqlite_store.ts";
import { type SseEvent, SseReader } from "../_sse_reader.ts";

type Serve = (server: AgentStreamServer, options: ServeOptions) => Promise<ServeHandle>;

const STREAM = "e2e/restart";
const TIMING = { heartbeatMs: 200, sseRotationMs: 1500, longPollTimeoutMs: 500 } as const;
// Restarts refuse connections for a moment; readers retry quickly and for long
// enough to outlast any schedule, while the final wait keeps the test bounded.
const BACKOFF = { initialDelayMs: 10, maxDelayMs: 150, maxAttempts: 200 } as const;
const FINISH_MS = 10_000;

async function loadServe(): Promise<Serve> {
  if ("Deno" in globalThis) return (await import("../../src/server/serve_deno.ts")).serve;
  if ("Bun" in globalThis) return (await import("../../src/server/serve_bun.ts")).serve;
  throw new Error("this test runs under Deno or Bun");
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// A fetch whose connections the test can cut: a pending request rejects and
// a body being read errors, both with the TypeError a network failure gives.
class DroppableFetch {
  readonly #cuts = new Set<() => void>();

  readonly fetch = async (request: Request): Promise<Response> => {
    const cut = new AbortController();
    const onCut = (): void => cut.abort();
    this.#cuts.add(onCut);
    let response: Response;
    try {
      response = await fetch(request, { signal: AbortSignal.any([request.signal, cut.signal]) });
    } catch (error) {
      this.#cuts.delete(onCut);
      if (cut.signal.aborted && !request.signal.aborted) throw new TypeError("connection cut");
      throw error;
    } finally {
      this.#cuts.delete(onCut);
    }
    if (response.body === null) return response;
    const source = response.body.getReader();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const kill = (): void => {
      this.#cuts.delete(kill);
      try {
        controller.error(new TypeError("connection cut"));
      } catch { /* already closed */ }
      source.cancel().catch(() => {});
    };
    this.#cuts.add(kill);
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      pull: async (c) => {
        try {
          const { done, value } = await source.read();
          if (done) {
            this.#cuts.delete(kill);
            c.close();
          } else c.enqueue(value);
        } catch {
          kill();
        }
      },
      cancel: (reason) => {
        this.#cuts.delete(kill);
        return source.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  cutAll(): void {
    for (const cut of [...this.#cuts]) cut();
  }
}

// WebSockets the test can drop: a close from the client's side that the
// WsClient did not ask for is, to it, a lost connection.
function droppableWebSocket(): { ctor: WebSocketConstructor; dropAll: () => void } {
  const sockets = new Set<WebSocket>();
  class Droppable extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.add(this);
      this.addEventListener("close", () => sockets.delete(this));
    }
  }
  return {
    ctor: Droppable,
    dropAll: () => {
      for (const socket of sockets) {
        if (socket.readyState === WebSocket.OPEN) socket.close(4000, "test drop");
      }
    },
  };
}

// A browser's EventSource, reduced to what matters here: it keeps the URL it
// was given (offset=-1), sends the last dispatched event's id as
// Last-Event-ID on every reconnect, and stops on a 204. Unlike a browser it
// also retries a 503 (the server answers it while shutting down) instead of
// failing for good; a page would have to reopen by hand there.
class EventSourceReader {
  readonly texts: string[] = [];
  reconnects = 0;
  readonly done: Promise<void>;
  #lastEventId = "";
  #current: AbortController | undefined;
  #stopped = false;

  constructor(readonly url: string) {
    this.done = this.#run();
  }

  drop(): void {
    this.#current?.abort();
  }

  stop(): void {
    this.#stopped = true;
    this.#current?.abort();
  }

  async #run(): Promise<void> {
    for (let attempt = 0; !this.#stopped; attempt++) {
      if (attempt > 0) {
        this.reconnects++;
        await sleep(20);
      }
      const controller = new AbortController();
      this.#current = controller;
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (this.#lastEventId !== "") headers["last-event-id"] = this.#lastEventId;
      let response: Response;
      try {
        response = await fetch(this.url, { headers, signal: controller.signal });
      } catch {
        continue;
      }
      // SSE-RESUME-3: the stream is closed and fully read.
      if (response.status === 204) return;
      if (response.status !== 200) {
        await response.body?.cancel();
        continue;
      }
      const reader = new SseReader(response.body!);
      try {
        for (;;) {
          const item = await reader.next(5_000);
          if (item === undefined) break;
          if (item.kind !== "event") continue;
          if (this.#dispatch(item)) return;
        }
      } catch {
        // Aborted, or silent for too long: reconnect from the last id.
      } finally {
        await reader.cancel();
      }
    }
  }

  // True once a control event says the stream is closed (SSE-RESUME-4).
  #dispatch(event: SseEvent): boolean {
    if (event.id !== "") this.#lastEventId = event.id;
    if (event.type === "data") this.texts.push(...splitJsonArray(event.data));
    if (event.type === "control") {
      return (JSON.parse(event.data) as { streamClosed?: boolean }).streamClosed === true;
    }
    return false;
  }
}

type Step =
  | { readonly op: "append"; readonly messages: readonly string[] }
  | { readonly op: "drop" }
  | { readonly op: "restart" }
  | { readonly op: "settle" }
  | { readonly op: "sleep"; readonly ms: number };

// Message texts in forms a re-serialising server would change (LOG-MSG-1/2);
// `{n}` makes every message unique, so a duplicate or a swap shows.
const TEMPLATES = [
  '{"n":{n}}',
  '{"type":"text.delta","delta":"é\\u00e9","n":{n}}',
  '{"n":{n},"x":1.50,"y":1E3,"z":-0}',
  '{"z":1,"a":2,"n":{n}}',
  '{"n":{n},"big":12345678901234567890}',
  '{"n":{n},"nested":[{"b":true,"a":null}]}',
];

// Every schedule starts with readers connected and holding one batch.
const FIRST_APPEND: Step = { op: "append", messages: [TEMPLATES[0], TEMPLATES[2]] };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.array(fc.constantFrom(...TEMPLATES), { minLength: 1, maxLength: 5 })
      .map((messages) => ({ op: "append" as const, messages })),
  },
  { weight: 2, arbitrary: fc.constant({ op: "drop" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "restart" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "settle" as const }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 50 }).map((ms) => ({ op: "sleep" as const, ms })),
  },
);

class Rig {
  server!: AgentStreamServer;
  handle!: ServeHandle;
  port = 0;
  restarts = 0;

  constructor(readonly serve: Serve, readonly dbPath: string) {}

  async start(): Promise<void> {
    this.server = createServer({ store: new SqliteStore({ path: this.dbPath }), timing: TIMING });
    // The same port every time, so that clients reconnect to the new server;
    // the old listener may take a moment to let go of it.
    for (let attempt = 0;; attempt++) {
      try {
        this.handle = await this.serve(this.server, { port: this.port, hostname: "127.0.0.1" });
        break;
      } catch (error) {
        if (attempt >= 50 || this.port === 0) throw error;
        await sleep(20);
      }
    }
    this.port = this.handle.address.port;
  }

  // shutdown() ends live reads and disposes the store; close() then returns.
  async stop(): Promise<void> {
    await within(this.server.shutdown(), 5_000, "server.shutdown");
    await within(this.handle.close(), 5_000, "listener close");
  }

  async restart(): Promise<void> {
    await this.stop();
    this.restarts++;
    await this.start();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

// A connection pooled before a restart fails on first use, before the new
// server saw the request; such a request is simply sent again.
async function send(url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0;; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(10);
    }
  }
}

async function tail(rig: Rig): Promise<number> {
  const response = await send(`${rig.url}/v1/stream/${STREAM}`, { method: "HEAD" });
  await response.body?.cancel();
  return Number(response.headers.get("stream-next-offset"));
}

// A plain append is not idempotent: after a failure the tail tells whether it
// landed, so that the expected log stays exact.
async function append(rig: Rig, messages: readonly string[], before: number): Promise<void> {
  for (let attempt = 0;; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${rig.url}/v1/stream/${STREAM}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `[${messages.join(" , ")}]`,
      });
    } catch (error) {
      const now = await tail(rig);
      if (now === before + messages.length) return;
      assert.equal(now, before, "a failed append left the tail elsewhere");
      if (attempt >= 20) throw error;
      continue;
    }
    await response.body?.cancel();
    assert.equal(response.status, 204, `append answered ${response.status}`);
    return;
  }
}

async function closeStream(rig: Rig): Promise<void> {
  const response = await send(`${rig.url}/v1/stream/${STREAM}`, {
    method: "POST",
    headers: { "stream-closed": "true" },
  });
  await response.body?.cancel();
  assert.equal(response.status, 204, `close answered ${response.status}`);
}

// Reconnections over all runs, to show that the schedules did cut readers.
const totals = { es: 0, sse: 0, ws: 0 };

async function runSchedule(serve: Serve, steps: readonly Step[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "restart-delivery-"));
  const rig = new Rig(serve, join(dir, "log.db"));
  const cleanup: (() => void)[] = [];
  let running = false;
  try {
    await rig.start();
    running = true;
    const created = await fetch(`${rig.url}/v1/stream/${STREAM}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
    });
    await created.body?.cancel();
    assert.equal(created.status, 201);

    const droppable = new DroppableFetch();
    const http = new StreamClient({ baseUrl: rig.url, fetch: droppable.fetch, backoff: BACKOFF });
    const cancelAll = new AbortController();
    cleanup.push(() => cancelAll.abort());
    let wsReconnects = 0;
    // [SSE reader, long-poll reader], in the order they start.
    const readers: StreamReader[] = [];
    const collect = async (live: "sse" | "long-poll", texts: string[]): Promise<void> => {
      const reader = http.read(STREAM, { offset: "-1", live, signal: cancelAll.signal });
      readers.push(reader);
      for await (const event of reader) texts.push(event.raw);
    };
    const sseTexts: string[] = [];
    const longPollTexts: string[] = [];
    const sse = collect("sse", sseTexts);
    const longPoll = collect("long-poll", longPollTexts);

    const sockets = droppableWebSocket();
    const ws = new WsClient({
      baseUrl: rig.url,
      WebSocket: sockets.ctor,
      backoff: BACKOFF,
      onReconnecting: () => void wsReconnects++,
    });
    cleanup.push(() => ws.close());
    const wsTexts: string[] = [];
    const subscription = ws.subscribe(STREAM, { offset: "-1" }, (e) => wsTexts.push(e.raw));

    const eventSource = new EventSourceReader(`${rig.url}/v1/stream/${STREAM}?offset=-1&live=sse`);
    cleanup.push(() => eventSource.stop());
    // Settle each one now, so that a reader failing early is no unhandled rejection.
    const settled = [sse, longPoll, subscription.done, eventSource.done].map((p) =>
      p.then(() => undefined, (error: unknown) => error)
    );

    const log: string[] = [];
    const delivered = [sseTexts, longPollTexts, wsTexts, eventSource.texts];
    // Waits until every reader has caught up, so that the next drop or
    // restart cuts readers that are connected and have read something.
    const settle = async (): Promise<void> => {
      const deadline = Date.now() + 5_000;
      while (delivered.some((texts) => texts.length < log.length)) {
        if (Date.now() > deadline) {
          assert.fail(
            `readers did not catch up: ${delivered.map((t) => t.length)} of ${log.length}`,
          );
        }
        await sleep(5);
      }
    };
    for (const step of [FIRST_APPEND, { op: "settle" } as const, ...steps]) {
      if (step.op === "append") {
        // Numbered by position, so each text is unique in the log.
        const numbered = step.messages.map((t, i) => t.replace("{n}", String(log.length + i)));
        await append(rig, numbered, log.length);
        log.push(...numbered);
      } else if (step.op === "drop") {
        droppable.cutAll();
        sockets.dropAll();
        eventSource.drop();
      } else if (step.op === "settle") {
        await settle();
      } else if (step.op === "restart") {
        running = false;
        await rig.restart();
        running = true;
      } else {
        await sleep(step.ms);
      }
    }
    await closeStream(rig);

    const errors = await within(Promise.all(settled), FINISH_MS, "readers finishing");
    assert.deepEqual(errors, [undefined, undefined, undefined, undefined], "a reader failed");

    const catchUp = await send(`${rig.url}/v1/stream/${STREAM}?offset=-1`);
    const stored = splitJsonArray(await catchUp.text());
    assert.deepEqual(stored, log, "the catch-up read is the log");
    assert.deepEqual(sseTexts, log, "StreamClient over SSE");
    assert.deepEqual(longPollTexts, log, "StreamClient over long-poll");
    assert.deepEqual(await subscription.done, { reason: "closed" });
    assert.deepEqual(wsTexts, log, "WsClient");
    assert.deepEqual(eventSource.texts, log, "EventSource-style reader with Last-Event-ID");
    totals.es += eventSource.reconnects;
    totals.sse += readers[0].getMetrics().reconnects;
    totals.ws += wsReconnects;
  } finally {
    for (const fn of cleanup) fn();
    if (running) await rig.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

test("every reader delivers the log exactly across drops and restarts (SSE-RESUME-1/4, SSE-EVENT-1)", async () => {
  const serve = await loadServe();
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
      await runSchedule(serve, steps);
    }),
    {
      numRuns: 15,
      endOnFailure: true,
      // One schedule that surely cuts readers which hold data and then need more.
      examples: [[[
        { op: "append", messages: [TEMPLATES[1], TEMPLATES[3]] },
        { op: "settle" },
        { op: "drop" },
        { op: "append", messages: [TEMPLATES[4]] },
        { op: "settle" },
        { op: "restart" },
        { op: "append", messages: [TEMPLATES[5], TEMPLATES[0], TEMPLATES[2]] },
        { op: "settle" },
      ]]],
    },
  );
  assert.ok(totals.es > 0 && totals.sse > 0 && totals.ws > 0, JSON.stringify(totals));
});
