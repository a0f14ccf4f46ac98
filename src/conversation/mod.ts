/**
 * The conversation projection (spec/v1/projection.md): messages, runs,
 * state, usage totals, tasks and agent processes, folded from the events of
 * an agent stream.
 *
 * @example
 * ```ts
 * import type { Conversation } from "@agent-stream/agent-stream/conversation";
 * function lastAnswer(conversation: Conversation): string | undefined {
 *   const message = conversation.messages.findLast((m) => m.role === "assistant");
 *   return message?.role === "assistant" ? message.content : undefined;
 * }
 * ```
 *
 * @module
 */

export * from "./conversation.ts";
export * from "./initial_conversation.ts";
export * from "./reduce_conversation.ts";
export * from "./project_conversation.ts";
export * from "./conversation_projector.ts";
