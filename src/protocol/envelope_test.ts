import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { ENVELOPE_TYPE_PATTERN, EnvelopeSchema, RESERVED_NAMESPACES } from "./envelope.ts";

test("a type needs a namespace: two or more lower-case segments", () => {
  for (const ok of ["a.b", "text.delta", "com.acme-corp.deploy_v2.started", "x1.y-"]) {
    assert.ok(ENVELOPE_TYPE_PATTERN.test(ok), ok);
  }
  for (const bad of ["text", "Text.delta", ".a.b", "a..b", "a.b.", "1a.b", "a.-b", "a.b c"]) {
    assert.ok(!ENVELOPE_TYPE_PATTERN.test(bad), bad);
  }
});

test("every reserved namespace can head a core type", () => {
  for (const namespace of RESERVED_NAMESPACES) {
    assert.ok(v.is(EnvelopeSchema, { type: `${namespace}.example` }), namespace);
  }
});

test("type is bounded at 128 characters", () => {
  assert.ok(v.is(EnvelopeSchema, { type: "a." + "b".repeat(126) }));
  assert.ok(!v.is(EnvelopeSchema, { type: "a." + "b".repeat(127) }));
});

test("id and runId are bounded in code points, as JSON Schema counts", () => {
  const astral = "\u{1F600}".repeat(256);
  assert.equal(astral.length, 512);
  assert.ok(v.is(EnvelopeSchema, { type: "a.b", id: astral, runId: astral }));
  assert.ok(!v.is(EnvelopeSchema, { type: "a.b", id: astral + "x" }));
  assert.ok(!v.is(EnvelopeSchema, { type: "a.b", runId: "" }));
});

test("meta is an object, never an array", () => {
  assert.ok(v.is(EnvelopeSchema, { type: "a.b", meta: {} }));
  assert.ok(!v.is(EnvelopeSchema, { type: "a.b", meta: [] }));
  assert.ok(!v.is(EnvelopeSchema, { type: "a.b", meta: null }));
});

test("an array is not an envelope, even one with a type-like member", () => {
  const array = Object.assign([], { type: "a.b" });
  assert.ok(!v.is(EnvelopeSchema, array));
});

test("members the envelope does not define are allowed, whatever they hold", () => {
  fc.assert(fc.property(
    fc.dictionary(
      fc.string().filter((key) => !["type", "id", "time", "runId", "meta"].includes(key)),
      fc.jsonValue(),
    ),
    (extra) => assert.ok(v.is(EnvelopeSchema, { ...extra, type: "custom.event" })),
  ));
});
