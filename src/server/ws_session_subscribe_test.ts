import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore } from "../stores/memory_store.ts";
import { createContext } from "./_context.ts";
import { encoded, type Frame, harness, off, slugOf } from "./_ws_test_support.ts";

const bytes = (...texts: string[]) => texts.map((t) => new TextEncoder().encode(t));
const dataOf = (frames: Frame[], sub: string) =>
  frames.filter((f) => f.type === "data" && f.sub === sub);

describe("WsSession: starting a subscription", () => {
  it("WS-SUB-1 WS-SUB-2 WS-SUB-3: subscribed carries sub, path, the resolved start and kind", async () => {
    const h = await harness();
    try {
      await h.store.create("chats/42", { kind: "agent" });
      await h.store.append("chats/42", { messages: encoded([{ type: "a.b" }, { type: "a.c" }]) });
      const cases: [string | undefined, string][] = [
        [undefined, off(0)],
        ["-1", off(0)],
        ["now", off(2)],
        [off(1), off(1)],
        [off(2), off(2)],
      ];
      for (const [i, [offset, start]] of cases.entries()) {
        h.send({
          type: "subscribe",
          sub: `s${i}`,
          path: "chats/42",
          ...(offset ? { offset } : {}),
        });
        const subscribed = await h.next((f) => f.sub === `s${i}`);
        assert.deepEqual(subscribed, {
          type: "subscribed",
          sub: `s${i}`,
          path: "chats/42",
          offset: start,
          kind: "agent",
        });
        const data = await h.next((f) => f.sub === `s${i}`);
        assert.equal(data.type, "data", "WS-SUB-1: subscribed comes before data");
      }
    } finally {
      await h.dispose();
    }
  });

  it("WS-SUB-4 WS-SUB-5 WS-SUB-10: missing and soft-deleted streams are refused, never subscribed", async () => {
    const h = await harness();
    try {
      await h.store.create("src");
      await h.store.create("fork", { fork: { path: "src" } });
      await h.store.delete("src");
      h.send({ type: "subscribe", sub: "a", path: "nope" });
      h.send({ type: "subscribe", sub: "b", path: "src" });
      const [a, b] = [await h.next(), await h.next()];
      assert.deepEqual([a.type, a.sub, slugOf(a)], ["error", "a", "stream-not-found"]);
      assert.deepEqual([b.type, b.sub, slugOf(b)], ["error", "b", "stream-gone"]);
      assert.equal(a.resumeOffset, undefined);
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });

  it("WS-SUB-6 WS-SUB-7 WS-SUB-8: bad offsets and paths get their own problem types", async () => {
    const h = await harness({ limits: { maxStreamPathBytes: 8 } });
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: bytes("1") });
      const cases: [unknown, unknown, string][] = [
        ["a", "abc", "invalid-offset"],
        ["a", "-2", "invalid-offset"],
        ["a", 5, "invalid-offset"],
        ["a", off(2), "offset-out-of-range"],
        ["a", "9999999999999999", "offset-out-of-range"],
        ["a//b", "-1", "invalid-stream-name"],
        ["/a", "-1", "invalid-stream-name"],
        ["a/../b", "-1", "invalid-stream-name"],
        ["abcdefghi", "-1", "invalid-stream-name"],
      ];
      for (const [i, [path, offset, slug]] of cases.entries()) {
        h.send({ type: "subscribe", sub: `s${i}`, path, offset });
        const error = await h.next();
        assert.deepEqual(
          [error.type, error.sub, slugOf(error)],
          ["error", `s${i}`, slug],
          String(path),
        );
        if (slug === "offset-out-of-range") assert.equal(error.problem.offset, off(1), "ERR-EXT-5");
      }
    } finally {
      await h.dispose();
    }
  });

  it("WS-SUB-9: a subscribe reusing an active id gets invalid-frame and ends that subscription", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: bytes("1", "2") });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.next((f) => f.type === "data");
      h.send({ type: "subscribe", sub: "s", path: "a" });
      const error = await h.next();
      assert.deepEqual([error.type, error.sub, slugOf(error)], ["error", "s", "invalid-frame"]);
      assert.equal(error.resumeOffset, off(2), "WS-ERROR-3");
      await h.store.append("a", { messages: bytes("3") });
      await h.settle();
      assert.deepEqual(h.take(), [], "WS-UNSUB-2: nothing after the error");
      assert.equal(h.ctx.subscribers.total, 0);
      h.send({ type: "subscribe", sub: "s", path: "a", offset: off(2) });
      await h.next((f) => f.type === "subscribed");
      assert.deepEqual((await h.next()).messages, [3], "the id can be used again");
    } finally {
      await h.dispose();
    }
  });

  it("unsupported-media-type: byte streams are not carried over WebSocket", async () => {
    const h = await harness();
    try {
      await h.store.create("t", { contentType: "text/plain" });
      h.send({ type: "subscribe", sub: "s", path: "t" });
      const error = await h.next();
      assert.deepEqual([error.sub, slugOf(error)], ["s", "unsupported-media-type"]);
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: data", () => {
  it("WS-DATA-1..3: history arrives in order, values unchanged, nextOffset counting messages", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: bytes('{"b":1,"a":2}', "1.0", "1e400", '"\\u00e9"') });
      h.send({ type: "subscribe", sub: "s", path: "a", offset: off(1) });
      await h.next((f) => f.type === "subscribed");
      const data = await h.next();
      assert.equal(data.nextOffset, off(4));
      assert.equal(data.upToDate, true);
      const text = h.transport.texts.at(-1)!;
      assert.ok(text.includes('"messages":[1.0,1e400,"\\u00e9"]'), text);
    } finally {
      await h.dispose();
    }
  });

  it("WS-DATA-4 WS-DATA-5 WS-DATA-12: long histories are split at maxReadMessages; only the last is upToDate", async () => {
    const h = await harness({ limits: { maxReadMessages: 3 } });
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: encoded([0, 1, 2, 3, 4, 5, 6]) });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.until(() => dataOf(h.transport.frames, "s").some((f) => f.upToDate));
      const frames = dataOf(h.take(), "s");
      assert.deepEqual(frames.map((f) => [f.messages, f.nextOffset, f.upToDate ?? false]), [
        [[0, 1, 2], off(3), false],
        [[3, 4, 5], off(6), false],
        [[6], off(7), true],
      ]);
      await h.store.append("a", { messages: encoded([7, 8, 9, 10]) });
      await h.until(() => dataOf(h.transport.frames, "s").at(-1)?.nextOffset === off(11));
      const live = dataOf(h.take(), "s");
      assert.ok(live.every((f) => f.messages.length <= 3));
      assert.deepEqual(live.flatMap((f) => f.messages), [7, 8, 9, 10]);
    } finally {
      await h.dispose();
    }
  });

  it("WS-FRAME-14: data frames stay within maxWsFrameBytes unless they hold a single message", async () => {
    const h = await harness({ limits: { maxWsFrameBytes: 300 } });
    try {
      await h.store.create("a");
      const big = "x".repeat(400);
      await h.store.append("a", {
        messages: encoded(["y".repeat(60), "z".repeat(60), big, "w".repeat(150), "v"]),
      });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.until(() => dataOf(h.transport.frames, "s").some((f) => f.upToDate));
      const texts = h.transport.texts.filter((t) => t.startsWith('{"type":"data"'));
      for (const text of texts) {
        const frame = JSON.parse(text);
        assert.ok(
          new TextEncoder().encode(text).length <= 300 || frame.messages.length === 1,
          text,
        );
      }
      assert.equal(dataOf(h.take(), "s").flatMap((f) => f.messages).length, 5);
    } finally {
      await h.dispose();
    }
  });

  it("WS-DATA-6 WS-DATA-7: at the tail an empty upToDate frame comes at once, then live messages", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a", offset: "now" });
      await h.next((f) => f.type === "subscribed");
      assert.deepEqual(await h.next(), {
        type: "data",
        sub: "s",
        messages: [],
        nextOffset: off(0),
        upToDate: true,
      });
      await h.store.append("a", { messages: encoded([{ x: 1 }]) });
      assert.deepEqual(await h.next(), {
        type: "data",
        sub: "s",
        messages: [{ x: 1 }],
        nextOffset: off(1),
        upToDate: true,
      });
    } finally {
      await h.dispose();
    }
  });

  it("WS-DATA-8 WS-DATA-10 WS-UNSUB-3: the frame reaching a closed tail says closed, then unsubscribed closed", async () => {
    const h = await harness({ limits: { maxReadMessages: 2 } });
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: encoded([1, 2, 3]), close: true });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.until(() => h.transport.frames.some((f) => f.type === "unsubscribed"));
      const frames = h.take().slice(1);
      assert.deepEqual(frames, [
        { type: "data", sub: "s", messages: [1, 2], nextOffset: off(2) },
        { type: "data", sub: "s", messages: [3], nextOffset: off(3), upToDate: true, closed: true },
        { type: "unsubscribed", sub: "s", reason: "closed" },
      ]);
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });

  it("WS-DATA-9: a stream closed while the subscription is at its tail gets an empty closed frame", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.next((f) => f.type === "data");
      await h.store.append("a", { messages: [], close: true });
      assert.deepEqual(await h.next(), {
        type: "data",
        sub: "s",
        messages: [],
        nextOffset: off(0),
        upToDate: true,
        closed: true,
      });
      assert.deepEqual(await h.next(), { type: "unsubscribed", sub: "s", reason: "closed" });
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: reads and the sliding TTL", () => {
  it("section 6.1: a data frame with messages counts as a read of the stream", async () => {
    let now = 1_000_000;
    const clock = () => now;
    const store = new MemoryStore({ clock });
    const h = await harness({
      store,
      ctx: createContext({ store, clock }, new AbortController().signal),
    });
    try {
      await store.create("a", { ttlSeconds: 10 });
      await store.append("a", { messages: encoded([0, 1]) });
      h.send({ type: "subscribe", sub: "s", path: "a", window: 1 });
      await h.next((f) => f.type === "data");
      now += 8_000;
      h.send({ type: "ack", sub: "s", offset: off(1) });
      assert.deepEqual((await h.next()).messages, [1]);
      await h.settle();
      now += 8_000; // 16 s after the subscribe, 8 s after the last data frame
      assert.equal((await store.head("a")).tail, 2);
    } finally {
      await h.dispose();
      await store.dispose();
    }
  });
});

