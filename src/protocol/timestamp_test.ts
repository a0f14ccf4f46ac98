import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { TIMESTAMP_PATTERN, TimestampSchema } from "./timestamp.ts";

test("Date.prototype.toISOString output is a timestamp for years 0 to 9999", () => {
  fc.assert(fc.property(
    fc.date({
      min: new Date("0000-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59.999Z"),
      noInvalidDate: true,
    }),
    (date) => assert.ok(v.is(TimestampSchema, date.toISOString()), date.toISOString()),
  ));
});

test("offsets, fractions and leap seconds are accepted", () => {
  for (
    const ok of ["2025-06-01T12:30:00+02:00", "2016-12-31T23:59:60Z", "2025-06-01T00:00:00.1-00:30"]
  ) {
    assert.ok(TIMESTAMP_PATTERN.test(ok), ok);
  }
});

test("lower-case t/z, missing offsets and out-of-range fields are rejected", () => {
  for (
    const bad of [
      "2025-06-01t12:30:00Z",
      "2025-06-01T12:30:00z",
      "2025-06-01T12:30:00",
      "2025-00-01T12:30:00Z",
      "2025-06-32T12:30:00Z",
      "2025-06-01T24:00:00Z",
      "2025-06-01T12:60:00Z",
      "2025-06-01T12:30:61Z",
      "2025-06-01T12:30:00+24:00",
      "+012025-06-01T12:30:00Z",
    ]
  ) {
    assert.ok(!TIMESTAMP_PATTERN.test(bad), bad);
  }
});
