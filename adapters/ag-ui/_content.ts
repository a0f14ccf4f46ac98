// How tool calls and tool results read in AG-UI: arguments as JSON text,
// results as text content (or AG-UI content parts).

import type { ConversationToolCall } from "../../src/vocabulary/conversation_message.ts";
import type { AgUiContentPart } from "./ag_ui_messages.ts";

/**
 * The arguments text of a tool call as the view streams it: the streamed
 * arguments, or, when none were streamed, the JSON text of the parsed input.
 */
export function toolCallArguments(call: ConversationToolCall): string {
  if (call.arguments !== "" || call.input === undefined) return call.arguments;
  return JSON.stringify(call.input);
}

/**
 * The `content` of an AG-UI tool result for a tool's output or error: the
 * error text, a string output as it is, an array of AG-UI content parts as
 * it is, any other output as JSON text, nothing as `""`.
 */
export function toolResultContent(
  output: unknown,
  error?: string,
): string | AgUiContentPart[] {
  if (error !== undefined) return error;
  if (output === undefined) return "";
  if (typeof output === "string") return output;
  if (isContentParts(output)) return output;
  return JSON.stringify(output);
}

const MEDIA = new Set(["image", "audio", "video", "document"]);
const SOURCES = new Set(["data", "url", "file"]);

/** Whether a value is a non-empty array of AG-UI content parts. */
function isContentParts(value: unknown): value is AgUiContentPart[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((part) => {
    if (typeof part !== "object" || part === null || Array.isArray(part)) return false;
    if (part.type === "text") return typeof part.text === "string";
    if (!MEDIA.has(part.type)) return false;
    const source = part.source;
    return typeof source === "object" && source !== null && SOURCES.has(source.type) &&
      typeof source.value === "string" &&
      (source.type !== "data" || typeof source.mimeType === "string");
  });
}