describe("WsSession: ending subscriptions", () => {
  it("WS-UNSUB-1 WS-UNSUB-2: unsubscribe is always answered, and no data follows it", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.next((f) => f.type === "data");
      h.send({ type: "unsubscribe", sub: "s" });
      h.send({ type: "unsubscribe", sub: "never" });
      assert.deepEqual(await h.next(), { type: "unsubscribed", sub: "s", reason: "client" });
      assert.deepEqual(await h.next(), { type: "unsubscribed", sub: "never", reason: "client" });
      await h.store.append("a", { messages: encoded([1]) });
      await h.settle();
      assert.deepEqual(h.take(), []);
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });

  it("WS-UNSUB-4: deleting the stream ends the subscription with reason deleted", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.next((f) => f.type === "data");
      await h.store.delete("a");
      assert.deepEqual(await h.next(), { type: "unsubscribed", sub: "s", reason: "deleted" });
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });

  it("WS-RESUME-2: a subscription from a delivered offset continues the old one exactly", async () => {
    const h = await harness({ limits: { maxReadMessages: 2 } });
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: encoded([0, 1, 2, 3, 4]) });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      const first = await h.next((f) => f.type === "data");
      h.disconnect();
      const again = await harness({ store: h.store });
      try {
        again.send({ type: "subscribe", sub: "s", path: "a", offset: first.nextOffset });
        await again.until(() => again.transport.frames.some((f) => f.upToDate));
        const rest = dataOf(again.take(), "s").flatMap((f) => f.messages);
        assert.deepEqual([...first.messages, ...rest], [0, 1, 2, 3, 4]);
      } finally {
        await again.dispose();
      }
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: limits", () => {
  it("WS-LIMIT-1 WS-LIMIT-2: subscriptions beyond the per-connection maximum get subscriber-limit", async () => {
    const h = await harness({ limits: { maxWsSubscriptions: 2 } });
    try {
      await h.store.create("a");
      for (const sub of ["s1", "s2", "s3"]) h.send({ type: "subscribe", sub, path: "a" });
      await h.until(() => h.transport.frames.some((f) => f.sub === "s3"));
      const s3 = h.take().filter((f) => f.sub === "s3");
      assert.deepEqual(s3.map((f) => [f.type, slugOf(f)]), [["error", "subscriber-limit"]]);
      assert.equal(typeof s3[0].problem.retryAfterMs, "number", "ERR-EXT-4");
      h.send({ type: "unsubscribe", sub: "s1" });
      h.send({ type: "subscribe", sub: "s3", path: "a" });
      assert.equal((await h.next((f) => f.sub === "s3")).type, "subscribed");
    } finally {
      await h.dispose();
    }
  });

  it("WS-LIMIT-3: subscriptions count towards maxSubscribersPerStream and maxSubscribers", async () => {
    const h = await harness({ limits: { maxSubscribersPerStream: 1, maxSubscribers: 2 } });
    try {
      await h.store.create("a");
      await h.store.create("b");
      await h.store.create("c");
      h.send({ type: "subscribe", sub: "a1", path: "a" });
      h.send({ type: "subscribe", sub: "a2", path: "a" });
      h.send({ type: "subscribe", sub: "b1", path: "b" });
      h.send({ type: "subscribe", sub: "c1", path: "c" });
      await h.until(() => h.transport.frames.some((f) => f.sub === "c1"));
      const firsts = new Map<string, string>();
      for (const f of h.take()) {
        if (!firsts.has(f.sub)) firsts.set(f.sub, f.type === "error" ? slugOf(f) : f.type);
      }
      assert.deepEqual(Object.fromEntries(firsts), {
        a1: "subscribed",
        a2: "subscriber-limit",
        b1: "subscribed",
        c1: "subscriber-limit",
      });
      assert.equal(h.ctx.subscribers.total, 2);
    } finally {
      await h.dispose();
    }
  });
});
