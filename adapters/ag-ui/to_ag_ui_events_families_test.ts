// One round trip per row AGUI-MAP-23 to AGUI-MAP-38 of spec/v1/view-ag-ui.md
// §2.2: usage, custom and raw events, the families, LLM requests, unknown
// types and the envelope.

import { test } from "node:test";
import { assertRow } from "./_ag_ui_test_support.ts";

const R1 = { type: "run.started", runId: "r1", threadId: "t1" };
const RUN = "r1";
const FINISHED = { type: "run.finished", runId: RUN, outcome: "success" };
const WRAPPED = { "agent-stream": { event: true } };

test("AGUI-MAP-23 usage.reported: nothing at once, summed in its run's end", () => {
  assertRow({
    prefix: [R1],
    events: [
      { type: "usage.reported", runId: RUN, promptTokens: 2, completionTokens: 1, model: "m" },
      { type: "usage.reported", runId: RUN, promptTokens: 3, totalTokens: 9, model: "m" },
      FINISHED,
    ],
    agui: [{
      type: "RUN_FINISHED",
      threadId: "t1",
      runId: RUN,
      outcome: { type: "success" },
      usage: [{ model: "m", inputTokens: 5, outputTokens: 1, totalTokens: 12 }],
    }],
    back: [
      {
        type: "usage.reported",
        promptTokens: 5,
        completionTokens: 1,
        totalTokens: 12,
        model: "m",
        runId: RUN,
      },
      { type: "run.finished", outcome: "success", runId: RUN },
    ],
  });
});

test("AGUI-MAP-24 custom.event transient: CUSTOM, value null when absent", () => {
  assertRow({
    prefix: [R1],
    events: [
      { type: "custom.event", runId: RUN, name: "progress", value: 0.5, transient: true },
      { type: "custom.event", runId: RUN, name: "ping", transient: true },
    ],
    agui: [
      { type: "CUSTOM", name: "progress", value: 0.5 },
      { type: "CUSTOM", name: "ping", value: null },
    ],
    back: [
      { type: "custom.event", name: "progress", value: 0.5, transient: true, runId: RUN },
      { type: "custom.event", name: "ping", value: null, transient: true, runId: RUN },
    ],
  });
});

test("AGUI-MAP-25 custom.event not transient: CUSTOM naming the data message", () => {
  assertRow({
    prefix: [R1],
    events: [
      { type: "custom.event", runId: RUN, name: "card", value: { t: 4 } },
      { type: "custom.event", runId: RUN, name: "card", value: { t: 5 }, dataId: "d1" },
    ],
    agui: [
      {
        type: "CUSTOM",
        name: "card",
        value: { t: 4 },
        metadata: { "agent-stream": { dataId: "data:1" } },
      },
      {
        type: "CUSTOM",
        name: "card",
        value: { t: 5 },
        metadata: { "agent-stream": { dataId: "d1" } },
      },
    ],
    back: [
      { type: "custom.event", name: "card", value: { t: 4 }, dataId: "data:1", runId: RUN },
      { type: "custom.event", name: "card", value: { t: 5 }, dataId: "d1", runId: RUN },
    ],
  });
});

test("AGUI-MAP-26 raw.event: RAW with the source", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "raw.event", runId: RUN, event: { kind: "x" }, source: "openai" }],
    agui: [{ type: "RAW", event: { kind: "x" }, source: "openai" }],
    back: [{ type: "raw.event", event: { kind: "x" }, source: "openai", runId: RUN }],
  });
});

const TASKS = [
  { type: "task.created", taskId: "k1", title: "Report" },
  { type: "task.queued", taskId: "k1", queue: "q" },
  { type: "task.assigned", taskId: "k1", assignee: "w1" },
  { type: "task.started", taskId: "k1" },
  { type: "task.progress", taskId: "k1", progress: 0.5 },
  { type: "task.result", taskId: "k1", value: 1 },
  { type: "task.metrics", taskId: "k1", metrics: { n: 1 } },
  { type: "task.completed", taskId: "k1", output: "done" },
  { type: "task.created", taskId: "k2" },
  { type: "task.failed", taskId: "k2", message: "no" },
  { type: "task.created", taskId: "k3" },
  { type: "task.cancelled", taskId: "k3" },
];

