import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { PROTOCOL_VERSION, ProtocolVersionSchema } from "./protocol_version.ts";

test("this package speaks a version of major 1", () => {
  assert.ok(v.is(ProtocolVersionSchema, PROTOCOL_VERSION));
});

test("every 1.<minor> is a version; other majors are not", () => {
  fc.assert(fc.property(fc.nat(), (minor) => {
    assert.ok(v.is(ProtocolVersionSchema, `1.${minor}`));
    assert.ok(!v.is(ProtocolVersionSchema, `${minor + 2}.0`));
  }));
  for (const bad of ["1", "1.", "v1.0", "1.0.0", "01.0", " 1.0"]) {
    assert.ok(!v.is(ProtocolVersionSchema, bad), bad);
  }
});
