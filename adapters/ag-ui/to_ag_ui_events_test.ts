// One round trip per row AGUI-MAP-1 to AGUI-MAP-22 of spec/v1/view-ag-ui.md
// §2.2: the row's events map to the AG-UI events the row gives, which read
// back as the events §3 gives for them.

import { test } from "node:test";
import { assertRow } from "./_ag_ui_test_support.ts";

const R1 = { type: "run.started", runId: "r1", threadId: "t1" };
const RUN = "r1";

test("AGUI-MAP-1 run.started: RUN_STARTED, then the events held since the last run", () => {
  assertRow({
    threadId: "chats/1",
    events: [
      { type: "text.message", messageId: "u1", role: "user", content: "Hi" },
      { type: "run.started", runId: "r1", parentRunId: "r0", input: { ask: 1 } },
    ],
    agui: [
      { type: "RUN_STARTED", threadId: "chats/1", runId: "r1", parentRunId: "r0" },
      { type: "TEXT_MESSAGE_START", messageId: "u1", role: "user" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "u1", delta: "Hi" },
      { type: "TEXT_MESSAGE_END", messageId: "u1" },
    ],
    back: [
      { type: "run.started", runId: "r1", threadId: "chats/1", parentRunId: "r0" },
      { type: "text.start", messageId: "u1", role: "user", runId: RUN },
      { type: "text.delta", messageId: "u1", delta: "Hi", runId: RUN },
      { type: "text.end", messageId: "u1", runId: RUN },
    ],
  });
});

test("AGUI-MAP-2 run.finished success: what is open ends first, then RUN_FINISHED", () => {
  assertRow({
    prefix: [R1, { type: "text.start", messageId: "m1" }],
    events: [{ type: "run.finished", runId: RUN, outcome: "success", result: { ok: true } }],
    agui: [
      { type: "TEXT_MESSAGE_END", messageId: "m1" },
      {
        type: "RUN_FINISHED",
        threadId: "t1",
        runId: RUN,
        result: { ok: true },
        outcome: { type: "success" },
      },
    ],
    back: [
      { type: "text.end", messageId: "m1", runId: RUN },
      { type: "run.finished", outcome: "success", result: { ok: true }, runId: RUN },
    ],
  });
});

test("AGUI-MAP-3 run.finished interrupt: the interrupts, or one naming the run", () => {
  const interrupts = [{ id: "i1", reason: "approval", message: "OK?", toolCallId: "c1" }];
  assertRow({
    prefix: [R1],
    events: [{
      type: "run.finished",
      runId: RUN,
      outcome: "interrupt",
      interrupts: [{ ...interrupts[0], extra: 1 }],
    }],
    agui: [{
      type: "RUN_FINISHED",
      threadId: "t1",
      runId: RUN,
      outcome: { type: "interrupt", interrupts },
    }],
    back: [{ type: "run.finished", outcome: "interrupt", interrupts, runId: RUN }],
  });
  const none = [{ id: RUN, reason: "interrupt" }];
  assertRow({
    prefix: [R1],
    events: [{ type: "run.finished", runId: RUN, outcome: "interrupt" }],
    agui: [{
      type: "RUN_FINISHED",
      threadId: "t1",
      runId: RUN,
      outcome: { type: "interrupt", interrupts: none },
    }],
    back: [{ type: "run.finished", outcome: "interrupt", interrupts: none, runId: RUN }],
  });
});

test("AGUI-MAP-4 run.finished cancelled: outcome cancelled; a null result is left out", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "run.finished", runId: RUN, outcome: "cancelled", result: null }],
    agui: [{ type: "RUN_FINISHED", threadId: "t1", runId: RUN, outcome: { type: "cancelled" } }],
    back: [{ type: "run.finished", outcome: "cancelled", runId: RUN }],
  });
});

test("AGUI-MAP-5 run.error: RUN_ERROR with code and usage", () => {
  assertRow({
    prefix: [R1, { type: "text.start", runId: RUN, messageId: "m1" }],
    events: [{
      type: "run.error",
      runId: RUN,
      message: "boom",
      code: "overloaded",
      usage: { promptTokens: 3, completionTokens: 2 },
    }],
    agui: [{
      type: "RUN_ERROR",
      message: "boom",
      code: "overloaded",
      usage: [{ inputTokens: 3, outputTokens: 2, totalTokens: 5 }],
    }],
    back: [
      { type: "usage.reported", promptTokens: 3, completionTokens: 2, totalTokens: 5, runId: RUN },
      { type: "run.error", message: "boom", code: "overloaded", runId: RUN },
    ],
  });
});

