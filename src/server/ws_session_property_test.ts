import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import {
  AckFrameSchema,
  AppendFrameSchema,
  HelloFrameSchema,
  PingFrameSchema,
  PongFrameSchema,
  SubscribeFrameSchema,
  UnsubscribeFrameSchema,
} from "../protocol/mod.ts";
import { StoreError } from "../stores/event_store.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import {
  encoded,
  type Frame,
  type Harness,
  harness,
  off,
  slugOf,
  tick,
} from "./_ws_test_support.ts";

const decoder = new TextDecoder();

// ---------------------------------------------------------------- property 1

type Step =
  | { readonly op: "store"; readonly count: number }
  | { readonly op: "ws"; readonly count: number; readonly viaClient: boolean }
  | { readonly op: "drop" }
  | { readonly op: "resubscribe" }
  | { readonly op: "congest"; readonly on: boolean }
  | { readonly op: "ack" }
  | { readonly op: "wait"; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("store" as const),
      count: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("ws" as const),
      count: fc.integer({ min: 1, max: 6 }),
      viaClient: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("resubscribe" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("congest" as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("ack" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 3 }) }),
  },
);

/** A client that follows one stream across subscriptions and connections, as section 6.4 describes. */
class Follower {
  h!: Harness;
  sub = "";
  subscribed = false;
  position = 0;
  acked = 0;
  readonly delivered: number[] = [];
  #n = 0;
  #ended = new Set<string>();

  constructor(
    readonly store: MemoryStore,
    readonly window: number | undefined,
    readonly limits: object,
  ) {}

  async connect(): Promise<void> {
    this.h = await harness({ store: this.store, limits: this.limits });
    this.subscribe();
  }

  subscribe(): void {
    this.sub = `s${++this.#n}`;
    this.subscribed = false;
    this.acked = this.position;
    this.h.send({
      type: "subscribe",
      sub: this.sub,
      path: "s",
      offset: off(this.position), // WS-RESUME-1
      ...(this.window ? { window: this.window } : {}),
    });
  }

  async drop(): Promise<void> {
    await this.h.dispose();
    await this.connect();
  }

  /** Consumes what arrived, checking each frame against the data rules. */
  read(): void {
    for (const f of this.h.take()) {
      if (f.type === "appended" || f.type === "pong" || f.type === "ping") continue;
      // WS-UNSUB-2: no data for a subscription after its unsubscribed or error frame.
      if (f.type === "data") {
        assert.ok(!this.#ended.has(f.sub), `after the end: ${JSON.stringify(f)}`);
      }
      if (f.type === "unsubscribed" || f.type === "error") this.#ended.add(f.sub);
      if (f.sub !== this.sub) continue; // WS-FRAME-11
      if (f.type === "subscribed") {
        assert.equal(f.offset, off(this.position));
        this.subscribed = true;
      } else if (f.type === "data") {
        assert.ok(this.subscribed, "WS-SUB-1");
        assert.equal(Number(f.nextOffset), this.position + f.messages.length, "WS-DATA-1");
        assert.ok(f.messages.length > 0 || f.upToDate || f.closed, "WS-DATA-11");
        if (this.window) assert.ok(Number(f.nextOffset) <= this.acked + this.window, "WS-FLOW-1");
        this.delivered.push(...f.messages);
        this.position = Number(f.nextOffset);
      } else if (f.type === "error") {
        assert.equal(slugOf(f), "subscriber-overflow", JSON.stringify(f));
        assert.ok(!this.window || this.window > 3, "WS-OVERFLOW-2");
        assert.equal(f.resumeOffset, off(this.position), "WS-OVERFLOW-3");
        this.subscribe(); // WS-OVERFLOW-5
      } else {
        assert.fail(`unexpected ${JSON.stringify(f)}`);
      }
    }
  }

  ack(): void {
    if (!this.subscribed || this.acked === this.position) return;
    this.acked = this.position;
    this.h.send({ type: "ack", sub: this.sub, offset: off(this.position) });
  }
}

// ---------------------------------------------------------------- property 2

const KNOWN = ["hello", "subscribe", "unsubscribe", "ack", "append", "ping", "pong"] as const;
const SCHEMAS: Record<string, v.GenericSchema> = {
  hello: HelloFrameSchema,
  subscribe: SubscribeFrameSchema,
  unsubscribe: UnsubscribeFrameSchema,
  ack: AckFrameSchema,
  append: AppendFrameSchema,
  ping: PingFrameSchema,
  pong: PongFrameSchema,
};
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(undefined));
const member = <T>(good: fc.Arbitrary<T>) => fc.oneof(good, anyValue);
const token = fc.constantFrom("s1", "r1", "a.b:c~d-e", "", "bad token", "x".repeat(129));
const shaped = fc.record({
  type: fc.constantFrom(...KNOWN),
  version: member(fc.constantFrom("1.0", "1.3", "2.0")),
  sub: member(token),
  req: member(token),
  path: member(fc.constantFrom("a", "missing", "a//b", "/a", "")),
  offset: member(fc.constantFrom("-1", "now", off(0), off(1), off(99), "x")),
  window: member(fc.constantFrom(1, 3, 0, -1, 1.5)),
  messages: member(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })),
  close: member(fc.boolean()),
  producer: member(fc.record({ id: fc.constantFrom("p", ""), epoch: fc.nat(2), seq: fc.nat(2) })),
  streamSeq: member(fc.constantFrom("a", "b", "")),
  nonce: member(fc.string({ maxLength: 4 })),
}, { requiredKeys: ["type"] });

