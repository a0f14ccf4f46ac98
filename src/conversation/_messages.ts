// Messages, tool calls, results and data messages (spec/v1/projection.md §3).
import type {
  AssistantMessage,
  ConversationMessage,
  ConversationToolCall,
  DataMessage,
  ReasoningMessage,
  ToolMessage,
} from "../vocabulary/conversation_message.ts";
import type { CustomEventEvent } from "../vocabulary/custom.ts";
import type { MessagesSnapshotEvent } from "../vocabulary/messages.ts";
import type { ReasoningEndEvent, ReasoningStartEvent } from "../vocabulary/reasoning.ts";
import type { TextMessageEvent, TextStartEvent } from "../vocabulary/text.ts";
import type { ToolEndEvent, ToolResultEvent, ToolStartEvent } from "../vocabulary/tool.ts";
import type { Conversation } from "./conversation.ts";
import type { OpenItems } from "./reduce_conversation.ts";
import { insertAt, removeWhere, replaceAt, withMember } from "./_lists.ts";

type Message = ConversationMessage;

/** Where "the call C" is: the first call with that id, in message then call order. */
interface CallPlace {
  readonly messageIndex: number;
  readonly callIndex: number;
}

function findCall(messages: readonly Message[], toolCallId: string): CallPlace | undefined {
  for (let messageIndex = 0; messageIndex < messages.length; messageIndex++) {
    const message = messages[messageIndex];
    if (message.role !== "assistant") continue;
    const callIndex = message.toolCalls.findIndex((call) => call.id === toolCallId);
    if (callIndex >= 0) return { messageIndex, callIndex };
  }
  return undefined;
}

function indexOfMessage(messages: readonly Message[], id: string): number {
  return messages.findIndex((message) => message.id === id);
}

function withRun<M extends Message>(message: M, runId: string | undefined): M {
  return runId === undefined ? message : { ...message, runId };
}

/** A new message at the end; `open` gains its id when `open` is true (PROJ-TEXT-1, -4, PROJ-REASON-1). */
function pushMessage(conversation: Conversation, message: Message, opens: boolean): Conversation {
  return {
    ...conversation,
    messages: [...conversation.messages, message],
    open: opens
      ? { ...conversation.open, messages: [...conversation.open.messages, message.id] }
      : conversation.open,
  };
}

function isOpenMessage(conversation: Conversation, id: string): boolean {
  return conversation.open.messages.includes(id);
}

function isOpenCall(conversation: Conversation, id: string): boolean {
  return conversation.open.toolCalls.includes(id);
}

/** `text.start` (PROJ-TEXT-1). */
export function startText(conversation: Conversation, event: TextStartEvent): Conversation {
  const role = event.role ?? "assistant";
  const message: Message = role === "assistant"
    ? { id: event.messageId, role, content: "", toolCalls: [] }
    : { id: event.messageId, role, content: "" };
  return pushMessage(conversation, withRun(message, event.runId), true);
}

/** `text.message` (PROJ-TEXT-4). */
export function wholeText(conversation: Conversation, event: TextMessageEvent): Conversation {
  const { messageId: id, role, content } = event;
  const message: Message = role === "assistant"
    ? { id, role, content, toolCalls: [] }
    : { id, role, content };
  return pushMessage(conversation, withRun(message, event.runId), false);
}

/** `reasoning.start` (PROJ-REASON-1). */
export function startReasoning(
  conversation: Conversation,
  event: ReasoningStartEvent,
): Conversation {
  const message: ReasoningMessage = { id: event.messageId, role: "reasoning", content: "" };
  return pushMessage(conversation, withRun(message, event.runId), true);
}

/** `text.delta` and `reasoning.delta`: text appended to an open message (PROJ-TEXT-2, PROJ-REASON-2). */
export function appendText(
  conversation: Conversation,
  messageId: string,
  delta: string,
): Conversation {
  if (!isOpenMessage(conversation, messageId) || delta === "") return conversation;
  const index = indexOfMessage(conversation.messages, messageId);
  const message = conversation.messages[index];
  if (message === undefined || !("content" in message)) return conversation;
  return {
    ...conversation,
    messages: replaceAt(conversation.messages, index, {
      ...message,
      content: message.content + delta,
    }),
  };
}

function closeMessage(conversation: Conversation, messageId: string): Conversation {
  return {
    ...conversation,
    open: {
      ...conversation.open,
      messages: removeWhere(conversation.open.messages, (id) => id === messageId),
    },
  };
}

/** `text.end` (PROJ-TEXT-3). */
export function endText(conversation: Conversation, messageId: string): Conversation {
  return isOpenMessage(conversation, messageId)
    ? closeMessage(conversation, messageId)
    : conversation;
}

/** `reasoning.end` (PROJ-REASON-3). */
export function endReasoning(conversation: Conversation, event: ReasoningEndEvent): Conversation {
  if (!isOpenMessage(conversation, event.messageId)) return conversation;
  const closed = closeMessage(conversation, event.messageId);
  const index = indexOfMessage(closed.messages, event.messageId);
  const message = closed.messages[index];
  if (message?.role !== "reasoning") return closed;
  if (event.signature === undefined && event.encryptedValue === undefined) return closed;
  let changed: ReasoningMessage = message;
  if (event.signature !== undefined) changed = { ...changed, signature: event.signature };
  if (event.encryptedValue !== undefined) {
    changed = { ...changed, encryptedValue: event.encryptedValue };
  }
  return { ...closed, messages: replaceAt(closed.messages, index, changed) };
}

function openCall(conversation: Conversation, messages: Message[], id: string): Conversation {
  return {
    ...conversation,
    messages,
    open: { ...conversation.open, toolCalls: [...conversation.open.toolCalls, id] },
  };
}

