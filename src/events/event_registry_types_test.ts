// Type tests: `deno check` (and `deno test`, which type-checks first) fails
// when a `@ts-expect-error` line compiles, so each one proves a mistake is a
// compile error. The runtime assertions keep the file a real test under Bun.

import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { defineEvent, type EventOf, type InferEvent } from "./define_event.ts";
import { type DecodedEvent, EventRegistry } from "./event_registry.ts";
import { isEvent } from "./is_event.ts";

const Added = defineEvent("com.example.counter.added", {
  amount: v.number(),
  reason: v.optional(v.string()),
});
const Reset = defineEvent("com.example.counter.reset", {});
const Renamed = defineEvent("com.example.counter.renamed", {
  name: v.string(),
  tags: v.array(v.string()),
});
const registry = new EventRegistry([Added, Reset, Renamed]);
type CounterEvent = InferEvent<typeof Added | typeof Reset | typeof Renamed>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true
  : false;
function expectType<T extends true>(): T | void {}

test("an event type is the literal type, the envelope members and the fields, flat", () => {
  expectType<
    Equal<InferEvent<typeof Added>, {
      type: "com.example.counter.added";
      id?: string;
      time?: string;
      runId?: string;
      meta?: Record<string, unknown>;
      amount: number;
      reason?: string | undefined;
    }>
  >();
  expectType<Equal<EventOf<"a.b", Record<never, never>>["type"], "a.b">>();
});

test("encode accepts exactly the registered events", () => {
  const bytes = [
    registry.encode({ type: "com.example.counter.added", amount: 1 }),
    registry.encode({ type: "com.example.counter.added", amount: 1, reason: "x", runId: "r1" }),
    registry.encode({ type: "com.example.counter.reset", meta: { trace: "t" } }),
    registry.encode({ type: "com.example.counter.renamed", name: "n", tags: [] }),
  ];
  assert.equal(bytes.length, 4);

  assert.throws(() => {
    // @ts-expect-error a field of the wrong type
    registry.encode({ type: "com.example.counter.added", amount: "1" });
  });
  assert.throws(() => {
    // @ts-expect-error a required field is missing
    registry.encode({ type: "com.example.counter.added" });
  });
  assert.throws(() => {
    // @ts-expect-error an unregistered type
    registry.encode({ type: "com.example.counter.removed" });
  });
  assert.throws(() => {
    // @ts-expect-error an envelope member of the wrong type
    registry.encode({ type: "com.example.counter.reset", runId: 7 });
  });
  assert.doesNotThrow(() => {
    // @ts-expect-error a misspelled field is an excess property (at runtime, an extra member)
    registry.encode({ type: "com.example.counter.renamed", name: "n", tags: [], nmae: "x" });
  });
  assert.doesNotThrow(() => {
    // @ts-expect-error another type's field is an excess property too
    registry.encode({ type: "com.example.counter.reset", amount: 1 });
  });
});

test("switch on decoded.event.type narrows to one definition", () => {
  function apply(state: { count: number; name: string }, decoded: DecodedEvent<CounterEvent>) {
    if (!decoded.known) {
      expectType<Equal<typeof decoded.event.type, string>>();
      return state;
    }
    switch (decoded.event.type) {
      case "com.example.counter.added":
        expectType<Equal<typeof decoded.event.amount, number>>();
        // @ts-expect-error `name` belongs to another type
        decoded.event.name;
        return { ...state, count: state.count + decoded.event.amount };
      case "com.example.counter.reset":
        // @ts-expect-error `amount` belongs to another type
        decoded.event.amount;
        return { ...state, count: 0 };
      case "com.example.counter.renamed":
        expectType<Equal<typeof decoded.event.tags, string[]>>();
        return { ...state, name: decoded.event.name };
      default: {
        const exhaustive: never = decoded.event;
        return exhaustive;
      }
    }
  }
  const text = new TextEncoder();
  let state = { count: 0, name: "" };
  for (
    const json of [
      '{"type":"com.example.counter.added","amount":2}',
      '{"type":"com.other.thing","amount":100}',
      '{"type":"com.example.counter.renamed","name":"apples","tags":[]}',
    ]
  ) state = apply(state, registry.decode(text.encode(json)));
  assert.deepEqual(state, { count: 2, name: "apples" });
});

test("decode's result is a DecodedEvent of the registry's events", () => {
  const decoded = registry.decode(new TextEncoder().encode('{"type":"com.example.counter.reset"}'));
  expectType<Equal<typeof decoded, DecodedEvent<CounterEvent>>>();
  // @ts-expect-error an unknown event has no typed fields
  if (!decoded.known) decoded.event.amount.toFixed();
  assert.ok(decoded.known);
});

test("isEvent narrows unknown values", () => {
  const value: unknown = { type: "com.example.counter.added", amount: 3 };
  if (isEvent(Added, value)) {
    expectType<Equal<typeof value, InferEvent<typeof Added>>>();
    assert.equal(value.amount, 3);
  } else {
    assert.fail("a valid event");
  }
});

test("a definition cannot redefine an envelope member", () => {
  assert.throws(() => {
    // @ts-expect-error `id` is an envelope member
    defineEvent("com.example.x.y", { id: v.number() });
  }, TypeError);
  assert.throws(() => {
    // @ts-expect-error `type` is an envelope member
    defineEvent("com.example.x.y", { type: v.string() });
  }, TypeError);
});