test("AGUI-MAP-6 step.started: STEP_STARTED", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "step.started", runId: RUN, stepName: "plan" }],
    agui: [{ type: "STEP_STARTED", stepName: "plan" }],
    back: [{ type: "step.started", stepName: "plan", runId: RUN }],
  });
});

test("AGUI-MAP-7 step.finished: STEP_FINISHED", () => {
  assertRow({
    prefix: [R1, { type: "step.started", runId: RUN, stepName: "plan" }],
    events: [{ type: "step.finished", runId: RUN, stepName: "plan" }],
    agui: [{ type: "STEP_FINISHED", stepName: "plan" }],
    back: [{ type: "step.finished", stepName: "plan", runId: RUN }],
  });
});

test("AGUI-MAP-8 text.start: TEXT_MESSAGE_START with the role, assistant by default", () => {
  assertRow({
    prefix: [R1],
    events: [
      { type: "text.start", runId: RUN, messageId: "m1" },
      { type: "text.start", runId: RUN, messageId: "m2", role: "developer" },
    ],
    agui: [
      { type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" },
      { type: "TEXT_MESSAGE_START", messageId: "m2", role: "developer" },
    ],
    back: [
      { type: "text.start", messageId: "m1", role: "assistant", runId: RUN },
      { type: "text.start", messageId: "m2", role: "developer", runId: RUN },
    ],
  });
});

test("AGUI-MAP-9 text.delta: TEXT_MESSAGE_CONTENT, nothing for an empty delta", () => {
  assertRow({
    prefix: [R1, { type: "text.start", runId: RUN, messageId: "m1" }],
    events: [
      { type: "text.delta", runId: RUN, messageId: "m1", delta: "" },
      { type: "text.delta", runId: RUN, messageId: "m1", delta: "Hi" },
    ],
    agui: [{ type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Hi" }],
    back: [{ type: "text.delta", messageId: "m1", delta: "Hi", runId: RUN }],
  });
});

test("AGUI-MAP-10 text.end: TEXT_MESSAGE_END", () => {
  assertRow({
    prefix: [R1, { type: "text.start", runId: RUN, messageId: "m1" }],
    events: [{ type: "text.end", runId: RUN, messageId: "m1" }],
    agui: [{ type: "TEXT_MESSAGE_END", messageId: "m1" }],
    back: [{ type: "text.end", messageId: "m1", runId: RUN }],
  });
});

test("AGUI-MAP-11 text.message: start, content unless empty, end", () => {
  assertRow({
    prefix: [R1],
    events: [
      { type: "text.message", runId: RUN, messageId: "m1", role: "system", content: "Be brief" },
      { type: "text.message", runId: RUN, messageId: "m2", role: "assistant", content: "" },
    ],
    agui: [
      { type: "TEXT_MESSAGE_START", messageId: "m1", role: "system" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Be brief" },
      { type: "TEXT_MESSAGE_END", messageId: "m1" },
      { type: "TEXT_MESSAGE_START", messageId: "m2", role: "assistant" },
      { type: "TEXT_MESSAGE_END", messageId: "m2" },
    ],
    back: [
      { type: "text.start", messageId: "m1", role: "system", runId: RUN },
      { type: "text.delta", messageId: "m1", delta: "Be brief", runId: RUN },
      { type: "text.end", messageId: "m1", runId: RUN },
      { type: "text.start", messageId: "m2", role: "assistant", runId: RUN },
      { type: "text.end", messageId: "m2", runId: RUN },
    ],
  });
});

test("AGUI-MAP-12 reasoning.start: a reasoning span and message", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "reasoning.start", runId: RUN, messageId: "r1m" }],
    agui: [
      { type: "REASONING_START", messageId: "r1m" },
      { type: "REASONING_MESSAGE_START", messageId: "r1m", role: "reasoning" },
    ],
    back: [{ type: "reasoning.start", messageId: "r1m", runId: RUN }],
  });
});

