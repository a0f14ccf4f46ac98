import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FakeStreamServer, type Fault } from "../../test/client/fake_stream_server.ts";
import { StreamClient } from "./stream_client.ts";
import type { LiveMode, ReadStatus, StreamEvent } from "./stream_reader.ts";

const FAST = { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 50 } as const;

function setup(options: ConstructorParameters<typeof FakeStreamServer>[0] = {}) {
  const server = new FakeStreamServer({ longPollTimeoutMs: 50, heartbeatMs: 1000, ...options });
  const client = new StreamClient({ baseUrl: "http://test", fetch: server.fetch, backoff: FAST });
  return { server, client };
}

/** Runs `fn` with a deadline, so that a hang fails the test instead of the suite. */
async function within<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${ms} ms`)), ms);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function collect<M>(iterable: AsyncIterable<StreamEvent<M>>): Promise<StreamEvent<M>[]> {
  const events: StreamEvent<M>[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

function assertDense(events: StreamEvent[], from = 0): void {
  events.forEach((event, i) => {
    assert.equal(Number(event.offset), from + i, `event ${i}`);
    assert.equal(Number(event.nextOffset), from + i + 1);
  });
}

const isRead = (r: Request): boolean => r.method === "GET" && r.url.includes("/stream/");

const msgs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: "test.n", n: from + i }));

describe("StreamClient.read: catch-up", () => {
  test("reads every message in pages and stops at the tail (HTTP-READ-1/2)", async () => {
    const { server, client } = setup({ maxPerResponse: 3 });
    await client.create("a");
    server.append("a", msgs(0, 10));
    const events = await within(2000, (signal) => collect(client.read("a", { signal })));
    assert.equal(events.length, 10);
    assertDense(events);
    assert.deepEqual(events.map((e) => e.raw), server.log("a"));
    assert.deepEqual(events.map((e) => (e.message as { n: number }).n), [...Array(10).keys()]);
  });

  test("starts at a given offset, as a string or a number", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.append("a", msgs(0, 5));
    const a = await collect(client.read("a", { offset: "0000000000000003" }));
    const b = await collect(client.read("a", { offset: 3 }));
    assert.deepEqual(a.map((e) => e.offset), ["0000000000000003", "0000000000000004"]);
    assert.deepEqual(b.map((e) => e.raw), a.map((e) => e.raw));
    assert.deepEqual(await collect(client.read("a", { offset: "now" })), []);
  });

  test("fails at once with the problem of a final error (ERR-RETRY-4)", async () => {
    const { server, client } = setup();
    await assert.rejects(collect(client.read("missing")), {
      code: "stream-not-found",
      status: 404,
    });
    assert.equal(server.requests.filter(isRead).length, 1);
  });

  test("keeps exact JSON text: big integers survive in `raw` (LOG-MSG-2)", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.streams.get("a")!.messages.push('{"big":12345678901234567890,"x":1.10}');
    const [event] = await collect(client.read("a"));
    assert.equal(event.raw, '{"big":12345678901234567890,"x":1.10}');
  });
});

for (const live of ["long-poll", "sse"] as const) {
  describe(`StreamClient.read: live ${live}`, () => {
    test("delivers appends as they happen and ends when the stream is closed", async () => {
      const { server, client } = setup();
      await client.create("a");
      server.append("a", msgs(0, 2));
      const statuses: ReadStatus[] = [];
      const reader = client.read("a", { live, onStatusChange: (s) => statuses.push(s) });
      const done = within(3000, () => collect(reader));
      for (let i = 2; i < 8; i += 2) {
        await new Promise((r) => setTimeout(r, 5));
        server.append("a", msgs(i, 2));
      }
      server.closeStream("a");
      const events = await done;
      assertDense(events);
      assert.equal(events.length, 8);
      assert.equal(statuses.at(-1), "done");
      const metrics = reader.getMetrics();
      assert.equal(metrics.events, 8);
      assert.equal(metrics.closed, true);
      assert.equal(metrics.lastOffset, "0000000000000008");
      assert.equal(metrics.lag, 0);
      assert.ok(metrics.bytes > 0);
    });

    test("does not reconnect after the stream is closed (SSE-RESUME-4)", async () => {
      const { server, client } = setup();
      await client.create("a");
      server.append("a", msgs(0, 3));
      server.closeStream("a");
      const events = await within(2000, () => collect(client.read("a", { live })));
      assert.equal(events.length, 3);
      const reads = server.requests.filter((r) => r.method === "GET" && r.url.includes("/stream/"));
      assert.equal(reads.length, 1);
    });

    test("resumes after a dropped connection with no gap and no duplicate", async () => {
      const { server, client } = setup({ maxPerResponse: 2 });
      await client.create("a");
      server.append("a", msgs(0, 9));
      server.inject({ kind: "drop-after-bytes", bytes: 30 }, isRead);
      server.inject({ kind: "network" }, isRead);
      const reconnecting: number[] = [];
      let reconnected = 0;
      const reader = client.read("a", {
        live,
        onReconnecting: (attempt) => reconnecting.push(attempt),
        onReconnected: () => reconnected++,
      });
      const done = within(3000, () => collect(reader));
      await new Promise((r) => setTimeout(r, 20));
      server.closeStream("a");
      const events = await done;
      assertDense(events);
      assert.deepEqual(events.map((e) => e.raw), server.log("a"));
      assert.ok(reconnecting.length >= 1, "reconnecting reported");
      assert.ok(reconnected >= 1, "reconnected reported");
      assert.ok(reader.getMetrics().reconnects >= 2);
    });

    test("drops messages the server sends twice and re-asks after a gap", async () => {
      const { server, client } = setup({ maxPerResponse: 3, rotateAfterEvents: 1 });
      await client.create("a");
      server.append("a", msgs(0, 4));
      const later = (r: Request) =>
        isRead(r) && new URL(r.url).searchParams.get("offset") !== "0000000000000000";
      server.inject({ kind: "replay", messages: 2 }, later);
      server.inject({ kind: "skip" }, later);
      const reader = client.read("a", { live });
      const done = within(3000, () => collect(reader));
      await new Promise((r) => setTimeout(r, 10));
      server.append("a", msgs(4, 4));
      await new Promise((r) => setTimeout(r, 20));
      server.closeStream("a");
      const events = await done;
      assertDense(events);
      assert.deepEqual(events.map((e) => e.raw), server.log("a"));
      const metrics = reader.getMetrics();
      assert.ok(metrics.duplicates >= 1, `duplicates ${metrics.duplicates}`);
      assert.ok(metrics.gaps >= 1, `gaps ${metrics.gaps}`);
    });

    test("waits at least the server's Retry-After before retrying (ERR-RETRY-3)", async () => {
      const { server, client } = setup();
      await client.create("a");
      server.append("a", msgs(0, 1));
      server.closeStream("a");
      server.inject({ kind: "status", status: 503, slug: "unavailable", retryAfter: "1" }, isRead);
      const delays: number[] = [];
      const started = Date.now();
      const events = await within(
        4000,
        () =>
          collect(
            client.read("a", { live, onReconnecting: (_a, _m, delay) => delays.push(delay) }),
          ),
      );
      assert.equal(events.length, 1);
      assert.ok(delays[0] >= 1000, `delay ${delays[0]}`);
      assert.ok(Date.now() - started >= 990);
    });

    test("gives up after maxAttempts and reports it", async () => {
      const { server, client } = setup();
      await client.create("a");
      for (let i = 0; i < 5; i++) server.inject({ kind: "network" }, isRead);
      let failed = 0;
      await assert.rejects(
        within(2000, () =>
          collect(client.read("a", {
            live,
            backoff: { initialDelayMs: 1, maxAttempts: 3 },
            onReconnectFailed: () => failed++,
          }))),
        { code: "network" },
      );
      assert.equal(failed, 1);
    });

    test("an aborted signal stops the read with its reason; cancel() ends it quietly", async () => {
      const { client } = setup();
      await client.create("a");
      const controller = new AbortController();
      const reader = client.read("a", { live, signal: controller.signal });
      setTimeout(() => controller.abort(new Error("stop")), 20);
      await assert.rejects(within(2000, () => collect(reader)), /stop/);

      const quiet = client.read("a", { live });
      setTimeout(() => quiet.cancel(), 20);
      assert.deepEqual(await within(2000, () => collect(quiet)), []);
    });

    test("offset now: only messages appended after the read started", async () => {
      const { server, client } = setup();
      await client.create("a");
      server.append("a", msgs(0, 3));
      const reader = client.read("a", { live, offset: "now" });
      const done = within(3000, () => collect(reader));
      await new Promise((r) => setTimeout(r, 30));
      server.append("a", msgs(3, 2));
      await new Promise((r) => setTimeout(r, 10));
      server.closeStream("a");
      const events = await done;
      assertDense(events, 3);
      assert.equal(events.length, 2);
    });
  });
}

describe("StreamClient.read: SSE specifics", () => {
  test("a connection silent for twice the heartbeat is dropped and resumed (SSE-HEARTBEAT-3)", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.append("a", msgs(0, 2));
    server.closeStream("a");
    server.inject({ kind: "silent" }, isRead);
    const errors: string[] = [];
    const events = await within(2000, () =>
      collect(client.read("a", {
        live: "sse",
        heartbeatMs: 20,
        onReconnecting: (_a, _m, _d, info) => errors.push(info.error!.code),
      })));
    assert.equal(events.length, 2);
    assert.deepEqual(errors, ["heartbeat-timeout"]);
  });

  test("takes the heartbeat interval from the discovery document", async () => {
    const { server, client } = setup({ heartbeatMs: 15 });
    await client.create("a");
    server.closeStream("a");
    server.inject({ kind: "silent" }, isRead);
    const started = Date.now();
    await within(2000, () => collect(client.read("a", { live: "sse" })));
    assert.ok(Date.now() - started < 1000);
    assert.equal(server.requests.filter((r) => new URL(r.url).pathname === "/v1").length, 1);
  });

  test("follows rotations: the server ends each response after a control event", async () => {
    const { server, client } = setup({ rotateAfterEvents: 1, maxPerResponse: 2 });
    await client.create("a");
    server.append("a", msgs(0, 7));
    const reader = client.read("a", { live: "sse" });
    const done = within(3000, () => collect(reader));
    await new Promise((r) => setTimeout(r, 30));
    server.closeStream("a");
    const events = await done;
    assertDense(events);
    assert.equal(events.length, 7);
    assert.ok(reader.getMetrics().reconnects >= 3);
  });

  test("a server that ends every response at once, with nothing new, is not hammered", async () => {
    let requests = 0;
    const client = new StreamClient({
      baseUrl: "http://test",
      discovery: false,
      backoff: { initialDelayMs: 20, maxDelayMs: 40 },
      fetch: () => {
        requests++;
        const control =
          '{"streamNextOffset":"0000000000000000","streamCursor":"1","upToDate":true}';
        return Promise.resolve(
          new Response(`event: control\nid: 0000000000000000\ndata: ${control}\n\n`, {
            headers: { "content-type": "text/event-stream" },
          }),
        );
      },
    });
    const reader = client.read("a", { live: "sse" });
    setTimeout(() => reader.cancel(), 200);
    await within(2000, () => collect(reader));
    assert.ok(requests >= 3 && requests <= 25, `${requests} requests in 200 ms`);
  });

  test("batches carry upToDate and closed from the control events", async () => {
    const { server, client } = setup({ maxPerResponse: 2 });
    await client.create("a");
    server.append("a", msgs(0, 3));
    server.closeStream("a");
    const batches = [];
    for await (const batch of client.read("a", { live: "sse" }).batches()) batches.push(batch);
    assert.deepEqual(
      batches.map((b) => [b.offset, b.count, b.upToDate, b.closed]),
      [["0000000000000000", 2, false, false], ["0000000000000002", 1, true, true]],
    );
  });
});

describe("StreamReader handlers", () => {
  test("on(pattern) and onAny see every event once, in order", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.append("a", [
      { type: "run.started" },
      { type: "text.delta", delta: "a" },
      { type: "text.done" },
      { type: "tool.call" },
      [1, 2],
      { type: "text.delta", delta: "b" },
    ]);
    type Events =
      | { type: "run.started" }
      | { type: "text.delta"; delta: string }
      | { type: "text.done" }
      | { type: "tool.call" };
    const reader = client.read<Events>("a");
    const deltas: string[] = [];
    const text: string[] = [];
    const all: string[] = [];
    const any: string[] = [];
    reader.on("text.delta", (message) => deltas.push(message.delta));
    const off = reader.on("text.*", (message) => text.push(message.type));
    reader.on("*", (message) => all.push(message.type));
    reader.onAny((event) => any.push(event.offset.slice(-1)));
    let seen = 0;
    for await (const _ of reader) {
      if (++seen === 3) off();
    }
    assert.deepEqual(deltas, ["a", "b"]);
    assert.deepEqual(text, ["text.delta", "text.done"]);
    assert.deepEqual(all, ["run.started", "text.delta", "text.done", "tool.call", "text.delta"]);
    assert.deepEqual(any, ["0", "1", "2", "3", "4", "5"]);
  });

  test("run() drives the handlers; a reader is consumed once", async () => {
    const { server, client } = setup();
    await client.create("a");
    server.append("a", msgs(0, 3));
    const reader = client.read("a");
    let count = 0;
    reader.onAny(() => count++);
    await reader.run();
    assert.equal(count, 3);
    await assert.rejects(reader.run(), TypeError);
  });

  test("invalid patterns are refused", () => {
    const { client } = setup();
    const reader = client.read("a");
    for (const pattern of ["", "te*xt", "*.delta", "a.*.b", ".*"]) {
      assert.throws(() => reader.on(pattern, () => {}), TypeError, pattern);
    }
  });
});

// --- Property: random schedules of appends and faults; the reader delivers
// the log exactly (LOG-LIVE-1 from the client's side).

type Step =
  | { op: "append"; n: number }
  | { op: "fault"; fault: Fault }
  | { op: "pause"; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant("append" as const), n: fc.integer({ min: 1, max: 5 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("fault" as const),
      fault: fc.oneof(
        fc.record({
          kind: fc.constant("drop-after-bytes" as const),
          bytes: fc.integer({ min: 0, max: 200 }),
        }),
        fc.constant({ kind: "network" } as const),
        fc.constant({ kind: "status", status: 503, slug: "unavailable" } as const),
        fc.constant({ kind: "status", status: 500 } as const),
        fc.record({
          kind: fc.constant("replay" as const),
          messages: fc.integer({ min: 1, max: 4 }),
        }),
        fc.constant({ kind: "skip" } as const),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 4 }) }),
  },
);

for (const live of ["long-poll", "sse"] as LiveMode[]) {
  test(`property: over ${live}, random appends and faults deliver the log exactly`, async () => {
    const totals = { faults: 0, reconnects: 0, duplicates: 0, gaps: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 14 }),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        async (steps, maxPerResponse, rotateAfterEvents) => {
          const { server, client } = setup({
            maxPerResponse,
            rotateAfterEvents,
            longPollTimeoutMs: 5,
          });
          await client.create("p");
          const reader = client.read("p", {
            live,
            backoff: { initialDelayMs: 0, maxAttempts: Infinity },
          });
          const done = within(5000, () => collect(reader));
          let n = 0;
          for (const s of steps) {
            if (s.op === "append") {
              server.append("p", msgs(n, s.n));
              n += s.n;
            } else if (s.op === "fault") {
              server.inject(s.fault, isRead);
            } else {
              await new Promise((r) => setTimeout(r, s.ms));
            }
          }
          server.closeStream("p");
          const events = await done;
          assertDense(events);
          assert.deepEqual(events.map((e) => e.raw), server.log("p"));
          const metrics = reader.getMetrics();
          assert.equal(metrics.lastOffset, String(n).padStart(16, "0"));
          totals.reconnects += metrics.reconnects;
          totals.duplicates += metrics.duplicates;
          totals.gaps += metrics.gaps;
          totals.faults += steps.filter((s) => s.op === "fault").length - server.pendingFaults;
        },
      ),
      { numRuns: 60 },
    );
    // The schedules have to exercise the recovery paths, not just pass.
    console.log(`${live}: ${JSON.stringify(totals)}`);
    assert.ok(
      totals.faults > 20 && totals.reconnects > 10 && totals.duplicates + totals.gaps > 0,
    );
  });
}
