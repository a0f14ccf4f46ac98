// One round trip per row AGUI-MAP-51 to AGUI-MAP-82 of spec/v1/view-ag-ui.md
// §3: the row's AG-UI events read as the agent-stream events the row gives,
// which the view writes back as AG-UI events again.

import { test } from "node:test";
import { assertRoundTrip } from "./_ag_ui_test_support.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";

const RUN = "r1";
const STARTED: AgUiEvent = { type: "RUN_STARTED", threadId: "t", runId: RUN };

test("AGUI-MAP-51 RUN_STARTED: run.started, then the input's messages not yet held", () => {
  const input = {
    threadId: "t",
    runId: RUN,
    messages: [
      { id: "u0", role: "user" as const, content: "held" },
      { id: "u1", role: "user" as const, content: [{ type: "text" as const, text: "Hi" }] },
    ],
  };
  assertRoundTrip({
    prefix: [],
    events: [
      { type: "MESSAGES_SNAPSHOT", messages: [{ id: "u0", role: "user", content: "held" }] },
      { type: "RUN_STARTED", threadId: "t", runId: RUN, parentRunId: "r0", input },
    ],
    canonical: [
      { type: "messages.snapshot", messages: [{ id: "u0", role: "user", content: "held" }] },
      { type: "run.started", runId: RUN, threadId: "t", parentRunId: "r0", input },
      { type: "text.message", messageId: "u1", role: "user", content: "Hi", runId: RUN },
    ],
    again: [
      { type: "RUN_STARTED", threadId: "t", runId: RUN, parentRunId: "r0" },
      { type: "MESSAGES_SNAPSHOT", messages: [{ id: "u0", role: "user", content: "held" }] },
      { type: "TEXT_MESSAGE_START", messageId: "u1", role: "user" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "u1", delta: "Hi" },
      { type: "TEXT_MESSAGE_END", messageId: "u1" },
    ],
  });
});

test("AGUI-MAP-52 RUN_FINISHED: a report per usage entry, then run.finished", () => {
  const interrupts = [{ id: "i1", reason: "approval", expiresAt: "2030-01-01T00:00:00Z" }];
  assertRoundTrip({
    events: [{
      type: "RUN_FINISHED",
      threadId: "t",
      runId: RUN,
      result: 3,
      outcome: { type: "interrupt", interrupts },
      usage: [{ model: "m", inputTokens: 1, cacheWriteInputTokens: 1 }],
    }],
    canonical: [
      { type: "usage.reported", promptTokens: 1, model: "m", runId: RUN },
      { type: "run.finished", outcome: "interrupt", result: 3, interrupts, runId: RUN },
    ],
    again: [{
      type: "RUN_FINISHED",
      threadId: "t",
      runId: RUN,
      result: 3,
      outcome: { type: "interrupt", interrupts: [{ id: "i1", reason: "approval" }] },
      usage: [{ model: "m", inputTokens: 1, totalTokens: 1 }],
    }],
  });
  assertRoundTrip({
    events: [{ type: "RUN_FINISHED", threadId: "t", runId: RUN }],
    canonical: [{ type: "run.finished", outcome: "success", runId: RUN }],
    again: [{ type: "RUN_FINISHED", threadId: "t", runId: RUN, outcome: { type: "success" } }],
  });
});

test("AGUI-MAP-53 RUN_ERROR: a report per usage entry, then run.error", () => {
  assertRoundTrip({
    events: [{ type: "RUN_ERROR", message: "no", code: "c", usage: [{ outputTokens: 2 }] }],
    canonical: [
      { type: "usage.reported", completionTokens: 2, runId: RUN },
      { type: "run.error", message: "no", code: "c", runId: RUN },
    ],
    again: [{
      type: "RUN_ERROR",
      message: "no",
      code: "c",
      usage: [{ outputTokens: 2, totalTokens: 2 }],
    }],
  });
});

test("AGUI-MAP-54 STEP_STARTED: step.started, nothing outside a run", () => {
  assertRoundTrip({
    prefix: [],
    events: [
      { type: "STEP_STARTED", stepName: "early" },
      STARTED,
      { type: "STEP_STARTED", stepName: "s" },
    ],
    canonical: [
      { type: "run.started", runId: RUN, threadId: "t" },
      { type: "step.started", stepName: "s", runId: RUN },
    ],
    again: [
      { type: "RUN_STARTED", threadId: "t", runId: RUN },
      { type: "STEP_STARTED", stepName: "s" },
    ],
  });
});

