import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { defineEvent } from "./define_event.ts";
import { isEvent } from "./is_event.ts";

describe("defineEvent", () => {
  it("refuses type names the envelope does not allow", () => {
    for (const bad of ["counter", "Com.example.x", "a..b", "a.b.", "a." + "b".repeat(127), ""]) {
      assert.throws(() => defineEvent(bad, {}), TypeError, bad);
    }
    assert.equal(defineEvent("a." + "b".repeat(126), {}).type.length, 128);
  });

  it("refuses fields named like envelope members", () => {
    for (const name of ["type", "id", "time", "runId", "meta"]) {
      assert.throws(() => defineEvent("com.example.x.y", { [name]: v.string() }), /envelope/u);
    }
  });

  it("checks envelope members, the literal type and fields, allowing other members", () => {
    const Added = defineEvent("com.example.counter.added", { amount: v.number() });
    assert.ok(isEvent(Added, { type: Added.type, amount: 1, runId: "r", other: { x: 1 } }));
    assert.ok(!isEvent(Added, { type: "com.example.counter.removed", amount: 1 }));
    assert.ok(!isEvent(Added, { type: Added.type, amount: 1, runId: "" }));
    assert.ok(!isEvent(Added, { type: Added.type, amount: 1, time: "2025-01-01" }));
    assert.ok(!isEvent(Added, { type: Added.type }));
    assert.ok(!isEvent(Added, Object.assign([], { type: Added.type, amount: 1 })));
    assert.ok(!isEvent(Added, null));
  });

  it("reports an array as one type mismatch", () => {
    const Added = defineEvent("com.example.counter.added", { amount: v.number() });
    const result = v.safeParse(Added.schema, []);
    assert.equal(result.issues?.length, 1);
  });

  it("returns a frozen definition", () => {
    assert.ok(Object.isFrozen(defineEvent("com.example.x.y", {})));
  });
});
