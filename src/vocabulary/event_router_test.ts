import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as v from "valibot";
import type { Envelope } from "../protocol/envelope.ts";
import { EventValidationError } from "../events/mod.ts";
import { EventRouter } from "./event_router.ts";
import type { StandardEventType } from "./standard_events.ts";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`event_router_test seed ${seed}`);

type Cards = { "weather-card": { city: string; celsius: number }; progress: number };

const EVENTS: Envelope[] = [
  { type: "text.delta", messageId: "m1", delta: "Hi" },
  { type: "run.started", runId: "r1" },
  { type: "custom.event", name: "weather-card", value: { city: "Oslo", celsius: 4 } },
  { type: "custom.event", name: "progress", value: 3 },
  { type: "custom.event", name: "elsewhere" },
  { type: "com.example.widget.updated", count: 2 },
];
const INVALID: unknown[] = [
  null,
  7,
  "text.delta",
  [],
  { type: "text.delta", messageId: "m1" },
  { type: "Not A Type" },
  { type: "run.finished", outcome: "maybe" },
];

test("handlers get the events of their type, custom values by name, other types apart", () => {
  const seen: string[] = [];
  const router = new EventRouter<Cards>();
  router.register({
    standard: {
      "text.delta": (event) => void seen.push(`delta ${event.delta}`),
      "custom.event": (event) => void seen.push(`custom ${event.name}`),
    },
    custom: { "weather-card": (card, event) => void seen.push(`card ${card.city} ${event.name}`) },
    unknown: (event) => void seen.push(`unknown ${event.type}`),
  });
  const results = EVENTS.map((event) => router.dispatch(event));
  assert.deepEqual(seen, [
    "delta Hi",
    "custom weather-card",
    "card Oslo weather-card",
    "custom progress",
    "custom elsewhere",
    "unknown com.example.widget.updated",
  ]);
  assert.deepEqual(results.map((r) => r.status === "routed" && [r.route, r.handlers]), [
    ["standard", 1],
    ["standard", 0],
    ["custom", 2],
    ["custom", 1],
    ["custom", 1],
    ["unknown", 1],
  ]);
});

test("a handler receives the dispatched object itself", () => {
  const router = new EventRouter();
  let received: unknown;
  router.on("run.started", (event) => void (received = event));
  const event = { type: "run.started", runId: "r1", extra: [1] };
  router.dispatch(event);
  assert.equal(received, event);
});

test("invalid input goes to onInvalid only, with a clear error, and never throws", () => {
  const invalid: [string, unknown][] = [];
  const calls: string[] = [];
  const router = new EventRouter({
    onInvalid: (error, input) => void invalid.push([error.message, input]),
  });
  router.on("text.delta", () => void calls.push("delta"));
  router.on("run.finished", () => void calls.push("finished"));
  router.onUnknown(() => void calls.push("unknown"));
  const cyclic: Record<string, unknown> = { type: "raw.event" };
  cyclic.event = cyclic;
  const hostile = new Proxy({}, {
    get() {
      throw new Error("no reading");
    },
    has() {
      throw new Error("no reading");
    },
    ownKeys() {
      throw new Error("no reading");
    },
  });
  for (const input of [...INVALID, hostile]) {
    const result = router.dispatch(input);
    assert.equal(result.status, "invalid");
    assert.ok(result.status === "invalid" && result.error instanceof EventValidationError);
  }
  assert.doesNotThrow(() => router.dispatch(cyclic));
  for (const text of ["{", '{"type":"text.delta"}', "[]", new Uint8Array([0xff, 0xfe])]) {
    assert.equal(router.dispatchJson(text).status, "invalid");
  }
  assert.deepEqual(calls, []);
  assert.match(invalid[4][0], /Cannot route event of type "text.delta".*\/delta/);
  assert.match(invalid[5][0], /not an envelope/);
  assert.equal(invalid.length, INVALID.length + 1 + 4);
});

test("a custom value that fails its schema is invalid; names without a schema are not checked", () => {
  const values: unknown[] = [];
  const errors: string[] = [];
  const router = new EventRouter<Cards>({
    customSchemas: { "weather-card": v.object({ city: v.string(), celsius: v.number() }) },
    onInvalid: (error) => void errors.push(error.message),
  });
  router.onCustom("weather-card", (card) => void values.push(card));
  router.onCustom("progress", (done) => void values.push(done));
  const bad = router.dispatch({ type: "custom.event", name: "weather-card", value: { city: 4 } });
  router.dispatch({ type: "custom.event", name: "progress", value: "not a number" });
  assert.equal(bad.status, "invalid");
  assert.deepEqual(values, ["not a number"]);
  assert.match(errors[0], /Cannot route custom event "weather-card": \/value\/city/);
});

test("a throwing handler does not stop the others; dispatch throws their errors after the last", () => {
  const calls: number[] = [];
  const router = new EventRouter();
  const first = new Error("first");
  const third = new Error("third");
  router.on("run.started", () => {
    calls.push(1);
    throw first;
  });
  router.on("run.started", () => void calls.push(2));
  router.on("run.started", () => {
    calls.push(3);
    throw third;
  });
  router.on("run.started", () => void calls.push(4));
  assert.throws(
    () => router.dispatch({ type: "run.started", runId: "r1" }),
    (error) => {
      assert.ok(error instanceof AggregateError);
      assert.deepEqual(error.errors, [first, third]);
      assert.match(error.message, /2 handler\(s\) of "run.started" threw/);
      return true;
    },
  );
  assert.deepEqual(calls, [1, 2, 3, 4]);
});

