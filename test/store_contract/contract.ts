// The store contract: random operation sequences run against a store and
// against the model (model.ts); every answer has to match, and every
// subscription has to deliver exactly the model's content from its offset.
// A failing sequence is shrunk by fast-check and printed with its seed.

import assert from "node:assert/strict";
import process from "node:process";
import fc from "fast-check";
import { type EventStore, StoreError } from "../../src/stores/event_store.ts";
import {
  type AppendSpec,
  type CreateSpec,
  LogModel,
  type ModelStream,
  type Outcome,
} from "./model.ts";

/** How the suite gets stores. `reopen` exists only for persistent stores. */
export interface StoreFactory {
  /** A fresh, empty store reading the given clock. */
  open(clock: () => number): Promise<EventStore>;
  /** Disposes the store and opens it again on the same data. */
  reopen?(store: EventStore, clock: () => number): Promise<EventStore>;
  /** Frees whatever `open` allocated (temporary directories). */
  cleanup?(): Promise<void>;
}

/** A spec whose messages are text, encoded to bytes when run. */
type Text<T> = Omit<T, "messages"> & { messages?: string[] };

export type Op =
  | { op: "create"; path: string; spec: Text<CreateSpec> }
  | { op: "append"; path: string; spec: Text<AppendSpec> & { messages: string[] } }
  | {
    op: "concurrent";
    appends: { path: string; spec: Text<AppendSpec> & { messages: string[] } }[];
  }
  | { op: "read"; path: string; offset: number; limit?: number }
  | { op: "head"; path: string }
  | { op: "delete"; path: string }
  | { op: "subscribe"; path: string; offset: number; batchLimit: number }
  | { op: "tick"; ms: number }
  | { op: "reopen" }
  | { op: "settle" };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const path = fc.oneof(
  { weight: 10, arbitrary: fc.constant("a") },
  { weight: 6, arbitrary: fc.constant("b") },
  { weight: 4, arbitrary: fc.constant("c/d") },
  { weight: 1, arbitrary: fc.constantFrom("../x", "a//b", "", "x\u0000y") },
);

// Messages are generated as text, so that a counterexample prints readably.
const message = fc.oneof(
  { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constant("") },
);

const messages = (min: number) => fc.array(message, { minLength: min, maxLength: 4 });

const producer = fc.record({
  id: fc.constantFrom("p1", "p2"),
  epoch: fc.nat(2),
  seq: fc.nat(4),
});

/** `arbitrary` in one case out of `oneIn`, otherwise absent. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: oneIn - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary },
  );
}

const appendSpec: fc.Arbitrary<Text<AppendSpec> & { messages: string[] }> = fc.record({
  messages: fc.oneof({ weight: 8, arbitrary: messages(1) }, { weight: 1, arbitrary: messages(0) }),
  close: sometimes(fc.constant(true), 12),
  producer: sometimes(producer, 2),
  // The last two order differently in UTF-16 and in UTF-8: Stream-Seq compares bytes.
  streamSeq: sometimes(fc.constantFrom("a", "b", "c", "é", "b0", "\uffff", "\u{1F600}"), 5),
  contentType: sometimes(fc.constantFrom("application/json", "text/plain"), 6),
}).map(withoutUndefined);

function createSpec(now: number): fc.Arbitrary<Text<CreateSpec>> {
  return fc.record({
    contentType: sometimes(
      fc.constantFrom("application/json", "text/plain", "Application/JSON; charset=utf-8"),
      4,
    ),
    kind: sometimes(fc.constantFrom("json" as const, "agent" as const), 3),
    ttlSeconds: sometimes(fc.integer({ min: 1, max: 5 }), 6),
    expiresAt: sometimes(fc.integer({ min: now, max: now + 6000 }), 8),
    closed: sometimes(fc.constant(true), 10),
    messages: sometimes(messages(0), 2),
    fork: sometimes(fc.record({ path, offset: sometimes(fc.nat(6), 2) }).map(withoutUndefined), 3),
  }).map(withoutUndefined);
}

/** Drops absent members, so that specs look like hand-written ones. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Operation sequences; `now` is the clock's start, for absolute expiries. */
export function operations(now: number, persistent: boolean): fc.Arbitrary<Op[]> {
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant("create"), path, spec: createSpec(now) }) },
    { weight: 8, arbitrary: fc.record({ op: fc.constant("append"), path, spec: appendSpec }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("concurrent"),
        appends: fc.array(fc.record({ path, spec: appendSpec }), { minLength: 2, maxLength: 5 }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("read"),
        path,
        offset: fc.nat(8),
        limit: sometimes(fc.integer({ min: 1, max: 5 }), 2),
      }).map(withoutUndefined),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("head"), path }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("delete"), path }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("subscribe"),
        path,
        offset: fc.nat(6),
        batchLimit: fc.integer({ min: 1, max: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("tick"), ms: fc.nat(3000) }) },
    { weight: 1, arbitrary: fc.constant({ op: "settle" as const }) },
    ...(persistent ? [{ weight: 1, arbitrary: fc.constant({ op: "reopen" as const }) }] : []),
  );
  return fc.array(op, { minLength: 1, maxLength: 50, size: "max" });
}

function encoded<T extends { messages?: string[] }>(
  spec: T,
): Omit<T, "messages"> & { messages: Uint8Array[] } {
  return { ...spec, messages: (spec.messages ?? []).map((m) => encoder.encode(m)) };
}

async function real<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await f() };
  } catch (error) {
    if (error instanceof StoreError) return { error: error.slug };
    throw error;
  }
}

function units(bytes: boolean, items: readonly Uint8Array[]): (string | number)[] {
  return bytes ? items.flatMap((m) => [...m]) : items.map((m) => decoder.decode(m));
}