test("AGUI-MAP-27 task.*: CUSTOM carrying the whole event, for all ten types", () => {
  const events = TASKS.map((e, i) => i % 2 === 0 ? { ...e, runId: RUN } : e);
  assertRow({
    prefix: [R1],
    events,
    agui: events.map((e) => ({ type: "CUSTOM", name: e.type, value: e, metadata: WRAPPED })),
    back: events,
  });
});

const AGENTS = [
  { type: "agent.spawned", agentId: "g1", name: "coder" },
  { type: "agent.started", agentId: "g1" },
  { type: "agent.paused", agentId: "g1" },
  { type: "agent.resumed", agentId: "g1" },
  { type: "agent.output", agentId: "g1", stream: "stdout", text: "hi" },
  { type: "agent.log", agentId: "g1", level: "info", message: "m" },
  { type: "agent.metrics", agentId: "g1", metrics: { rss: 1 } },
  { type: "agent.health", agentId: "g1", status: "healthy" },
  { type: "agent.error", agentId: "g1", message: "oops" },
  { type: "agent.stopped", agentId: "g1", exitCode: 0 },
];

test("AGUI-MAP-28 agent.*: CUSTOM carrying the whole event, for all ten types", () => {
  assertRow({
    prefix: [R1],
    events: AGENTS,
    agui: AGENTS.map((e) => ({ type: "CUSTOM", name: e.type, value: e, metadata: WRAPPED })),
    back: AGENTS,
  });
});

const STARTED = { type: "llm.started", runId: RUN, requestId: "q1", model: "m", messageId: "a1" };

test("AGUI-MAP-29 llm.started: as its text.start", () => {
  assertRow({
    prefix: [R1],
    events: [STARTED, { type: "llm.started", runId: RUN, requestId: "q2" }],
    agui: [
      { type: "TEXT_MESSAGE_START", messageId: "a1", role: "assistant" },
      { type: "TEXT_MESSAGE_START", messageId: "q2", role: "assistant" },
    ],
    back: [
      { type: "text.start", messageId: "a1", role: "assistant", runId: RUN },
      { type: "text.start", messageId: "q2", role: "assistant", runId: RUN },
    ],
  });
});

test("AGUI-MAP-30 llm.token: as its text.delta", () => {
  assertRow({
    prefix: [R1, STARTED],
    events: [{ type: "llm.token", runId: RUN, requestId: "q1", delta: "Hi" }],
    agui: [{ type: "TEXT_MESSAGE_CONTENT", messageId: "a1", delta: "Hi" }],
    back: [{ type: "text.delta", messageId: "a1", delta: "Hi", runId: RUN }],
  });
});

const TOOL_CALL = {
  type: "llm.tool-call",
  runId: RUN,
  requestId: "q1",
  toolCallId: "c1",
  toolName: "f",
  input: { a: 1 },
};

test("AGUI-MAP-31 llm.tool-call: as its tool.start, tool.delta and tool.end", () => {
  assertRow({
    prefix: [R1, STARTED],
    events: [TOOL_CALL],
    agui: [
      { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "f", parentMessageId: "a1" },
      { type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: '{"a":1}' },
      { type: "TOOL_CALL_END", toolCallId: "c1" },
    ],
    back: [
      { type: "tool.start", toolCallId: "c1", toolName: "f", parentMessageId: "a1", runId: RUN },
      { type: "tool.delta", toolCallId: "c1", delta: '{"a":1}', runId: RUN },
      { type: "tool.end", toolCallId: "c1", runId: RUN },
    ],
  });
});

test("AGUI-MAP-32 llm.tool-result: as its tool.result", () => {
  assertRow({
    prefix: [R1, STARTED, TOOL_CALL],
    events: [{
      type: "llm.tool-result",
      runId: RUN,
      requestId: "q1",
      toolCallId: "c1",
      output: "ok",
    }],
    agui: [{
      type: "TOOL_CALL_RESULT",
      messageId: "c1:result",
      toolCallId: "c1",
      content: "ok",
      role: "tool",
    }],
    back: [{ type: "tool.result", toolCallId: "c1", output: "ok", runId: RUN }],
  });
});

