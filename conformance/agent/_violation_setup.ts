// What a violation needs before it: valid events that open a message, end a
// call, start a request, and so on (folded into the model as they are
// emitted), and the refused event itself.
import type { Envelope } from "../../src/protocol/envelope.ts";
import type { ConversationMessage } from "../../src/vocabulary/mod.ts";
import type { SequenceBuilder } from "./_sequence_builder.ts";

/** Where a violation goes: inside a run (of a mode) or between runs. */
export interface Variant {
  readonly where: "run" | "gap";
  /** The mode the run must have: core events or `llm.*` (EVT-LLM-2). */
  readonly mode?: "core" | "llm";
  /** End the sequence after the violation (a SHOULD rule whose admitted event would lead to more). */
  readonly last?: boolean;
  readonly make: (b: SequenceBuilder) => void;
}

export const inRun = (b: SequenceBuilder): string => b.model.active!.id;
export const runIdOrNone = (b: SequenceBuilder): string | undefined => b.model.active?.id;

/** The runId of an ended run (violations in gaps come after the first run). */
export function staleRunId(b: SequenceBuilder): string {
  const ended = b.model.runIds.filter((id) => id !== b.model.active?.id);
  return ended[0] ?? b.model.fresh("run");
}

/** An existing message that is not open, of a role if given; a new input message otherwise. */
export function someMessage(b: SequenceBuilder, roles?: readonly string[]): string {
  const found = b.model.messages.find((m) =>
    (roles === undefined || roles.includes(m.role)) && !b.model.open.has(m.id)
  );
  if (found !== undefined) return found.id;
  const messageId = b.model.fresh("msg");
  b.emit({ type: "text.message", runId: runIdOrNone(b), messageId, role: "user", content: "hi" });
  return messageId;
}

/** An assistant message begun by core events (a parent for tool calls), in a core run. */
export function assistantMessage(b: SequenceBuilder): string {
  const found = b.model.messages.find((m) =>
    m.role === "assistant" && !b.model.llmMessages.has(m.id)
  );
  if (found !== undefined) return found.id;
  const messageId = b.model.fresh("msg");
  b.emit({ type: "text.message", runId: inRun(b), messageId, role: "assistant", content: "ok" });
  return messageId;
}

/** Starts a tool call (core run) that streams `{"a":1}`; returns its id. */
export function openCall(b: SequenceBuilder, deltas = true): string {
  const toolCallId = b.model.fresh("call");
  b.planCall(toolCallId, { text: '{"a":1}', deltas, end: false, input: { a: 1 } });
  b.emit({ type: "tool.start", runId: inRun(b), toolCallId, toolName: "lookup" });
  return toolCallId;
}

/** A call whose arguments ended and that has no result (core run). */
export function endedCall(b: SequenceBuilder): string {
  const toolCallId = openCall(b, false);
  b.emit({ type: "tool.end", runId: inRun(b), toolCallId });
  return toolCallId;
}

/** A call that has its result (core run). */
export function answeredCall(b: SequenceBuilder): string {
  const toolCallId = endedCall(b);
  b.emit({ type: "tool.result", runId: inRun(b), toolCallId, output: "done" });
  return toolCallId;
}

/** An open request of the run (llm run). */
export function openRequest(b: SequenceBuilder): string {
  const open = [...b.model.requests].find(([, r]) => r.open);
  if (open !== undefined) return open[0];
  const requestId = b.model.fresh("req");
  b.emit({ type: "llm.started", runId: inRun(b), requestId });
  return requestId;
}

/** Opens a message of the run that a core or llm run may have. */
export function openMessage(b: SequenceBuilder): string {
  const messageId = b.model.fresh("msg");
  b.emit({ type: "reasoning.start", runId: inRun(b), messageId });
  return messageId;
}

export function task(b: SequenceBuilder, phase: "live" | "ended"): string {
  const taskId = b.model.fresh("task");
  b.emit({ type: "task.created", runId: runIdOrNone(b), taskId });
  if (phase === "ended") b.emit({ type: "task.cancelled", runId: runIdOrNone(b), taskId });
  return taskId;
}

export function agent(b: SequenceBuilder, steps: readonly string[]): string {
  const agentId = b.model.fresh("agent");
  b.emit({ type: "agent.spawned", runId: runIdOrNone(b), agentId });
  for (const step of steps) b.emit({ type: `agent.${step}`, runId: runIdOrNone(b), agentId });
  return agentId;
}

export const refuse = (b: SequenceBuilder, event: Envelope): void => b.emitRefused(event);

export const closeThenFinish = (b: SequenceBuilder, extra: Record<string, unknown>): void => {
  b.closeAll();
  refuse(b, { type: "run.finished", runId: inRun(b), outcome: "success", ...extra });
};

export const snapshotOf = (b: SequenceBuilder): ConversationMessage[] =>
  structuredClone(b.model.messages);
