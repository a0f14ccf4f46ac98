// Type tests: `deno check` (and `deno test`, which type-checks first) fails
// when a `@ts-expect-error` line compiles, so each one proves a mistake is a
// compile error. The runtime assertions keep the file a real test under Bun.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Envelope } from "../protocol/envelope.ts";
import { type CustomEventOf, EventRouter, type StandardEventOf } from "./event_router.ts";
import type { RunOutcome } from "./run.ts";
import type { TextDeltaEvent } from "./text.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true
  : false;
function expectType<T extends true>(): T | void {}

type Cards = { "weather-card": { city: string; celsius: number }; progress: number };

test("a standard handler gets the event of its type", () => {
  const router = new EventRouter<Cards>();
  const seen: string[] = [];
  router.on("text.delta", (event) => {
    expectType<Equal<typeof event, TextDeltaEvent>>();
    seen.push(event.delta);
  });
  router.register({
    standard: {
      "run.finished": (event) => {
        expectType<Equal<typeof event.outcome, RunOutcome>>();
        seen.push(event.outcome);
      },
      "tool.start": (event) => void seen.push(event.toolName),
    },
  });
  // @ts-expect-error a member of another type
  router.on("text.delta", (event) => event.outcome);
  // @ts-expect-error a type outside the vocabulary
  assert.throws(() => router.on("text.nope", () => {}), TypeError);
  router.register({
    // @ts-expect-error a handler of the wrong type
    standard: { "run.started": (event: StandardEventOf<"text.delta">) => void event.delta },
  });
  router.dispatch({ type: "text.delta", messageId: "m", delta: "a" });
  router.dispatch({ type: "run.finished", runId: "r", outcome: "success" });
  assert.deepEqual(seen, ["a", "success"]);
});

test("a custom handler gets the value its name is declared with", () => {
  const router = new EventRouter<Cards>();
  const seen: unknown[] = [];
  router.onCustom("weather-card", (card, event) => {
    expectType<Equal<typeof card, { city: string; celsius: number }>>();
    expectType<Equal<typeof event.name, "weather-card">>();
    expectType<Equal<typeof event, CustomEventOf<Cards, "weather-card">>>();
    seen.push(card.celsius);
  });
  router.register({
    custom: {
      progress: (done) => {
        expectType<Equal<typeof done, number>>();
        seen.push(done);
      },
    },
  });
  // @ts-expect-error a name the router was not declared with
  router.onCustom("elsewhere", () => {});
  // @ts-expect-error a member the value does not have
  router.onCustom("weather-card", (card) => card.country);
  assert.throws(() =>
    // @ts-expect-error a custom name among standard types
    router.register({ standard: { "weather-card": () => {} } }), TypeError);
  router.dispatch({
    type: "custom.event",
    name: "weather-card",
    value: { city: "Oslo", celsius: 4 },
  });
  router.dispatch({ type: "custom.event", name: "progress", value: 2 });
  assert.deepEqual(seen, [4, 2]);
});

test("without a type parameter, any name is allowed and values are unknown", () => {
  const router = new EventRouter();
  let value: unknown = "unset";
  router.onCustom("anything", (v) => {
    expectType<Equal<typeof v, unknown>>();
    value = v;
  });
  router.onUnknown((event) => {
    expectType<Equal<typeof event, Envelope>>();
  });
  router.dispatch({ type: "custom.event", name: "anything", value: [1] });
  assert.deepEqual(value, [1]);
});
