import type { Conversation } from "./conversation.ts";
import { zeroUsage } from "./_usage.ts";

/**
 * The projection before the first event (spec/v1/projection.md §2): no
 * messages, runs, tasks or agents, state `{}`, usage zeros, nothing open.
 * Each call returns a new value.
 *
 * @example
 * ```ts
 * import { initialConversation } from "@agent-stream/agent-stream/conversation";
 * const empty = initialConversation();
 * console.log(empty.messages.length, empty.usage.totalTokens); // 0 0
 * ```
 */
export function initialConversation(): Conversation {
  return {
    messages: [],
    runs: [],
    state: {},
    usage: zeroUsage(),
    tasks: [],
    agents: [],
    open: { messages: [], toolCalls: [] },
  };
}
