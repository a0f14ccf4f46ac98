import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { NonNegativeIntegerSchema } from "./non_negative_integer.ts";

test("0 to 2^53 - 1 are accepted, and nothing outside", () => {
  fc.assert(fc.property(fc.maxSafeNat(), (n) => assert.ok(v.is(NonNegativeIntegerSchema, n))));
  for (const bad of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, "1", null]) {
    assert.ok(!v.is(NonNegativeIntegerSchema, bad), String(bad));
  }
});

test("integers written as 1.0 or -0 in JSON are integers", () => {
  assert.ok(v.is(NonNegativeIntegerSchema, JSON.parse("1.0")));
  assert.ok(v.is(NonNegativeIntegerSchema, JSON.parse("-0")));
  assert.ok(v.is(NonNegativeIntegerSchema, JSON.parse("1e3")));
});
