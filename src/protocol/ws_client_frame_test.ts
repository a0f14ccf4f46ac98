import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { validate } from "./validate.ts";

// A plain boolean: `v.is` is a type guard and would narrow the fixtures away.
const accepts = (schema: v.GenericSchema<unknown>, value: unknown): boolean => v.is(schema, value);
import {
  AppendFrameSchema,
  isKnownClientFrame,
  WS_CLIENT_FRAME_TYPES,
  type WsClientFrame,
  WsClientFrameSchema,
} from "./ws_client_frame.ts";

const FRAMES: WsClientFrame[] = [
  { type: "hello", version: "1.0", client: { name: "cli" } },
  { type: "subscribe", sub: "s1", path: "chats/42", offset: "now", window: 10 },
  { type: "unsubscribe", sub: "s1" },
  { type: "ack", sub: "s1", offset: "0000000000000010" },
  { type: "append", req: "r1", path: "chats/42", messages: [1, "two", null] },
  { type: "ping", nonce: "n" },
  { type: "pong" },
];

test("one valid frame of every known type", () => {
  assert.deepEqual(FRAMES.map((f) => f.type), [...WS_CLIENT_FRAME_TYPES]);
  for (const frame of FRAMES) {
    assert.ok(v.is(WsClientFrameSchema, frame), frame.type);
    assert.ok(isKnownClientFrame(frame));
  }
});

test("a known type with nothing else is invalid where members are required", () => {
  for (const type of ["hello", "subscribe", "unsubscribe", "ack", "append"]) {
    assert.ok(!v.is(WsClientFrameSchema, { type }), type);
  }
});

test("frames of unknown type are valid, so receivers can ignore them", () => {
  fc.assert(fc.property(
    fc.string().filter((t) => !(WS_CLIENT_FRAME_TYPES as readonly string[]).includes(t)),
    fc.jsonValue(),
    (type, payload) => {
      const frame = { type, payload };
      assert.ok(v.is(WsClientFrameSchema, frame));
      assert.ok(!isKnownClientFrame(frame));
    },
  ));
  assert.ok(!v.is(WsClientFrameSchema, { type: 1 }));
  assert.ok(!v.is(WsClientFrameSchema, {}));
  assert.ok(!v.is(WsClientFrameSchema, [{ type: "ping" }]));
});

test("append needs messages unless close is true, and never empty messages", () => {
  const base = { type: "append", req: "r1", path: "a" };
  for (const schema of [AppendFrameSchema, WsClientFrameSchema]) {
    assert.ok(accepts(schema, { ...base, close: true }));
    assert.ok(accepts(schema, { ...base, messages: [{}], close: false }));
    assert.ok(!accepts(schema, base));
    assert.ok(!accepts(schema, { ...base, close: false }));
    assert.ok(!accepts(schema, { ...base, messages: [], close: true }));
  }
  const result = validate(WsClientFrameSchema, base);
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/messages"]);
});

test("errors in a known frame point at the member", () => {
  const result = validate(WsClientFrameSchema, {
    type: "subscribe",
    sub: "s 1",
    path: "/chats",
  });
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/sub", "/path"]);
});
