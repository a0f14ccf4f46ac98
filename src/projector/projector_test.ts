import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StoreError } from "../stores/event_store.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { ProjectionError } from "./projection_error.ts";
import { type FollowUpdate, Projector } from "./projector.ts";

const text = new TextEncoder();
const json = (value: unknown): Uint8Array => text.encode(JSON.stringify(value));
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const sum = new Projector({ init: () => 0, reducer: (s: number, n: number) => s + n });

async function storeWith(...batches: unknown[][]): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.create("s");
  for (const batch of batches) await store.append("s", { messages: batch.map(json) });
  return store;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("Projector.catchUp", () => {
  it("folds every event to the tail, batch by batch", async () => {
    const store = await storeWith([1, 2, 3], [4], [5, 6, 7]);
    for (const batchLimit of [1, 2, 3, 1000]) {
      assert.deepEqual(await sum.catchUp(store, "s", { batchLimit }), {
        state: 28,
        offset: 7,
        closed: false,
      });
    }
    await store.dispose();
  });

  it("hands the reducer each event's own offset, from the snapshot on", async () => {
    const store = await storeWith(["a", "b", "c", "d"]);
    const seen: [string, number][] = [];
    const trace = new Projector({
      init: () => null,
      reducer: (_: null, event: string, offset) => (seen.push([event, offset]), null),
    });
    const { offset } = await trace.catchUp(store, "s", { from: { state: null, offset: 1 } });
    assert.equal(offset, 4);
    assert.deepEqual(seen, [["b", 1], ["c", 2], ["d", 3]]);
    await store.dispose();
  });

  it("reports an empty stream as the initial state at offset 0, and closure", async () => {
    const store = await storeWith();
    assert.deepEqual(await sum.catchUp(store, "s"), { state: 0, offset: 0, closed: false });
    await store.append("s", { messages: [json(5)], close: true });
    assert.deepEqual(await sum.catchUp(store, "s"), { state: 5, offset: 1, closed: true });
    await store.dispose();
  });

  it("starts every run from a fresh init(), so in-place reducers do not leak", async () => {
    const store = await storeWith([1, 2]);
    const list = new Projector({
      init: () => [] as number[],
      reducer: (state: number[], n: number) => (state.push(n), state),
    });
    const first = await list.catchUp(store, "s");
    const second = await list.catchUp(store, "s");
    assert.deepEqual(first.state, [1, 2]);
    assert.deepEqual(second.state, [1, 2]);
    assert.notEqual(first.state, second.state);
    await store.dispose();
  });

  it("names the offset of an event the decoder or the reducer chokes on", async () => {
    const store = await storeWith([1, 2, "three", 4]);
    const strict = new Projector({
      init: () => 0,
      reducer: (s: number, n: unknown) => {
        if (typeof n !== "number") throw new TypeError("not a number");
        return s + n;
      },
    });
    await assert.rejects(strict.catchUp(store, "s"), (error: unknown) => {
      assert.ok(error instanceof ProjectionError);
      assert.equal(error.offset, 2);
      assert.ok(error.cause instanceof TypeError);
      assert.match(error.message, /offset 2: not a number/u);
      return true;
    });
    const broken = new Projector({
      init: () => 0,
      reducer: (s: number) => s,
      decode: () => {
        throw new SyntaxError("bad bytes");
      },
    });
    await assert.rejects(broken.catchUp(store, "s"), { name: "ProjectionError", offset: 0 });
    await store.dispose();
  });

  it("passes store errors through", async () => {
    const store = await storeWith([1]);
    await assert.rejects(sum.catchUp(store, "missing"), StoreError);
    await assert.rejects(sum.catchUp(store, "s", { from: { state: 0, offset: 2 } }), {
      slug: "offset-out-of-range",
    });
    await store.dispose();
  });

  it("refuses a byte stream, whose offsets count bytes", async () => {
    const store = new MemoryStore();
    await store.create("b", { contentType: "text/plain", messages: [text.encode("abc")] });
    await assert.rejects(sum.catchUp(store, "b"), ProjectionError);
    await store.dispose();
  });
});

describe("Projector.fold", () => {
  it("continues a snapshot without touching it", () => {
    const start = { state: 1, offset: 9 };
    assert.deepEqual(sum.fold(start, [json(2), json(3)]), { state: 6, offset: 11 });
    assert.deepEqual(sum.fold(start, []), start);
    assert.deepEqual(start, { state: 1, offset: 9 });
  });

  it("accepts an object with a decode method as decoder", () => {
    const decoder = {
      calls: 0,
      decode(bytes: Uint8Array): number {
        this.calls++;
        return bytes.length;
      },
    };
    const lengths = new Projector({
      init: () => 0,
      reducer: (s: number, n) => s + n,
      decode: decoder,
    });
    assert.deepEqual(lengths.fold(lengths.initial(), [json("ab"), json(1)]), {
      state: 5,
      offset: 2,
    });
    assert.equal(decoder.calls, 2);
  });
});