test("AGUI-MAP-55 STEP_FINISHED: step.finished", () => {
  assertRoundTrip({
    prefix: [STARTED, { type: "STEP_STARTED", stepName: "s" }],
    events: [{ type: "STEP_FINISHED", stepName: "s" }],
    canonical: [{ type: "step.finished", stepName: "s", runId: RUN }],
    again: [{ type: "STEP_FINISHED", stepName: "s" }],
  });
});

test("AGUI-MAP-56 TEXT_MESSAGE_START: text.start with the role when given, no name", () => {
  assertRoundTrip({
    events: [
      { type: "TEXT_MESSAGE_START", messageId: "m1", name: "bob" },
      { type: "TEXT_MESSAGE_START", messageId: "m1", role: "user" },
    ],
    canonical: [{ type: "text.start", messageId: "m1", runId: RUN }],
    again: [{ type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" }],
  });
});

const TEXT: AgUiEvent = { type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" };

test("AGUI-MAP-57 TEXT_MESSAGE_CONTENT: text.delta of an open message", () => {
  assertRoundTrip({
    prefix: [STARTED, TEXT],
    events: [
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Hi" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "zz", delta: "lost" },
    ],
    canonical: [{ type: "text.delta", messageId: "m1", delta: "Hi", runId: RUN }],
    again: [{ type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Hi" }],
  });
});

test("AGUI-MAP-58 TEXT_MESSAGE_END: text.end", () => {
  assertRoundTrip({
    prefix: [STARTED, TEXT],
    events: [{ type: "TEXT_MESSAGE_END", messageId: "m1" }],
    canonical: [{ type: "text.end", messageId: "m1", runId: RUN }],
    again: [{ type: "TEXT_MESSAGE_END", messageId: "m1" }],
  });
});

test("AGUI-MAP-59 TEXT_MESSAGE_CHUNK: expanded into start, deltas and end", () => {
  assertRoundTrip({
    events: [
      { type: "TEXT_MESSAGE_CHUNK", messageId: "m1", role: "assistant", delta: "He" },
      { type: "TEXT_MESSAGE_CHUNK", delta: "llo" },
      { type: "RAW", event: 1 },
      { type: "TEXT_MESSAGE_CHUNK", messageId: "m2", delta: "!" },
      { type: "STATE_SNAPSHOT", snapshot: {} },
    ],
    canonical: [
      { type: "text.start", messageId: "m1", role: "assistant", runId: RUN },
      { type: "text.delta", messageId: "m1", delta: "He", runId: RUN },
      { type: "text.delta", messageId: "m1", delta: "llo", runId: RUN },
      { type: "raw.event", event: 1, runId: RUN },
      { type: "text.end", messageId: "m1", runId: RUN },
      { type: "text.start", messageId: "m2", runId: RUN },
      { type: "text.delta", messageId: "m2", delta: "!", runId: RUN },
      { type: "text.end", messageId: "m2", runId: RUN },
      { type: "state.snapshot", snapshot: {}, runId: RUN },
    ],
    again: [
      { type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "He" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "llo" },
      { type: "RAW", event: 1 },
      { type: "TEXT_MESSAGE_END", messageId: "m1" },
      { type: "TEXT_MESSAGE_START", messageId: "m2", role: "assistant" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m2", delta: "!" },
      { type: "TEXT_MESSAGE_END", messageId: "m2" },
      { type: "STATE_SNAPSHOT", snapshot: {} },
    ],
  });
});

test("AGUI-MAP-60 TOOL_CALL_START: tool.start, filed as AG-UI clients file it", () => {
  assertRoundTrip({
    prefix: [STARTED, TEXT, { type: "TEXT_MESSAGE_START", messageId: "u1", role: "user" }],
    events: [
      { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "f", parentMessageId: "m1" },
      { type: "TOOL_CALL_START", toolCallId: "c2", toolCallName: "f", parentMessageId: "u1" },
      { type: "TOOL_CALL_START", toolCallId: "c3", toolCallName: "f", parentMessageId: "new" },
    ],
    canonical: [
      { type: "tool.start", toolCallId: "c1", toolName: "f", parentMessageId: "m1", runId: RUN },
      { type: "tool.start", toolCallId: "c2", toolName: "f", runId: RUN },
      { type: "text.start", messageId: "new", role: "assistant", runId: RUN },
      { type: "text.end", messageId: "new", runId: RUN },
      { type: "tool.start", toolCallId: "c3", toolName: "f", parentMessageId: "new", runId: RUN },
    ],
    again: [
      { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "f", parentMessageId: "m1" },
      { type: "TEXT_MESSAGE_START", messageId: "c2", role: "assistant" },
      { type: "TEXT_MESSAGE_END", messageId: "c2" },
      { type: "TOOL_CALL_START", toolCallId: "c2", toolCallName: "f", parentMessageId: "c2" },
      { type: "TEXT_MESSAGE_START", messageId: "new", role: "assistant" },
      { type: "TEXT_MESSAGE_END", messageId: "new" },
      { type: "TOOL_CALL_START", toolCallId: "c3", toolCallName: "f", parentMessageId: "new" },
    ],
  });
});

const CALL: AgUiEvent = { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "f" };

test("AGUI-MAP-61 TOOL_CALL_ARGS: tool.delta", () => {
  assertRoundTrip({
    prefix: [STARTED, CALL],
    events: [{ type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: "{}" }],
    canonical: [{ type: "tool.delta", toolCallId: "c1", delta: "{}", runId: RUN }],
    again: [{ type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: "{}" }],
  });
});

test("AGUI-MAP-62 TOOL_CALL_END: tool.end", () => {
  assertRoundTrip({
    prefix: [STARTED, CALL],
    events: [{ type: "TOOL_CALL_END", toolCallId: "c1" }],
    canonical: [{ type: "tool.end", toolCallId: "c1", runId: RUN }],
    again: [{ type: "TOOL_CALL_END", toolCallId: "c1" }],
  });
});

test("AGUI-MAP-63 TOOL_CALL_CHUNK: expanded into start, deltas and end", () => {
  assertRoundTrip({
    events: [
      { type: "TOOL_CALL_CHUNK", toolCallId: "c1", toolCallName: "f", delta: '{"a"' },
      { type: "TOOL_CALL_CHUNK", delta: ":1}" },
    ],
    canonical: [
      { type: "tool.start", toolCallId: "c1", toolName: "f", runId: RUN },
      { type: "tool.delta", toolCallId: "c1", delta: '{"a"', runId: RUN },
      { type: "tool.delta", toolCallId: "c1", delta: ":1}", runId: RUN },
      { type: "tool.end", toolCallId: "c1", runId: RUN },
    ],
    again: [
      { type: "TEXT_MESSAGE_START", messageId: "c1", role: "assistant" },
      { type: "TEXT_MESSAGE_END", messageId: "c1" },
      { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "f", parentMessageId: "c1" },
      { type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: '{"a"' },
      { type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: ":1}" },
      { type: "TOOL_CALL_END", toolCallId: "c1" },
    ],
  });
});

test("AGUI-MAP-64 TOOL_CALL_RESULT: tool.result with the content as output", () => {
  const parts = [{ type: "text" as const, text: "ok" }];
  assertRoundTrip({
    prefix: [STARTED, CALL, { type: "TOOL_CALL_END", toolCallId: "c1" }],
    events: [
      { type: "TOOL_CALL_RESULT", messageId: "c1:result", toolCallId: "c1", content: parts },
      { type: "TOOL_CALL_RESULT", messageId: "again", toolCallId: "c1", content: "twice" },
    ],
    canonical: [{ type: "tool.result", toolCallId: "c1", output: parts, runId: RUN }],
    again: [{
      type: "TOOL_CALL_RESULT",
      messageId: "c1:result",
      toolCallId: "c1",
      content: parts,
      role: "tool",
    }],
  });
});

test("AGUI-MAP-65 STATE_SNAPSHOT: state.snapshot", () => {
  assertRoundTrip({
    events: [{ type: "STATE_SNAPSHOT", snapshot: null }],
    canonical: [{ type: "state.snapshot", snapshot: null, runId: RUN }],
    again: [{ type: "STATE_SNAPSHOT", snapshot: null }],
  });
});

test("AGUI-MAP-66 STATE_DELTA: state.delta", () => {
  const delta = [{ op: "add" as const, path: "/a", value: 1 }];
  assertRoundTrip({
    events: [{ type: "STATE_DELTA", delta }],
    canonical: [{ type: "state.delta", patch: delta, runId: RUN }],
    again: [{ type: "STATE_DELTA", delta }],
  });
});