test("AGUI-MAP-13 reasoning.delta: REASONING_MESSAGE_CONTENT, nothing for an empty delta", () => {
  assertRow({
    prefix: [R1, { type: "reasoning.start", runId: RUN, messageId: "r1m" }],
    events: [
      { type: "reasoning.delta", runId: RUN, messageId: "r1m", delta: "Hm" },
      { type: "reasoning.delta", runId: RUN, messageId: "r1m", delta: "" },
    ],
    agui: [{ type: "REASONING_MESSAGE_CONTENT", messageId: "r1m", delta: "Hm" }],
    back: [{ type: "reasoning.delta", messageId: "r1m", delta: "Hm", runId: RUN }],
  });
});

test("AGUI-MAP-14 reasoning.end: the end, the encrypted value, no signature", () => {
  assertRow({
    prefix: [R1, { type: "reasoning.start", runId: RUN, messageId: "r1m" }],
    events: [{
      type: "reasoning.end",
      runId: RUN,
      messageId: "r1m",
      signature: "sig",
      encryptedValue: "enc",
    }],
    agui: [
      { type: "REASONING_MESSAGE_END", messageId: "r1m" },
      {
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "message",
        entityId: "r1m",
        encryptedValue: "enc",
      },
      { type: "REASONING_END", messageId: "r1m" },
    ],
    back: [{ type: "reasoning.end", messageId: "r1m", runId: RUN, encryptedValue: "enc" }],
  });
});

test("AGUI-MAP-15 tool.start with a parent: TOOL_CALL_START in that message", () => {
  assertRow({
    prefix: [R1, {
      type: "text.message",
      runId: RUN,
      messageId: "a1",
      role: "assistant",
      content: "",
    }],
    events: [{
      type: "tool.start",
      runId: RUN,
      toolCallId: "c1",
      toolName: "weather",
      parentMessageId: "a1",
    }],
    agui: [{
      type: "TOOL_CALL_START",
      toolCallId: "c1",
      toolCallName: "weather",
      parentMessageId: "a1",
    }],
    back: [{
      type: "tool.start",
      toolCallId: "c1",
      toolName: "weather",
      parentMessageId: "a1",
      runId: RUN,
    }],
  });
});

test("AGUI-MAP-16 tool.start without a parent: an assistant message of its own, then the call", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "tool.start", runId: RUN, toolCallId: "c1", toolName: "weather" }],
    agui: [
      { type: "TEXT_MESSAGE_START", messageId: "c1", role: "assistant" },
      { type: "TEXT_MESSAGE_END", messageId: "c1" },
      { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "weather", parentMessageId: "c1" },
    ],
    back: [
      { type: "text.start", messageId: "c1", role: "assistant", runId: RUN },
      { type: "text.end", messageId: "c1", runId: RUN },
      {
        type: "tool.start",
        toolCallId: "c1",
        toolName: "weather",
        parentMessageId: "c1",
        runId: RUN,
      },
    ],
  });
});

const CALL = { type: "tool.start", runId: RUN, toolCallId: "c1", toolName: "f" };

test("AGUI-MAP-17 tool.delta: TOOL_CALL_ARGS, nothing for an empty delta", () => {
  assertRow({
    prefix: [R1, CALL],
    events: [
      { type: "tool.delta", runId: RUN, toolCallId: "c1", delta: "" },
      { type: "tool.delta", runId: RUN, toolCallId: "c1", delta: '{"a":' },
    ],
    agui: [{ type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: '{"a":' }],
    back: [{ type: "tool.delta", toolCallId: "c1", delta: '{"a":', runId: RUN }],
  });
});

test("AGUI-MAP-18 tool.end: the input as arguments when none were streamed, then TOOL_CALL_END", () => {
  assertRow({
    prefix: [R1, CALL],
    events: [{ type: "tool.end", runId: RUN, toolCallId: "c1", input: { a: [1, "x"] } }],
    agui: [
      { type: "TOOL_CALL_ARGS", toolCallId: "c1", delta: '{"a":[1,"x"]}' },
      { type: "TOOL_CALL_END", toolCallId: "c1" },
    ],
    back: [
      { type: "tool.delta", toolCallId: "c1", delta: '{"a":[1,"x"]}', runId: RUN },
      { type: "tool.end", toolCallId: "c1", runId: RUN },
    ],
  });
  assertRow({
    prefix: [R1, CALL, { type: "tool.delta", runId: RUN, toolCallId: "c1", delta: "1" }],
    events: [{ type: "tool.end", runId: RUN, toolCallId: "c1", input: 1 }],
    agui: [{ type: "TOOL_CALL_END", toolCallId: "c1" }],
    back: [{ type: "tool.end", toolCallId: "c1", runId: RUN }],
  });
});

