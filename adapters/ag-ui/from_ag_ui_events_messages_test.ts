// One round trip per row AGUI-MAP-67 to AGUI-MAP-82 of spec/v1/view-ag-ui.md
// §3: messages snapshots, activity, raw and custom events, reasoning,
// subagents and the members every AG-UI event has.

import { test } from "node:test";
import { assertRoundTrip } from "./_ag_ui_test_support.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";

const RUN = "r1";
const STARTED: AgUiEvent = { type: "RUN_STARTED", threadId: "t", runId: RUN };

test("AGUI-MAP-67 MESSAGES_SNAPSHOT: messages.snapshot, each message read as §3.1 says", () => {
  assertRoundTrip({
    events: [{
      type: "MESSAGES_SNAPSHOT",
      messages: [
        {
          id: "u1",
          role: "user",
          content: [{ type: "text", text: "a" }, { type: "text", text: "b" }],
        },
        {
          id: "a1",
          role: "assistant",
          toolCalls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { id: "t1", role: "tool", toolCallId: "c1", content: "", error: "boom" },
        { id: "r1m", role: "reasoning", content: "hm", encryptedValue: "e" },
        { id: "d1", role: "activity", activityType: "card", content: { value: 3 } },
      ],
    }],
    canonical: [{
      type: "messages.snapshot",
      messages: [
        { id: "u1", role: "user", content: "ab" },
        {
          id: "a1",
          role: "assistant",
          content: "",
          toolCalls: [{ id: "c1", name: "f", arguments: "{}", input: {} }],
        },
        { id: "t1", role: "tool", toolCallId: "c1", error: "boom" },
        { id: "r1m", role: "reasoning", content: "hm", encryptedValue: "e" },
        { id: "d1", role: "data", name: "card", value: 3 },
      ],
      runId: RUN,
    }],
    again: [{
      type: "MESSAGES_SNAPSHOT",
      messages: [
        { id: "u1", role: "user", content: "ab" },
        {
          id: "a1",
          role: "assistant",
          content: "",
          toolCalls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { id: "t1", role: "tool", toolCallId: "c1", content: "boom" },
        { id: "r1m", role: "reasoning", content: "hm", encryptedValue: "e" },
      ],
    }],
  });
});

test("AGUI-MAP-68 ACTIVITY_SNAPSHOT: a data message, replaced unless replace is false", () => {
  assertRoundTrip({
    events: [
      { type: "ACTIVITY_SNAPSHOT", messageId: "d1", activityType: "card", content: { value: 1 } },
      {
        type: "ACTIVITY_SNAPSHOT",
        messageId: "d1",
        activityType: "card",
        content: {},
        replace: false,
      },
      { type: "ACTIVITY_SNAPSHOT", messageId: "d1", activityType: "plan", content: { a: 1, b: 2 } },
      { type: "ACTIVITY_SNAPSHOT", messageId: "d2", activityType: "card", content: {} },
    ],
    canonical: [
      { type: "custom.event", name: "card", dataId: "d1", value: 1, runId: RUN },
      { type: "custom.event", name: "plan", dataId: "d1", value: { a: 1, b: 2 }, runId: RUN },
      { type: "custom.event", name: "card", dataId: "d2", runId: RUN },
    ],
    again: [
      { type: "CUSTOM", name: "card", value: 1, metadata: { "agent-stream": { dataId: "d1" } } },
      {
        type: "CUSTOM",
        name: "plan",
        value: { a: 1, b: 2 },
        metadata: { "agent-stream": { dataId: "d1" } },
      },
      { type: "CUSTOM", name: "card", value: null, metadata: { "agent-stream": { dataId: "d2" } } },
    ],
  });
});

test("AGUI-MAP-69 ACTIVITY_DELTA: the data message's value after the patch", () => {
  assertRoundTrip({
    prefix: [STARTED, {
      type: "ACTIVITY_SNAPSHOT",
      messageId: "d1",
      activityType: "plan",
      content: { steps: [] },
    }],
    events: [{
      type: "ACTIVITY_DELTA",
      messageId: "d1",
      activityType: "plan",
      patch: [{ op: "add", path: "/steps/-", value: "x" }],
    }],
    canonical: [
      { type: "custom.event", name: "plan", dataId: "d1", value: { steps: ["x"] }, runId: RUN },
    ],
    again: [{
      type: "CUSTOM",
      name: "plan",
      value: { steps: ["x"] },
      metadata: { "agent-stream": { dataId: "d1" } },
    }],
  });
});

test("AGUI-MAP-70 RAW: raw.event", () => {
  assertRoundTrip({
    events: [{ type: "RAW", event: { x: 1 }, source: "anthropic" }],
    canonical: [{ type: "raw.event", event: { x: 1 }, source: "anthropic", runId: RUN }],
    again: [{ type: "RAW", event: { x: 1 }, source: "anthropic" }],
  });
});

test("AGUI-MAP-71 CUSTOM: a carried event, a data message, or a transient custom.event", () => {
  const carried = { type: "task.created", taskId: "k1", meta: { a: 1 } };
  assertRoundTrip({
    events: [
      {
        type: "CUSTOM",
        name: carried.type,
        value: carried,
        metadata: { "agent-stream": { event: true } },
      },
      { type: "CUSTOM", name: "card", value: 2, metadata: { "agent-stream": { dataId: "d1" } } },
      { type: "CUSTOM", name: "ping", value: null, metadata: { tag: "x" } },
    ],
    canonical: [
      carried,
      { type: "custom.event", name: "card", value: 2, dataId: "d1", runId: RUN },
      {
        type: "custom.event",
        name: "ping",
        value: null,
        transient: true,
        runId: RUN,
        meta: { tag: "x" },
      },
    ],
    again: [
      {
        type: "CUSTOM",
        name: carried.type,
        value: carried,
        metadata: { "agent-stream": { event: true } },
      },
      { type: "CUSTOM", name: "card", value: 2, metadata: { "agent-stream": { dataId: "d1" } } },
      { type: "CUSTOM", name: "ping", value: null, metadata: { tag: "x" } },
    ],
  });
});

test("AGUI-MAP-72 REASONING_START: nothing", () => {
  assertRoundTrip({
    events: [{ type: "REASONING_START", messageId: "s1" }],
    canonical: [],
    again: [],
  });
});

const REASONING: AgUiEvent[] = [
  STARTED,
  { type: "REASONING_START", messageId: "m1" },
  { type: "REASONING_MESSAGE_START", messageId: "m1", role: "reasoning" },
];

test("AGUI-MAP-73 REASONING_MESSAGE_START: reasoning.start", () => {
  assertRoundTrip({
    events: [{ type: "REASONING_MESSAGE_START", messageId: "m1", role: "reasoning" }],
    canonical: [{ type: "reasoning.start", messageId: "m1", runId: RUN }],
    again: [
      { type: "REASONING_START", messageId: "m1" },
      { type: "REASONING_MESSAGE_START", messageId: "m1", role: "reasoning" },
    ],
  });
});

test("AGUI-MAP-74 REASONING_MESSAGE_CONTENT: reasoning.delta", () => {
  assertRoundTrip({
    prefix: REASONING,
    events: [{ type: "REASONING_MESSAGE_CONTENT", messageId: "m1", delta: "Hm" }],
    canonical: [{ type: "reasoning.delta", messageId: "m1", delta: "Hm", runId: RUN }],
    again: [{ type: "REASONING_MESSAGE_CONTENT", messageId: "m1", delta: "Hm" }],
  });
});

test("AGUI-MAP-75 REASONING_MESSAGE_END: reasoning.end, once encrypted values that follow are in", () => {
  assertRoundTrip({
    prefix: REASONING,
    events: [
      { type: "REASONING_MESSAGE_END", messageId: "m1" },
      {
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "message",
        entityId: "m1",
        encryptedValue: "e",
      },
      { type: "REASONING_END", messageId: "m1" },
      { type: "STATE_SNAPSHOT", snapshot: 1 },
    ],
    canonical: [
      { type: "reasoning.end", messageId: "m1", encryptedValue: "e", runId: RUN },
      { type: "state.snapshot", snapshot: 1, runId: RUN },
    ],
    again: [
      { type: "REASONING_MESSAGE_END", messageId: "m1" },
      {
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "message",
        entityId: "m1",
        encryptedValue: "e",
      },
      { type: "REASONING_END", messageId: "m1" },
      { type: "STATE_SNAPSHOT", snapshot: 1 },
    ],
  });
});

test("AGUI-MAP-76 REASONING_MESSAGE_CHUNK: expanded into start, deltas and end", () => {
  assertRoundTrip({
    events: [
      { type: "REASONING_MESSAGE_CHUNK", messageId: "m1", delta: "a" },
      { type: "REASONING_MESSAGE_CHUNK", delta: "b" },
    ],
    canonical: [
      { type: "reasoning.start", messageId: "m1", runId: RUN },
      { type: "reasoning.delta", messageId: "m1", delta: "a", runId: RUN },
      { type: "reasoning.delta", messageId: "m1", delta: "b", runId: RUN },
      { type: "reasoning.end", messageId: "m1", runId: RUN },
    ],
    again: [
      { type: "REASONING_START", messageId: "m1" },
      { type: "REASONING_MESSAGE_START", messageId: "m1", role: "reasoning" },
      { type: "REASONING_MESSAGE_CONTENT", messageId: "m1", delta: "a" },
      { type: "REASONING_MESSAGE_CONTENT", messageId: "m1", delta: "b" },
      { type: "REASONING_MESSAGE_END", messageId: "m1" },
      { type: "REASONING_END", messageId: "m1" },
    ],
  });
});

test("AGUI-MAP-77 REASONING_END: nothing", () => {
  assertRoundTrip({
    prefix: [...REASONING, { type: "REASONING_MESSAGE_END", messageId: "m1" }],
    events: [{ type: "REASONING_END", messageId: "m1" }],
    canonical: [{ type: "reasoning.end", messageId: "m1", runId: RUN }],
    again: [
      { type: "REASONING_MESSAGE_END", messageId: "m1" },
      { type: "REASONING_END", messageId: "m1" },
    ],
  });
});

test("AGUI-MAP-78 REASONING_ENCRYPTED_VALUE: the reasoning's encrypted value, else nothing", () => {
  assertRoundTrip({
    prefix: [...REASONING, CALL_START, { type: "TOOL_CALL_END", toolCallId: "c1" }],
    events: [
      {
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "message",
        entityId: "m1",
        encryptedValue: "e",
      },
      {
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "tool-call",
        entityId: "c1",
        encryptedValue: "x",
      },
      { type: "REASONING_MESSAGE_END", messageId: "m1" },
    ],
    canonical: [{ type: "reasoning.end", messageId: "m1", encryptedValue: "e", runId: RUN }],
    again: [
      { type: "REASONING_MESSAGE_END", messageId: "m1" },
      {
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "message",
        entityId: "m1",
        encryptedValue: "e",
      },
      { type: "REASONING_END", messageId: "m1" },
    ],
  });
});

test("AGUI-MAP-79 SUBAGENT_STARTED: agent.spawned and agent.started, or agent.resumed", () => {
  assertRoundTrip({
    events: [
      { type: "SUBAGENT_STARTED", subagentRunId: "s1", name: "coder" },
      { type: "SUBAGENT_STARTED", subagentRunId: "s2", name: "tester", parentSubagentRunId: "s1" },
      { type: "SUBAGENT_FINISHED", subagentRunId: "s2", outcome: { type: "suspended" } },
      { type: "SUBAGENT_STARTED", subagentRunId: "s2", name: "tester" },
    ],
    canonical: [
      { type: "agent.spawned", agentId: "s1", name: "coder", runId: RUN },
      { type: "agent.started", agentId: "s1", runId: RUN },
      { type: "agent.spawned", agentId: "s2", name: "tester", parentAgentId: "s1", runId: RUN },
      { type: "agent.started", agentId: "s2", runId: RUN },
      { type: "agent.paused", agentId: "s2", reason: "suspended", runId: RUN },
      { type: "agent.resumed", agentId: "s2", runId: RUN },
    ],
    again: carried([
      { type: "agent.spawned", agentId: "s1", name: "coder", runId: RUN },
      { type: "agent.started", agentId: "s1", runId: RUN },
      { type: "agent.spawned", agentId: "s2", name: "tester", parentAgentId: "s1", runId: RUN },
      { type: "agent.started", agentId: "s2", runId: RUN },
      { type: "agent.paused", agentId: "s2", reason: "suspended", runId: RUN },
      { type: "agent.resumed", agentId: "s2", runId: RUN },
    ]),
  });
});

const SUBAGENT: AgUiEvent[] = [STARTED, {
  type: "SUBAGENT_STARTED",
  subagentRunId: "s1",
  name: "x",
}];

test("AGUI-MAP-80 SUBAGENT_FINISHED: agent.stopped", () => {
  assertRoundTrip({
    prefix: SUBAGENT,
    events: [{ type: "SUBAGENT_FINISHED", subagentRunId: "s1", result: 1 }],
    canonical: [{ type: "agent.stopped", agentId: "s1", runId: RUN }],
    again: carried([{ type: "agent.stopped", agentId: "s1", runId: RUN }]),
  });
});

test("AGUI-MAP-81 SUBAGENT_ERROR: agent.error, then agent.stopped", () => {
  assertRoundTrip({
    prefix: SUBAGENT,
    events: [{ type: "SUBAGENT_ERROR", subagentRunId: "s1", message: "bad", code: "E" }],
    canonical: [
      { type: "agent.error", agentId: "s1", message: "bad", code: "E", runId: RUN },
      { type: "agent.stopped", agentId: "s1", reason: "bad", runId: RUN },
    ],
    again: carried([
      { type: "agent.error", agentId: "s1", message: "bad", code: "E", runId: RUN },
      { type: "agent.stopped", agentId: "s1", reason: "bad", runId: RUN },
    ]),
  });
});

test("AGUI-MAP-82 timestamp and metadata: time and meta; rawEvent and attribution dropped", () => {
  assertRoundTrip({
    events: [{
      type: "STATE_SNAPSHOT",
      snapshot: 1,
      timestamp: Date.UTC(2026, 0, 2),
      metadata: { trace: "x", "agent-stream": { dataId: "ignored" } },
      rawEvent: { provider: true },
      subagentRunId: "s9",
    }],
    canonical: [{
      type: "state.snapshot",
      snapshot: 1,
      runId: RUN,
      time: "2026-01-02T00:00:00.000Z",
      meta: { trace: "x" },
    }],
    again: [{
      type: "STATE_SNAPSHOT",
      snapshot: 1,
      timestamp: Date.UTC(2026, 0, 2),
      metadata: { trace: "x" },
    }],
  });
});

const CALL_START: AgUiEvent = { type: "TOOL_CALL_START", toolCallId: "c1", toolCallName: "f" };

function carried(events: { type: string; [key: string]: unknown }[]): AgUiEvent[] {
  return events.map((e) => ({
    type: "CUSTOM",
    name: e.type,
    value: e,
    metadata: { "agent-stream": { event: true } },
  }));
}