type Junk =
  | { readonly kind: "binary"; readonly data: Uint8Array }
  | { readonly kind: "text"; readonly data: string }
  | { readonly kind: "oversize"; readonly data: string };

const MAX_FRAME = 2048;
const junk: fc.Arbitrary<Junk> = fc.oneof(
  fc.record({ kind: fc.constant("binary" as const), data: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant("text" as const), data: fc.string({ maxLength: 30 }) }),
  fc.record({
    kind: fc.constant("text" as const),
    data: fc.jsonValue({ maxDepth: 2 }).map((j) => JSON.stringify(j)),
  }),
  fc.record({
    kind: fc.constant("text" as const),
    data: fc.record({ type: fc.oneof(fc.string({ maxLength: 8 }), anyValue) }, { requiredKeys: [] })
      .map((o) => JSON.stringify(o)),
  }),
  { weight: 6, arbitrary: shaped.map((o) => ({ kind: "text" as const, data: JSON.stringify(o) })) },
  fc.record({
    kind: fc.constant("oversize" as const),
    data: fc.constant(`{"type":"ping","nonce":"${"x".repeat(MAX_FRAME)}"}`),
  }),
);

/** The answers the spec requires for one frame, checked against what the session sent. */
function checkAnswer(sent: Junk, answers: Frame[], h: Harness): void {
  const connectionError = () => {
    assert.equal(answers.length, 1, JSON.stringify(answers));
    assert.equal(slugOf(answers[0]), "invalid-frame"); // WS-FRAME-3, WS-FRAME-4
    assert.equal(answers[0].req, undefined);
    assert.equal(answers[0].sub, undefined);
  };
  if (sent.kind === "oversize") return assert.equal(h.transport.closeCode, 1009); // WS-FRAME-12
  if (sent.kind === "binary") return connectionError();
  let value: unknown;
  try {
    value = JSON.parse(sent.data);
  } catch {
    return connectionError();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return connectionError();
  const frame = value as Frame;
  if (typeof frame.type !== "string") return connectionError();
  if (!(KNOWN as readonly string[]).includes(frame.type)) return assert.deepEqual(answers, []); // WS-FRAME-7
  const idKey = frame.type === "append" ? "req" : "sub";
  const validId = typeof frame[idKey] === "string" &&
    /^[A-Za-z0-9._:~-]{1,128}$/.test(frame[idKey]);
  if (!v.is(SCHEMAS[frame.type], frame)) {
    // WS-FRAME-5, WS-FRAME-6 (a defective frame might end a subscription: the error says so).
    assert.equal(answers.length, 1, JSON.stringify(answers));
    assert.equal(answers[0].type, "error");
    assert.ok(
      ["invalid-frame", "invalid-offset", "invalid-stream-name", "empty-append"].includes(
        slugOf(answers[0]),
      ),
    );
    assert.equal(answers[0][idKey], validId ? frame[idKey] : undefined);
    return;
  }
  switch (frame.type) {
    case "hello":
      assert.equal(answers.length, 1);
      return assert.equal(slugOf(answers[0]), "invalid-frame"); // WS-HELLO-7
    case "ping":
      return assert.deepEqual(answers, [{
        type: "pong",
        ...(frame.nonce !== undefined ? { nonce: frame.nonce } : {}),
      }]);
    case "pong":
      return assert.deepEqual(answers, []);
    case "unsubscribe":
      assert.deepEqual(answers.at(-1), { type: "unsubscribed", sub: frame.sub, reason: "client" }); // WS-UNSUB-1
      return;
    case "append": {
      const own = answers.filter((f) => f.req === frame.req);
      assert.equal(own.length, 1, "WS-APPEND-2");
      return;
    }
    default:
      // subscribe, ack: anything sent concerns that subscription.
      for (const f of answers) assert.equal(f.sub, frame.sub, JSON.stringify(f));
  }
}

// ---------------------------------------------------------------- property 3

interface AppendOp {
  readonly path: "a" | "t" | "missing";
  readonly messages?: unknown[];
  readonly close?: boolean;
  readonly producer?: { id: string; epoch: number; seq: number };
  readonly streamSeq?: string;
}

const appendOp: fc.Arbitrary<AppendOp> = fc.record({
  path: fc.constantFrom("a", "a", "a", "t", "missing"),
  messages: fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }),
  close: fc.boolean(),
  producer: fc.record({ id: fc.constantFrom("p", "q"), epoch: fc.nat(2), seq: fc.nat(3) }),
  streamSeq: fc.constantFrom("a", "b", "c"),
}, { requiredKeys: ["path"] }).filter((op) => op.messages !== undefined || op.close === true);

