import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { PingFrameSchema, PongFrameSchema, WS_CLOSE_CODES, WS_SUBPROTOCOL } from "./ws_frame.ts";

test("the subprotocol carries major version 1", () => {
  assert.equal(WS_SUBPROTOCOL, "agent-stream.v1");
});

test("close codes are the registered ones the binding uses", () => {
  assert.deepEqual(Object.values(WS_CLOSE_CODES), [1000, 1001, 1008, 1009, 1011, 1012]);
  assert.ok(Object.isFrozen(WS_CLOSE_CODES));
});

test("ping and pong carry an optional string nonce", () => {
  for (const schema of [PingFrameSchema, PongFrameSchema]) {
    const type = schema === PingFrameSchema ? "ping" : "pong";
    assert.ok(v.is(schema, { type }));
    assert.ok(v.is(schema, { type, nonce: "" }));
    assert.ok(!v.is(schema, { type, nonce: 1 }));
  }
});
