import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StandardEvent } from "../vocabulary/standard_events.ts";
import type { Conversation } from "./conversation.ts";
import { initialConversation } from "./initial_conversation.ts";
import { reduceConversation } from "./reduce_conversation.ts";
import { LifecycleTracker } from "../vocabulary/lifecycle.ts";

// Folds admitted events with reduceConversation alone; each event's offset is its index.
function fold(events: readonly StandardEvent[], from = initialConversation()): Conversation {
  return events.reduce(
    (conversation, event, offset) => reduceConversation(conversation, event, offset),
    from,
  );
}

const zero = {
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  reasoningTokens: 0,
  cachedPromptTokens: 0,
  costUsd: 0,
};

const r1 = "r1";

describe("reduceConversation", () => {
  it("PROJ-INIT-1 the initial value has empty lists, state {}, usage zeros, nothing open", () => {
    assert.deepEqual(initialConversation(), {
      messages: [],
      runs: [],
      state: {},
      usage: zero,
      tasks: [],
      agents: [],
      open: { messages: [], toolCalls: [] },
    });
    assert.notEqual(initialConversation(), initialConversation());
  });

  it("PROJ-TEXT-1 text.start appends an open message, assistant by default, with the run", () => {
    const after = fold([
      { type: "text.start", messageId: "a", runId: r1 },
      { type: "text.start", messageId: "u", role: "user" },
    ]);
    assert.deepEqual(after.messages, [
      { id: "a", role: "assistant", content: "", toolCalls: [], runId: r1 },
      { id: "u", role: "user", content: "" },
    ]);
    assert.deepEqual(after.open.messages, ["a", "u"]);
  });

  it("PROJ-TEXT-2 text.delta appends to an open message and to no other", () => {
    const after = fold([
      { type: "text.start", messageId: "a" },
      { type: "text.delta", messageId: "a", delta: "Hel" },
      { type: "text.delta", messageId: "a", delta: "lo" },
      { type: "text.end", messageId: "a" },
      { type: "text.delta", messageId: "a", delta: "!" },
      { type: "text.delta", messageId: "nope", delta: "?" },
    ]);
    assert.equal(after.messages.length, 1);
    assert.deepEqual(after.messages[0], {
      id: "a",
      role: "assistant",
      content: "Hello",
      toolCalls: [],
    });
  });

  it("PROJ-TEXT-3 text.end closes the message and keeps its content", () => {
    const after = fold([
      { type: "text.start", messageId: "a" },
      { type: "text.start", messageId: "b" },
      { type: "text.delta", messageId: "a", delta: "x" },
      { type: "text.end", messageId: "a" },
    ]);
    assert.deepEqual(after.open.messages, ["b"]);
    assert.equal(after.messages[0].role === "assistant" && after.messages[0].content, "x");
  });

  it("PROJ-TEXT-4 text.message appends a closed message; assistant ones get toolCalls", () => {
    const after = fold([
      { type: "text.message", messageId: "s", role: "system", content: "Be brief.", runId: r1 },
      { type: "text.message", messageId: "a", role: "assistant", content: "OK" },
    ]);
    assert.deepEqual(after.messages, [
      { id: "s", role: "system", content: "Be brief.", runId: r1 },
      { id: "a", role: "assistant", content: "OK", toolCalls: [] },
    ]);
    assert.deepEqual(after.open.messages, []);
  });

  it("PROJ-REASON-1 reasoning.start appends an open reasoning message", () => {
    const after = fold([{ type: "reasoning.start", messageId: "t", runId: r1 }]);
    assert.deepEqual(after.messages, [{ id: "t", role: "reasoning", content: "", runId: r1 }]);
    assert.deepEqual(after.open.messages, ["t"]);
  });

  it("PROJ-REASON-2 reasoning.delta appends to an open reasoning message only", () => {
    const after = fold([
      { type: "reasoning.start", messageId: "t" },
      { type: "reasoning.delta", messageId: "t", delta: "Hmm" },
      { type: "reasoning.end", messageId: "t" },
      { type: "reasoning.delta", messageId: "t", delta: "…" },
    ]);
    assert.deepEqual(after.messages, [{ id: "t", role: "reasoning", content: "Hmm" }]);
  });

  it("PROJ-REASON-3 reasoning.end closes and sets signature and encryptedValue when given", () => {
    const after = fold([
      { type: "reasoning.start", messageId: "t" },
      { type: "reasoning.start", messageId: "u" },
      { type: "reasoning.end", messageId: "t", signature: "sig", encryptedValue: "enc" },
      { type: "reasoning.end", messageId: "u" },
      { type: "reasoning.end", messageId: "u", signature: "late" },
    ]);
    assert.deepEqual(after.messages, [
      { id: "t", role: "reasoning", content: "", signature: "sig", encryptedValue: "enc" },
      { id: "u", role: "reasoning", content: "" },
    ]);
    assert.deepEqual(after.open.messages, []);
  });

  it("PROJ-TOOL-1 tool.start with a parent adds the call to that assistant message", () => {
    const after = fold([
      { type: "text.start", messageId: "a", runId: r1 },
      { type: "tool.start", toolCallId: "c", toolName: "f", parentMessageId: "a", runId: r1 },
    ]);
    assert.deepEqual(after.messages, [
      {
        id: "a",
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c", name: "f", arguments: "" }],
        runId: r1,
      },
    ]);
    assert.deepEqual(after.open, { messages: ["a"], toolCalls: ["c"] });
  });

  it("PROJ-TOOL-2 tool.start without a parent appends an assistant message of its own, not open", () => {
    const after = fold([{ type: "tool.start", toolCallId: "c", toolName: "f", runId: r1 }]);
    assert.deepEqual(after.messages, [
      {
        id: "c",
        role: "assistant",
        content: "",
        toolCalls: [{ id: "c", name: "f", arguments: "" }],
        runId: r1,
      },
    ]);
    assert.deepEqual(after.open, { messages: [], toolCalls: ["c"] });
  });

  it("PROJ-TOOL-3 tool.delta appends to the arguments of an open call only", () => {
    const after = fold([
      { type: "tool.start", toolCallId: "c", toolName: "f" },
      { type: "tool.delta", toolCallId: "c", delta: '{"a":' },
      { type: "tool.delta", toolCallId: "c", delta: "1}" },
      { type: "tool.end", toolCallId: "c" },
      { type: "tool.delta", toolCallId: "c", delta: "x" },
    ]);
    const message = after.messages[0];
    assert.equal(message.role === "assistant" && message.toolCalls[0].arguments, '{"a":1}');
  });

  it("PROJ-TOOL-4 tool.end closes the call and sets input: the event's, else the parsed arguments", () => {
    const after = fold([
      { type: "tool.start", toolCallId: "c1", toolName: "f" },
      { type: "tool.delta", toolCallId: "c1", delta: '{"a":[1,2]}' },
      { type: "tool.end", toolCallId: "c1" },
      { type: "tool.start", toolCallId: "c2", toolName: "f" },
      { type: "tool.end", toolCallId: "c2", input: null },
      { type: "tool.start", toolCallId: "c3", toolName: "f" },
      { type: "tool.end", toolCallId: "c3" },
    ]);
    const calls = after.messages.flatMap((m) => m.role === "assistant" ? m.toolCalls : []);
    assert.deepEqual(calls, [
      { id: "c1", name: "f", arguments: '{"a":[1,2]}', input: { a: [1, 2] } },
      { id: "c2", name: "f", arguments: "", input: null },
      { id: "c3", name: "f", arguments: "" },
    ]);
    assert.deepEqual(after.open.toolCalls, []);
  });

  it("PROJ-RESULT-1 tool.result becomes a tool message with output, else error", () => {
    const after = fold([
      { type: "tool.start", toolCallId: "c1", toolName: "f" },
      { type: "tool.end", toolCallId: "c1", input: {} },
      { type: "tool.result", toolCallId: "c1", output: null, runId: r1 },
      { type: "tool.start", toolCallId: "c2", toolName: "f" },
      { type: "tool.end", toolCallId: "c2", input: {} },
      { type: "tool.result", toolCallId: "c2", messageId: "res2", error: "boom" },
    ]);
    assert.deepEqual(after.messages.filter((m) => m.role === "tool"), [
      { id: "c1:result", role: "tool", toolCallId: "c1", output: null, runId: r1 },
      { id: "res2", role: "tool", toolCallId: "c2", error: "boom" },
    ]);
  });

  it("PROJ-RESULT-2 a result goes after its call's message and the results that follow it", () => {
    const after = fold([
      { type: "text.start", messageId: "a" },
      { type: "tool.start", toolCallId: "c1", toolName: "f", parentMessageId: "a" },
      { type: "tool.end", toolCallId: "c1" },
      { type: "tool.start", toolCallId: "c2", toolName: "f", parentMessageId: "a" },
      { type: "tool.end", toolCallId: "c2" },
      { type: "text.end", messageId: "a" },
      { type: "text.message", messageId: "later", role: "assistant", content: "…" },
      { type: "tool.result", toolCallId: "c2", output: 2 },
      { type: "tool.result", toolCallId: "c1", output: 1 },
    ]);
    assert.deepEqual(after.messages.map((m) => m.id), ["a", "c2:result", "c1:result", "later"]);
    const orphan = fold([
      { type: "messages.snapshot", messages: [{ id: "u", role: "user", content: "hi" }] },
      { type: "tool.result", toolCallId: "gone", output: 3 },
    ]);
    assert.deepEqual(orphan.messages.map((m) => m.id), ["u", "gone:result"]);
  });

  it("PROJ-DATA-1 a non-transient custom.event appends a data message, named by dataId or offset", () => {
    const after = fold([
      { type: "text.message", messageId: "u", role: "user", content: "hi" },
      { type: "custom.event", name: "card", value: { n: 1 }, runId: r1 },
      { type: "custom.event", name: "note", dataId: "d", transient: false },
    ]);
    assert.deepEqual(after.messages.slice(1), [
      { id: "data:1", role: "data", name: "card", value: { n: 1 }, runId: r1 },
      { id: "d", role: "data", name: "note" },
    ]);
  });

  it("PROJ-DATA-2 a custom.event whose dataId names a data message replaces name and value in place", () => {
    const after = fold([
      { type: "custom.event", name: "card", value: 1, dataId: "d", runId: r1 },
      { type: "text.message", messageId: "u", role: "user", content: "hi" },
      { type: "custom.event", name: "card2", dataId: "d", runId: "r2" },
      { type: "custom.event", name: "card3", value: 3, dataId: "u" },
    ]);
    assert.deepEqual(after.messages, [
      { id: "d", role: "data", name: "card2", runId: r1 },
      { id: "u", role: "user", content: "hi" },
    ]);
  });

  it("PROJ-DATA-3 a transient custom.event changes nothing", () => {
    const before = fold([{ type: "custom.event", name: "card", value: 1, dataId: "d" }]);
    const after = reduceConversation(
      before,
      { type: "custom.event", name: "progress", value: 0.5, dataId: "d", transient: true },
      1,
    );
    assert.equal(after, before);
  });

  it("PROJ-SNAP-1 messages.snapshot replaces the messages as given, unknown members kept", () => {
    const snapshot = [
      { id: "u", role: "user", content: "hi", "x-extra": [1] },
      { id: "a", role: "assistant", content: "yo", toolCalls: [] },
    ];
    const after = fold([
      { type: "text.message", messageId: "old", role: "user", content: "bye" },
      { type: "messages.snapshot", messages: snapshot } as StandardEvent,
    ]);
    assert.deepEqual(after.messages, snapshot);
  });

  it("PROJ-OPEN-1 open lists the messages and calls begun and not ended, in the order begun", () => {
    const after = fold([
      { type: "reasoning.start", messageId: "t" },
      { type: "text.start", messageId: "a" },
      { type: "tool.start", toolCallId: "c1", toolName: "f", parentMessageId: "a" },
      { type: "tool.start", toolCallId: "c2", toolName: "f" },
      { type: "reasoning.end", messageId: "t" },
      { type: "tool.end", toolCallId: "c1" },
      { type: "text.start", messageId: "b" },
    ]);
    assert.deepEqual(after.open, { messages: ["a", "b"], toolCalls: ["c2"] });
  });

  it("PROJ-RUN-1 run.started appends a running run with threadId and parentRunId when given", () => {
    const after = fold([
      { type: "run.started", runId: r1, threadId: "t", input: { ignored: true } },
      { type: "run.started", runId: "r2", parentRunId: r1 },
    ]);
    assert.deepEqual(after.runs, [
      { runId: r1, status: "running", threadId: "t" },
      { runId: "r2", status: "running", parentRunId: r1 },
    ]);
  });

  it("PROJ-RUN-2 run.finished sets the outcome, result and interrupts", () => {
    const interrupts = [{ id: "i", reason: "approval", toolCallId: "c" }];
    const after = fold([
      { type: "run.started", runId: r1 },
      { type: "run.finished", runId: r1, outcome: "interrupt", interrupts, result: null },
      { type: "run.started", runId: "r2" },
      { type: "run.finished", runId: "r2", outcome: "cancelled" },
    ]);
    assert.deepEqual(after.runs, [
      { runId: r1, status: "interrupt", interrupts, result: null },
      { runId: "r2", status: "cancelled" },
    ]);
  });

  it("PROJ-RUN-3 run.error sets status error and the error", () => {
    const after = fold([
      { type: "run.started", runId: r1 },
      { type: "run.error", runId: r1, message: "rate limited", code: "429" },
      { type: "run.started", runId: "r2" },
      { type: "run.error", runId: "r2", message: "down" },
    ]);
    assert.deepEqual(after.runs, [
      { runId: r1, status: "error", error: { message: "rate limited", code: "429" } },
      { runId: "r2", status: "error", error: { message: "down" } },
    ]);
  });

  it("PROJ-RUN-4 run.error closes what its run left open and keeps the contents", () => {
    const after = fold([
      { type: "text.start", messageId: "outside" },
      { type: "run.started", runId: r1 },
      { type: "text.start", messageId: "a", runId: r1 },
      { type: "text.delta", messageId: "a", runId: r1, delta: "part" },
      { type: "tool.start", toolCallId: "c1", toolName: "f", parentMessageId: "a", runId: r1 },
      { type: "tool.delta", toolCallId: "c1", runId: r1, delta: "{" },
      { type: "tool.start", toolCallId: "c2", toolName: "f", runId: r1 },
      { type: "reasoning.start", messageId: "t", runId: r1 },
      { type: "run.error", runId: r1, message: "boom" },
    ]);
    assert.deepEqual(after.open, { messages: ["outside"], toolCalls: [] });
    const a = after.messages[1];
    assert.deepEqual(a, {
      id: "a",
      role: "assistant",
      content: "part",
      toolCalls: [{ id: "c1", name: "f", arguments: "{" }],
      runId: r1,
    });
  });

  it("PROJ-RUN-4 given the bookkeeping, run.error closes exactly what was begun in the run", () => {
    const events: StandardEvent[] = [
      { type: "text.message", messageId: "a0", role: "assistant", content: "" },
      { type: "run.started", runId: r1 },
      { type: "tool.start", runId: r1, toolCallId: "in", toolName: "f", parentMessageId: "a0" },
      { type: "text.start", runId: r1, messageId: "a1" },
      { type: "tool.start", toolCallId: "out", toolName: "f", parentMessageId: "a1" },
      { type: "run.error", runId: r1, message: "boom" },
    ];
    const tracker = new LifecycleTracker();
    let exact = initialConversation();
    events.forEach((event, offset) => {
      assert.equal(tracker.admit(event, offset), undefined);
      exact = reduceConversation(exact, event, offset, tracker);
    });
    assert.deepEqual(exact.open, { messages: [], toolCalls: ["out"] });
    // Without it, the calls of the run's messages are closed instead.
    assert.deepEqual(fold(events).open, { messages: [], toolCalls: ["in"] });
  });

  it("PROJ-RUN-5 a run's usage sums its reports, else the usage of the event that ended it", () => {
    const after = fold([
      { type: "run.started", runId: r1 },
      { type: "usage.reported", runId: r1, promptTokens: 3, completionTokens: 1 },
      { type: "usage.reported", runId: r1, totalTokens: 10, costUsd: 0.5 },
      { type: "run.finished", runId: r1, outcome: "success", usage: { promptTokens: 99 } },
      { type: "run.started", runId: "r2" },
      { type: "run.error", runId: "r2", message: "x", usage: { completionTokens: 7 } },
      { type: "run.started", runId: "r3" },
      { type: "run.finished", runId: "r3", outcome: "success" },
    ]);
    assert.deepEqual(after.runs.map((run) => run.usage), [
      { ...zero, promptTokens: 3, completionTokens: 1, totalTokens: 14, costUsd: 0.5 },
      { ...zero, completionTokens: 7, totalTokens: 7 },
      undefined,
    ]);
    assert.equal("usage" in after.runs[2], false);
  });

  it("PROJ-STATE-1 state.snapshot replaces the state", () => {
    const after = fold([
      { type: "state.snapshot", snapshot: { a: 1 } },
      { type: "state.snapshot", snapshot: [null] },
    ]);
    assert.deepEqual(after.state, [null]);
  });

  it("PROJ-STATE-2 state.delta applies the patch whole, or not at all", () => {
    const after = fold([
      { type: "state.snapshot", snapshot: { todos: [] } },
      { type: "state.delta", patch: [{ op: "add", path: "/todos/-", value: "write" }] },
      {
        type: "state.delta",
        patch: [{ op: "add", path: "/todos/-", value: "x" }, { op: "remove", path: "/nope" }],
      },
    ]);
    assert.deepEqual(after.state, { todos: ["write"] });
  });

  it("PROJ-USAGE-1 every report adds to the totals; totalTokens defaults to prompt + completion", () => {
    const after = fold([
      { type: "usage.reported", promptTokens: 10, completionTokens: 5, model: "m" },
      {
        type: "usage.reported",
        promptTokens: 1,
        totalTokens: 4,
        reasoningTokens: 2,
        cachedPromptTokens: 1,
        costUsd: 0.25,
      },
    ]);
    assert.deepEqual(after.usage, {
      promptTokens: 11,
      completionTokens: 5,
      totalTokens: 19,
      reasoningTokens: 2,
      cachedPromptTokens: 1,
      costUsd: 0.25,
    });
  });

  it("PROJ-USAGE-2 a run-ending event's usage counts only when its run had no report", () => {
    const after = fold([
      { type: "run.started", runId: r1 },
      { type: "usage.reported", runId: r1, promptTokens: 2 },
      { type: "run.finished", runId: r1, outcome: "success", usage: { promptTokens: 2 } },
      { type: "usage.reported", promptTokens: 5 },
      { type: "run.started", runId: "r2" },
      { type: "run.error", runId: "r2", message: "x", usage: { promptTokens: 7 } },
    ]);
    assert.equal(after.usage.promptTokens, 14);
    assert.equal(after.usage.totalTokens, 14);
  });

  it("PROJ-TASK-1 task events move a task through its states and keep their members", () => {
    const after = fold([
      { type: "task.created", taskId: "t1", title: "crawl", input: { url: "u" } },
      { type: "task.created", taskId: "t2" },
      { type: "task.queued", taskId: "t1", queue: "q" },
      { type: "task.assigned", taskId: "t1", assignee: "w1" },
      { type: "task.queued", taskId: "t1" },
      { type: "task.started", taskId: "t1" },
      { type: "task.progress", taskId: "t1", progress: 0.5, message: "half" },
      { type: "task.progress", taskId: "t1", current: 3, total: 4 },
      { type: "task.result", taskId: "t1", value: "a" },
      { type: "task.result", taskId: "t1", value: null },
      { type: "task.metrics", taskId: "t1", metrics: { pages: 1, ms: 5 } },
      { type: "task.metrics", taskId: "t1", metrics: { pages: 2 } },
      { type: "task.completed", taskId: "t1", output: { ok: true } },
      { type: "task.failed", taskId: "t2", message: "no", code: "E" },
      { type: "task.created", taskId: "t3" },
      { type: "task.cancelled", taskId: "t3", reason: "user" },
    ]);
    assert.deepEqual(after.tasks, [
      {
        taskId: "t1",
        status: "completed",
        title: "crawl",
        input: { url: "u" },
        assignee: "w1",
        progress: { current: 3, total: 4 },
        results: ["a", null],
        output: { ok: true },
        metrics: { pages: 2, ms: 5 },
      },
      {
        taskId: "t2",
        status: "failed",
        results: [],
        metrics: {},
        error: { message: "no", code: "E" },
      },
      { taskId: "t3", status: "cancelled", results: [], metrics: {}, cancelReason: "user" },
    ]);
  });

  it("PROJ-AGENT-1 agent events move an agent through its states and keep their members", () => {
    const after = fold([
      {
        type: "agent.spawned",
        agentId: "g",
        name: "researcher",
        parentAgentId: "p",
        command: ["x"],
      },
      { type: "agent.started", agentId: "g" },
      { type: "agent.paused", agentId: "g", reason: "limit" },
      { type: "agent.health", agentId: "g", status: "degraded", detail: "slow" },
      { type: "agent.resumed", agentId: "g" },
      { type: "agent.error", agentId: "g", message: "oops" },
      { type: "agent.error", agentId: "g", message: "again", code: "E2" },
      { type: "agent.metrics", agentId: "g", metrics: { rss: 1 } },
      { type: "agent.stopped", agentId: "g", exitCode: 0, reason: "done" },
    ]);
    assert.deepEqual(after.agents, [{
      agentId: "g",
      status: "stopped",
      name: "researcher",
      parentAgentId: "p",
      health: { status: "degraded", detail: "slow" },
      exitCode: 0,
      stopReason: "done",
      errors: [{ message: "oops" }, { message: "again", code: "E2" }],
      metrics: { rss: 1 },
    }]);
  });

  it("PROJ-AGENT-2 agent.output and agent.log change nothing", () => {
    const before = fold([{ type: "agent.spawned", agentId: "g" }]);
    const events: StandardEvent[] = [
      { type: "agent.output", agentId: "g", stream: "stdout", text: "hi\n" },
      { type: "agent.log", agentId: "g", level: "info", message: "m", fields: { a: 1 } },
    ];
    assert.equal(fold(events, before), before);
  });

  it("PROJ-JSON-1 absent members are left out, not set to undefined or null", () => {
    const after = fold([
      { type: "run.started", runId: r1, threadId: undefined },
      { type: "text.start", messageId: "a", role: undefined },
      { type: "custom.event", name: "n", value: undefined },
      { type: "task.created", taskId: "t", title: undefined },
    ]);
    const text = JSON.stringify(after);
    assert.deepEqual(JSON.parse(text), after);
    assert.equal(text.includes("null"), false);
    assert.deepEqual(Object.keys(after.runs[0]).sort(), ["runId", "status"]);
    assert.deepEqual(Object.keys(after.messages[1]).sort(), ["id", "name", "role"]);
  });

  it("keeps metric names such as __proto__ as plain members", () => {
    const metrics = JSON.parse('{"__proto__": 1, "n": 2}');
    const after = fold([
      { type: "task.created", taskId: "t" },
      { type: "task.metrics", taskId: "t", metrics },
    ]);
    assert.equal(JSON.stringify(after.tasks[0].metrics), '{"__proto__":1,"n":2}');
  });
});
