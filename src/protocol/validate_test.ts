import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { AgentAppendSchema } from "./agent_append.ts";
import { EnvelopeSchema } from "./envelope.ts";
import { JSON_POINTER_PATTERN } from "./problem.ts";
import { validate } from "./validate.ts";

test("the value comes back as given: same object, same member order", () => {
  fc.assert(fc.property(
    fc.dictionary(fc.string().filter((k) => k !== "type"), fc.jsonValue(), { maxKeys: 5 }),
    (extra) => {
      const envelope = { ...extra, type: "x.y", id: "1" };
      const result = validate(EnvelopeSchema, envelope);
      assert.ok(result.ok);
      assert.equal(result.value, envelope);
      assert.equal(JSON.stringify(result.value), JSON.stringify(envelope));
    },
  ));
});

// Resolves all but the last reference token: the parent must exist (the last
// token may name a missing member).
function parentExists(doc: unknown, pointer: string): boolean {
  const tokens = pointer.split("/").slice(1, -1)
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
  let node = doc;
  for (const token of tokens) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, token)) return false;
    node = (node as Record<string, unknown>)[token];
  }
  return true;
}

test("every error path is a JSON Pointer whose parent exists in the value", () => {
  fc.assert(fc.property(
    fc.oneof(
      fc.jsonValue(),
      fc.array(fc.record({ type: fc.jsonValue(), id: fc.jsonValue(), meta: fc.jsonValue() })),
    ),
    (body) => {
      const result = validate(AgentAppendSchema, body);
      if (result.ok) return;
      assert.ok(result.errors.length > 0);
      for (const error of result.errors) {
        assert.match(error.path, JSON_POINTER_PATTERN);
        assert.ok(parentExists(body, error.path), `${error.path} in ${JSON.stringify(body)}`);
      }
    },
  ));
});

test("member names are escaped in paths", () => {
  const result = validate(v.record(v.string(), v.number()), { "a/b~c": "x" });
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/a~1b~0c"]);
});

test("messages stay short even when the offending value is huge", () => {
  const result = validate(v.number(), "x".repeat(1_000_000));
  assert.ok(!result.ok);
  assert.ok(result.errors[0].message.length <= 300);
});
