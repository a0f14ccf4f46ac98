// Properties of the lifecycle checker (spec/v1/events.md): valid sequences
// have no findings; a sequence with exactly one violation of a rule reports
// that rule at that event and nothing else; a refused event changes nothing.
// Replay a failure with FC_SEED=<seed printed below>.

import fc from "fast-check";
import assert from "node:assert/strict";
import process from "node:process";
import { describe, test } from "node:test";
import type { Envelope } from "../protocol/envelope.ts";
import { checkLifecycle, LifecycleTracker } from "./lifecycle.ts";
import { validSequence } from "./_lifecycle_test_support.ts";
import { SCENARIOS } from "./_lifecycle_scenarios_test_support.ts";

const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
console.log(`lifecycle_test: FC_SEED=${SEED} FC_NUM_RUNS=${NUM_RUNS}`);
const params = { seed: SEED, numRuns: NUM_RUNS };

describe("valid sequences", () => {
  test("have no findings", () => {
    let events = 0;
    fc.assert(
      fc.property(validSequence("p-", 120), (sequence) => {
        events += sequence.length;
        assert.deepEqual(checkLifecycle(sequence), []);
      }),
      params,
    );
    // The generator must produce something worth checking.
    assert.ok(events > NUM_RUNS * 20, `only ${events} events in ${NUM_RUNS} sequences`);
  });

  test("cover every event type", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(validSequence("p-", 120), (sequence) => {
        for (const event of sequence) seen.add(event.type);
      }),
      { ...params, numRuns: Math.max(NUM_RUNS, 300) },
    );
    const missing = [
      ..."run.started run.finished run.error step.started step.finished text.start text.delta"
        .split(" "),
      ..."text.end text.message reasoning.start reasoning.delta reasoning.end tool.start"
        .split(" "),
      ..."tool.delta tool.end tool.result state.snapshot state.delta messages.snapshot"
        .split(" "),
      ..."usage.reported custom.event raw.event task.created task.completed agent.spawned"
        .split(" "),
      ..."agent.started agent.paused agent.resumed agent.stopped llm.started llm.token"
        .split(" "),
      ..."llm.tool-call llm.tool-result llm.usage llm.completed llm.error".split(" "),
    ].filter((type) => !seen.has(type));
    assert.deepEqual(missing, []);
  });
});

describe("one violation", () => {
  for (const scenario of SCENARIOS) {
    test(`${scenario.requirement}: ${scenario.name}`, () => {
      fc.assert(
        fc.property(validSequence("p-", 40), validSequence("s-", 40), (prefix, suffix) => {
          const at = prefix.length + scenario.make(0).setup.length;
          const { setup, bad, teardown } = scenario.make(at);
          const events = [...prefix, ...setup, bad, ...teardown, ...suffix];
          const findings = checkLifecycle(events).map(({ index, requirement, level }) => ({
            index,
            requirement,
            level,
          }));
          assert.deepEqual(findings, [{
            index: at,
            requirement: scenario.requirement,
            level: scenario.level ?? "MUST",
          }]);
        }),
        { ...params, numRuns: Math.ceil(NUM_RUNS / 10) },
      );
    });
  }
});

