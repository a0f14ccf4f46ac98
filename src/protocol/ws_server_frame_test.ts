import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { createProblem } from "./problem.ts";
import { validate } from "./validate.ts";

// A plain boolean: `v.is` is a type guard and would narrow the fixtures away.
const accepts = (schema: v.GenericSchema<unknown>, value: unknown): boolean => v.is(schema, value);
import {
  DataFrameSchema,
  isKnownServerFrame,
  WS_SERVER_FRAME_TYPES,
  type WsServerFrame,
  WsServerFrameSchema,
} from "./ws_server_frame.ts";

const O = "0000000000000001";
const FRAMES: WsServerFrame[] = [
  { type: "welcome", version: "1.0", session: "c1", heartbeatMs: 15000 },
  { type: "subscribed", sub: "s1", path: "chats/42", offset: O, kind: "json" },
  { type: "data", sub: "s1", messages: [{ type: "a.b" }], nextOffset: O },
  { type: "appended", req: "r1", nextOffset: O, producer: { epoch: 0, seq: 0 } },
  { type: "unsubscribed", sub: "s1", reason: "deleted" },
  { type: "error", sub: "s1", problem: createProblem("subscriber-overflow"), resumeOffset: O },
  { type: "ping" },
  { type: "pong", nonce: "n" },
  { type: "goodbye", reconnect: true, retryAfterMs: 0 },
];

test("one valid frame of every known type", () => {
  assert.deepEqual(FRAMES.map((f) => f.type), [...WS_SERVER_FRAME_TYPES]);
  for (const frame of FRAMES) {
    assert.ok(v.is(WsServerFrameSchema, frame), frame.type);
    assert.ok(isKnownServerFrame(frame));
  }
});

test("frames of unknown type are valid, so clients can ignore them", () => {
  fc.assert(fc.property(
    fc.string().filter((t) => !(WS_SERVER_FRAME_TYPES as readonly string[]).includes(t)),
    (type) => {
      assert.ok(v.is(WsServerFrameSchema, { type }));
      assert.ok(!isKnownServerFrame({ type }));
    },
  ));
});

test("an empty data frame must say it is up to date or closed", () => {
  const empty = { type: "data", sub: "s1", messages: [], nextOffset: O };
  for (const schema of [DataFrameSchema, WsServerFrameSchema]) {
    assert.ok(!accepts(schema, empty));
    assert.ok(!accepts(schema, { ...empty, upToDate: false, closed: false }));
    assert.ok(accepts(schema, { ...empty, upToDate: true }));
    assert.ok(accepts(schema, { ...empty, closed: true }));
  }
  const result = validate(WsServerFrameSchema, empty);
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/messages"]);
});

test("an error frame's problem is checked against the problem schema", () => {
  const result = validate(WsServerFrameSchema, {
    type: "error",
    problem: { ...createProblem("invalid-frame"), status: 200 },
  });
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/problem/status"]);
});
