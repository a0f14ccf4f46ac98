import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { agentAppendMessages, AgentAppendSchema } from "./agent_append.ts";
import { validate } from "./validate.ts";

test("a body is one envelope or a non-empty array of envelopes", () => {
  assert.ok(v.is(AgentAppendSchema, { type: "run.started" }));
  assert.ok(v.is(AgentAppendSchema, [{ type: "run.started" }, { type: "run.finished" }]));
  assert.ok(!v.is(AgentAppendSchema, []));
  assert.ok(!v.is(AgentAppendSchema, [[{ type: "run.started" }]]));
  assert.ok(!v.is(AgentAppendSchema, "run.started"));
});

test("errors point into the body, as ENV-AGENT-2 requires", () => {
  const result = validate(AgentAppendSchema, [
    { type: "run.started" },
    { type: "run.step" },
    { type: "Text" },
    { id: "x" },
  ]);
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/2/type", "/3/type"]);
});

test("every error in a non-empty batch points into one of its items", () => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.record({ type: fc.string() }), fc.jsonValue()), { minLength: 1 }),
    (batch) => {
      const result = validate(AgentAppendSchema, batch);
      if (result.ok) return;
      for (const error of result.errors) assert.match(error.path, /^\/[0-9]+(\/|$)/);
    },
  ));
});

test("errors of a single envelope body point at its members", () => {
  const result = validate(AgentAppendSchema, { type: "a.b", time: "yesterday" });
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => e.path), ["/time"]);
});

test("agentAppendMessages flattens one level", () => {
  const one = { type: "run.started" };
  assert.deepEqual(agentAppendMessages(one), [one]);
  const many = [one, { type: "run.finished" }];
  assert.equal(agentAppendMessages(many), many);
});