// Events over a few ids of every kind, so that most are refused and some
// admitted, in every state the rules distinguish.
const ids = fc.constantFrom("a", "b", "c");
const runIds = fc.option(fc.constantFrom("r1", "r2"), { nil: undefined, freq: 1 });
const noise: fc.Arbitrary<Envelope> = fc.oneof(
  fc.record({ type: fc.constantFrom("run.started"), runId: runIds }),
  fc.record({
    type: fc.constant("run.finished"),
    runId: runIds,
    outcome: fc.constantFrom("success", "interrupt"),
  }),
  fc.record({ type: fc.constant("run.error"), runId: runIds, message: fc.constant("x") }),
  fc.record({
    type: fc.constantFrom("step.started", "step.finished"),
    runId: runIds,
    stepName: ids,
  }),
  fc.record({
    type: fc.constantFrom("text.start", "reasoning.start", "text.end", "reasoning.end"),
    runId: runIds,
    messageId: ids,
  }),
  fc.record({
    type: fc.constantFrom("text.delta", "reasoning.delta"),
    runId: runIds,
    messageId: ids,
    delta: fc.constant("x"),
  }),
  fc.record({
    type: fc.constant("text.message"),
    messageId: ids,
    role: fc.constantFrom("user", "assistant"),
    content: fc.constant(""),
  }),
  fc.record({
    type: fc.constant("tool.start"),
    runId: runIds,
    toolCallId: ids,
    toolName: fc.constant("f"),
    parentMessageId: fc.option(ids, { nil: undefined }),
  }),
  fc.record({
    type: fc.constant("tool.delta"),
    toolCallId: ids,
    delta: fc.constantFrom("", "{", "}", "1", "[]"),
  }),
  fc.record(
    { type: fc.constant("tool.end"), toolCallId: ids, input: fc.constantFrom(1, [], {}) },
    { requiredKeys: ["type", "toolCallId"] },
  ),
  fc.record(
    {
      type: fc.constant("tool.result"),
      toolCallId: ids,
      messageId: ids,
      output: fc.constant(1),
      error: fc.constant("e"),
    },
    { requiredKeys: ["type", "toolCallId"] },
  ),
  fc.record({
    type: fc.constant("state.delta"),
    patch: fc.constantFrom([{ op: "add", path: "/a", value: 1 }], [{ op: "remove", path: "/a" }]),
  }),
  fc.record({
    type: fc.constant("messages.snapshot"),
    messages: fc.constantFrom([], [{ id: "a", role: "assistant", content: "", toolCalls: [] }]),
  }),
  fc.record(
    { type: fc.constant("custom.event"), name: fc.constant("n"), dataId: ids },
    { requiredKeys: ["type", "name"] },
  ),
  fc.record({
    type: fc.constantFrom("task.created", "task.started", "task.completed"),
    taskId: ids,
  }),
  fc.record({
    type: fc.constantFrom(
      "agent.spawned",
      "agent.started",
      "agent.paused",
      "agent.resumed",
      "agent.stopped",
    ),
    agentId: ids,
  }),
  fc.record({
    type: fc.constantFrom("llm.started", "llm.completed"),
    runId: runIds,
    requestId: ids,
  }),
  fc.record({ type: fc.constant("llm.token"), requestId: ids, delta: fc.constant("t") }),
  fc.record({
    type: fc.constant("llm.tool-call"),
    requestId: ids,
    toolCallId: ids,
    toolName: fc.constant("f"),
    input: fc.constant({}),
  }),
  fc.record({
    type: fc.constant("llm.tool-result"),
    requestId: ids,
    toolCallId: ids,
    output: fc.constant(0),
  }),
  fc.constantFrom<Envelope>({ type: "com.example.x" }, { type: "text.delta" }),
);

/** What a tracker exposes, for comparing two. */
function observe(tracker: LifecycleTracker) {
  const probe = ["a", "b", "c", "a:result", "data:0", "data:5"];
  return {
    active: tracker.activeRunId,
    messages: tracker.openMessageIds(),
    calls: tracker.openToolCallIds(),
    steps: tracker.openStepNames(),
    roles: probe.map((id) => tracker.messageRole(id)),
    requests: probe.map((id) => [tracker.requestMessageId(id), tracker.isRequestActive(id)]),
    state: tracker.state,
  };
}

describe("admit", () => {
  test("is atomic: dropping the refused events changes nothing for the others", () => {
    let refused = 0;
    let admitted = 0;
    fc.assert(
      fc.property(fc.array(noise, { maxLength: 60, size: "max" }), (events) => {
        const all = new LifecycleTracker();
        const kept: [Envelope, number][] = [];
        events.forEach((event, offset) => {
          const violation = all.admit(event, offset);
          if (violation === undefined) kept.push([event, offset]);
          else assert.deepEqual(all.advisories, []);
        });
        refused += events.length - kept.length;
        admitted += kept.length;
        const only = new LifecycleTracker();
        for (const [event, offset] of kept) {
          assert.equal(only.admit(event, offset), undefined, JSON.stringify(event));
        }
        assert.deepEqual(observe(only), observe(all));
      }),
      { ...params, numRuns: NUM_RUNS * 5 },
    );
    assert.ok(refused > admitted / 10 && admitted > refused / 10, `${admitted}/${refused}`);
  });

  test("passes over unknown types, invalid events and non-events", () => {
    const tracker = new LifecycleTracker();
    for (
      const event of [
        { type: "com.example.x", runId: "nope" },
        { type: "text.delta", messageId: "m" },
        { type: "text.message", messageId: "m", role: "robot", content: "" },
        null,
        42,
        [],
      ]
    ) {
      assert.equal(tracker.admit(event as Envelope), undefined);
    }
    assert.deepEqual(tracker.openMessageIds(), []);
    // A schema-valid event is checked: `runId` is optional in the schema.
    assert.equal(tracker.admit({ type: "run.started" })?.requirement, "EVT-RUN-1");
  });

  test("refuses a bad offset with a RangeError", () => {
    const tracker = new LifecycleTracker();
    for (const offset of [-1, 1.5, Number.NaN]) {
      assert.throws(() => tracker.admit({ type: "raw.event", event: 1 }, offset), RangeError);
    }
  });
});
