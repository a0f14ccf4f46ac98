import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { defineEvent } from "../events/define_event.ts";
import { EventRegistry } from "../events/event_registry.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { type FollowUpdate, Projector, type Snapshot } from "./projector.ts";

const text = new TextEncoder();
const json = (value: unknown): Uint8Array => text.encode(JSON.stringify(value));
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

// The state records every event with its offset, so any difference in order,
// count or numbering between two runs shows up as a difference in state.
type Trace = readonly (readonly [number, unknown])[];
function tracer(onReduce?: (offset: number) => void): Projector<Trace> {
  return new Projector({
    init: () => [],
    reducer: (state: Trace, event, offset) => {
      onReduce?.(offset);
      return [...state, [offset, event]];
    },
  });
}

const event = fc.jsonValue({ maxDepth: 2 });
const batches = fc.array(fc.array(event, { minLength: 1, maxLength: 4 }), { maxLength: 6 });

async function storeWith(history: unknown[][]): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.create("s");
  for (const batch of history) await store.append("s", { messages: batch.map(json) });
  return store;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe("Projector properties", () => {
  it("(a) a snapshot plus the rest folds to the same state as a full replay", async () => {
    await fc.assert(fc.asyncProperty(
      batches,
      batches,
      fc.integer({ min: 1, max: 5 }),
      async (before, after, batchLimit) => {
        const store = await storeWith(before);
        const projector = tracer();
        const taken = await projector.catchUp(store, "s", { batchLimit });
        // A snapshot persists as JSON and comes back as a different object.
        const from: Snapshot<Trace> = JSON.parse(JSON.stringify(taken));
        for (const batch of after) await store.append("s", { messages: batch.map(json) });
        const resumed = await projector.catchUp(store, "s", { from, batchLimit });
        const full = await projector.catchUp(store, "s");
        assert.deepEqual(resumed, full);
        await store.dispose();
      },
    ));
  });

  it("(a) folding the messages at any split point equals folding them at once", () => {
    fc.assert(fc.property(fc.array(event, { maxLength: 20 }), fc.nat(), (events, cut) => {
      const messages = events.map(json);
      const k = cut % (messages.length + 1);
      const projector = tracer();
      const whole = projector.fold(projector.initial(), messages);
      const snapshot = projector.fold(projector.initial(), messages.slice(0, k));
      assert.deepEqual(projector.fold(snapshot, messages.slice(k)), whole);
    }));
  });

  it("(b, c) following live ends where a fresh catch-up ends; each offset reduced once, in order", async () => {
    const step = fc.oneof(
      fc.array(event, { minLength: 1, maxLength: 4 }).map((batch) => ({ batch })),
      fc.constant({ pause: true }),
    );
    await fc.assert(
      fc.asyncProperty(
        batches,
        fc.array(step, { maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (history, steps, cut, batchLimit, slowConsumer) => {
          const store = await storeWith(history);
          const historyMessages = history.flat().map(json);
          const projector = tracer();
          const start = cut % (historyMessages.length + 1);
          const from = projector.fold(projector.initial(), historyMessages.slice(0, start));
          const reduced: number[] = [];
          const follower = tracer((offset) => reduced.push(offset));
          const updates: FollowUpdate<Trace>[] = [];
          const consuming = (async () => {
            for await (const update of follower.follow(store, "s", { from, batchLimit })) {
              updates.push(update);
              if (slowConsumer) await tick();
            }
          })();
          for (const s of steps) {
            if ("pause" in s) await tick();
            else await store.append("s", { messages: s.batch.map(json) });
          }
          await store.append("s", { messages: [], close: true });
          await consuming;

          const fresh = await projector.catchUp(store, "s");
          const last = updates.at(-1);
          assert.ok(last !== undefined);
          assert.deepEqual(last, {
            state: fresh.state,
            offset: fresh.offset,
            upToDate: true,
            closed: true,
          });
          assert.deepEqual(reduced, range(start, fresh.offset));
          const offsets = updates.map((u) => u.offset);
          assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
          await store.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it("(c) catch-up hands the reducer each offset once, in order, from the snapshot", async () => {
    await fc.assert(fc.asyncProperty(
      batches,
      fc.nat(),
      fc.integer({ min: 1, max: 5 }),
      async (history, cut, batchLimit) => {
        const store = await storeWith(history);
        const total = history.flat().length;
        const start = cut % (total + 1);
        const reduced: number[] = [];
        const projector = tracer((offset) => reduced.push(offset));
        const result = await projector.catchUp(store, "s", {
          from: { state: [], offset: start },
          batchLimit,
        });
        assert.equal(result.offset, total);
        assert.deepEqual(reduced, range(start, total));
        await store.dispose();
      },
    ));
  });

  it("(d) unknown event types reach the reducer untouched", async () => {
    const Added = defineEvent("com.example.counter.added", { amount: v.number() });
    const registry = new EventRegistry([Added]);
    const bigNumber = fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map(String);
    const unknownType = fc.stringMatching(/^[a-z]{1,5}(\.[a-z]{1,5}){1,2}$/u)
      .filter((type) => !registry.has(type));
    const message = fc.oneof(
      fc.integer().map((amount) => JSON.stringify({ type: Added.type, amount })),
      fc.tuple(unknownType, fc.jsonValue({ maxDepth: 2 }), bigNumber).map(([type, extra, big]) =>
        `{"extra": ${JSON.stringify(extra)}, "type": ${JSON.stringify(type)}, "big": ${big}}`
      ),
    );
    await fc.assert(fc.asyncProperty(fc.array(message, { maxLength: 10 }), async (texts) => {
      const store = new MemoryStore();
      await store.create("s", { kind: "agent", messages: texts.map((t) => text.encode(t)) });

      const plain = await tracer().catchUp(store, "s");
      assert.deepEqual(plain.state, texts.map((t, i) => [i, JSON.parse(t)]));

      const typed = new Projector({
        init: () => [] as string[],
        decode: registry,
        reducer: (state: string[], decoded) =>
          decoded.known
            ? [...state, `added ${decoded.event.amount}`]
            : [...state, new TextDecoder().decode(decoded.bytes)],
      });
      const { state } = await typed.catchUp(store, "s");
      assert.deepEqual(
        state,
        texts.map((t) => t.includes('"big"') ? t : `added ${JSON.parse(t).amount}`),
      );
      await store.dispose();
    }));
  });
});