test("AGUI-MAP-19 tool.result: TOOL_CALL_RESULT with the output or error as content", () => {
  const ended = [
    R1,
    CALL,
    { type: "tool.end", runId: RUN, toolCallId: "c1" },
    { type: "tool.start", runId: RUN, toolCallId: "c2", toolName: "f" },
    { type: "tool.end", runId: RUN, toolCallId: "c2" },
  ];
  assertRow({
    prefix: ended,
    events: [
      { type: "tool.result", runId: RUN, toolCallId: "c1", output: { temp: 21 } },
      { type: "tool.result", runId: RUN, toolCallId: "c2", messageId: "t2", error: "timeout" },
    ],
    agui: [
      {
        type: "TOOL_CALL_RESULT",
        messageId: "c1:result",
        toolCallId: "c1",
        content: '{"temp":21}',
        role: "tool",
      },
      {
        type: "TOOL_CALL_RESULT",
        messageId: "t2",
        toolCallId: "c2",
        content: "timeout",
        role: "tool",
      },
    ],
    back: [
      { type: "tool.result", toolCallId: "c1", output: '{"temp":21}', runId: RUN },
      { type: "tool.result", toolCallId: "c2", messageId: "t2", output: "timeout", runId: RUN },
    ],
  });
});

test("AGUI-MAP-20 state.snapshot: STATE_SNAPSHOT", () => {
  assertRow({
    prefix: [R1],
    events: [{ type: "state.snapshot", runId: RUN, snapshot: { plan: ["a"] } }],
    agui: [{ type: "STATE_SNAPSHOT", snapshot: { plan: ["a"] } }],
    back: [{ type: "state.snapshot", snapshot: { plan: ["a"] }, runId: RUN }],
  });
});

test("AGUI-MAP-21 state.delta: STATE_DELTA with the patch", () => {
  const patch = [{ op: "add", path: "/n", value: 1 }];
  assertRow({
    prefix: [R1],
    events: [{ type: "state.delta", runId: RUN, patch }],
    agui: [{ type: "STATE_DELTA", delta: patch as never }],
    back: [{ type: "state.delta", patch, runId: RUN }],
  });
});

test("AGUI-MAP-22 messages.snapshot: the AG-UI messages, cleared first when a merge would reorder", () => {
  const u1 = { id: "u1", role: "user" as const, content: "Hi" };
  const d1 = { id: "d1", role: "data", name: "card", value: 1 };
  const a1 = { id: "a1", role: "assistant", content: "Yo", toolCalls: [] };
  const prefix = [R1, {
    type: "text.message",
    runId: RUN,
    messageId: "u1",
    role: "user",
    content: "Hi",
  }];
  // The client holds u1: the snapshot alone gives [u1, a1].
  assertRow({
    prefix,
    events: [{ type: "messages.snapshot", runId: RUN, messages: [u1, d1, a1] }],
    agui: [{
      type: "MESSAGES_SNAPSHOT",
      messages: [u1, { id: "a1", role: "assistant", content: "Yo" }],
    }],
    back: [{
      type: "messages.snapshot",
      messages: [u1, { id: "a1", role: "assistant", content: "Yo", toolCalls: [] }],
      runId: RUN,
    }],
  });
  // Putting a1 before u1 would keep the client's order: clear first.
  const target = [{ id: "a1", role: "assistant", content: "Yo" }, u1];
  assertRow({
    prefix,
    events: [{ type: "messages.snapshot", runId: RUN, messages: [a1, u1] }],
    agui: [
      { type: "MESSAGES_SNAPSHOT", messages: [{ id: "a1", role: "reasoning", content: "" }] },
      { type: "MESSAGES_SNAPSHOT", messages: target as never },
    ],
    back: [
      {
        type: "messages.snapshot",
        messages: [{ id: "a1", role: "reasoning", content: "" }],
        runId: RUN,
      },
      { type: "messages.snapshot", messages: [{ ...target[0], toolCalls: [] }, u1], runId: RUN },
    ],
  });
});
