import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSON_TYPE, problemOf, type TestServer, TEXT_TYPE, withServer } from "./_http_test_kit.ts";

const AGENT = { ...JSON_TYPE, "agent-stream-kind": "agent" };
const CLOSE = { "stream-closed": "true" };

function producer(id: string, epoch: number, seq: number): Record<string, string> {
  return { "producer-id": id, "producer-epoch": String(epoch), "producer-seq": String(seq) };
}

async function text(t: TestServer, path: string): Promise<string> {
  return await (await t.call("GET", path)).text();
}

describe("POST: append", () => {
  it("HTTP-APPEND-1: 204 with the new tail; array bodies flatten one level (LOG-APPEND-2)", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      const r = await t.call("POST", "s", { headers: JSON_TYPE, body: '[{"a":1}, [2, 3]]' });
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000002");
      assert.equal(r.headers.get("stream-closed"), null);
      const single = await t.call("POST", "s", { headers: JSON_TYPE, body: ' { "b" : 2.50 } ' });
      assert.equal(single.headers.get("stream-next-offset"), "0000000000000003");
      assert.equal(await text(t, "s"), '[{"a":1},[2,3],{"b":2.50}]');
    }));

  it("LOG-APPEND-3: an empty array, or an empty body without close, is an empty-append", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      await problemOf(
        await t.call("POST", "s", { headers: JSON_TYPE, body: "[ ]" }),
        "empty-append",
      );
      await problemOf(await t.call("POST", "s", { headers: JSON_TYPE, body: "" }), "empty-append");
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      await problemOf(await t.call("POST", "t", { headers: TEXT_TYPE }), "empty-append");
    }));

  it("LOG-MSG-3: malformed JSON is refused, storing nothing", () =>
    withServer(async (t) => {
      await t.call("PUT", "s");
      for (const body of ["{ invalid json }", "[1,", "1 2", "\ufeff[1]"]) {
        await problemOf(await t.call("POST", "s", { headers: JSON_TYPE, body }), "invalid-json");
      }
      assert.equal(await text(t, "s"), "[]");
    }));

  it("HTTP-APPEND-1, HTTP-APPEND-4: closing; appends after it are 409 with the final tail", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: JSON_TYPE, body: "[1]" });
      const close = await t.call("POST", "s", { headers: { ...JSON_TYPE, ...CLOSE }, body: "2" });
      assert.equal(close.status, 204);
      assert.equal(close.headers.get("stream-closed"), "true");
      assert.equal(close.headers.get("stream-next-offset"), "0000000000000002");
      for (
        const request of [
          { headers: JSON_TYPE, body: "3" },
          { headers: { ...JSON_TYPE, ...CLOSE }, body: "3" },
          // Closure is judged before the content type (HTTP-APPEND-4).
          { headers: TEXT_TYPE, body: "3" },
          // And before the body's well-formedness.
          { headers: JSON_TYPE, body: "{" },
        ]
      ) {
        const r = await t.call("POST", "s", request);
        const p = await problemOf(r, "stream-closed");
        assert.equal(r.headers.get("stream-closed"), "true");
        assert.equal(r.headers.get("stream-next-offset"), "0000000000000002");
        assert.equal(p.offset, "0000000000000002"); // ERR-EXT-6
      }
      assert.equal(await text(t, "s"), "[1,2]");
    }));

  it("LOG-CLOSE-3, HTTP-APPEND-6: close-only is idempotent and ignores its Content-Type", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: JSON_TYPE, body: "[1]" });
      for (const headers of [CLOSE, { ...CLOSE, ...TEXT_TYPE }, { "stream-closed": "True" }]) {
        const r = await t.call("POST", "s", { headers });
        assert.equal(r.status, 204);
        assert.equal(r.headers.get("stream-closed"), "true");
        assert.equal(r.headers.get("stream-next-offset"), "0000000000000001");
      }
    }));

  it("HTTP-APPEND-5: another media type is 409, a body without Content-Type is 400", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      await problemOf(
        await t.call("POST", "t", { headers: JSON_TYPE, body: "{}" }),
        "content-type-mismatch",
      );
      await problemOf(
        await t.call("POST", "t", { body: new TextEncoder().encode("x") }),
        "invalid-header",
      );
      // Media types compare without case and parameters.
      const r = await t.call("POST", "t", {
        headers: { "content-type": "TEXT/PLAIN; charset=utf-8" },
        body: "x",
      });
      assert.equal(r.status, 204);
    }));

  it("byte streams: each body is one chunk, offsets count bytes (LOG-BYTES-1)", () =>
    withServer(async (t) => {
      await t.call("PUT", "b", { headers: { "content-type": "application/octet-stream" } });
      const bytes = new Uint8Array([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]);
      const r = await t.call("POST", "b", {
        headers: { "content-type": "application/octet-stream" },
        body: bytes,
      });
      assert.equal(r.headers.get("stream-next-offset"), "0000000000000007");
      const read = await t.call("GET", "b");
      assert.deepEqual(new Uint8Array(await read.arrayBuffer()), bytes);
      assert.equal(read.headers.get("content-type"), "application/octet-stream");
    }));

  it("Stream-Seq has to grow byte-wise (LOG-SEQ-1)", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      const post = (seq: string) =>
        t.call("POST", "t", { headers: { ...TEXT_TYPE, "stream-seq": seq }, body: seq });
      assert.equal((await post("09")).status, 204);
      assert.equal((await post("10")).status, 204);
      await problemOf(await post("10"), "stream-seq-conflict");
      await problemOf(await post("2".slice(0, 0) + "1"), "stream-seq-conflict");
      assert.equal((await post("a")).status, 204);
      await problemOf(await post("B"), "stream-seq-conflict");
      await problemOf(await post(""), "invalid-header");
    }));

  it("HTTP-APPEND-7: oversize bodies and messages are 413, storing nothing (DISC-LIMIT-1/2/3)", () =>
    withServer(
      async (t) => {
        await t.call("PUT", "s");
        await problemOf(
          await t.call("POST", "s", { headers: JSON_TYPE, body: `"${"x".repeat(200)}"` }),
          "payload-too-large",
        );
        await problemOf(
          await t.call("POST", "s", { headers: JSON_TYPE, body: `["${"x".repeat(31)}"]` }),
          "payload-too-large",
        );
        // Exactly at both limits: accepted.
        const atLimit = `[${Array(8).fill(`"${"x".repeat(30)}"`).join(",")}]`;
        assert.ok(atLimit.length <= 300);
        assert.equal(
          (await t.call("POST", "s", { headers: JSON_TYPE, body: `"${"x".repeat(30)}"` })).status,
          204,
        );
        assert.equal(
          (await t.call("POST", "s", { headers: JSON_TYPE, body: atLimit })).status,
          204,
        );
        // A streamed body is cut off while reading.
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array(100).fill(0x20));
          },
        });
        const r = await t.server.fetch(
          new Request("http://localhost/v1/stream/s", {
            method: "POST",
            headers: JSON_TYPE,
            body: stream,
            duplex: "half",
          } as RequestInit),
        );
        await problemOf(r, "payload-too-large");
        assert.equal(JSON.parse(await text(t, "s")).length, 9);
      },
      { limits: { maxMessageBytes: 32, maxBodyBytes: 300 } },
    ));

  it("HTTP-APPEND-8: agent streams take envelopes only, with pointers into the body", () =>
    withServer(async (t) => {
      await t.call("PUT", "a", { headers: AGENT });
      const array = await problemOf(
        await t.call("POST", "a", {
          headers: JSON_TYPE,
          body: '[{"type":"run.started"},{"type":"x.y"},{"id":"1"},{"type":"Bad"}]',
        }),
        "invalid-envelope",
      );
      assert.deepEqual(array.errors?.map((e) => e.path), ["/2/type", "/3/type"]);
      const single = await problemOf(
        await t.call("POST", "a", { headers: JSON_TYPE, body: '{"type":7}' }),
        "invalid-envelope",
      );
      assert.deepEqual(single.errors?.map((e) => e.path), ["/type"]);
      const whole = await problemOf(
        await t.call("POST", "a", { headers: JSON_TYPE, body: "[1]" }),
        "invalid-envelope",
      );
      assert.deepEqual(whole.errors?.map((e) => e.path), ["/0"]);
      assert.equal(await text(t, "a"), "[]");
      // ENV-AGENT-4, ENV-UNKNOWN-1: unknown types and members are stored as sent.
      const ok = '{"type":"com.acme.deploy.started","x":1.0,"meta":{}}';
      assert.equal((await t.call("POST", "a", { headers: JSON_TYPE, body: ok })).status, 204);
      assert.equal(await text(t, "a"), `[${ok}]`);
    }));

  it("ENV-AGENT-3: json streams are never checked beyond well-formedness", () =>
    withServer(async (t) => {
      await t.call("PUT", "j");
      assert.equal(
        (await t.call("POST", "j", { headers: JSON_TYPE, body: '[{"type":7},null]' })).status,
        204,
      );
    }));
});