/** `tool.start` (PROJ-TOOL-1, PROJ-TOOL-2). */
export function startTool(conversation: Conversation, event: ToolStartEvent): Conversation {
  const call: ConversationToolCall = { id: event.toolCallId, name: event.toolName, arguments: "" };
  if (event.parentMessageId === undefined) {
    const message: AssistantMessage = {
      id: event.toolCallId,
      role: "assistant",
      content: "",
      toolCalls: [call],
    };
    const messages = [...conversation.messages, withRun(message, event.runId)];
    return openCall(conversation, messages, event.toolCallId);
  }
  const index = indexOfMessage(conversation.messages, event.parentMessageId);
  const parent = conversation.messages[index];
  // A parent that is not an assistant message is refused (EVT-TOOL-4).
  if (parent?.role !== "assistant") return conversation;
  const messages = replaceAt(conversation.messages, index, {
    ...parent,
    toolCalls: [...parent.toolCalls, call],
  });
  return openCall(conversation, messages, event.toolCallId);
}

function changeCall(
  conversation: Conversation,
  place: CallPlace,
  change: (call: ConversationToolCall) => ConversationToolCall,
): Message[] {
  const message = conversation.messages[place.messageIndex] as AssistantMessage;
  return replaceAt(conversation.messages, place.messageIndex, {
    ...message,
    toolCalls: replaceAt(
      message.toolCalls,
      place.callIndex,
      change(message.toolCalls[place.callIndex]),
    ),
  });
}

/** `tool.delta` (PROJ-TOOL-3). */
export function appendArguments(
  conversation: Conversation,
  toolCallId: string,
  delta: string,
): Conversation {
  if (!isOpenCall(conversation, toolCallId) || delta === "") return conversation;
  const place = findCall(conversation.messages, toolCallId);
  if (place === undefined) return conversation;
  const messages = changeCall(conversation, place, (call) => ({
    ...call,
    arguments: call.arguments + delta,
  }));
  return { ...conversation, messages };
}

function parsedArguments(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `tool.end` (PROJ-TOOL-4). */
export function endTool(conversation: Conversation, event: ToolEndEvent): Conversation {
  const { toolCallId } = event;
  if (!isOpenCall(conversation, toolCallId)) return conversation;
  const open = {
    ...conversation.open,
    toolCalls: removeWhere(conversation.open.toolCalls, (id) => id === toolCallId),
  };
  const place = findCall(conversation.messages, toolCallId);
  if (place === undefined) return { ...conversation, open };
  const messages = changeCall(
    conversation,
    place,
    (call) =>
      withMember(
        call,
        "input",
        event.input !== undefined ? event.input : parsedArguments(call.arguments),
      ),
  );
  return { ...conversation, messages, open };
}

/** `tool.result` (PROJ-RESULT-1, PROJ-RESULT-2). */
export function addResult(
  conversation: Conversation,
  event: Pick<ToolResultEvent, "toolCallId" | "messageId" | "output" | "error" | "runId">,
): Conversation {
  let result: ToolMessage = {
    id: event.messageId ?? `${event.toolCallId}:result`,
    role: "tool",
    toolCallId: event.toolCallId,
  };
  if (event.output !== undefined) result = { ...result, output: event.output };
  else if (event.error !== undefined) result = { ...result, error: event.error };
  result = withRun(result, event.runId);
  const { messages } = conversation;
  const place = findCall(messages, event.toolCallId);
  if (place === undefined) return { ...conversation, messages: [...messages, result] };
  let index = place.messageIndex + 1;
  while (index < messages.length && messages[index].role === "tool") index++;
  return { ...conversation, messages: insertAt(messages, index, result) };
}

/** `custom.event` (PROJ-DATA-1 to -3). */
export function addData(
  conversation: Conversation,
  event: CustomEventEvent,
  offset: number,
): Conversation {
  if (event.transient === true) return conversation;
  const { messages } = conversation;
  const index = event.dataId === undefined ? -1 : indexOfMessage(messages, event.dataId);
  if (index < 0) {
    let message: DataMessage = {
      id: event.dataId ?? `data:${offset}`,
      role: "data",
      name: event.name,
    };
    if (event.value !== undefined) message = { ...message, value: event.value };
    return { ...conversation, messages: [...messages, withRun(message, event.runId)] };
  }
  const existing = messages[index];
  // A dataId that names another kind of message is refused (EVT-DATA-1).
  if (existing.role !== "data") return conversation;
  const replaced = withMember({ ...existing, name: event.name }, "value", event.value);
  return { ...conversation, messages: replaceAt(messages, index, replaced) };
}

/** `messages.snapshot` (PROJ-SNAP-1). */
export function replaceMessages(
  conversation: Conversation,
  event: MessagesSnapshotEvent,
): Conversation {
  return { ...conversation, messages: event.messages };
}

/**
 * The open messages and calls of a run that ended with `run.error`, closed
 * (PROJ-RUN-4): those `still` no longer counts as open or, without it, the
 * messages of the run and the calls they hold.
 */
export function closeRun(
  conversation: Conversation,
  runId: string,
  still?: OpenItems,
): Conversation {
  const { messages, open } = conversation;
  const ofRun = (messageIndex: number): boolean => messages[messageIndex]?.runId === runId;
  const openMessages = removeWhere(
    open.messages,
    (id) => still ? !still.isMessageOpen(id) : ofRun(indexOfMessage(messages, id)),
  );
  const toolCalls = removeWhere(open.toolCalls, (id) => {
    if (still) return !still.isToolCallOpen(id);
    const place = findCall(messages, id);
    return place !== undefined && ofRun(place.messageIndex);
  });
  if (openMessages === open.messages && toolCalls === open.toolCalls) return conversation;
  return { ...conversation, open: { messages: openMessages, toolCalls } };
}
