// The core events an `llm.*` event folds as (spec/v1/projection.md §1.1);
// any other event stands for itself.

import type { StandardEvent } from "../../src/vocabulary/standard_events.ts";

// The envelope of the core events: the first carries the event's id too.
function envelope(event: StandardEvent, first = true): Partial<StandardEvent> {
  const members: Record<string, unknown> = {};
  for (const key of ["id", "time", "runId", "meta"] as const) {
    if (event[key] !== undefined && (first || key !== "id")) members[key] = event[key];
  }
  return members as Partial<StandardEvent>;
}

/**
 * The core events `event` stands for. `message` gives the message of a
 * started request (undefined for one the stream never started).
 */
export function coreEvents(
  event: StandardEvent,
  message: (requestId: string) => string | undefined,
): StandardEvent[] {
  const env = envelope(event);
  switch (event.type) {
    case "llm.started":
      return [{
        ...env,
        type: "text.start",
        messageId: event.messageId ?? event.requestId,
        role: "assistant",
      }];
    case "llm.token": {
      const messageId = message(event.requestId);
      return messageId === undefined
        ? []
        : [{ ...env, type: "text.delta", messageId, delta: event.delta }];
    }
    case "llm.tool-call": {
      const parentMessageId = message(event.requestId);
      if (parentMessageId === undefined) return [];
      const { toolCallId } = event;
      const rest = envelope(event, false);
      return [
        { ...env, type: "tool.start", toolCallId, toolName: event.toolName, parentMessageId },
        { ...rest, type: "tool.delta", toolCallId, delta: JSON.stringify(event.input) ?? "" },
        { ...rest, type: "tool.end", toolCallId, input: event.input },
      ];
    }
    case "llm.tool-result": {
      const { toolCallId } = event;
      return event.output !== undefined
        ? [{ ...env, type: "tool.result", toolCallId, output: event.output }]
        : [{ ...env, type: "tool.result", toolCallId, error: event.error }] as StandardEvent[];
    }
    case "llm.usage": {
      const { type: _type, requestId: _requestId, ...usage } = event;
      return [{ ...usage, type: "usage.reported" }];
    }
    case "llm.completed":
    case "llm.error": {
      const messageId = message(event.requestId);
      return messageId === undefined ? [] : [{ ...env, type: "text.end", messageId }];
    }
    default:
      return [event];
  }
}