describe("Projector.follow", () => {
  it("yields the caught-up state, then live states, and ends after closure", async () => {
    const store = await storeWith([1, 2]);
    const updates: FollowUpdate<number>[] = [];
    for await (const update of sum.follow(store, "s")) {
      updates.push(update);
      if (update.offset === 2) await store.append("s", { messages: [json(3)] });
      if (update.offset === 3) await store.append("s", { messages: [json(4)], close: true });
    }
    assert.deepEqual(updates, [
      { state: 3, offset: 2, upToDate: true, closed: false },
      { state: 6, offset: 3, upToDate: true, closed: false },
      { state: 10, offset: 4, upToDate: true, closed: true },
    ]);
    await store.dispose();
  });

  it("yields once for an empty stream, and ends at once on a closed one", async () => {
    const store = await storeWith();
    const controller = new AbortController();
    const updates: FollowUpdate<number>[] = [];
    for await (const update of sum.follow(store, "s", { signal: controller.signal })) {
      updates.push(update);
      controller.abort();
    }
    assert.deepEqual(updates, [{ state: 0, offset: 0, upToDate: true, closed: false }]);
    await store.append("s", { messages: [], close: true });
    assert.deepEqual(await collect(sum.follow(store, "s")), [
      { state: 0, offset: 0, upToDate: true, closed: true },
    ]);
    await store.dispose();
  });

  it("resumes from a snapshot", async () => {
    const store = await storeWith([1, 2, 3]);
    await store.append("s", { messages: [], close: true });
    const from = { state: 100, offset: 2 };
    assert.deepEqual(await collect(sum.follow(store, "s", { from })), [
      { state: 103, offset: 3, upToDate: true, closed: true },
    ]);
    await store.dispose();
  });

  it("coalesces states for a slow consumer, never losing the last one", async () => {
    const store = await storeWith();
    const iterator = sum.follow(store, "s")[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.offset, 0);
    for (let n = 1; n <= 5; n++) await store.append("s", { messages: [json(n)] });
    await store.append("s", { messages: [], close: true });
    await tick();
    assert.deepEqual((await iterator.next()).value, {
      state: 15,
      offset: 5,
      upToDate: true,
      closed: true,
    });
    assert.equal((await iterator.next()).done, true);
    await store.dispose();
  });

  it("stops the subscription when the consumer breaks out", async () => {
    const store = await storeWith([1]);
    let calls = 0;
    const counting = new Projector({ init: () => 0, reducer: (s: number) => (calls++, s + 1) });
    for await (const update of counting.follow(store, "s")) {
      assert.equal(update.offset, 1);
      break;
    }
    await store.append("s", { messages: [json(2)] });
    await tick();
    assert.equal(calls, 1);
    await store.dispose();
  });

  it("ends quietly when aborted while waiting, and at once if aborted before", async () => {
    const store = await storeWith([1]);
    const controller = new AbortController();
    const offsets: number[] = [];
    setTimeout(() => controller.abort(), 5);
    for await (const update of sum.follow(store, "s", { signal: controller.signal })) {
      offsets.push(update.offset);
    }
    assert.deepEqual(offsets, [1]);
    assert.deepEqual(await collect(sum.follow(store, "s", { signal: AbortSignal.abort() })), []);
    await store.dispose();
  });

  it("throws when the stream is deleted or missing", async () => {
    const store = await storeWith([1]);
    await assert.rejects(async () => {
      for await (const update of sum.follow(store, "s")) {
        if (update.offset === 1) await store.delete("s");
      }
    }, { name: "StoreError", slug: "stream-not-found" });
    await assert.rejects(collect(sum.follow(store, "missing")), StoreError);
    await store.dispose();
  });

  it("throws the reducer's failure, with its offset", async () => {
    const store = await storeWith([1, 2]);
    const picky = new Projector({
      init: () => 0,
      reducer: (s: number, n: number, offset) => {
        if (offset === 3) throw new RangeError("three");
        return s + n;
      },
    });
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const update of picky.follow(store, "s")) {
        seen.push(update.offset);
        await store.append("s", { messages: [json(0)] });
      }
    }, { name: "ProjectionError", offset: 3 });
    assert.deepEqual(seen, [2, 3]);
    await store.dispose();
  });

  it("starts nothing until iterated", async () => {
    const store = await storeWith([1]);
    let calls = 0;
    const counting = new Projector({ init: () => 0, reducer: (s: number) => (calls++, s) });
    const following = counting.follow(store, "missing");
    await tick();
    assert.equal(calls, 0);
    await assert.rejects(following.next(), StoreError);
    await store.dispose();
  });
});
