// One round trip per row of spec/v1/view-ai-sdk.md §5 (chunks → events):
// the events each chunk maps to, and the chunks those events map back to.

import { describe } from "node:test";
import { TOOL_DENIED_ERROR } from "./reader_errors.ts";
import {
  chunksRow,
  ev,
  FINISH,
  FINISHED,
  passed,
  R,
  START,
  STARTED,
} from "./_rows_test_support.ts";

const M = { runId: R };
const start = { type: "start", messageId: R };
const finish = { type: "finish" };
const asst = (messageId: string) => ev("text.start", { messageId, role: "assistant" });
const available = (input: unknown) => ({
  type: "tool-input-available",
  toolCallId: "c1",
  toolName: "t",
  input,
});
const toolStart = { type: "tool-input-start", toolCallId: "c1", toolName: "t" };

describe("chunks → events → chunks, row by row", () => {
  chunksRow("AISDK-MAP-38 start → run.started; another message id first ends the run", {
    chunks: [
      { type: "start", messageId: "m1", messageMetadata: { threadId: "t" } },
      { type: "start", messageId: "m2", messageMetadata: { runId: "r2" } },
      finish,
    ],
    events: [
      { type: "run.started", runId: "m1", threadId: "t" },
      { type: "run.finished", runId: "m1", outcome: "success" },
      { type: "run.started", runId: "r2" },
      { type: "run.finished", runId: "r2", outcome: "success" },
    ],
    back: [
      {
        type: "start",
        messageId: "m1",
        messageMetadata: { runId: "m1", status: "running", threadId: "t" },
      },
      {
        type: "finish",
        finishReason: "stop",
        messageMetadata: { runId: "m1", status: "success", threadId: "t" },
      },
      { type: "start", messageId: "r2", messageMetadata: { runId: "r2", status: "running" } },
      { type: "finish", finishReason: "stop", messageMetadata: { runId: "r2", status: "success" } },
    ],
  });

  const interrupts = [{ id: "ap", reason: "approval", toolCallId: "c1", message: "ok?" }];
  chunksRow("AISDK-MAP-39 finish → closing events, run.finished with pending approvals", {
    chunks: [
      start,
      { type: "text-start", id: "t1" },
      toolStart,
      available({}),
      { type: "tool-approval-request", approvalId: "ap", toolCallId: "c1", reason: "ok?" },
      { type: "finish", finishReason: "tool-calls", messageMetadata: { result: 1 } },
    ],
    events: [
      STARTED,
      asst("t1"),
      ev("tool.start", { toolCallId: "c1", toolName: "t" }),
      ev("tool.end", { toolCallId: "c1", input: {} }),
      ev("text.end", { messageId: "t1" }),
      ev("run.finished", { outcome: "interrupt", result: 1, interrupts }),
    ],
    back: [
      START,
      { type: "text-start", id: "t1" },
      toolStart,
      available({}),
      { type: "text-end", id: "t1" },
      { type: "tool-approval-request", approvalId: "ap", toolCallId: "c1", reason: "ok?" },
      {
        type: "finish",
        finishReason: "other",
        messageMetadata: { ...M, status: "interrupt", result: 1, interrupts },
      },
    ],
  });

  chunksRow("AISDK-MAP-40 abort → closing events, run.finished cancelled", {
    chunks: [start, { type: "text-start", id: "t1" }, { type: "abort", reason: "user" }],
    events: [
      STARTED,
      asst("t1"),
      ev("text.end", { messageId: "t1" }),
      ev("run.finished", { outcome: "cancelled" }),
    ],
    back: [
      START,
      { type: "text-start", id: "t1" },
      { type: "text-end", id: "t1" },
      { type: "message-metadata", messageMetadata: { ...M, status: "cancelled" } },
      { type: "abort", reason: "cancelled" },
    ],
  });

  chunksRow("AISDK-MAP-41 error → run.error; a finish after it maps to nothing", {
    chunks: [start, { type: "text-start", id: "t1" }, { type: "error", errorText: "boom" }, finish],
    events: [STARTED, asst("t1"), ev("run.error", { message: "boom" })],
    back: [
      START,
      { type: "text-start", id: "t1" },
      { type: "text-end", id: "t1" },
      {
        type: "message-metadata",
        messageMetadata: { ...M, status: "error", error: { message: "boom" } },
      },
      { type: "error", errorText: "boom" },
    ],
  });

  chunksRow("AISDK-MAP-42 message-metadata → nothing, merged into the run's metadata", {
    chunks: [
      start,
      { type: "message-metadata", messageMetadata: { result: { a: 1 } } },
      { type: "message-metadata", messageMetadata: { result: { b: 2 } } },
      finish,
    ],
    events: [STARTED, ev("run.finished", { outcome: "success", result: { a: 1, b: 2 } })],
    back: [
      START,
      { ...FINISH, messageMetadata: { ...M, status: "success", result: { a: 1, b: 2 } } },
    ],
  });

  chunksRow("AISDK-MAP-43 text chunks → text events; a reused id is made new", {
    chunks: [
      start,
      { type: "text-start", id: "0" },
      { type: "text-delta", id: "0", delta: "a" },
      { type: "text-end", id: "0" },
      { type: "text-start", id: "0" },
      { type: "text-delta", id: "0", delta: "b" },
      { type: "text-end", id: "0" },
      finish,
    ],
    events: [
      STARTED,
      asst("0"),
      ev("text.delta", { messageId: "0", delta: "a" }),
      ev("text.end", { messageId: "0" }),
      asst("0:2"),
      ev("text.delta", { messageId: "0:2", delta: "b" }),
      ev("text.end", { messageId: "0:2" }),
      FINISHED,
    ],
    back: [
      START,
      { type: "text-start", id: "0" },
      { type: "text-delta", id: "0", delta: "a" },
      { type: "text-end", id: "0" },
      { type: "text-start", id: "0:2" },
      { type: "text-delta", id: "0:2", delta: "b" },
      { type: "text-end", id: "0:2" },
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-44 reasoning chunks → reasoning events with the agentStream signature", {
    chunks: [
      start,
      { type: "reasoning-start", id: "r1" },
      { type: "reasoning-delta", id: "r1", delta: "hm" },
      {
        type: "reasoning-end",
        id: "r1",
        providerMetadata: { agentStream: { signature: "s" }, anthropic: { x: 1 } },
      },
      finish,
    ],
    events: [
      STARTED,
      ev("reasoning.start", { messageId: "r1" }),
      ev("reasoning.delta", { messageId: "r1", delta: "hm" }),
      ev("reasoning.end", { messageId: "r1", signature: "s" }),
      FINISHED,
    ],
    back: [
      START,
      { type: "reasoning-start", id: "r1" },
      { type: "reasoning-delta", id: "r1", delta: "hm" },
      { type: "reasoning-end", id: "r1", providerMetadata: { agentStream: { signature: "s" } } },
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-45 tool-input-start → tool.start (dynamic and title are lost)", {
    chunks: [start, { ...toolStart, dynamic: true, title: "T" }, finish],
    events: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "t" }),
      ev("tool.end", { toolCallId: "c1" }),
      FINISHED,
    ],
    back: [START, toolStart, available(null), FINISH],
  });

  chunksRow("AISDK-MAP-46 tool-input-delta → tool.delta; text input as one JSON string", {
    chunks: [
      start,
      { ...toolStart, inputEncoding: "text" },
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: 'he"l' },
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: "lo" },
      available('he"llo'),
      finish,
    ],
    events: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "t" }),
      ev("tool.delta", { toolCallId: "c1", delta: '"he\\"l' }),
      ev("tool.delta", { toolCallId: "c1", delta: "lo" }),
      ev("tool.delta", { toolCallId: "c1", delta: '"' }),
      ev("tool.end", { toolCallId: "c1", input: 'he"llo' }),
      FINISHED,
    ],
    back: [
      START,
      toolStart,
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '"he\\"l' },
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: "lo" },
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '"' },
      available('he"llo'),
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-47 tool-input-available → tool.end; deltas that disagree win", {
    chunks: [
      start,
      available({ a: 1 }),
      { type: "tool-input-start", toolCallId: "c2", toolName: "t" },
      { type: "tool-input-delta", toolCallId: "c2", inputTextDelta: '{"a":1}' },
      { type: "tool-input-available", toolCallId: "c2", toolName: "t", input: { a: 2 } },
      finish,
    ],
    events: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "t" }),
      ev("tool.delta", { toolCallId: "c1", delta: '{"a":1}' }),
      ev("tool.end", { toolCallId: "c1", input: { a: 1 } }),
      ev("tool.start", { toolCallId: "c2", toolName: "t" }),
      ev("tool.delta", { toolCallId: "c2", delta: '{"a":1}' }),
      ev("tool.end", { toolCallId: "c2" }),
      FINISHED,
    ],
    back: [
      START,
      toolStart,
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '{"a":1}' },
      available({ a: 1 }),
      { type: "tool-input-start", toolCallId: "c2", toolName: "t" },
      { type: "tool-input-delta", toolCallId: "c2", inputTextDelta: '{"a":1}' },
      { type: "tool-input-available", toolCallId: "c2", toolName: "t", input: { a: 1 } },
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-48 tool-input-error → tool.end and tool.result with the error", {
    chunks: [
      start,
      { type: "tool-input-error", toolCallId: "c1", toolName: "t", input: "bad", errorText: "no" },
      finish,
    ],
    events: [
      STARTED,
      ev("tool.start", { toolCallId: "c1", toolName: "t" }),
      ev("tool.delta", { toolCallId: "c1", delta: '"bad"' }),
      ev("tool.end", { toolCallId: "c1", input: "bad" }),
      ev("tool.result", { toolCallId: "c1", error: "no" }),
      FINISHED,
    ],
    back: [
      START,
      toolStart,
      { type: "tool-input-delta", toolCallId: "c1", inputTextDelta: '"bad"' },
      available("bad"),
      { type: "tool-output-error", toolCallId: "c1", errorText: "no" },
      FINISH,
    ],
  });

  const called = [
    STARTED,
    ev("tool.start", { toolCallId: "c1", toolName: "t" }),
    ev("tool.end", { toolCallId: "c1", input: null }),
  ];
  chunksRow("AISDK-MAP-49 tool-output-available → tool.result; preliminary outputs → nothing", {
    chunks: [
      start,
      toolStart,
      available(null),
      { type: "tool-output-available", toolCallId: "c1", output: 1, preliminary: true },
      { type: "tool-output-available", toolCallId: "c1", output: 2 },
      finish,
    ],
    events: [...called, ev("tool.result", { toolCallId: "c1", output: 2 }), FINISHED],
    back: [
      START,
      toolStart,
      available(null),
      { type: "tool-output-available", toolCallId: "c1", output: 2 },
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-50 tool-output-error → tool.result with the error", {
    chunks: [
      start,
      toolStart,
      available(null),
      { type: "tool-output-error", toolCallId: "c1", errorText: "down" },
      finish,
    ],
    events: [...called, ev("tool.result", { toolCallId: "c1", error: "down" }), FINISHED],
    back: [
      START,
      toolStart,
      available(null),
      { type: "tool-output-error", toolCallId: "c1", errorText: "down" },
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-51 tool-output-denied → tool.result with the denial as error", {
    chunks: [
      start,
      toolStart,
      available(null),
      { type: "tool-output-denied", toolCallId: "c1" },
      finish,
    ],
    events: [
      ...called,
      ev("tool.result", { toolCallId: "c1", error: TOOL_DENIED_ERROR }),
      FINISHED,
    ],
    back: [
      START,
      toolStart,
      available(null),
      { type: "tool-output-error", toolCallId: "c1", errorText: TOOL_DENIED_ERROR },
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-52 tool-approval-request → an interrupt unless a result comes first", {
    chunks: [
      start,
      toolStart,
      available(null),
      { type: "tool-approval-request", approvalId: "a1", toolCallId: "c1" },
      { type: "tool-input-available", toolCallId: "c2", toolName: "t", input: null },
      { type: "tool-approval-request", approvalId: "a2", toolCallId: "c2" },
      { type: "tool-output-available", toolCallId: "c2", output: "done anyway" },
      finish,
    ],
    events: [
      ...called,
      ev("tool.start", { toolCallId: "c2", toolName: "t" }),
      ev("tool.delta", { toolCallId: "c2", delta: "null" }),
      ev("tool.end", { toolCallId: "c2", input: null }),
      ev("tool.result", { toolCallId: "c2", output: "done anyway" }),
      ev("run.finished", {
        outcome: "interrupt",
        interrupts: [{ id: "a1", reason: "approval", toolCallId: "c1" }],
      }),
    ],
    back: [
      START,
      toolStart,
      available(null),
      { type: "tool-input-start", toolCallId: "c2", toolName: "t" },
      { type: "tool-input-delta", toolCallId: "c2", inputTextDelta: "null" },
      { type: "tool-input-available", toolCallId: "c2", toolName: "t", input: null },
      { type: "tool-output-available", toolCallId: "c2", output: "done anyway" },
      { type: "tool-approval-request", approvalId: "a1", toolCallId: "c1" },
      {
        type: "finish",
        finishReason: "other",
        messageMetadata: {
          ...M,
          status: "interrupt",
          interrupts: [{ id: "a1", reason: "approval", toolCallId: "c1" }],
        },
      },
    ],
  });

  const response = { approvalId: "a1", approved: true, reason: "fine" };
  chunksRow("AISDK-MAP-53 tool-approval-response → a data message of the response", {
    chunks: [start, { type: "tool-approval-response", ...response }, finish],
    events: [
      STARTED,
      ev("custom.event", { name: "ai-sdk.tool-approval-response", value: response }),
      FINISHED,
    ],
    back: [
      START,
      { type: "data-ai-sdk.tool-approval-response", id: "data:1", data: response },
      FINISH,
    ],
  });

  const snapshot = ev("state.snapshot", { snapshot: { n: 1 } });
  chunksRow("AISDK-MAP-54 data-<name> → custom.event; data-agent-stream → the event it carries", {
    chunks: [
      start,
      { type: "data-card", id: "d1", data: 1 },
      { type: "data-progress", data: 0.5, transient: true },
      passed(snapshot),
      finish,
    ],
    events: [
      STARTED,
      ev("custom.event", { name: "card", value: 1, dataId: "d1" }),
      ev("custom.event", { name: "progress", value: 0.5, transient: true }),
      snapshot,
      FINISHED,
    ],
    back: [
      START,
      { type: "data-card", id: "d1", data: 1 },
      { type: "data-progress", data: 0.5, transient: true },
      passed(snapshot),
      FINISH,
    ],
  });

  chunksRow("AISDK-MAP-55 steering-message → a user text.message (file parts are lost)", {
    chunks: [
      start,
      {
        type: "steering-message",
        id: "s1",
        parts: [
          { type: "text", text: "a" },
          { type: "file", mediaType: "image/png", url: "https://example.com/x.png" },
          { type: "text", text: "b" },
        ],
      },
      finish,
    ],
    events: [
      STARTED,
      ev("text.message", { messageId: "s1", role: "user", content: "a\nb" }),
      FINISHED,
    ],
    back: [
      START,
      { type: "steering-message", id: "s1", parts: [{ type: "text", text: "a\nb" }] },
      FINISH,
    ],
  });

  const steps = [
    ev("step.started", { stepName: "step-1" }),
    ev("step.finished", { stepName: "step-1" }),
    ev("step.started", { stepName: "step-2" }),
    ev("step.finished", { stepName: "step-2" }),
  ];
  chunksRow("AISDK-MAP-56 start-step, finish-step → step events, passed through on the way back", {
    chunks: [
      start,
      { type: "start-step" },
      { type: "start-step" },
      { type: "finish-step" },
      finish,
    ],
    events: [STARTED, ...steps, FINISHED],
    back: [START, ...steps.map(passed), FINISH],
  });

  chunksRow("AISDK-MAP-57 reset-step → nothing", {
    chunks: [start, { type: "reset-step" }, finish],
    events: [STARTED, FINISHED],
    back: [START, FINISH],
  });

  const source = { sourceId: "s", url: "https://example.com", title: "Example" };
  const file = { url: "data:text/plain,hi", mediaType: "text/plain" };
  chunksRow("AISDK-MAP-58 sources, files and custom parts → ai-sdk.<type> data messages", {
    chunks: [
      start,
      { type: "source-url", ...source },
      { type: "source-document", sourceId: "d", mediaType: "application/pdf", title: "Doc" },
      { type: "file", ...file },
      { type: "reasoning-file", ...file },
      { type: "custom", kind: "acme.widget" },
      finish,
    ],
    events: [
      STARTED,
      ev("custom.event", { name: "ai-sdk.source-url", value: source }),
      ev("custom.event", {
        name: "ai-sdk.source-document",
        value: { sourceId: "d", mediaType: "application/pdf", title: "Doc" },
      }),
      ev("custom.event", { name: "ai-sdk.file", value: file }),
      ev("custom.event", { name: "ai-sdk.reasoning-file", value: file }),
      ev("custom.event", { name: "ai-sdk.custom", value: { kind: "acme.widget" } }),
      FINISHED,
    ],
    back: [
      START,
      { type: "data-ai-sdk.source-url", id: "data:1", data: source },
      {
        type: "data-ai-sdk.source-document",
        id: "data:2",
        data: { sourceId: "d", mediaType: "application/pdf", title: "Doc" },
      },
      { type: "data-ai-sdk.file", id: "data:3", data: file },
      { type: "data-ai-sdk.reasoning-file", id: "data:4", data: file },
      { type: "data-ai-sdk.custom", id: "data:5", data: { kind: "acme.widget" } },
      FINISH,
    ],
  });
});