interface LiveSubscription {
  readonly model: ModelStream;
  readonly start: number;
  readonly delivered: (string | number)[];
  position: number;
  ended?: string;
  readonly problems: string[];
  stop(): void;
}

/** Runs one sequence; throws an assertion error on the first disagreement. */
export async function runSequence(factory: StoreFactory, ops: Op[]): Promise<void> {
  let now = 1_700_000_000_000;
  const clock = () => now;
  const model = new LogModel(clock);
  let store = await factory.open(clock);
  const subscriptions: LiveSubscription[] = [];

  const settle = async () => {
    for (const sub of subscriptions) {
      const s = sub.model;
      const gone = s.dropped || s.deleted;
      const deadline = Date.now() + 3000;
      const done = () =>
        sub.ended !== undefined ||
        (!gone && sub.position === s.content.length && !s.closed);
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      assert.deepEqual(sub.problems, [], "subscription delivered out of order");
      const expected = s.content.slice(sub.start, sub.position);
      assert.deepEqual(sub.delivered, expected, "subscription content");
      if (sub.ended === "closed") {
        assert.ok(s.closed, "only a closed stream ends a subscription as closed");
        assert.equal(sub.position, s.content.length, "a closed subscription got everything");
      } else if (gone) {
        assert.equal(sub.ended, "deleted", "subscription of a deleted stream ends");
      } else {
        assert.equal(sub.position, s.content.length, "subscription reaches the tail");
        if (s.closed) assert.equal(sub.ended, "closed", "subscription of a closed stream ends");
      }
    }
  };

  try {
    for (const step of ops) {
      switch (step.op) {
        case "create": {
          const spec: CreateSpec = step.spec.messages === undefined
            ? step.spec as CreateSpec
            : encoded(step.spec);
          const expected = model.create(step.path, spec);
          const actual = await real(() => store.create(step.path, spec));
          assert.deepEqual(actual, expected, `create ${step.path}`);
          break;
        }
        case "append": {
          const spec = encoded(step.spec);
          const expected = model.append(step.path, spec);
          const actual = await real(() => store.append(step.path, spec));
          assert.deepEqual(actual, expected, `append ${step.path}`);
          break;
        }
        case "concurrent": {
          const specs = step.appends.map((a) => encoded(a.spec));
          const expected = step.appends.map((a, i) => model.append(a.path, specs[i]));
          const actual = await Promise.all(
            step.appends.map((a, i) => real(() => store.append(a.path, specs[i]))),
          );
          assert.deepEqual(actual, expected, "concurrent appends");
          break;
        }
        case "read": {
          const expected = model.read(step.path, step.offset, step.limit ?? Infinity);
          const actual = await real(async () => {
            const r = await store.read(step.path, { offset: step.offset, limit: step.limit });
            const bytes = model.stream(step.path)?.bytes ?? false;
            return {
              content: units(bytes, r.messages),
              nextOffset: r.nextOffset,
              upToDate: r.upToDate,
              closed: r.closed,
            };
          });
          assert.deepEqual(actual, expected, `read ${step.path} @${step.offset}`);
          break;
        }
        case "head": {
          assert.deepEqual(
            await real(() => store.head(step.path)),
            model.head(step.path),
            `head ${step.path}`,
          );
          break;
        }
        case "delete": {
          const expected = model.delete(step.path);
          const actual = await real(async () => {
            await store.delete(step.path);
            return true as const;
          });
          assert.deepEqual(actual, expected, `delete ${step.path}`);
          break;
        }
        case "subscribe": {
          const expected = model.subscribe(step.path, step.offset);
          const live: LiveSubscription | undefined = "ok" in expected
            ? {
              model: expected.ok,
              start: step.offset,
              delivered: [],
              position: step.offset,
              problems: [],
              stop: () => {},
            }
            : undefined;
          const actual = await real(() =>
            store.subscribe(step.path, {
              offset: step.offset,
              batchLimit: step.batchLimit,
            }, (event) => {
              if (!live) return;
              if (event.type === "end") {
                live.ended = event.reason;
                return;
              }
              if (event.offset !== live.position) {
                live.problems.push(`batch at ${event.offset}, expected ${live.position}`);
              }
              live.delivered.push(...units(live.model.bytes, event.messages));
              live.position = event.nextOffset;
            })
          );
          assert.deepEqual(
            "ok" in actual ? { ok: true } : actual,
            "ok" in expected ? { ok: true } : expected,
            `subscribe ${step.path} @${step.offset}`,
          );
          if (live && "ok" in actual) {
            live.stop = () => actual.ok.unsubscribe();
            subscriptions.push(live);
          }
          break;
        }
        case "tick":
          now += step.ms;
          break;
        case "settle":
          await settle();
          break;
        case "reopen": {
          if (!factory.reopen) break;
          await settle();
          for (const sub of subscriptions.splice(0)) sub.stop();
          store = await factory.reopen(store, clock);
          model.reopened();
          break;
        }
      }
    }
    await settle();
  } finally {
    for (const sub of subscriptions) sub.stop();
    await store.dispose();
    await factory.cleanup?.();
  }
}

/** The property: every generated sequence agrees with the model. */
export function storeContract(
  factory: StoreFactory,
  options: { persistent?: boolean; numRuns?: number } = {},
): Promise<void> {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  const path = process.env.FC_PATH;
  return fc.assert(
    fc.asyncProperty(
      operations(1_700_000_000_000, options.persistent ?? false),
      (ops) => runSequence(factory, ops),
    ),
    {
      seed,
      ...(path ? { path } : {}),
      numRuns: Number(process.env.FC_NUM_RUNS ?? options.numRuns ?? 200),
    },
  );
}