test("AGUI-MAP-33 llm.usage: as its usage.reported", () => {
  assertRow({
    prefix: [R1, STARTED],
    events: [
      { type: "llm.usage", runId: RUN, requestId: "q1", promptTokens: 4, provider: "p" },
      { type: "llm.completed", runId: RUN, requestId: "q1" },
      FINISHED,
    ],
    agui: [
      { type: "TEXT_MESSAGE_END", messageId: "a1" },
      {
        type: "RUN_FINISHED",
        threadId: "t1",
        runId: RUN,
        outcome: { type: "success" },
        usage: [{ provider: "p", inputTokens: 4, totalTokens: 4 }],
      },
    ],
    back: [
      { type: "text.end", messageId: "a1", runId: RUN },
      { type: "usage.reported", promptTokens: 4, totalTokens: 4, provider: "p", runId: RUN },
      { type: "run.finished", outcome: "success", runId: RUN },
    ],
  });
});

test("AGUI-MAP-34 llm.completed and llm.error: as their text.end", () => {
  assertRow({
    prefix: [R1, STARTED, { type: "llm.started", runId: RUN, requestId: "q2" }],
    events: [
      { type: "llm.completed", runId: RUN, requestId: "q1", finishReason: "stop" },
      { type: "llm.error", runId: RUN, requestId: "q2", message: "rate" },
    ],
    agui: [
      { type: "TEXT_MESSAGE_END", messageId: "a1" },
      { type: "TEXT_MESSAGE_END", messageId: "q2" },
    ],
    back: [
      { type: "text.end", messageId: "a1", runId: RUN },
      { type: "text.end", messageId: "q2", runId: RUN },
    ],
  });
});

test("AGUI-MAP-35 a type the vocabulary does not define: CUSTOM carrying the whole event", () => {
  const event = { type: "com.acme.deploy.started", id: "e1", meta: { a: 1 }, env: "prod" };
  assertRow({
    prefix: [R1],
    events: [event],
    agui: [{ type: "CUSTOM", name: event.type, value: event, metadata: WRAPPED }],
    back: [event],
  });
});

test("AGUI-MAP-36 envelope time: timestamp of every event it maps to", () => {
  const time = "2026-01-02T03:04:05.678Z";
  const ms = Date.parse(time);
  assertRow({
    prefix: [R1],
    events: [{
      type: "text.message",
      runId: RUN,
      messageId: "m1",
      role: "user",
      content: "x",
      time,
    }],
    agui: [
      { type: "TEXT_MESSAGE_START", messageId: "m1", role: "user", timestamp: ms },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "x", timestamp: ms },
      { type: "TEXT_MESSAGE_END", messageId: "m1", timestamp: ms },
    ],
    back: [
      { type: "text.start", messageId: "m1", role: "user", runId: RUN, time },
      { type: "text.delta", messageId: "m1", delta: "x", runId: RUN, time },
      { type: "text.end", messageId: "m1", runId: RUN, time },
    ],
  });
});

test("AGUI-MAP-37 envelope meta: metadata of run, step, state, raw and custom events only", () => {
  const meta = { trace: "t1" };
  assertRow({
    prefix: [R1],
    events: [
      { type: "state.snapshot", runId: RUN, snapshot: 1, meta },
      { type: "custom.event", runId: RUN, name: "c", value: 2, meta },
      { type: "text.message", runId: RUN, messageId: "m1", role: "user", content: "", meta },
    ],
    agui: [
      { type: "STATE_SNAPSHOT", snapshot: 1, metadata: meta },
      {
        type: "CUSTOM",
        name: "c",
        value: 2,
        metadata: { trace: "t1", "agent-stream": { dataId: "data:2" } },
      },
      { type: "TEXT_MESSAGE_START", messageId: "m1", role: "user" },
      { type: "TEXT_MESSAGE_END", messageId: "m1" },
    ],
    back: [
      { type: "state.snapshot", snapshot: 1, runId: RUN, meta },
      { type: "custom.event", name: "c", value: 2, dataId: "data:2", runId: RUN, meta },
      { type: "text.start", messageId: "m1", role: "user", runId: RUN },
      { type: "text.end", messageId: "m1", runId: RUN },
    ],
  });
});

test("AGUI-MAP-38 envelope id and runId: not written; the run is the one written in", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "state.snapshot", id: "e7", snapshot: {} }],
    agui: [{ type: "STATE_SNAPSHOT", snapshot: {} }],
    back: [{ type: "state.snapshot", snapshot: {}, runId: RUN }],
  });
});
