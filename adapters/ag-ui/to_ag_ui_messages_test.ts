// Rows AGUI-MAP-39 to AGUI-MAP-43 of spec/v1/view-ag-ui.md §2.4: each
// conversation message as an AG-UI message, equal to what AG-UI's own client
// builds from the view's events, and read back from a messages snapshot.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConversationMessage } from "../../src/vocabulary/conversation_message.ts";
import { applyInClient, project } from "./_ag_ui_test_support.ts";
import type { AgUiMessage } from "./ag_ui_messages.ts";
import { fromAgUiEvents } from "./from_ag_ui_events.ts";
import { toAgUiEvents } from "./to_ag_ui_events.ts";
import { toAgUiMessage, toAgUiMessages } from "./to_ag_ui_messages.ts";

type Event = { type: string; [key: string]: unknown };

const RUN = "r1";

/**
 * Streams `events` in a run, and checks that the client builds `expected`
 * from them, that `toAgUiMessages` of the projection gives it too, and that
 * a messages snapshot of it reads back as `back`.
 */
async function assertMessages(
  events: Event[],
  expected: AgUiMessage[],
  back: ConversationMessage[],
): Promise<void> {
  const stream = [
    { type: "run.started", runId: RUN },
    ...events,
    { type: "run.finished", runId: RUN, outcome: "success" },
  ];
  const client = await applyInClient([...toAgUiEvents(stream)]);
  assert.deepEqual(client.messages, expected);
  assert.deepEqual(toAgUiMessages(project(stream)), expected);
  const read = [...fromAgUiEvents([
    { type: "RUN_STARTED", threadId: "t", runId: RUN },
    { type: "MESSAGES_SNAPSHOT", messages: expected },
  ])];
  assert.deepEqual(read[1].messages, back);
}

test("AGUI-MAP-39 user, system and developer messages: id, role, content", async () => {
  const roles = ["user", "system", "developer"] as const;
  await assertMessages(
    roles.map((role, i) => ({
      type: "text.message",
      runId: RUN,
      messageId: `m${i}`,
      role,
      content: role,
    })),
    roles.map((role, i) => ({ id: `m${i}`, role, content: role })),
    roles.map((role, i) => ({ id: `m${i}`, role, content: role })),
  );
});

test("AGUI-MAP-40 assistant messages: tool calls only when there are some, arguments or J(input)", async () => {
  await assertMessages(
    [
      { type: "text.start", runId: RUN, messageId: "a1" },
      { type: "text.delta", runId: RUN, messageId: "a1", delta: "Let me see" },
      { type: "tool.start", runId: RUN, toolCallId: "c1", toolName: "f", parentMessageId: "a1" },
      { type: "tool.delta", runId: RUN, toolCallId: "c1", delta: '{"x": 1}' },
      { type: "tool.end", runId: RUN, toolCallId: "c1" },
      { type: "tool.start", runId: RUN, toolCallId: "c2", toolName: "g", parentMessageId: "a1" },
      { type: "tool.end", runId: RUN, toolCallId: "c2", input: [true] },
      { type: "text.end", runId: RUN, messageId: "a1" },
      { type: "text.message", runId: RUN, messageId: "a2", role: "assistant", content: "Done" },
    ],
    [
      {
        id: "a1",
        role: "assistant",
        content: "Let me see",
        toolCalls: [
          { id: "c1", type: "function", function: { name: "f", arguments: '{"x": 1}' } },
          { id: "c2", type: "function", function: { name: "g", arguments: "[true]" } },
        ],
      },
      { id: "a2", role: "assistant", content: "Done" },
    ],
    [
      {
        id: "a1",
        role: "assistant",
        content: "Let me see",
        toolCalls: [
          { id: "c1", name: "f", arguments: '{"x": 1}', input: { x: 1 } },
          { id: "c2", name: "g", arguments: "[true]", input: [true] },
        ],
      },
      { id: "a2", role: "assistant", content: "Done", toolCalls: [] },
    ],
  );
});

test("AGUI-MAP-41 reasoning messages: content and encrypted value, no signature", async () => {
  await assertMessages(
    [
      { type: "reasoning.start", runId: RUN, messageId: "r1" },
      { type: "reasoning.delta", runId: RUN, messageId: "r1", delta: "Hm" },
      { type: "reasoning.end", runId: RUN, messageId: "r1", signature: "s", encryptedValue: "e" },
    ],
    [{ id: "r1", role: "reasoning", content: "Hm", encryptedValue: "e" }],
    [{ id: "r1", role: "reasoning", content: "Hm", encryptedValue: "e" }],
  );
});

test("AGUI-MAP-42 tool messages: the error, a string, content parts, or J(output)", async () => {
  const parts = [{ type: "text", text: "see" }, {
    type: "image",
    source: { type: "url", value: "https://x/y.png" },
  }];
  const outputs: [Record<string, unknown>, unknown][] = [
    [{ output: "plain" }, "plain"],
    [{ output: { t: 1 } }, '{"t":1}'],
    [{ output: parts }, parts],
    [{ output: [] }, "[]"],
    [{ error: "timeout" }, "timeout"],
  ];
  const events: Event[] = [];
  for (const [i, [result]] of outputs.entries()) {
    events.push(
      { type: "tool.start", runId: RUN, toolCallId: `c${i}`, toolName: "f" },
      { type: "tool.end", runId: RUN, toolCallId: `c${i}` },
      { type: "tool.result", runId: RUN, toolCallId: `c${i}`, ...result },
    );
  }
  const messages = outputs.flatMap(([, content], i) => [
    {
      id: `c${i}`,
      role: "assistant",
      content: "",
      toolCalls: [{ id: `c${i}`, type: "function", function: { name: "f", arguments: "" } }],
    },
    { id: `c${i}:result`, role: "tool", toolCallId: `c${i}`, content },
  ]) as AgUiMessage[];
  await assertMessages(
    events,
    messages,
    outputs.flatMap(([, content], i) => [
      {
        id: `c${i}`,
        role: "assistant",
        content: "",
        toolCalls: [{ id: `c${i}`, name: "f", arguments: "" }],
      },
      { id: `c${i}:result`, role: "tool", toolCallId: `c${i}`, output: content },
    ]) as ConversationMessage[],
  );
});

test("AGUI-MAP-43 data messages: none; they reach clients as CUSTOM events", async () => {
  assert.equal(toAgUiMessage({ id: "d1", role: "data", name: "card", value: 1 }), undefined);
  await assertMessages(
    [
      { type: "text.message", runId: RUN, messageId: "u1", role: "user", content: "a" },
      { type: "custom.event", runId: RUN, name: "card", value: 1 },
      { type: "text.message", runId: RUN, messageId: "u2", role: "user", content: "b" },
    ],
    [{ id: "u1", role: "user", content: "a" }, { id: "u2", role: "user", content: "b" }],
    [{ id: "u1", role: "user", content: "a" }, { id: "u2", role: "user", content: "b" }],
  );
});
