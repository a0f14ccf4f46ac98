// llm.* events as the core events they stand for (spec/v1/projection.md §1.1).
import type { StandardEvent } from "../vocabulary/standard_events.ts";

type LlmEvent = Extract<StandardEvent, { type: `llm.${string}` }>;

/** The core events an admitted `llm.*` event folds as; other events as they are. */
export function normalizeLlm(
  event: StandardEvent,
  requestMessageId: (requestId: string) => string | undefined,
): StandardEvent[] {
  if (!event.type.startsWith("llm.")) return [event];
  const llm = event as LlmEvent;
  const { id, time, runId, meta } = llm;
  const rest = {
    ...(time === undefined ? {} : { time }),
    ...(runId === undefined ? {} : { runId }),
    ...(meta === undefined ? {} : { meta }),
  };
  const first = id === undefined ? rest : { id, ...rest };
  if (llm.type === "llm.started") {
    return [{
      type: "text.start",
      ...first,
      messageId: llm.messageId ?? llm.requestId,
      role: "assistant",
    }];
  }
  if (llm.type === "llm.usage") {
    const { type: _type, requestId: _requestId, ...usage } = llm;
    return [{ ...usage, type: "usage.reported" }];
  }
  if (llm.type === "llm.tool-result") {
    const answer = llm.output !== undefined
      ? { output: llm.output }
      : llm.error !== undefined
      ? { error: llm.error }
      : {};
    return [{ type: "tool.result", ...first, toolCallId: llm.toolCallId, ...answer }];
  }
  const messageId = requestMessageId(llm.requestId);
  if (messageId === undefined) return [];
  switch (llm.type) {
    case "llm.token":
      return [{ type: "text.delta", ...first, messageId, delta: llm.delta }];
    case "llm.tool-call":
      return [
        {
          type: "tool.start",
          ...first,
          toolCallId: llm.toolCallId,
          toolName: llm.toolName,
          parentMessageId: messageId,
        },
        {
          type: "tool.delta",
          ...rest,
          toolCallId: llm.toolCallId,
          delta: JSON.stringify(llm.input) ?? "",
        },
        { type: "tool.end", ...rest, toolCallId: llm.toolCallId, input: llm.input },
      ];
    default:
      return [{ type: "text.end", ...first, messageId }];
  }
}