describe("POST: idempotent producers", () => {
  it("HTTP-APPEND-2: 200 for new data, 204 for a duplicate, echoing the epoch and highest seq", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      for (let seq = 0; seq < 3; seq++) {
        const r = await t.call("POST", "t", {
          headers: { ...TEXT_TYPE, ...producer("p", 0, seq) },
          body: `m${seq}`,
        });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get("producer-epoch"), "0");
        assert.equal(r.headers.get("producer-seq"), String(seq));
      }
      const dup = await t.call("POST", "t", {
        headers: { ...TEXT_TYPE, ...producer("p", 0, 1) },
        body: "m1",
      });
      assert.equal(dup.status, 204);
      assert.equal(dup.headers.get("producer-seq"), "2");
      assert.equal(dup.headers.get("stream-next-offset"), "0000000000000006");
      assert.equal(await text(t, "t"), "m0m1m2");
    }));

  it("HTTP-APPEND-3: stale epochs are 403, gaps 409, with the recovery headers (ERR-EXT-8/9)", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      await t.call("POST", "t", { headers: { ...TEXT_TYPE, ...producer("p", 1, 0) }, body: "a" });
      const stale = await t.call("POST", "t", {
        headers: { ...TEXT_TYPE, ...producer("p", 0, 1) },
        body: "z",
      });
      const p1 = await problemOf(stale, "producer-stale-epoch");
      assert.equal(stale.headers.get("producer-epoch"), "1");
      assert.equal(p1.producerEpoch, 1);
      const gap = await t.call("POST", "t", {
        headers: { ...TEXT_TYPE, ...producer("p", 1, 3) },
        body: "z",
      });
      const p2 = await problemOf(gap, "producer-seq-gap");
      assert.equal(gap.headers.get("producer-expected-seq"), "1");
      assert.equal(gap.headers.get("producer-received-seq"), "3");
      assert.deepEqual([p2.expectedSeq, p2.receivedSeq], [1, 3]);
      await problemOf(
        await t.call("POST", "t", { headers: { ...TEXT_TYPE, ...producer("p", 2, 1) }, body: "z" }),
        "producer-epoch-start",
      );
      assert.equal(await text(t, "t"), "a");
    }));

  it("HTTP-HDR-3: partial or malformed producer headers are 400 invalid-header", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      const cases: Record<string, string>[] = [
        { "producer-id": "p" },
        { "producer-epoch": "0", "producer-seq": "0" },
        { "producer-id": "p", "producer-epoch": "0" },
        producer("", 0, 0),
        { ...producer("p", 0, 0), "producer-seq": "1abc" },
        { ...producer("p", 0, 0), "producer-epoch": "1e3" },
        { ...producer("p", 0, 0), "producer-epoch": "-1" },
        { ...producer("p", 0, 0), "producer-seq": "9007199254740992" },
      ];
      for (const headers of cases) {
        await problemOf(
          await t.call("POST", "t", { headers: { ...TEXT_TYPE, ...headers }, body: "x" }),
          "invalid-header",
        );
      }
      const max = { ...producer("p", 0, 0), "producer-epoch": "9007199254740991" };
      assert.equal(
        (await t.call("POST", "t", { headers: { ...TEXT_TYPE, ...max }, body: "x" })).status,
        200,
      );
    }));

  it("HTTP-APPEND-9: repeating the producer append that closed the stream is 204 with Stream-Closed", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      const headers = { ...TEXT_TYPE, ...CLOSE, ...producer("p", 0, 0) };
      const first = await t.call("POST", "t", { headers, body: "body-A" });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("stream-closed"), "true");
      const retry = await t.call("POST", "t", { headers, body: "body-B" });
      assert.equal(retry.status, 204);
      assert.equal(retry.headers.get("stream-closed"), "true");
      const other = await t.call("POST", "t", {
        headers: { ...headers, "producer-seq": "1" },
        body: "x",
      });
      await problemOf(other, "stream-closed");
      assert.equal(await text(t, "t"), "body-A");
    }));

  it("a close-only request with producer headers advances the producer (204)", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      await t.call("POST", "t", { headers: { ...TEXT_TYPE, ...producer("p", 0, 0) }, body: "m" });
      const r = await t.call("POST", "t", { headers: { ...CLOSE, ...producer("p", 0, 1) } });
      assert.equal(r.status, 204);
      assert.equal(r.headers.get("producer-seq"), "1");
      assert.equal(r.headers.get("stream-closed"), "true");
    }));

  it("a producer duplicate wins over a repeated Stream-Seq", () =>
    withServer(async (t) => {
      await t.call("PUT", "t", { headers: TEXT_TYPE });
      const headers = { ...TEXT_TYPE, ...producer("p", 0, 0), "stream-seq": "001" };
      assert.equal((await t.call("POST", "t", { headers, body: "m" })).status, 200);
      assert.equal((await t.call("POST", "t", { headers, body: "m" })).status, 204);
    }));

  it("404 and 410 for missing and soft-deleted streams (HTTP-DELETE-2)", () =>
    withServer(async (t) => {
      await problemOf(
        await t.call("POST", "none", { headers: TEXT_TYPE, body: "x" }),
        "stream-not-found",
      );
      await problemOf(await t.call("POST", "none", { headers: CLOSE }), "stream-not-found");
      await t.call("PUT", "src");
      await t.call("PUT", "fork", { headers: { "stream-forked-from": "src" } });
      await t.call("DELETE", "src");
      await problemOf(
        await t.call("POST", "src", { headers: JSON_TYPE, body: "1" }),
        "stream-gone",
      );
    }));
});