test("with onError, handler errors and rejections go there and dispatch returns", async () => {
  const reported: [unknown, string][] = [];
  const router = new EventRouter({
    onError: (error, event) => void reported.push([error, event.type]),
  });
  const boom = new Error("boom");
  const later = new Error("later");
  router.on("text.end", () => {
    throw boom;
  });
  router.on("text.end", () => Promise.reject(later));
  let after = false;
  router.on("text.end", () => void (after = true));
  const result = router.dispatch({ type: "text.end", messageId: "m1" });
  assert.deepEqual(result, { status: "routed", route: "standard", handlers: 3 });
  assert.ok(after);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(reported, [[boom, "text.end"], [later, "text.end"]]);
});

test("registrations made or removed during a dispatch count from the next dispatch", () => {
  const calls: string[] = [];
  const router = new EventRouter();
  let stopSecond = () => {};
  router.on("run.started", () => {
    calls.push("first");
    stopSecond();
    router.on("run.started", () => void calls.push("added"));
  });
  stopSecond = router.on("run.started", () => void calls.push("second"));
  router.dispatch({ type: "run.started", runId: "r1" });
  assert.deepEqual(calls, ["first", "second"]);
  calls.length = 0;
  router.dispatch({ type: "run.started", runId: "r2" });
  assert.deepEqual(calls, ["first", "added"]);
});

test("bad registrations are refused with a clear error and register nothing", () => {
  const router = new EventRouter();
  assert.throws(
    () => router.on("text.nope" as StandardEventType, () => {}),
    /"text.nope" is not an event type of the vocabulary/,
  );
  assert.throws(
    () => router.register({ standard: { "run.started": () => {}, "text.delta": 5 as never } }),
    /The handler of "text.delta" is not a function/,
  );
  const result = router.dispatch({ type: "run.started", runId: "r1" });
  assert.deepEqual(result, { status: "routed", route: "standard", handlers: 0 });
});

test("dispatchAll routes every event of a read in order and stops the read when handlers throw", async () => {
  const deltas: string[] = [];
  const router = new EventRouter();
  router.on("text.delta", (event) => {
    if (event.delta === "!") throw new Error("stop");
    deltas.push(event.delta);
  });
  const raw = (delta: string) => ({
    raw: JSON.stringify({ type: "text.delta", messageId: "m", delta }),
  });
  await router.dispatchAll([raw("a"), { raw: "not json" }, raw("b")]);
  assert.deepEqual(deltas, ["a", "b"]);
  let closed = false;
  async function* read() {
    try {
      yield raw("c");
      yield raw("!");
      yield raw("never");
    } finally {
      closed = true;
    }
  }
  await assert.rejects(router.dispatchAll(read()), AggregateError);
  assert.deepEqual(deltas, ["a", "b", "c"]);
  assert.ok(closed);
});

// A model: registrations in order, each with the key it listens to.
type Op =
  | { op: "on"; key: number }
  | { op: "stop"; which: number }
  | { op: "dispatch"; event: number };

const KEYS: ((router: EventRouter<Cards>, call: () => void) => () => void)[] = [
  (r, call) => r.on("text.delta", call),
  (r, call) => r.on("run.started", call),
  (r, call) => r.on("custom.event", call),
  (r, call) => r.onCustom("weather-card", call),
  (r, call) => r.onCustom("progress", call),
  (r, call) => r.onUnknown(call),
  (r, call) => r.register({ standard: { "text.delta": call }, custom: { progress: call } }),
];
// Which keys each pool event reaches.
const REACHES: number[][] = [[0, 6], [1], [2, 3], [2, 4, 6], [2], [5], [], [], [], [], [], [], []];

test("every dispatch reaches exactly the registrations live when it begins, in registration order; unsubscribing is exact and idempotent", () => {
  const pool = [...EVENTS, ...INVALID];
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant("on" as const), key: fc.nat(KEYS.length - 1) }),
    fc.record({ op: fc.constant("stop" as const), which: fc.nat() }),
    fc.record({ op: fc.constant("dispatch" as const), event: fc.nat(pool.length - 1) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const router = new EventRouter<Cards>();
      const registrations: { key: number; stop: () => void }[] = [];
      const live = new Set<number>();
      let log: number[] = [];
      for (const step of ops) {
        if (step.op === "on") {
          const id = registrations.length;
          registrations.push({
            key: step.key,
            stop: KEYS[step.key](router, () => void log.push(id)),
          });
          live.add(id);
        } else if (step.op === "stop" && registrations.length > 0) {
          const id = step.which % registrations.length;
          registrations[id].stop();
          live.delete(id);
        } else if (step.op === "dispatch") {
          log = [];
          router.dispatch(pool[step.event]);
          const expected = registrations.flatMap((r, id) =>
            live.has(id) && REACHES[step.event].includes(r.key) ? [id] : []
          );
          assert.deepEqual(log, expected, `event ${step.event}`);
        }
      }
    }),
    { seed, numRuns: 300 },
  );
});
