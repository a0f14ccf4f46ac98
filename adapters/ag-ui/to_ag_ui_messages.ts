// Conversation messages as AG-UI messages: what an AG-UI client holds after
// reading the view of a stream whose projection has these messages.

import type { Conversation } from "../../src/conversation/conversation.ts";
import type {
  ConversationMessage,
  ConversationToolCall,
} from "../../src/vocabulary/conversation_message.ts";
import type { AgUiMessage, AgUiToolCall } from "./ag_ui_messages.ts";
import { toolCallArguments, toolResultContent } from "./_content.ts";

/**
 * The AG-UI messages of a conversation, equal to what an AG-UI client
 * (`HttpAgent`) builds from the view's events: data messages are left out
 * (the view sends them as `CUSTOM` events), `runId` and reasoning
 * signatures are dropped, tool results become text content.
 *
 * @param conversation A projection, or anything with its `messages`.
 * @returns The messages, in the conversation's order.
 *
 * @example
 * ```ts
 * import { toAgUiMessages } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const messages = toAgUiMessages({
 *   messages: [
 *     { id: "u1", role: "user", content: "Weather?" },
 *     {
 *       id: "a1",
 *       role: "assistant",
 *       content: "",
 *       toolCalls: [{ id: "c1", name: "weather", arguments: "", input: { city: "Oslo" } }],
 *     },
 *     { id: "c1:result", role: "tool", toolCallId: "c1", output: { temp: 21 } },
 *   ],
 * });
 * console.log(messages[1]);
 * // { id: "a1", role: "assistant", content: "", toolCalls: [{ id: "c1", type: "function",
 * //   function: { name: "weather", arguments: '{"city":"Oslo"}' } }] }
 * console.log(messages[2].content); // '{"temp":21}'
 * ```
 */
export function toAgUiMessages(conversation: Pick<Conversation, "messages">): AgUiMessage[] {
  const out: AgUiMessage[] = [];
  for (const message of conversation.messages) {
    const converted = toAgUiMessage(message);
    if (converted !== undefined) out.push(converted);
  }
  return out;
}

/**
 * One conversation message as an AG-UI message, or `undefined` for a data
 * message, which AG-UI has no message for.
 *
 * @example
 * ```ts
 * import { toAgUiMessage } from "@agent-stream/agent-stream/adapters/ag-ui";
 * console.log(toAgUiMessage({ id: "r1", role: "reasoning", content: "Hm", signature: "s" }));
 * // { id: "r1", role: "reasoning", content: "Hm" }
 * console.log(toAgUiMessage({ id: "d1", role: "data", name: "card", value: 1 })); // undefined
 * ```
 */
export function toAgUiMessage(message: ConversationMessage): AgUiMessage | undefined {
  switch (message.role) {
    case "user":
    case "system":
    case "developer":
      return { id: message.id, role: message.role, content: message.content };
    case "assistant": {
      const converted: AgUiMessage = {
        id: message.id,
        role: "assistant",
        content: message.content,
      };
      if (message.toolCalls.length > 0) converted.toolCalls = message.toolCalls.map(toAgUiToolCall);
      return converted;
    }
    case "reasoning":
      return {
        id: message.id,
        role: "reasoning",
        content: message.content,
        ...(message.encryptedValue !== undefined ? { encryptedValue: message.encryptedValue } : {}),
      };
    case "tool":
      return {
        id: message.id,
        role: "tool",
        toolCallId: message.toolCallId,
        content: toolResultContent(message.output, message.error),
      };
    default:
      return undefined;
  }
}

function toAgUiToolCall(call: ConversationToolCall): AgUiToolCall {
  return {
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: toolCallArguments(call) },
  };
}
