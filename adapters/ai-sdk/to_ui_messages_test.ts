// toUiMessages (spec/v1/view-ai-sdk.md §4): the list, the parts, the states
// of tool calls, over conversations projected from small streams.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { projectConversation } from "../../src/conversation/project_conversation.ts";
import { toUiMessages } from "./to_ui_messages.ts";
import { jsonOf } from "./_view_test_support.ts";

const ui = (events: unknown[]) => jsonOf(toUiMessages(projectConversation(events)));

describe("toUiMessages", () => {
  it("gives user and system messages of no run their own message, developer as system", () => {
    assert.deepEqual(
      ui([
        { type: "text.message", messageId: "s", role: "system", content: "Be brief" },
        { type: "text.message", messageId: "d", role: "developer", content: "No tools" },
        { type: "text.message", messageId: "u", role: "user", content: "Hi" },
      ]),
      [
        { id: "s", role: "system", parts: [{ type: "text", text: "Be brief" }] },
        { id: "d", role: "system", parts: [{ type: "text", text: "No tools" }] },
        { id: "u", role: "user", parts: [{ type: "text", text: "Hi" }] },
      ],
    );
  });

  it("gives each run one assistant message, with the run as metadata, at its first part", () => {
    const messages = ui([
      { type: "text.message", messageId: "u1", role: "user", content: "Q1" },
      { type: "run.started", runId: "r1", threadId: "t" },
      { type: "text.message", runId: "r1", messageId: "a1", role: "assistant", content: "A" },
      { type: "text.message", runId: "r1", messageId: "s1", role: "system", content: "note" },
      { type: "reasoning.start", runId: "r1", messageId: "k1" },
      { type: "reasoning.end", runId: "r1", messageId: "k1", signature: "sig" },
      { type: "run.finished", runId: "r1", outcome: "success", result: 1 },
      { type: "run.started", runId: "r2" },
      { type: "run.error", runId: "r2", message: "overloaded" },
    ]);
    assert.deepEqual(messages, [
      { id: "u1", role: "user", parts: [{ type: "text", text: "Q1" }] },
      {
        id: "r1",
        role: "assistant",
        metadata: { runId: "r1", status: "success", threadId: "t", result: 1 },
        parts: [
          { type: "text", text: "A", state: "done" },
          {
            type: "reasoning",
            id: "k1",
            text: "",
            state: "done",
            providerMetadata: { agentStream: { signature: "sig" } },
          },
        ],
      },
      { id: "s1", role: "system", parts: [{ type: "text", text: "note" }] },
    ]);
  });

  it("groups consecutive assistant-side messages of no run into one message", () => {
    const messages = ui([
      {
        type: "messages.snapshot",
        messages: [
          { id: "u", role: "user", content: "Weather?" },
          {
            id: "a",
            role: "assistant",
            content: "Checking.",
            toolCalls: [{ id: "c", name: "weather", arguments: "{}", input: {} }],
          },
          { id: "t", role: "tool", toolCallId: "c", output: 4 },
          { id: "b", role: "assistant", content: "4 °C.", toolCalls: [] },
          { id: "v", role: "data", name: "card", value: { c: 4 } },
          { id: "u2", role: "user", content: "Thanks" },
          { id: "z", role: "assistant", content: "", toolCalls: [] },
        ],
      },
    ]);
    assert.deepEqual(messages, [
      { id: "u", role: "user", parts: [{ type: "text", text: "Weather?" }] },
      {
        id: "a",
        role: "assistant",
        parts: [
          { type: "text", text: "Checking.", state: "done" },
          {
            type: "tool-weather",
            toolCallId: "c",
            state: "output-available",
            input: {},
            output: 4,
          },
          { type: "text", text: "4 °C.", state: "done" },
          { type: "data-card", id: "v", data: { c: 4 } },
        ],
      },
      { id: "u2", role: "user", parts: [{ type: "text", text: "Thanks" }] },
      { id: "z", role: "assistant", parts: [{ type: "text", text: "", state: "done" }] },
    ]);
  });

  it("shows each state of a tool call, and results of later runs in the call's message", () => {
    const events = [
      { type: "run.started", runId: "r1" },
      { type: "tool.start", runId: "r1", toolCallId: "open", toolName: "t" },
      { type: "tool.delta", runId: "r1", toolCallId: "open", delta: '{"a":1}' },
      { type: "tool.start", runId: "r1", toolCallId: "cut", toolName: "t" },
      { type: "tool.delta", runId: "r1", toolCallId: "cut", delta: "[1," },
      { type: "run.error", runId: "r1", message: "boom" },
      { type: "run.started", runId: "r2" },
      { type: "tool.start", runId: "r2", toolCallId: "ok", toolName: "t" },
      { type: "tool.end", runId: "r2", toolCallId: "ok" },
      { type: "tool.start", runId: "r2", toolCallId: "bad", toolName: "t" },
      { type: "tool.end", runId: "r2", toolCallId: "bad", input: 1 },
      { type: "tool.result", runId: "r2", toolCallId: "bad", error: "no" },
      { type: "tool.start", runId: "r2", toolCallId: "ask", toolName: "t" },
      { type: "tool.end", runId: "r2", toolCallId: "ask", input: { q: 1 } },
      {
        type: "run.finished",
        runId: "r2",
        outcome: "interrupt",
        interrupts: [{ id: "i", reason: "approval", toolCallId: "ask", message: "OK?" }],
      },
      { type: "run.started", runId: "r3" },
      { type: "tool.result", runId: "r3", toolCallId: "ok", output: "late" },
      { type: "run.finished", runId: "r3", outcome: "success" },
    ];
    const [r1, r2] = ui(events) as { parts: unknown[] }[];
    assert.deepEqual(r1.parts, [
      { type: "tool-t", toolCallId: "open", state: "input-available", input: { a: 1 } },
      { type: "tool-t", toolCallId: "cut", state: "input-streaming", rawInput: "[1," },
    ]);
    assert.deepEqual(r2.parts, [
      { type: "tool-t", toolCallId: "ok", state: "output-available", input: null, output: "late" },
      { type: "tool-t", toolCallId: "bad", state: "output-error", input: 1, errorText: "no" },
      {
        type: "tool-t",
        toolCallId: "ask",
        state: "approval-requested",
        input: { q: 1 },
        approval: { id: "i", requestReason: "OK?" },
      },
    ]);
    assert.equal((ui(events) as unknown[]).length, 2, "r3 adds no part");
  });

  it("shows a user message of a run as a steering part once it ended", () => {
    const events = [
      { type: "run.started", runId: "r1" },
      { type: "text.start", runId: "r1", messageId: "u", role: "user" },
      { type: "text.delta", runId: "r1", messageId: "u", delta: "Stop" },
    ];
    assert.deepEqual(ui(events), []);
    assert.deepEqual(ui([...events, { type: "text.end", runId: "r1", messageId: "u" }]), [{
      id: "r1",
      role: "assistant",
      metadata: { runId: "r1", status: "running" },
      parts: [{ type: "steering-message", id: "u", parts: [{ type: "text", text: "Stop" }] }],
    }]);
  });

  it("marks open text and reasoning as streaming", () => {
    const [message] = ui([
      { type: "run.started", runId: "r1" },
      { type: "text.start", runId: "r1", messageId: "a" },
      { type: "text.delta", runId: "r1", messageId: "a", delta: "Hel" },
      { type: "reasoning.start", runId: "r1", messageId: "k" },
    ]) as { parts: unknown[] }[];
    assert.deepEqual(message.parts, [
      { type: "text", text: "Hel", state: "streaming" },
      { type: "reasoning", id: "k", text: "", state: "streaming" },
    ]);
  });
});
