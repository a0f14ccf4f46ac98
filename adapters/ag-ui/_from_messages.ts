// AG-UI messages in the vocabulary of agent streams: as conversation
// messages (for a messages snapshot), and as the events that add them to a
// conversation (for the messages of a run's input and of a POST).

import type { ConversationMessage } from "../../src/vocabulary/conversation_message.ts";
import type { AgUiContentPart, AgUiMessage } from "./ag_ui_messages.ts";

type Event = { type: string; [key: string]: unknown };

/** The text of string-or-parts content: the text parts, concatenated. */
export function contentText(content: string | AgUiContentPart[] | undefined): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => part.type === "text" ? part.text : "").join("");
}

/** An activity message's content as a data message's value: the view writes `{value}`. */
export function activityValue(content: Record<string, unknown>): { value?: unknown } {
  const keys = Object.keys(content);
  if (keys.length === 0) return {};
  if (keys.length === 1 && keys[0] === "value") return { value: content.value };
  return { value: content };
}

/** An AG-UI message as a conversation message. */
export function conversationMessage(message: AgUiMessage): ConversationMessage {
  switch (message.role) {
    case "user":
    case "system":
    case "developer":
      return { id: message.id, role: message.role, content: contentText(message.content) };
    case "assistant":
      return {
        id: message.id,
        role: "assistant",
        content: message.content ?? "",
        toolCalls: (message.toolCalls ?? []).map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
          ...parsed(call.function.arguments),
        })),
      };
    case "tool":
      return {
        id: message.id,
        role: "tool",
        toolCallId: message.toolCallId,
        ...(typeof message.error === "string"
          ? { error: message.error }
          : { output: message.content }),
      };
    case "reasoning":
      return {
        id: message.id,
        role: "reasoning",
        content: message.content,
        ...(message.encryptedValue !== undefined ? { encryptedValue: message.encryptedValue } : {}),
      };
    case "activity":
      return {
        id: message.id,
        role: "data",
        name: message.activityType,
        ...activityValue(message.content),
      };
  }
}

/**
 * The events that add an AG-UI message to a conversation, or none for a
 * tool result whose call `answerable` rejects.
 */
export function messageEvents(
  message: AgUiMessage,
  answerable: (toolCallId: string) => boolean,
): Event[] {
  const converted = conversationMessage(message);
  switch (converted.role) {
    case "user":
    case "system":
    case "developer":
      return [{
        type: "text.message",
        messageId: converted.id,
        role: converted.role,
        content: converted.content,
      }];
    case "assistant": {
      const out: Event[] = [{
        type: "text.message",
        messageId: converted.id,
        role: "assistant",
        content: converted.content,
      }];
      for (const call of converted.toolCalls) {
        out.push(
          {
            type: "tool.start",
            toolCallId: call.id,
            toolName: call.name,
            parentMessageId: converted.id,
          },
          ...(call.arguments === "" ? [] : [{
            type: "tool.delta",
            toolCallId: call.id,
            delta: call.arguments,
          }]),
          { type: "tool.end", toolCallId: call.id },
        );
      }
      return out;
    }
    case "reasoning":
      return [
        { type: "reasoning.start", messageId: converted.id },
        ...(converted.content === ""
          ? []
          : [{ type: "reasoning.delta", messageId: converted.id, delta: converted.content }]),
        {
          type: "reasoning.end",
          messageId: converted.id,
          ...(converted.encryptedValue !== undefined
            ? { encryptedValue: converted.encryptedValue }
            : {}),
        },
      ];
    case "tool": {
      if (!answerable(converted.toolCallId)) return [];
      const { id, role: _role, runId: _runId, ...result } = converted;
      return [{ type: "tool.result", messageId: id, ...result }];
    }
    case "data": {
      const { id, role: _role, runId: _runId, ...data } = converted;
      return [{ type: "custom.event", dataId: id, ...data }];
    }
  }
}

function parsed(text: string): { input?: unknown } {
  if (text === "") return {};
  try {
    return { input: JSON.parse(text) };
  } catch {
    return {};
  }
}
