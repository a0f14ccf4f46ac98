import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  encodeControlEvent,
  encodeDataEvent,
  encodeRetry,
  SSE_HEARTBEAT,
  sseDataEncoding,
  sseDataEncodings,
} from "./_sse_encoder.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (bytes: Uint8Array | undefined): string => decoder.decode(bytes);

describe("sseDataEncoding", () => {
  it("picks JSON arrays, text, or base64 from the content type (Durable Streams §5.8)", () => {
    assert.equal(sseDataEncoding("application/json"), "json");
    assert.equal(sseDataEncoding("Application/JSON; charset=utf-8"), "json");
    assert.equal(sseDataEncoding("text/plain"), "text");
    assert.equal(sseDataEncoding("TEXT/csv;x=1"), "text");
    assert.equal(sseDataEncoding("application/octet-stream"), "base64");
    assert.equal(sseDataEncoding("application/x-protobuf"), "base64");
  });
});

describe("encodeDataEvent", () => {
  it("SSE-EVENT-1 SSE-ID-1: a JSON batch is one array, with the offset after it as id", () => {
    const messages = ['{"a":1}', "[2]", '"x"'].map((m) => encoder.encode(m));
    const event = encodeDataEvent("json", { messages, nextOffset: 12, upToDate: false });
    assert.equal(
      text(event.bytes),
      'event: data\ndata:[{"a":1},[2],"x"]\nid: 0000000000000012\n\n',
    );
    assert.equal(event.nextOffset, 12);
  });

  it("splits line breaks inside JSON text into data: lines, so no event can be forged", () => {
    const messages = [encoder.encode('{"a":\r\n 1,\r"b":\n2}')];
    const event = encodeDataEvent("json", { messages, nextOffset: 1, upToDate: true });
    const body = text(event.bytes);
    assert.equal(
      body,
      'event: data\ndata:[{"a":\ndata:  1,\ndata:"b":\ndata:2}]\nid: 0000000000000001\n\n',
    );
    assert.ok(!body.includes("\r"));
  });

  it("writes nothing for an empty batch", () => {
    const event = encodeDataEvent("json", { messages: [], nextOffset: 3, upToDate: true });
    assert.equal(event.bytes, undefined);
    assert.equal(event.nextOffset, 3);
  });

  it("encodes a batch once: the same messages array gives the same bytes object", () => {
    const messages = [encoder.encode("1")];
    const before = sseDataEncodings();
    const a = encodeDataEvent("json", { messages, nextOffset: 1, upToDate: true });
    const b = encodeDataEvent("json", { messages, nextOffset: 1, upToDate: true });
    assert.equal(sseDataEncodings() - before, 1);
    assert.equal(a.bytes, b.bytes);
    const other = encodeDataEvent("json", {
      messages: [...messages],
      nextOffset: 1,
      upToDate: true,
    });
    assert.notEqual(other.bytes, a.bytes, "a different array is encoded afresh");
    assert.deepEqual(other.bytes, a.bytes);
  });

  it("matches standard base64 for every length (RFC 4648)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const event = encodeDataEvent("base64", {
          messages: [a, b],
          nextOffset: 9,
          upToDate: true,
        });
        if (a.length + b.length === 0) return assert.equal(event.bytes, undefined);
        const all = new Uint8Array([...a, ...b]);
        const expected = btoa(String.fromCharCode(...all));
        assert.equal(text(event.bytes), `event: data\ndata:${expected}\nid: 0000000000000009\n\n`);
      }),
    );
  });

  it("keeps a text stream's characters whole across batches, whatever the byte cuts", () => {
    const chars = fc.constantFrom("a", "é", "€", "😀", "\n", " ");
    fc.assert(fc.property(
      fc.array(chars, { maxLength: 20 }).map((parts) => parts.join("")),
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 40 }),
      (source, cuts) => {
        const bytes = encoder.encode(source);
        let at = 0;
        let carry: Uint8Array = new Uint8Array(0);
        let out = "";
        for (let i = 0; at < bytes.length; i++) {
          const end = Math.min(bytes.length, at + cuts[i % cuts.length]);
          const batch = {
            messages: [bytes.slice(at, end)],
            nextOffset: end,
            upToDate: end === bytes.length,
          };
          const event = encodeDataEvent("text", batch, carry);
          assert.equal(event.nextOffset + event.carry.length, end, "id + held bytes = position");
          if (event.bytes) {
            const lines = text(event.bytes).split("\n");
            assert.equal(lines.at(-2), "", "the event ends with a blank line");
            assert.equal(lines.at(-3), `id: ${String(event.nextOffset).padStart(16, "0")}`);
            out += lines.slice(1, -3).map((l) => l.replace(/^data: ?/, "")).join("\n");
          }
          carry = event.carry;
          at = end;
        }
        assert.equal(carry.length, 0);
        assert.equal(out, source);
      },
    ));
  });
});

describe("control, heartbeat and retry", () => {
  it("SSE-EVENT-2 SSE-ID-1: a control event names its offset in data and id, data right after event", () => {
    const bytes = encodeControlEvent({
      streamNextOffset: "0000000000000004",
      streamCursor: "100",
      upToDate: true,
    });
    assert.equal(
      text(bytes),
      'event: control\ndata:{"streamNextOffset":"0000000000000004","streamCursor":"100","upToDate":true}\nid: 0000000000000004\n\n',
    );
  });

  it("gives readers of the same control event the same bytes, and others their own", () => {
    const control = { streamNextOffset: "0000000000000009", streamCursor: "7", upToDate: true };
    const first = encodeControlEvent(control);
    assert.equal(encodeControlEvent({ ...control }), first);
    const other = encodeControlEvent({ ...control, upToDate: undefined });
    assert.notEqual(other, first);
    assert.equal(
      text(other),
      'event: control\ndata:{"streamNextOffset":"0000000000000009","streamCursor":"7"}\nid: 0000000000000009\n\n',
    );
    assert.equal(
      text(encodeControlEvent({ streamNextOffset: "0000000000000010", streamClosed: true })),
      'event: control\ndata:{"streamNextOffset":"0000000000000010","streamClosed":true}\nid: 0000000000000010\n\n',
    );
    assert.equal(text(encodeControlEvent(control)), text(first));
  });

  it("SSE-HEARTBEAT-1 SSE-HEARTBEAT-2: a comment line, and the retry field", () => {
    assert.equal(text(SSE_HEARTBEAT), ":\n\n");
    assert.equal(text(encodeRetry(1500)), "retry: 1500\n\n");
  });
});
