// Examples of the lifecycle rules where spec/v1/events.md makes a choice the
// generated sequences reach rarely: what a snapshot, a failed run or the end
// of a request leaves behind, what belongs to no run.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Envelope } from "../protocol/envelope.ts";
import { checkLifecycle, LifecycleTracker } from "./lifecycle.ts";

const run = (runId: string): Envelope => ({ type: "run.started", runId });
const finished = (runId: string): Envelope => ({ type: "run.finished", runId, outcome: "success" });
const snapshotCall: Envelope = {
  type: "messages.snapshot",
  messages: [
    {
      id: "a1",
      role: "assistant",
      content: "",
      toolCalls: [{ id: "c1", name: "f", arguments: "{}" }],
    },
    {
      id: "a2",
      role: "assistant",
      content: "",
      toolCalls: [{ id: "c2", name: "f", arguments: "" }],
    },
    { id: "t2", role: "tool", toolCallId: "c2", output: 1 },
  ],
};

/** [name, events, the findings as "index requirement"]. */
const EXAMPLES: [string, Envelope[], string[]][] = [
  ["a snapshot's unanswered call takes a result; an answered one does not", [
    snapshotCall,
    { type: "tool.result", toolCallId: "c1", output: 2 },
    { type: "tool.result", toolCallId: "c2", output: 2, messageId: "t3" },
  ], ["2 EVT-TOOL-5"]],
  ["a snapshot frees the ids it drops", [
    { type: "text.message", messageId: "m1", role: "user", content: "" },
    { type: "messages.snapshot", messages: [] },
    { type: "text.start", messageId: "m1" },
    { type: "text.end", messageId: "m1" },
  ], []],
  ["run.error closes the run's messages, calls, steps and requests", [
    run("r1"),
    { type: "text.start", runId: "r1", messageId: "m1" },
    { type: "tool.start", runId: "r1", toolCallId: "c1", toolName: "f" },
    { type: "step.started", runId: "r1", stepName: "s" },
    { type: "llm.started", runId: "r1", requestId: "q1" },
    { type: "run.error", runId: "r1", message: "x" },
    { type: "text.delta", messageId: "m1", delta: "" },
    { type: "tool.end", toolCallId: "c1" },
    { type: "llm.token", requestId: "q1", delta: "" },
    { type: "messages.snapshot", messages: [] },
  ], ["4 EVT-LLM-2", "6 EVT-MSG-2", "7 EVT-TOOL-2", "8 EVT-LLM-1"]],
  ["what no run began does not keep a run from finishing, nor does run.error close it", [
    { type: "text.start", messageId: "u1", role: "user" },
    run("r1"),
    { type: "tool.start", toolCallId: "c1", toolName: "f" },
    finished("r1"),
    run("r2"),
    { type: "run.error", runId: "r2", message: "x" },
    { type: "text.delta", messageId: "u1", delta: "still open" },
    { type: "tool.end", toolCallId: "c1" },
    { type: "text.end", messageId: "u1" },
  ], []],
  ["a request's tool call is answered after the request ends, by either event", [
    { type: "llm.started", requestId: "q1" },
    { type: "llm.tool-call", requestId: "q1", toolCallId: "c1", toolName: "f", input: [] },
    { type: "llm.tool-call", requestId: "q1", toolCallId: "c2", toolName: "f", input: 1 },
    { type: "llm.completed", requestId: "q1" },
    { type: "llm.tool-result", requestId: "q1", toolCallId: "c1", output: 1 },
    { type: "tool.result", toolCallId: "c2", error: "e" },
    { type: "llm.token", requestId: "q1", delta: "" },
  ], ["6 EVT-LLM-1"]],
  ["llm.tool-result answers only calls of llm.tool-call", [
    { type: "llm.started", requestId: "q1" },
    { type: "tool.start", toolCallId: "c1", toolName: "f" },
    { type: "tool.end", toolCallId: "c1" },
    { type: "llm.tool-result", requestId: "q1", toolCallId: "c1", output: 1 },
  ], ["1 EVT-LLM-2", "3 EVT-LLM-1"]],
  ["a data message is replaced through its dataId, and transient events are never checked", [
    { type: "custom.event", name: "n", dataId: "d1", value: 1 },
    { type: "custom.event", name: "n", dataId: "d1", value: 2 },
    { type: "text.message", messageId: "m1", role: "user", content: "" },
    { type: "custom.event", name: "n", dataId: "m1", transient: true },
    { type: "custom.event", name: "n", dataId: "m1" },
  ], ["4 EVT-DATA-1"]],
  ["a parent is an assistant message of the conversation, open or not, not a call", [
    { type: "text.start", messageId: "m1" },
    { type: "tool.start", toolCallId: "c1", toolName: "f", parentMessageId: "m1" },
    { type: "text.end", messageId: "m1" },
    { type: "tool.end", toolCallId: "c1", input: null },
    { type: "tool.start", toolCallId: "c0", toolName: "f" },
    { type: "tool.end", toolCallId: "c0" },
    { type: "tool.start", toolCallId: "c2", toolName: "f", parentMessageId: "c0" },
    { type: "tool.end", toolCallId: "c2" },
    { type: "tool.start", toolCallId: "c3", toolName: "f", parentMessageId: "c1" },
    { type: "reasoning.start", messageId: "t1" },
    { type: "tool.start", toolCallId: "c4", toolName: "f", parentMessageId: "t1" },
  ], ["8 EVT-TOOL-4", "10 EVT-TOOL-4"]],
  ["tool.end may state the input alone, and deltas may be empty", [
    { type: "tool.start", toolCallId: "c1", toolName: "f" },
    { type: "tool.delta", toolCallId: "c1", delta: "" },
    { type: "tool.end", toolCallId: "c1", input: { any: "value" } },
    { type: "tool.start", toolCallId: "c2", toolName: "f" },
    { type: "tool.delta", toolCallId: "c2", delta: " [1, 2.0] " },
    { type: "tool.end", toolCallId: "c2", input: [1, 2] },
  ], []],
  ["a step of another run, and events naming no active run", [
    run("r1"),
    { type: "step.started", runId: "r2", stepName: "s" },
    { type: "usage.reported", runId: "r2", promptTokens: 1 },
    finished("r1"),
    { type: "task.created", runId: "r1", taskId: "t" },
  ], ["1 EVT-STEP-1", "2 EVT-RUN-5", "4 EVT-RUN-5"]],
  ["usage reported by no run does not count; a run without reports may state any usage", [
    { type: "usage.reported", promptTokens: 5 },
    run("r1"),
    { type: "run.finished", runId: "r1", outcome: "success", usage: { promptTokens: 7 } },
    run("r2"),
    { type: "usage.reported", runId: "r2", costUsd: 0.1 },
    { type: "usage.reported", runId: "r2", costUsd: 0.2 },
    { type: "run.error", runId: "r2", message: "x", usage: { costUsd: 0.3, promptTokens: 0 } },
  ], []],
  ["schema failures are EVT-SHAPE-1; non-events and unknown types are passed over", [
    { type: "tool.start", toolCallId: "c1" },
    null as unknown as Envelope,
    { type: "com.example.x", runId: "nope" },
    { type: "tool.end", toolCallId: "c1" },
  ], ["0 EVT-SHAPE-1", "3 EVT-TOOL-2"]],
];

