import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FakeStreamServer, type Fault } from "../../test/client/fake_stream_server.ts";
import { StreamClient } from "./stream_client.ts";

const isPost = (r: Request): boolean => r.method === "POST";

function setup() {
  const server = new FakeStreamServer();
  const client = new StreamClient({
    baseUrl: "http://test",
    fetch: server.fetch,
    backoff: { initialDelayMs: 0, maxAttempts: 20 },
  });
  return { server, client };
}

describe("IdempotentProducer", () => {
  test("numbers batches 0, 1, 2 with one id and epoch (LOG-PRODUCER-1)", async () => {
    const { server, client } = setup();
    await client.create("a");
    const producer = client.producer("a", { id: "w1", epoch: 2 });
    for (let i = 0; i < 3; i++) await producer.append([{ i }]);
    const sent = server.requests.filter(isPost).map((r) => [
      r.headers.get("producer-id"),
      r.headers.get("producer-epoch"),
      r.headers.get("producer-seq"),
    ]);
    assert.deepEqual(sent, [["w1", "2", "0"], ["w1", "2", "1"], ["w1", "2", "2"]]);
    assert.equal(producer.nextSeq, 3);
  });

  test("a lost answer is retried with the same numbers and stored once", async () => {
    const { server, client } = setup();
    await client.create("a");
    const producer = client.producer("a", { id: "w1" });
    server.inject({ kind: "apply-then-drop" }, isPost);
    const result = await producer.append([{ i: 0 }, { i: 1 }]);
    assert.equal(result.duplicate, true);
    assert.equal(result.nextOffset, "0000000000000002");
    assert.deepEqual(server.log("a"), ['{"i":0}', '{"i":1}']);
    const second = await producer.append([{ i: 2 }]);
    assert.equal(second.duplicate, false);
    assert.deepEqual(server.log("a"), ['{"i":0}', '{"i":1}', '{"i":2}']);
  });

  test("appends made without awaiting are sent one at a time, in call order", async () => {
    const { server, client } = setup();
    await client.create("a");
    const producer = client.producer("a", { id: "w1" });
    server.inject({ kind: "network" }, isPost);
    server.inject({ kind: "status", status: 503, slug: "unavailable" }, isPost);
    const results = await Promise.all([0, 1, 2, 3].map((i) => producer.append([{ i }])));
    assert.deepEqual(results.map((r) => r.nextOffset.slice(-1)), ["1", "2", "3", "4"]);
    assert.deepEqual(server.log("a"), [0, 1, 2, 3].map((i) => `{"i":${i}}`));
  });

  test("a stale epoch fences the producer for good (403, LOG-PRODUCER-3)", async () => {
    const { server, client } = setup();
    await client.create("a");
    await client.producer("a", { id: "w", epoch: 5 }).append([1]);
    const old = client.producer("a", { id: "w", epoch: 4 });
    await assert.rejects(old.append([2]), (e: { code: string; producerEpoch: number }) => {
      assert.equal(e.code, "producer-stale-epoch");
      assert.equal(e.producerEpoch, 5);
      return true;
    });
    assert.equal(old.state, "fenced");
    const before = server.requests.length;
    await assert.rejects(old.append([3]), { code: "producer-stale-epoch" });
    assert.equal(server.requests.length, before, "a fenced producer sends nothing");
    assert.deepEqual(server.log("a"), ["1"]);
  });

  test("a sequence gap surfaces the expected and received numbers (409, LOG-PRODUCER-4)", async () => {
    const { client } = setup();
    await client.create("a");
    const producer = client.producer("a", { id: "w", startSeq: 3 });
    await assert.rejects(
      producer.append([1]),
      (e: { code: string; expectedSeq: number; receivedSeq: number }) => {
        assert.equal(e.code, "producer-seq-gap");
        assert.equal(e.expectedSeq, 0);
        assert.equal(e.receivedSeq, 3);
        return true;
      },
    );
    assert.equal(producer.state, "failed");
  });

  test("a refused batch does not use up its number", async () => {
    const { server, client } = setup();
    await client.create("a");
    const producer = client.producer("a", { id: "w" });
    server.inject({ kind: "status", status: 400, slug: "invalid-envelope" }, isPost);
    await assert.rejects(producer.append([{ bad: true }]), { code: "invalid-envelope" });
    assert.equal(producer.state, "ready");
    await producer.append([{ good: true }]);
    assert.deepEqual(server.log("a"), ['{"good":true}']);
  });

  test("retries used up leave the producer failed, since the next number is unknown", async () => {
    const server = new FakeStreamServer();
    const client = new StreamClient({
      baseUrl: "http://test",
      fetch: server.fetch,
      backoff: { initialDelayMs: 0, maxAttempts: 1 },
    });
    await client.create("a");
    const producer = client.producer("a", { id: "w" });
    server.inject({ kind: "apply-then-drop" }, isPost);
    server.inject({ kind: "network" }, isPost);
    await assert.rejects(producer.append([1]), { code: "network" });
    assert.equal(producer.state, "failed");
    await assert.rejects(producer.append([2]), /unknown/);
    assert.deepEqual(server.log("a"), ["1"]);
  });

  test("close as a producer, repeated after a lost answer, succeeds (HTTP-APPEND-9)", async () => {
    const { server, client } = setup();
    await client.create("a");
    const producer = client.producer("a", { id: "w" });
    server.inject({ kind: "apply-then-drop" }, isPost);
    const result = await producer.append([{ last: true }], { close: true });
    assert.equal(result.closed, true);
    assert.deepEqual(server.log("a"), ['{"last":true}']);
    assert.equal(server.streams.get("a")!.closed, true);
  });

  test("property: whatever answers get lost, every batch is stored exactly once, in order", async () => {
    const fault: fc.Arbitrary<Fault> = fc.oneof(
      fc.constant({ kind: "apply-then-drop" } as const),
      fc.constant({ kind: "network" } as const),
      fc.constant({ kind: "status", status: 503, slug: "unavailable" } as const),
      fc.constant({ kind: "status", status: 500 } as const),
      fc.constant({ kind: "status", status: 429, slug: "rate-limited" } as const),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.nat(99), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fault, { maxLength: 12 }),
        fc.boolean(),
        async (batches, faults, concurrent) => {
          const { server, client } = setup();
          await client.create("a");
          for (const f of faults) server.inject(f, isPost);
          const producer = client.producer("a", { id: "w" });
          if (concurrent) await Promise.all(batches.map((b) => producer.append(b)));
          else for (const b of batches) await producer.append(b);
          assert.deepEqual(server.log("a"), batches.flat().map(String));
          assert.equal(producer.nextSeq, batches.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