type Outcome =
  | { nextOffset: number; duplicate: boolean; closed: boolean; producer?: unknown }
  | string;

async function viaStore(store: MemoryStore, op: AppendOp): Promise<Outcome> {
  try {
    const r = await store.append(op.path, {
      messages: op.messages ? encoded(op.messages) : [],
      ...(op.close ? { close: true } : {}),
      ...(op.producer ? { producer: op.producer } : {}),
      ...(op.streamSeq !== undefined ? { streamSeq: op.streamSeq } : {}),
      ...(op.messages ? { contentType: "application/json" } : {}),
    });
    return {
      nextOffset: r.nextOffset,
      duplicate: r.duplicate,
      closed: r.closed,
      ...(op.producer ? { producer: r.producer } : {}),
    };
  } catch (error) {
    if (error instanceof StoreError) return error.slug;
    throw error;
  }
}

function fromFrame(f: Frame): Outcome {
  if (f.type === "error") return slugOf(f);
  return {
    nextOffset: Number(f.nextOffset),
    duplicate: f.duplicate === true,
    closed: f.closed === true,
    ...(f.producer ? { producer: f.producer } : {}),
  };
}

/**
 * What the frame should say, from the store's result: where the store
 * reports no producer state (a close repeated by a producer the stream has
 * never seen), WS-APPEND-7 still wants `producer`, and it echoes the frame.
 */
function expected(outcome: Outcome, op: AppendOp): Outcome {
  if (typeof outcome === "string" || !op.producer || outcome.producer !== undefined) return outcome;
  return { ...outcome, producer: { epoch: op.producer.epoch, seq: op.producer.seq } };
}

async function seeded(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.create("a");
  await store.create("t", { contentType: "text/plain" });
  return store;
}

