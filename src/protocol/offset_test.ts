import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import {
  formatOffset,
  isOffset,
  OFFSET_FROM_START,
  OFFSET_NOW,
  OffsetSchema,
  parseOffset,
  RequestOffsetSchema,
  START_OFFSET,
} from "./offset.ts";

test("formatOffset and parseOffset round-trip every safe count", () => {
  fc.assert(fc.property(fc.maxSafeNat(), (count) => {
    const offset = formatOffset(count);
    assert.equal(offset.length, 16);
    assert.ok(isOffset(offset));
    assert.equal(parseOffset(offset), count);
  }));
});

test("string order of offsets is numeric order", () => {
  fc.assert(fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (a, b) => {
    const byString = formatOffset(a) < formatOffset(b);
    assert.equal(byString, a < b);
  }));
});

test("the start offset is the offset of zero messages", () => {
  assert.equal(START_OFFSET, formatOffset(0));
  assert.equal(parseOffset(START_OFFSET), 0);
});

test("formatOffset refuses counts that are not safe non-negative integers", () => {
  for (const count of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity]) {
    assert.throws(() => formatOffset(count), RangeError, String(count));
  }
});

test("parseOffset refuses anything but 16 decimal digits", () => {
  fc.assert(fc.property(
    fc.string().filter((s) => !/^[0-9]{16}$/.test(s)),
    (text) => assert.throws(() => parseOffset(text), SyntaxError),
  ));
  for (const text of ["-1", "now", "42", "\u0660".repeat(16), "0000000000000001\n"]) {
    assert.throws(() => parseOffset(text), SyntaxError, JSON.stringify(text));
  }
});

test("parseOffset reports offsets beyond 2^53 - 1 as out of range", () => {
  assert.equal(parseOffset("9007199254740991"), Number.MAX_SAFE_INTEGER);
  assert.throws(() => parseOffset("9007199254740992"), RangeError);
  assert.throws(() => parseOffset("9999999999999999"), RangeError);
});

test("sentinels are request offsets but never offsets", () => {
  for (const sentinel of [OFFSET_FROM_START, OFFSET_NOW]) {
    assert.ok(v.is(RequestOffsetSchema, sentinel));
    assert.ok(!v.is(OffsetSchema, sentinel));
    assert.ok(!isOffset(sentinel));
  }
  assert.ok(v.is(RequestOffsetSchema, START_OFFSET));
  assert.ok(!v.is(RequestOffsetSchema, "-2"));
  assert.ok(!v.is(RequestOffsetSchema, 0));
});
