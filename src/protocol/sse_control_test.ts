import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { SseControlSchema } from "./sse_control.ts";
import { validate } from "./validate.ts";

const next = "0000000000000003";

test("streamCursor is required unless the stream is closed", () => {
  assert.ok(v.is(SseControlSchema, { streamNextOffset: next, streamCursor: "c" }));
  assert.ok(v.is(SseControlSchema, { streamNextOffset: next, streamClosed: true }));
  assert.ok(!v.is(SseControlSchema, { streamNextOffset: next }));
  assert.ok(!v.is(SseControlSchema, { streamNextOffset: next, streamClosed: false }));
});

test("a missing cursor is reported at /streamCursor", () => {
  const result = validate(SseControlSchema, { streamNextOffset: next, upToDate: true });
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/streamCursor"]);
});
