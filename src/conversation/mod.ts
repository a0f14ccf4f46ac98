/**
 * The conversation projection (spec/v1/projection.md): messages, runs,
 * state, usage totals, tasks and agent processes, folded from the events of
 * an agent stream. `projectConversation` folds a list of events;
 * `conversationProjector` folds a stored stream, once or live, from the
 * start or from a saved state; `reduceConversationProjection` is the step
 * both take per event.
 *
 * @example
 * ```ts
 * import { projectConversation } from "@agent-stream/agent-stream/conversation";
 * const conversation = projectConversation([
 *   { type: "text.message", messageId: "u1", role: "user", content: "Weather in Oslo?" },
 *   { type: "run.started", runId: "r1" },
 *   { type: "tool.start", runId: "r1", toolCallId: "c1", toolName: "weather" },
 *   { type: "tool.end", runId: "r1", toolCallId: "c1", input: { city: "Oslo" } },
 *   { type: "tool.result", runId: "r1", toolCallId: "c1", output: { celsius: 4 } },
 *   { type: "run.finished", runId: "r1", outcome: "success" },
 * ]);
 * console.log(conversation.messages.map((m) => m.role)); // ["user", "assistant", "tool"]
 * ```
 *
 * @module
 */

export * from "./conversation.ts";
export * from "./initial_conversation.ts";
export * from "./reduce_conversation.ts";
export * from "./project_conversation.ts";
export * from "./conversation_projector.ts";
