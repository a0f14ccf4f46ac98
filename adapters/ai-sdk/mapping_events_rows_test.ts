// One round trip per row of spec/v1/view-ai-sdk.md §3 (events → chunks):
// the chunks each event maps to, and the events those chunks map back to.

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

const M = { runId: R };
const asst = (messageId: string) => ev("text.start", { messageId, role: "assistant" });

describe("events → chunks → events, row by row", () => {
  eventsRow("AISDK-MAP-1 run.started → start with the run as metadata (input is lost)", {
    events: [
      ev("run.started", { threadId: "t1", parentRunId: "p0", input: { q: 1 } }),
      FINISHED,
    ],
    chunks: [
      { ...START, messageMetadata: { ...M, status: "running", threadId: "t1", parentRunId: "p0" } },
      {
        ...FINISH,
        messageMetadata: { ...M, status: "success", threadId: "t1", parentRunId: "p0" },
      },
    ],
    back: [ev("run.started", { threadId: "t1", parentRunId: "p0" }), FINISHED],
  });

  const usage = {
    promptTokens: 3,
    completionTokens: 2,
    totalTokens: 5,
    reasoningTokens: 0,
    cachedPromptTokens: 0,
    costUsd: 0,
  };
  eventsRow("AISDK-MAP-2 run.finished success → finish stop with result and usage", {
    events: [
      STARTED,
      ev("run.finished", {
        outcome: "success",
        result: { answer: 42 },
        usage: { promptTokens: 3, completionTokens: 2 },
      }),
    ],
    chunks: [START, {
      ...FINISH,
      messageMetadata: { ...M, status: "success", result: { answer: 42 }, usage },
    }],
    back: [STARTED, ev("run.finished", { outcome: "success", result: { answer: 42 }, usage })],
  });

  const interrupts = [
    { id: "i1", reason: "approval", toolCallId: "c1", message: "Deploy?" },
    { id: "i2", reason: "input" },
  ];
  eventsRow("AISDK-MAP-3 run.finished interrupt → approval requests, then finish other", {
    events: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "deploy" }),
      ev("tool.delta", { toolCallId: "c1", delta: '{"env":"prod"}' }),
      ev("tool.end", { toolCallId: "c1" }),
      ev("run.finished", { outcome: "interrupt", interrupts }),
    ],
    chunks: [
      START,
      { type: "tool-input-start", toolCallId: "c1", toolName: "deploy" },
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '{"env":"prod"}' },
      {
        type: "tool-input-available",
        toolCallId: "c1",
        toolName: "deploy",
        input: { env: "prod" },
      },
      { type: "tool-approval-request", approvalId: "i1", toolCallId: "c1", reason: "Deploy?" },
      {
        type: "finish",
        finishReason: "other",
        messageMetadata: { ...M, status: "interrupt", interrupts },
      },
    ],
    back: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "deploy" }),
      ev("tool.delta", { toolCallId: "c1", delta: '{"env":"prod"}' }),
      ev("tool.end", { toolCallId: "c1", input: { env: "prod" } }),
      ev("run.finished", { outcome: "interrupt", interrupts }),
    ],
  });

  eventsRow("AISDK-MAP-4 run.finished cancelled → message-metadata, abort", {
    events: [STARTED, ev("run.finished", { outcome: "cancelled", result: "stopped" })],
    chunks: [
      START,
      {
        type: "message-metadata",
        messageMetadata: { ...M, status: "cancelled", result: "stopped" },
      },
      { type: "abort", reason: "cancelled" },
    ],
  });

  eventsRow("AISDK-MAP-5 run.error → closing chunks, message-metadata, error", {
    events: [
      STARTED,
      ev("text.start", { messageId: "a1" }),
      ev("text.delta", { messageId: "a1", delta: "Hi" }),
      ev("reasoning.start", { messageId: "r1" }),
      ev("text.start", { messageId: "u1", role: "user" }),
      ev("text.delta", { messageId: "u1", delta: "wait" }),
      ev("tool.start", { toolCallId: "c1", toolName: "search" }),
      ev("tool.delta", { toolCallId: "c1", delta: '{"q":"x"}' }),
      ev("tool.start", { toolCallId: "c2", toolName: "search" }),
      ev("tool.delta", { toolCallId: "c2", delta: '{"q":' }),
      ev("run.error", { message: "boom", code: "E1" }),
    ],
    chunks: [
      START,
      { type: "text-start", id: "a1" },
      { type: "text-delta", id: "a1", delta: "Hi" },
      { type: "reasoning-start", id: "r1" },
      { type: "tool-input-start", toolCallId: "c1", toolName: "search" },
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '{"q":"x"}' },
      { type: "tool-input-start", toolCallId: "c2", toolName: "search" },
      { type: "tool-input-delta", toolCallId: "c2", inputTextDelta: '{"q":' },
      { type: "text-end", id: "a1" },
      { type: "reasoning-end", id: "r1" },
      { type: "steering-message", id: "u1", parts: [{ type: "text", text: "wait" }] },
      { type: "tool-input-available", toolCallId: "c1", toolName: "search", input: { q: "x" } },
      {
        type: "message-metadata",
        messageMetadata: { ...M, status: "error", error: { message: "boom", code: "E1" } },
      },
      { type: "error", errorText: "boom" },
    ],
    back: [
      STARTED,
      asst("a1"),
      ev("text.delta", { messageId: "a1", delta: "Hi" }),
      ev("reasoning.start", { messageId: "r1" }),
      ev("tool.start", { toolCallId: "c1", toolName: "search" }),
      ev("tool.delta", { toolCallId: "c1", delta: '{"q":"x"}' }),
      ev("tool.start", { toolCallId: "c2", toolName: "search" }),
      ev("tool.delta", { toolCallId: "c2", delta: '{"q":' }),
      ev("text.end", { messageId: "a1" }),
      ev("reasoning.end", { messageId: "r1" }),
      ev("text.message", { messageId: "u1", role: "user", content: "wait" }),
      ev("tool.end", { toolCallId: "c1", input: { q: "x" } }),
      ev("run.error", { message: "boom", code: "E1" }),
    ],
  });

  const steps = [
    ev("step.started", { stepName: "plan" }),
    ev("step.finished", { stepName: "plan" }),
  ];
  eventsRow("AISDK-MAP-6 step.started, step.finished → passed through", {
    events: [STARTED, ...steps, FINISHED],
    chunks: [START, ...steps.map(passed), FINISH],
  });

  eventsRow("AISDK-MAP-7 text.start of the assistant → text-start", {
    events: [
      STARTED,
      ev("text.start", { messageId: "a1" }),
      ev("text.end", { messageId: "a1" }),
      FINISHED,
    ],
    chunks: [START, { type: "text-start", id: "a1" }, { type: "text-end", id: "a1" }, FINISH],
    back: [STARTED, asst("a1"), ev("text.end", { messageId: "a1" }), FINISHED],
  });

  eventsRow("AISDK-MAP-8 text.start of a user → a steering part when it ends", {
    events: [
      STARTED,
      ev("text.start", { messageId: "u1", role: "user" }),
      ev("text.delta", { messageId: "u1", delta: "Stop" }),
      ev("text.delta", { messageId: "u1", delta: " now" }),
      ev("text.end", { messageId: "u1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "steering-message", id: "u1", parts: [{ type: "text", text: "Stop now" }] },
      FINISH,
    ],
    back: [
      STARTED,
      ev("text.message", { messageId: "u1", role: "user", content: "Stop now" }),
      FINISHED,
    ],
  });

  eventsRow("AISDK-MAP-9 system and developer text → nothing", {
    events: [
      STARTED,
      ev("text.message", { messageId: "s1", role: "system", content: "Be brief" }),
      ev("text.start", { messageId: "d1", role: "developer" }),
      ev("text.delta", { messageId: "d1", delta: "x" }),
      ev("text.end", { messageId: "d1" }),
      FINISHED,
    ],
    chunks: [START, FINISH],
    back: [STARTED, FINISHED],
  });

  eventsRow("AISDK-MAP-10 text.delta → text-delta; an empty delta → nothing", {
    events: [
      STARTED,
      asst("a1"),
      ev("text.delta", { messageId: "a1", delta: "Hel" }),
      ev("text.delta", { messageId: "a1", delta: "" }),
      ev("text.delta", { messageId: "a1", delta: "lo" }),
      ev("text.end", { messageId: "a1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "a1" },
      { type: "text-delta", id: "a1", delta: "Hel" },
      { type: "text-delta", id: "a1", delta: "lo" },
      { type: "text-end", id: "a1" },
      FINISH,
    ],
    back: [
      STARTED,
      asst("a1"),
      ev("text.delta", { messageId: "a1", delta: "Hel" }),
      ev("text.delta", { messageId: "a1", delta: "lo" }),
      ev("text.end", { messageId: "a1" }),
      FINISHED,
    ],
  });

  eventsRow("AISDK-MAP-11 text.end → text-end, or the steering part of a user message", {
    events: [
      STARTED,
      asst("a1"),
      ev("text.start", { messageId: "u1", role: "user" }),
      ev("text.delta", { messageId: "u1", delta: "hi" }),
      ev("text.end", { messageId: "a1" }),
      ev("text.end", { messageId: "u1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "a1" },
      { type: "text-end", id: "a1" },
      { type: "steering-message", id: "u1", parts: [{ type: "text", text: "hi" }] },
      FINISH,
    ],
    back: [
      STARTED,
      asst("a1"),
      ev("text.end", { messageId: "a1" }),
      ev("text.message", { messageId: "u1", role: "user", content: "hi" }),
      FINISHED,
    ],
  });

  eventsRow("AISDK-MAP-12 text.message → start, delta, end; a user's → steering", {
    events: [
      STARTED,
      ev("text.message", { messageId: "a1", role: "assistant", content: "Hello" }),
      ev("text.message", { messageId: "a2", role: "assistant", content: "" }),
      ev("text.message", { messageId: "u1", role: "user", content: "More" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "a1" },
      { type: "text-delta", id: "a1", delta: "Hello" },
      { type: "text-end", id: "a1" },
      { type: "text-start", id: "a2" },
      { type: "text-end", id: "a2" },
      { type: "steering-message", id: "u1", parts: [{ type: "text", text: "More" }] },
      FINISH,
    ],
    back: [
      STARTED,
      asst("a1"),
      ev("text.delta", { messageId: "a1", delta: "Hello" }),
      ev("text.end", { messageId: "a1" }),
      asst("a2"),
      ev("text.end", { messageId: "a2" }),
      ev("text.message", { messageId: "u1", role: "user", content: "More" }),
      FINISHED,
    ],
  });

  eventsRow("AISDK-MAP-13 reasoning.start → reasoning-start", {
    events: [
      STARTED,
      ev("reasoning.start", { messageId: "r1" }),
      ev("reasoning.end", { messageId: "r1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "reasoning-start", id: "r1" },
      { type: "reasoning-end", id: "r1" },
      FINISH,
    ],
  });

  eventsRow("AISDK-MAP-14 reasoning.delta → reasoning-delta", {
    events: [
      STARTED,
      ev("reasoning.start", { messageId: "r1" }),
      ev("reasoning.delta", { messageId: "r1", delta: "Think" }),
      ev("reasoning.end", { messageId: "r1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "reasoning-start", id: "r1" },
      { type: "reasoning-delta", id: "r1", delta: "Think" },
      { type: "reasoning-end", id: "r1" },
      FINISH,
    ],
  });

  eventsRow("AISDK-MAP-15 reasoning.end → reasoning-end with the signature in providerMetadata", {
    events: [
      STARTED,
      ev("reasoning.start", { messageId: "r1" }),
      ev("reasoning.end", { messageId: "r1", signature: "sig", encryptedValue: "enc" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "reasoning-start", id: "r1" },
      {
        type: "reasoning-end",
        id: "r1",
        providerMetadata: { agentStream: { signature: "sig", encryptedValue: "enc" } },
      },
      FINISH,
    ],
  });

  eventsRow("AISDK-MAP-16 tool.start → tool-input-start (the parent link is lost)", {
    events: [
      STARTED,
      asst("a1"),
      ev("tool.start", { toolCallId: "c1", toolName: "weather", parentMessageId: "a1" }),
      ev("tool.end", { toolCallId: "c1" }),
      ev("text.end", { messageId: "a1" }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "text-start", id: "a1" },
      { type: "tool-input-start", toolCallId: "c1", toolName: "weather" },
      { type: "tool-input-available", toolCallId: "c1", toolName: "weather", input: null },
      { type: "text-end", id: "a1" },
      FINISH,
    ],
    back: [
      STARTED,
      asst("a1"),
      ev("tool.start", { toolCallId: "c1", toolName: "weather" }),
      ev("tool.end", { toolCallId: "c1", input: null }),
      ev("text.end", { messageId: "a1" }),
      FINISHED,
    ],
  });

  const call = [
    ev("tool.start", { toolCallId: "c1", toolName: "weather" }),
    ev("tool.delta", { toolCallId: "c1", delta: '{"city":' }),
    ev("tool.delta", { toolCallId: "c1", delta: "" }),
    ev("tool.delta", { toolCallId: "c1", delta: '"Oslo"}' }),
    ev("tool.end", { toolCallId: "c1" }),
  ];
  const callChunks = [
    { type: "tool-input-start", toolCallId: "c1", toolName: "weather" },
    { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '{"city":' },
    { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '"Oslo"}' },
    {
      type: "tool-input-available",
      toolCallId: "c1",
      toolName: "weather",
      input: { city: "Oslo" },
    },
  ];
  const callBack = [
    call[0],
    call[1],
    call[3],
    ev("tool.end", { toolCallId: "c1", input: { city: "Oslo" } }),
  ];
  eventsRow("AISDK-MAP-17 tool.delta → tool-input-delta; an empty delta → nothing", {
    events: [STARTED, ...call, FINISHED],
    chunks: [START, ...callChunks, FINISH],
    back: [STARTED, ...callBack, FINISHED],
  });

  eventsRow("AISDK-MAP-18 tool.end → tool-input-available with the call's input", {
    events: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "add" }),
      ev("tool.end", { toolCallId: "c1", input: { a: 1 } }),
      FINISHED,
    ],
    chunks: [
      START,
      { type: "tool-input-start", toolCallId: "c1", toolName: "add" },
      { type: "tool-input-available", toolCallId: "c1", toolName: "add", input: { a: 1 } },
      FINISH,
    ],
  });

  eventsRow("AISDK-MAP-19 tool.result with output → tool-output-available", {
    events: [
      STARTED,
      ...call,
      ev("tool.result", { toolCallId: "c1", messageId: "m9", output: { celsius: 4 } }),
      FINISHED,
    ],
    chunks: [
      START,
      ...callChunks,
      { type: "tool-output-available", toolCallId: "c1", output: { celsius: 4 } },
      FINISH,
    ],
    back: [
      STARTED,
      ...callBack,
      ev("tool.result", { toolCallId: "c1", output: { celsius: 4 } }),
      FINISHED,
    ],
  });

  eventsRow("AISDK-MAP-20 tool.result with error → tool-output-error", {
    events: [STARTED, ...call, ev("tool.result", { toolCallId: "c1", error: "offline" }), FINISHED],
    chunks: [
      START,
      ...callChunks,
      { type: "tool-output-error", toolCallId: "c1", errorText: "offline" },
      FINISH,
    ],
    back: [
      STARTED,
      ...callBack,
      ev("tool.result", { toolCallId: "c1", error: "offline" }),
      FINISHED,
    ],
  });
});
