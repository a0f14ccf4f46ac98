import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness, off, slugOf } from "./_ws_test_support.ts";

const decoder = new TextDecoder();

async function log(h: Awaited<ReturnType<typeof harness>>, path: string): Promise<string[]> {
  const { messages } = await h.store.read(path);
  return messages.map((m) => decoder.decode(m));
}

describe("WsSession: appends", () => {
  it("WS-APPEND-1 WS-APPEND-3: each element is one message, stored as written (LOG-MSG-2)", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send(
        '{"type":"append","req":"r1","path":"a","messages":[1.0, {"b":1,"a":2} ,1e400,"\\u00e9",[ 1 , 2 ]]}',
      );
      assert.deepEqual(await h.next(), { type: "appended", req: "r1", nextOffset: off(5) });
      assert.deepEqual(await log(h, "a"), ["1.0", '{"b":1,"a":2}', "1e400", '"\\u00e9"', "[1,2]"]);
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-1: the messages member is found however the frame spells it", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send('{"type":"append","messages":[0],"req":"r1","path":"a","\\u006dessages":[1.50]}');
      assert.equal((await h.next()).type, "appended");
      assert.deepEqual(await log(h, "a"), ["1.50"]);
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-4 WS-APPEND-5 WS-APPEND-7: producer appends echo epoch and seq; retries are duplicates", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      const append = (seq: number, extra = {}) =>
        h.send({
          type: "append",
          req: `r${seq}`,
          path: "a",
          messages: [{ seq }],
          producer: { id: "p", epoch: 0, seq },
          ...extra,
        });
      append(0);
      append(1);
      append(1);
      append(0);
      assert.deepEqual(await h.next(), {
        type: "appended",
        req: "r0",
        nextOffset: off(1),
        producer: { epoch: 0, seq: 0 },
      });
      assert.deepEqual(await h.next(), {
        type: "appended",
        req: "r1",
        nextOffset: off(2),
        producer: { epoch: 0, seq: 1 },
      });
      const dup1 = await h.next();
      const dup0 = await h.next();
      assert.deepEqual([dup1.duplicate, dup1.nextOffset, dup1.producer], [true, off(2), {
        epoch: 0,
        seq: 1,
      }]);
      assert.equal(dup0.duplicate, true);
      assert.equal((await log(h, "a")).length, 2);
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-6 WS-APPEND-5: close reports closed; a repeated close is not a duplicate", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send({ type: "append", req: "r1", path: "a", messages: [1], close: true });
      h.send({ type: "append", req: "r2", path: "a", close: true });
      h.send({ type: "append", req: "r3", path: "a", messages: [2] });
      assert.deepEqual(await h.next(), {
        type: "appended",
        req: "r1",
        nextOffset: off(1),
        closed: true,
      });
      assert.deepEqual(await h.next(), {
        type: "appended",
        req: "r2",
        nextOffset: off(1),
        closed: true,
      });
      const refused = await h.next();
      assert.deepEqual([refused.req, slugOf(refused), refused.problem.offset], [
        "r3",
        "stream-closed",
        off(1),
      ]);
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-8: failures carry the HTTP binding's problem type and status", async () => {
    const h = await harness({ limits: { maxMessageBytes: 10, maxBodyBytes: 40 } });
    try {
      await h.store.create("a");
      await h.store.create("t", { contentType: "text/plain" });
      const cases: [Record<string, unknown>, string, number][] = [
        [{ path: "missing", messages: [1] }, "stream-not-found", 404],
        [{ path: "t", messages: [1] }, "content-type-mismatch", 409],
        [{ path: "a", messages: ["x".repeat(20)] }, "payload-too-large", 413],
        [{ path: "a", messages: Array(20).fill(1) }, "payload-too-large", 413],
        [{ path: "a", messages: [1], producer: { id: "p", epoch: 0, seq: 0 } }, "", 0],
        [
          { path: "a", messages: [1], producer: { id: "p", epoch: 1, seq: 3 } },
          "producer-epoch-start",
          400,
        ],
        [{ path: "a", messages: [1], streamSeq: "b" }, "", 0],
        [{ path: "a", messages: [1], streamSeq: "a" }, "stream-seq-conflict", 409],
        [{ path: "a//b", messages: [1] }, "invalid-stream-name", 400],
        [{ path: "a", messages: [] }, "empty-append", 400], // WS-APPEND-11
        [{ path: "a" }, "invalid-frame", 400],
      ];
      for (const [i, [frame, slug, status]] of cases.entries()) {
        h.send({ type: "append", req: `r${i}`, ...frame });
        const answer = await h.next();
        assert.equal(answer.req, `r${i}`, "WS-APPEND-2");
        if (slug === "") {
          assert.equal(answer.type, "appended");
          continue;
        }
        assert.deepEqual([answer.type, slugOf(answer), answer.problem.status], [
          "error",
          slug,
          status,
        ]);
      }
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-8: nesting the HTTP binding refuses is refused with invalid-json", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send(
        `{"type":"append","req":"deep","path":"a","messages":[${"[".repeat(600)}${
          "]".repeat(600)
        }]}`,
      );
      assert.equal(slugOf(await h.next()), "invalid-json");
    } finally {
      await h.dispose();
    }
  });

  it("section 13: maxBodyBytes counts the messages member's text as it appears, whitespace included", async () => {
    const h = await harness({ limits: { maxBodyBytes: 12 } });
    try {
      await h.store.create("a");
      h.send('{"type":"append","req":"fits","path":"a","messages":[1,       2]}');
      h.send('{"type":"append","req":"over","path":"a","messages":[1,        2]}');
      assert.equal((await h.next()).type, "appended");
      assert.equal(slugOf(await h.next()), "payload-too-large");
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-9 WS-APPEND-10: producer problems carry producerEpoch, expectedSeq and receivedSeq", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      const producer = (epoch: number, seq: number) => ({ id: "p", epoch, seq });
      h.send({ type: "append", req: "a", path: "a", messages: [1], producer: producer(1, 0) });
      h.send({ type: "append", req: "b", path: "a", messages: [1], producer: producer(0, 0) });
      h.send({ type: "append", req: "c", path: "a", messages: [1], producer: producer(1, 5) });
      await h.next();
      const stale = await h.next();
      const gap = await h.next();
      assert.deepEqual([slugOf(stale), stale.problem.producerEpoch], ["producer-stale-epoch", 1]);
      assert.deepEqual(
        [slugOf(gap), gap.problem.expectedSeq, gap.problem.receivedSeq],
        ["producer-seq-gap", 1, 5],
      );
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-12: invalid envelopes point into messages, and nothing is stored", async () => {
    const h = await harness();
    try {
      await h.store.create("agent", { kind: "agent" });
      h.send({
        type: "append",
        req: "r",
        path: "agent",
        messages: [{ type: "run.started" }, { type: 7 }, { type: "text.delta", time: "no" }],
      });
      const error = await h.next();
      assert.equal(slugOf(error), "invalid-envelope");
      const paths = error.problem.errors.map((e: { path: string }) => e.path).sort();
      assert.deepEqual(paths, ["/1/type", "/2/time"]);
      assert.deepEqual(await log(h, "agent"), []);
    } finally {
      await h.dispose();
    }
  });

  it("WS-APPEND-13 WS-APPEND-14: appends apply and are answered in the order received", async () => {
    const h = await harness({ limits: { maxMessageBytes: 8 } });
    try {
      await h.store.create("a");
      for (let i = 0; i < 50; i++) {
        const messages = i % 7 === 3 ? ["too long for the limit"] : [i];
        h.send({ type: "append", req: `r${i}`, path: "a", messages });
      }
      await h.until(() => h.transport.frames.length >= 51);
      const answers = h.take().slice(0);
      assert.deepEqual(answers.map((f) => f.req), Array.from({ length: 50 }, (_, i) => `r${i}`));
      const stored = (await log(h, "a")).map(Number);
      assert.deepEqual(stored, Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 !== 3));
      let tail = 0;
      for (const [i, answer] of answers.entries()) {
        if (i % 7 === 3) assert.equal(answer.type, "error");
        else assert.equal(answer.nextOffset, off(++tail));
      }
    } finally {
      await h.dispose();
    }
  });
});