async function logOf(store: MemoryStore, path: string): Promise<string[]> {
  return (await store.read(path)).messages.map((m) => decoder.decode(m));
}

describe("WsSession properties", () => {
  it("(1) appends from anywhere, drops and resumes: the delivered sequence is the log", {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 30 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, window, maxReadMessages) => {
          const store = new MemoryStore();
          await store.create("s");
          const limits = { subscriberBufferMessages: 3, maxReadMessages, maxWsFrameBytes: 256 };
          const client = new Follower(store, window, limits);
          await client.connect();
          const writer = await harness({ store });
          let next = 0;
          const batch = (count: number) => Array.from({ length: count }, () => next++);
          try {
            for (const s of steps) {
              client.read();
              if (s.op === "store") await store.append("s", { messages: encoded(batch(s.count)) });
              else if (s.op === "ws") {
                const on = s.viaClient ? client.h : writer;
                const req = `r${next}`;
                on.send({ type: "append", req, path: "s", messages: batch(s.count) });
                await on.until(() => on.transport.frames.some((f) => f.req === req));
              } else if (s.op === "drop") await client.drop();
              else if (s.op === "resubscribe") {
                client.h.send({ type: "unsubscribe", sub: client.sub });
                client.subscribe();
              } else if (s.op === "congest") client.h.transport.bufferedAmount = s.on ? 1 << 30 : 0;
              else if (s.op === "ack") client.ack();
              else await tick(s.ms);
            }
            client.h.transport.bufferedAmount = 0;
            let failure: unknown;
            await client.h.until(() => {
              try {
                client.read();
                client.ack();
              } catch (error) {
                failure = error;
                return true;
              }
              return client.position === next;
            }, 5000).catch(async () => {
              const { tail } = await store.head("s");
              assert.fail(`stuck at ${client.position} of ${next} (tail ${tail})`);
            });
            if (failure) throw failure;
            const { tail } = await store.head("s");
            assert.equal(tail, next);
            assert.deepEqual(client.delivered, Array.from({ length: next }, (_, i) => i));
          } finally {
            await client.h.dispose();
            await writer.dispose();
            await store.dispose();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("(2) junk frames never throw or end the session, and get the spec's answer", {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 1, maxLength: 12 }), async (frames) => {
        const store = new MemoryStore();
        await store.create("a");
        await store.append("a", { messages: encoded([1, 2]) });
        const h = await harness({ store, limits: { maxWsFrameBytes: MAX_FRAME } });
        try {
          for (const frame of frames) {
            assert.doesNotThrow(() => h.session.receive(frame.data));
            await h.settle();
            checkAnswer(frame, h.take(), h);
            if (frame.kind === "oversize") return;
          }
          assert.equal(h.transport.closeCode, undefined);
          h.send({ type: "ping", nonce: "alive" });
          assert.deepEqual(await h.next((f) => f.type === "pong"), {
            type: "pong",
            nonce: "alive",
          });
        } finally {
          await h.dispose();
          await store.dispose();
        }
      }),
      { numRuns: 120 },
    );
  });

  it(
    "(3) appends over WebSocket and the same appends to the store agree",
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(appendOp, { minLength: 1, maxLength: 12 }), async (ops) => {
          const direct = await seeded();
          const h = await harness({ store: await seeded() });
          try {
            ops.forEach((op, i) => h.send({ type: "append", req: `r${i}`, ...op }));
            await h.until(() => h.transport.frames.length > ops.length);
            const answers = h.take();
            for (const [i, op] of ops.entries()) {
              assert.equal(answers[i].req, `r${i}`);
              assert.deepEqual(
                fromFrame(answers[i]),
                expected(await viaStore(direct, op), op),
                JSON.stringify(op),
              );
            }
            assert.deepEqual(await logOf(h.store, "a"), await logOf(direct, "a"));
            assert.deepEqual(await h.store.head("a"), await direct.head("a"));
          } finally {
            await h.dispose();
            await h.store.dispose();
            await direct.dispose();
          }
        }),
        { numRuns: 100 },
      );
    },
  );
});