describe("checkLifecycle", () => {
  for (const [name, events, expected] of EXAMPLES) {
    test(name, () => {
      const findings = checkLifecycle(events);
      assert.deepEqual(findings.map((f) => `${f.index} ${f.requirement}`), expected);
      for (const finding of findings) assert.ok(finding.message.length > 0);
    });
  }

  test("rejects what is not an array", () => {
    assert.throws(() => checkLifecycle("[]" as unknown as unknown[]), TypeError);
  });
});

describe("LifecycleTracker", () => {
  test("reports what is open, and the state", () => {
    const tracker = new LifecycleTracker();
    for (
      const event of [
        run("r1"),
        { type: "step.started", runId: "r1", stepName: "s" },
        { type: "llm.started", runId: "r1", requestId: "q1", messageId: "m1" },
        { type: "tool.start", runId: "r1", toolCallId: "c1", toolName: "f" },
        { type: "state.snapshot", snapshot: { n: 1 } },
        { type: "state.delta", patch: [{ op: "replace", path: "/n", value: 2 }] },
      ] as Envelope[]
    ) assert.equal(tracker.admit(event), undefined);
    assert.equal(tracker.activeRunId, "r1");
    assert.deepEqual(tracker.openMessageIds(), ["m1"]);
    assert.deepEqual(tracker.openToolCallIds(), ["c1"]);
    assert.deepEqual(tracker.openStepNames(), ["s"]);
    assert.equal(tracker.isMessageOpen("m1"), true);
    assert.equal(tracker.isToolCallOpen("c1"), true);
    assert.equal(tracker.messageRole("c1"), "assistant");
    assert.equal(tracker.requestMessageId("q1"), "m1");
    assert.equal(tracker.isRequestActive("q1"), true);
    assert.deepEqual(tracker.state, { n: 2 });
  });

  test("keeps advisories for the last admitted event only", () => {
    const tracker = new LifecycleTracker();
    tracker.admit({ type: "llm.started", requestId: "q1" });
    tracker.admit({ type: "text.delta", messageId: "q1", delta: "" });
    assert.deepEqual(tracker.advisories.map((a) => [a.requirement, a.level]), [
      ["EVT-LLM-2", "SHOULD"],
    ]);
    tracker.admit({ type: "text.delta", messageId: "nope", delta: "" });
    assert.deepEqual(tracker.advisories, []);
  });
});
