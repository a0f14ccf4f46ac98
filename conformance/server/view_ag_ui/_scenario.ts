// A conversation the checks of view-ag-ui.md write when a fixed one serves
// better than a generated one: messages between runs, a tool call and its
// result, reasoning, state, a message begun outside a run and still open
// when a run ends, and a second run.

/** The events of the conversation, in order. */
export const CHAT: readonly { type: string; [key: string]: unknown }[] = [
  { type: "text.message", messageId: "u1", role: "user", content: "Weather in Oslo?" },
  { type: "state.snapshot", snapshot: { city: "Oslo" } },
  { type: "run.started", runId: "r1", threadId: "t1" },
  { type: "reasoning.start", runId: "r1", messageId: "think" },
  { type: "reasoning.delta", runId: "r1", messageId: "think", delta: "Look it up" },
  { type: "reasoning.end", runId: "r1", messageId: "think" },
  { type: "text.start", runId: "r1", messageId: "a1" },
  { type: "text.delta", runId: "r1", messageId: "a1", delta: "Checking" },
  { type: "tool.start", runId: "r1", toolCallId: "c1", toolName: "weather", parentMessageId: "a1" },
  { type: "tool.delta", runId: "r1", toolCallId: "c1", delta: '{"city":"Oslo"}' },
  { type: "tool.end", runId: "r1", toolCallId: "c1" },
  { type: "text.end", runId: "r1", messageId: "a1" },
  { type: "tool.result", runId: "r1", toolCallId: "c1", output: { celsius: 4 } },
  { type: "state.delta", runId: "r1", patch: [{ op: "add", path: "/celsius", value: 4 }] },
  { type: "text.start", messageId: "note" },
  { type: "text.delta", messageId: "note", delta: "Still " },
  { type: "run.finished", runId: "r1", outcome: "success", result: "4 °C" },
  { type: "text.message", messageId: "u2", role: "user", content: "And tomorrow?" },
  { type: "custom.event", name: "card", value: { celsius: 5 } },
  { type: "run.started", runId: "r2" },
  { type: "text.delta", messageId: "note", delta: "typing" },
  { type: "text.end", messageId: "note" },
  { type: "step.started", runId: "r2", stepName: "answer" },
  { type: "text.message", runId: "r2", messageId: "a2", role: "assistant", content: "Sunny" },
  { type: "step.finished", runId: "r2", stepName: "answer" },
  { type: "usage.reported", runId: "r2", promptTokens: 10, completionTokens: 2 },
  { type: "run.finished", runId: "r2", outcome: "success" },
];
