// One round trip per row of spec/v1/view-ai-sdk.md §3.5 and §3.6: state,
// messages, usage, custom and raw events, the families, LLM requests,
// unknown events, and events that map into no run.

import { describe } from "node:test";
import {
  ev,
  eventsRow,
  FINISH,
  FINISHED,
  passed,
  R,
  START,
  STARTED,
} from "./_rows_test_support.ts";

const asst = (messageId: string) => ev("text.start", { messageId, role: "assistant" });
const totals = (prompt: number, completion: number) => ({
  promptTokens: prompt,
  completionTokens: completion,
  totalTokens: prompt + completion,
  reasoningTokens: 0,
  cachedPromptTokens: 0,
  costUsd: 0,
});

describe("events → chunks → events, row by row (state, data, families, requests)", () => {
  const state = [
    ev("state.snapshot", { snapshot: { todos: [] } }),
    ev("state.delta", { patch: [{ op: "add", path: "/todos/-", value: "milk" }] }),
  ];
  eventsRow("AISDK-MAP-21 state.snapshot, state.delta → passed through", {
    events: [STARTED, ...state, FINISHED],
    chunks: [START, ...state.map(passed), FINISH],
  });

  const snapshot = ev("messages.snapshot", {
    messages: [{ id: "u0", role: "user", content: "Hi" }],
  });
  eventsRow("AISDK-MAP-22 messages.snapshot → passed through", {
    events: [STARTED, snapshot, FINISHED],
    chunks: [START, passed(snapshot), FINISH],
  });

  const report = ev("usage.reported", { promptTokens: 5, completionTokens: 1, model: "m" });
  eventsRow("AISDK-MAP-23 usage.reported → the run's usage as metadata, then passed through", {
    events: [STARTED, report, FINISHED],
    chunks: [
      START,
      { type: "message-metadata", messageMetadata: { usage: totals(5, 1) } },
      passed(report),
      { ...FINISH, messageMetadata: { runId: R, status: "success", usage: totals(5, 1) } },
    ],
    back: [STARTED, report, ev("run.finished", { outcome: "success", usage: totals(5, 1) })],
  });

  eventsRow("AISDK-MAP-24 custom.event beginning a data message → data-<name> with its id", {
    events: [
      STARTED,
      ev("custom.event", { name: "card", value: { n: 1 } }),
      ev("custom.event", { name: "note", dataId: "d1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "data-card", id: "data:1", data: { n: 1 } },
      { type: "data-note", id: "d1", data: null },
      FINISH,
    ],
    back: [
      STARTED,
      ev("custom.event", { name: "card", value: { n: 1 }, dataId: "data:1" }),
      ev("custom.event", { name: "note", value: null, dataId: "d1" }),
      FINISHED,
    ],
  });

  eventsRow("AISDK-MAP-25 custom.event replacing a data message of the run → the same part", {
    events: [
      STARTED,
      ev("custom.event", { name: "card", dataId: "d1", value: 1 }),
      ev("custom.event", { name: "card", dataId: "d1", value: 2 }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "data-card", id: "d1", data: 1 },
      { type: "data-card", id: "d1", data: 2 },
      FINISH,
    ],
  });

  const named = ev("custom.event", { name: "agent-stream", value: 1, transient: true });
  eventsRow("AISDK-MAP-26 transient custom.event → transient data-<name>", {
    events: [
      STARTED,
      ev("custom.event", { name: "progress", value: 0.5, transient: true }),
      ev("custom.event", { name: "toast", dataId: "t1", transient: true }),
      named,
      FINISHED,
    ],
    chunks: [
      START,
      { type: "data-progress", data: 0.5, transient: true },
      { type: "data-toast", id: "t1", data: null, transient: true },
      passed(named),
      FINISH,
    ],
    back: [
      STARTED,
      ev("custom.event", { name: "progress", value: 0.5, transient: true }),
      ev("custom.event", { name: "toast", dataId: "t1", value: null, transient: true }),
      named,
      FINISHED,
    ],
  });

  const raw = ev("raw.event", { event: { kind: "x" }, source: "vendor" });
  eventsRow("AISDK-MAP-27 raw.event → passed through", {
    events: [STARTED, raw, FINISHED],
    chunks: [START, passed(raw), FINISH],
  });

  const tasks = [
    ev("task.created", { taskId: "k1", title: "Index" }),
    ev("task.started", { taskId: "k1" }),
    ev("task.progress", { taskId: "k1", progress: 0.5 }),
    ev("task.completed", { taskId: "k1", output: 3 }),
  ];
  eventsRow("AISDK-MAP-28 task.* → passed through", {
    events: [STARTED, ...tasks, FINISHED],
    chunks: [START, ...tasks.map(passed), FINISH],
  });

  const agents = [
    ev("agent.spawned", { agentId: "g1", name: "helper" }),
    ev("agent.started", { agentId: "g1" }),
    ev("agent.log", { agentId: "g1", level: "info", message: "ready" }),
    ev("agent.stopped", { agentId: "g1", exitCode: 0 }),
  ];
  eventsRow("AISDK-MAP-29 agent.* → passed through", {
    events: [STARTED, ...agents, FINISHED],
    chunks: [START, ...agents.map(passed), FINISH],
  });

  eventsRow("AISDK-MAP-30 llm.started → text-start of the request's message", {
    events: [
      STARTED,
      ev("llm.started", { requestId: "q1", model: "m", messageId: "a1" }),
      ev("llm.completed", { requestId: "q1", finishReason: "stop" }),
      FINISHED,
    ],
    chunks: [START, { type: "text-start", id: "a1" }, { type: "text-end", id: "a1" }, FINISH],
    back: [STARTED, asst("a1"), ev("text.end", { messageId: "a1" }), FINISHED],
  });

  eventsRow("AISDK-MAP-31 llm.token → text-delta", {
    events: [
      STARTED,
      ev("llm.started", { requestId: "q1" }),
      ev("llm.token", { requestId: "q1", delta: "Hi" }),
      ev("llm.completed", { requestId: "q1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "q1" },
      { type: "text-delta", id: "q1", delta: "Hi" },
      { type: "text-end", id: "q1" },
      FINISH,
    ],
    back: [
      STARTED,
      asst("q1"),
      ev("text.delta", { messageId: "q1", delta: "Hi" }),
      ev("text.end", { messageId: "q1" }),
      FINISHED,
    ],
  });

  const toolCall = ev("llm.tool-call", {
    requestId: "q1",
    toolCallId: "c1",
    toolName: "add",
    input: { a: 1 },
  });
  const toolCallChunks = [
    { type: "tool-input-start", toolCallId: "c1", toolName: "add" },
    { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '{"a":1}' },
    { type: "tool-input-available", toolCallId: "c1", toolName: "add", input: { a: 1 } },
  ];
  const toolCallBack = [
    ev("tool.start", { toolCallId: "c1", toolName: "add" }),
    ev("tool.delta", { toolCallId: "c1", delta: '{"a":1}' }),
    ev("tool.end", { toolCallId: "c1", input: { a: 1 } }),
  ];
  eventsRow("AISDK-MAP-32 llm.tool-call → tool-input-start, -delta, -available", {
    events: [
      STARTED,
      ev("llm.started", { requestId: "q1" }),
      toolCall,
      ev("llm.completed", { requestId: "q1" }),
      FINISHED,
    ],
    chunks: [START, { type: "text-start", id: "q1" }, ...toolCallChunks, {
      type: "text-end",
      id: "q1",
    }, FINISH],
    back: [STARTED, asst("q1"), ...toolCallBack, ev("text.end", { messageId: "q1" }), FINISHED],
  });

  eventsRow("AISDK-MAP-33 llm.tool-result → tool-output-available or -error", {
    events: [
      STARTED,
      ev("llm.started", { requestId: "q1" }),
      toolCall,
      ev("llm.completed", { requestId: "q1" }),
      ev("llm.tool-result", { requestId: "q1", toolCallId: "c1", output: 2 }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "q1" },
      ...toolCallChunks,
      { type: "text-end", id: "q1" },
      { type: "tool-output-available", toolCallId: "c1", output: 2 },
      FINISH,
    ],
    back: [
      STARTED,
      asst("q1"),
      ...toolCallBack,
      ev("text.end", { messageId: "q1" }),
      ev("tool.result", { toolCallId: "c1", output: 2 }),
      FINISHED,
    ],
  });

  const llmUsage = ev("llm.usage", { requestId: "q1", promptTokens: 2, completionTokens: 3 });
  const reported = ev("usage.reported", { promptTokens: 2, completionTokens: 3 });
  eventsRow("AISDK-MAP-34 llm.usage → as usage.reported: metadata, and the report passed through", {
    events: [
      STARTED,
      ev("llm.started", { requestId: "q1" }),
      llmUsage,
      ev("llm.completed", { requestId: "q1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "q1" },
      { type: "message-metadata", messageMetadata: { usage: totals(2, 3) } },
      passed(reported),
      { type: "text-end", id: "q1" },
      { ...FINISH, messageMetadata: { runId: R, status: "success", usage: totals(2, 3) } },
    ],
    back: [
      STARTED,
      asst("q1"),
      reported,
      ev("text.end", { messageId: "q1" }),
      ev("run.finished", { outcome: "success", usage: totals(2, 3) }),
    ],
  });

  eventsRow("AISDK-MAP-35 llm.completed, llm.error → text-end", {
    events: [
      STARTED,
      ev("llm.started", { requestId: "q1" }),
      ev("llm.error", { requestId: "q1", message: "overloaded" }),
      FINISHED,
    ],
    chunks: [START, { type: "text-start", id: "q1" }, { type: "text-end", id: "q1" }, FINISH],
    back: [STARTED, asst("q1"), ev("text.end", { messageId: "q1" }), FINISHED],
  });

  const audit = ev("com.example.audit.logged", { who: "bot" });
  eventsRow("AISDK-MAP-36 an event of an unknown type → passed through", {
    events: [STARTED, audit, FINISHED],
    chunks: [START, passed(audit), FINISH],
  });

  eventsRow("AISDK-MAP-37 events of no run, of another run's messages, or refused → nothing", {
    events: [
      { type: "text.message", messageId: "u0", role: "user", content: "Hi" },
      { type: "run.started", runId: "run_0" },
      { type: "text.start", runId: "run_0", messageId: "a0" },
      { type: "text.end", runId: "run_0", messageId: "a0" },
      { type: "tool.start", runId: "run_0", toolCallId: "c0", toolName: "slow" },
      { type: "tool.end", runId: "run_0", toolCallId: "c0" },
      { type: "run.finished", runId: "run_0", outcome: "interrupt" },
      { type: "custom.event", dataId: "d0", name: "card", value: 1 },
      STARTED,
      { type: "text.message", messageId: "x1", role: "assistant", content: "no run" },
      { type: "custom.event", dataId: "d0", name: "card", value: 2 },
      ev("tool.result", { toolCallId: "c0", output: "late" }),
      ev("tool.start", { toolCallId: "c9", toolName: "t", parentMessageId: "a0" }),
      ev("tool.end", { toolCallId: "c9" }),
      ev("text.delta", { messageId: "a0", delta: "refused: a0 has ended" }),
      ev("run.started"),
      "not an event",
      FINISHED,
    ],
    chunks: [
      { type: "start", messageId: "run_0", messageMetadata: { runId: "run_0", status: "running" } },
      { type: "text-start", id: "a0" },
      { type: "text-end", id: "a0" },
      { type: "tool-input-start", toolCallId: "c0", toolName: "slow" },
      { type: "tool-input-available", toolCallId: "c0", toolName: "slow", input: null },
      {
        type: "finish",
        finishReason: "other",
        messageMetadata: { runId: "run_0", status: "interrupt" },
      },
      START,
      FINISH,
    ],
    back: [
      { type: "run.started", runId: "run_0" },
      { type: "text.start", runId: "run_0", messageId: "a0", role: "assistant" },
      { type: "text.end", runId: "run_0", messageId: "a0" },
      { type: "tool.start", runId: "run_0", toolCallId: "c0", toolName: "slow" },
      { type: "tool.end", runId: "run_0", toolCallId: "c0", input: null },
      { type: "run.finished", runId: "run_0", outcome: "interrupt" },
      STARTED,
      FINISHED,
    ],
  });
});
