// normalizeEvent (spec/v1/events.md §14.9): the table, event by event, and
// the property that normalising a lifecycle-valid sequence yields a
// lifecycle-valid sequence of core events that leaves the same things open.
// Replay a failure with FC_SEED=<seed printed below>.

import fc from "fast-check";
import assert from "node:assert/strict";
import process from "node:process";
import { describe, test } from "node:test";
import type { Envelope } from "../protocol/envelope.ts";
import { checkLifecycle, LifecycleTracker } from "./lifecycle.ts";
import { normalizeEvent, normalizeEvents } from "./normalize_event.ts";
import { validSequence } from "./_lifecycle_test_support.ts";

const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
console.log(`normalize_event_test: FC_SEED=${SEED} FC_NUM_RUNS=${NUM_RUNS}`);

const messageOf = (requestId: string) => ({ q1: "m1" } as Record<string, string>)[requestId];
const env = { id: "e1", time: "2025-06-01T12:00:00Z", runId: "r1", meta: { trace: "t" } };
const rest = { time: env.time, runId: env.runId, meta: env.meta };

describe("normalizeEvent", () => {
  const cases: [string, Envelope, Envelope[]][] = [
    ["llm.started with a messageId", {
      type: "llm.started",
      ...env,
      requestId: "q1",
      messageId: "m1",
      model: "x",
    }, [{ type: "text.start", ...env, messageId: "m1", role: "assistant" }]],
    ["llm.started without one", { type: "llm.started", requestId: "q9" }, [
      { type: "text.start", messageId: "q9", role: "assistant" },
    ]],
    ["llm.token", { type: "llm.token", ...env, requestId: "q1", delta: "Hi" }, [
      { type: "text.delta", ...env, messageId: "m1", delta: "Hi" },
    ]],
    ["llm.tool-call", {
      type: "llm.tool-call",
      ...env,
      requestId: "q1",
      toolCallId: "c1",
      toolName: "f",
      input: { b: [1, "x"], a: null },
    }, [
      { type: "tool.start", ...env, toolCallId: "c1", toolName: "f", parentMessageId: "m1" },
      { type: "tool.delta", ...rest, toolCallId: "c1", delta: '{"b":[1,"x"],"a":null}' },
      { type: "tool.end", ...rest, toolCallId: "c1", input: { b: [1, "x"], a: null } },
    ]],
    ["llm.tool-result with output", {
      type: "llm.tool-result",
      requestId: "q1",
      toolCallId: "c1",
      output: null,
    }, [{ type: "tool.result", toolCallId: "c1", output: null }]],
    ["llm.tool-result with error, of an unknown request", {
      type: "llm.tool-result",
      requestId: "q9",
      toolCallId: "c1",
      error: "no",
    }, [{ type: "tool.result", toolCallId: "c1", error: "no" }]],
    ["llm.usage", {
      type: "llm.usage",
      runId: "r1",
      requestId: "q1",
      promptTokens: 3,
      costUsd: 0.5,
      model: "x",
    }, [{ type: "usage.reported", runId: "r1", promptTokens: 3, costUsd: 0.5, model: "x" }]],
    ["llm.completed", { type: "llm.completed", requestId: "q1", finishReason: "stop" }, [
      { type: "text.end", messageId: "m1" },
    ]],
    ["llm.error", { type: "llm.error", ...env, requestId: "q1", message: "x" }, [
      { type: "text.end", ...env, messageId: "m1" },
    ]],
    ["a token of an unknown request", { type: "llm.token", requestId: "q9", delta: "" }, []],
  ];
  for (const [name, event, expected] of cases) {
    test(name, () => {
      const normalized = normalizeEvent(event, messageOf);
      assert.deepEqual(normalized, expected);
      for (const core of normalized) {
        assert.ok(Object.values(core).every((value) => value !== undefined), "no undefined");
      }
    });
  }

  test("passes other events, and llm.* events that fail their schema, through", () => {
    for (
      const event of [
        { type: "text.delta", messageId: "m", delta: "x" },
        { type: "com.example.x", requestId: "q1" },
        { type: "llm.token", requestId: "q1" },
        { type: "llm.started", requestId: "" },
      ] as Envelope[]
    ) {
      const normalized = normalizeEvent(event, messageOf);
      assert.equal(normalized.length, 1);
      assert.equal(normalized[0], event);
    }
  });
});

/** What a tracker says about everything a sequence names. */
function observe(tracker: LifecycleTracker, ids: string[]) {
  return {
    active: tracker.activeRunId,
    messages: tracker.openMessageIds(),
    calls: tracker.openToolCallIds(),
    steps: tracker.openStepNames(),
    roles: ids.map((id) => tracker.messageRole(id)),
    state: tracker.state,
  };
}

function namedIds(events: readonly Envelope[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    for (const key of ["messageId", "toolCallId", "requestId", "dataId"]) {
      if (typeof event[key] === "string") ids.add(event[key] as string);
    }
    if (typeof event.toolCallId === "string") ids.add(`${event.toolCallId}:result`);
  }
  return [...ids];
}

describe("normalizing a valid sequence", () => {
  test("gives a valid sequence of core events", () => {
    let llmEvents = 0;
    fc.assert(
      fc.property(validSequence("p-", 120), (sequence) => {
        llmEvents += sequence.filter((e) => e.type.startsWith("llm.")).length;
        const normalized = normalizeEvents(sequence);
        assert.deepEqual(normalized.filter((e) => e.type.startsWith("llm.")), []);
        assert.deepEqual(checkLifecycle(normalized), []);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    assert.ok(llmEvents > NUM_RUNS, `only ${llmEvents} llm.* events`);
  });

  test("leaves, after each event, what the event left", () => {
    fc.assert(
      fc.property(validSequence("p-", 120), (sequence) => {
        const ids = namedIds(sequence);
        const original = new LifecycleTracker();
        const core = new LifecycleTracker();
        for (const event of sequence) {
          assert.equal(original.admit(event), undefined);
          const normalized = normalizeEvent(event, (id) => original.requestMessageId(id));
          for (const e of normalized) assert.equal(core.admit(e), undefined, JSON.stringify(e));
          assert.deepEqual(observe(core, ids), observe(original, ids), JSON.stringify(event));
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
});
