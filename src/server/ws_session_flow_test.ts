import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encoded, type Frame, harness, off, slugOf, tick } from "./_ws_test_support.ts";

const dataOf = (frames: Frame[], sub: string) =>
  frames.filter((f) => f.type === "data" && f.sub === sub);

describe("WsSession: flow control", () => {
  it("WS-FLOW-1 WS-FLOW-2 WS-FLOW-3: a window bounds unacknowledged messages; acks move it", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: encoded([0, 1, 2, 3, 4, 5, 6]) });
      h.send({ type: "subscribe", sub: "s", path: "a", window: 3 });
      await h.next((f) => f.type === "subscribed");
      assert.deepEqual((await h.next()).messages, [0, 1, 2]);
      await h.settle();
      assert.deepEqual(h.take(), [], "stalled by the window");
      h.send({ type: "ack", sub: "s", offset: off(2) });
      assert.deepEqual((await h.next()).messages, [3, 4]);
      h.send({ type: "ack", sub: "s", offset: off(1) }); // lower: ignored
      await h.settle();
      assert.deepEqual(h.take(), []);
      h.send({ type: "ack", sub: "s", offset: off(5) });
      const last = await h.next();
      assert.deepEqual([last.messages, last.upToDate], [[5, 6], true]);
      await h.store.append("a", { messages: encoded([7, 8]) });
      assert.deepEqual((await h.next()).messages, [7]);
    } finally {
      await h.dispose();
    }
  });

  it("WS-FLOW-4: an ack beyond the delivered offset ends the subscription with invalid-frame", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: encoded([0, 1]) });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.next((f) => f.type === "data");
      h.send({ type: "ack", sub: "s", offset: off(3) });
      const error = await h.next();
      assert.deepEqual([error.sub, slugOf(error), error.resumeOffset], [
        "s",
        "invalid-frame",
        off(2),
      ]);
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });

  it("WS-FLOW-5: an ack naming no active subscription is ignored", async () => {
    const h = await harness();
    try {
      h.send({ type: "ack", sub: "ghost", offset: off(9) });
      h.send({ type: "ping" });
      assert.deepEqual(await h.next(), { type: "pong" });
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: slow subscribers", () => {
  it("WS-OVERFLOW-2: a window within the buffer is held back, never ended, and loses nothing", async () => {
    const h = await harness({ limits: { subscriberBufferMessages: 5, maxReadMessages: 4 } });
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a", window: 3 });
      await h.next((f) => f.type === "data");
      for (let i = 0; i < 30; i++) await h.store.append("a", { messages: encoded([i]) });
      const got: number[] = [];
      let acked = 0;
      while (got.length < 30) {
        const data = await h.next((f) => f.sub === "s");
        assert.equal(data.type, "data", JSON.stringify(data));
        got.push(...data.messages);
        acked = Number(data.nextOffset);
        if (got.length % 3 === 0) await tick(2); // sometimes late, letting the queue fill
        h.send({ type: "ack", sub: "s", offset: off(acked) });
      }
      assert.deepEqual(got, Array.from({ length: 30 }, (_, i) => i));
    } finally {
      await h.dispose();
    }
  });

  it("WS-OVERFLOW-3 WS-OVERFLOW-4: a congested subscription without window ends with subscriber-overflow at its delivered offset", async () => {
    const h = await harness({ limits: { subscriberBufferMessages: 3 } });
    try {
      await h.store.create("a");
      await h.store.create("b");
      h.send({ type: "subscribe", sub: "s", path: "a" });
      h.send({ type: "subscribe", sub: "t", path: "b", window: 2 });
      await h.until(() => dataOf(h.transport.frames, "t").length === 1);
      await h.store.append("a", { messages: encoded([0]) });
      await h.next((f) => f.sub === "s" && f.messages?.length === 1);
      h.transport.bufferedAmount = 10 * 1024 * 1024;
      for (let i = 1; i <= 4; i++) await h.store.append("a", { messages: encoded([i]) });
      for (let i = 1; i <= 4; i++) await h.store.append("b", { messages: encoded([i]) });
      const error = await h.next((f) => f.type === "error");
      assert.deepEqual([error.sub, slugOf(error), error.resumeOffset], [
        "s",
        "subscriber-overflow",
        off(1),
      ]);
      assert.equal(error.problem.offset, off(1));
      h.transport.bufferedAmount = 0;
      await h.until(() => dataOf(h.transport.frames, "t").flatMap((f) => f.messages).length >= 2);
      assert.deepEqual(dataOf(h.take(), "t").flatMap((f) => f.messages), [1, 2]);
      assert.equal(h.transport.closeCode, undefined);
    } finally {
      await h.dispose();
    }
  });

  it("WS-OVERFLOW-3: a window larger than the buffer that is not acknowledged can overflow", async () => {
    const h = await harness({ limits: { subscriberBufferMessages: 3 } });
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a", window: 4 });
      await h.next((f) => f.type === "data");
      for (let i = 0; i < 9; i++) await h.store.append("a", { messages: encoded([i]) });
      const error = await h.next((f) => f.type === "error");
      assert.deepEqual([slugOf(error), error.resumeOffset], ["subscriber-overflow", off(4)]);
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: deletion of a subscription held back", () => {
  it("WS-UNSUB-4: a subscription stalled by its window on a closed stream hears the deletion", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      await h.store.append("a", { messages: encoded([0, 1, 2]), close: true });
      h.send({ type: "subscribe", sub: "s", path: "a", window: 1 });
      assert.deepEqual((await h.next((f) => f.type === "data")).messages, [0]);
      await h.store.delete("a");
      const end = await h.next((f) => f.sub === "s");
      assert.deepEqual([end.type, end.reason], ["unsubscribed", "deleted"]);
      h.send({ type: "ack", sub: "s", offset: off(1) });
      await h.settle();
      assert.deepEqual(dataOf(h.take(), "s"), [], "nothing after unsubscribed");
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });

  it("WS-UNSUB-4: a subscription paused for its buffer hears the deletion", async () => {
    const h = await harness({ limits: { subscriberBufferMessages: 3, maxReadMessages: 4 } });
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a", window: 2 });
      await h.next((f) => f.type === "data");
      for (let i = 0; i < 10; i++) await h.store.append("a", { messages: encoded([i]) });
      await h.settle();
      await h.store.delete("a");
      const end = await h.next((f) => f.type === "unsubscribed" || f.type === "error");
      assert.deepEqual([end.type, end.sub, end.reason], ["unsubscribed", "s", "deleted"]);
      assert.equal(h.ctx.subscribers.total, 0);
    } finally {
      await h.dispose();
    }
  });
});
