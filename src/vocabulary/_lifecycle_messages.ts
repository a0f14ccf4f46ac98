// Lifecycle rules of messages, tool calls, snapshots, data messages and LLM
// requests (spec/v1/events.md §2.2, §5 to §7, §9, §11, §14).

import { jsonEqual, type JsonValue } from "../projector/json_patch.ts";
import {
  accept,
  advise,
  type Finding,
  type LifecycleState,
  type MessageEntry,
  type Outcome,
  q,
  refuse,
  type RequestEntry,
} from "./_lifecycle_state.ts";
import { report } from "./_lifecycle_runs.ts";
import type { CustomEventEvent } from "./custom.ts";
import type {
  LlmCompletedEvent,
  LlmErrorEvent,
  LlmStartedEvent,
  LlmTokenEvent,
  LlmToolCallEvent,
  LlmToolResultEvent,
  LlmUsageEvent,
} from "./llm_request.ts";
import type { MessagesSnapshotEvent } from "./messages.ts";
import type { ReasoningDeltaEvent, ReasoningEndEvent, ReasoningStartEvent } from "./reasoning.ts";
import type { TextDeltaEvent, TextEndEvent, TextMessageEvent, TextStartEvent } from "./text.ts";
import type { ToolDeltaEvent, ToolEndEvent, ToolResultEvent, ToolStartEvent } from "./tool.ts";

const LLM_2 = "EVT-LLM-2";

/** EVT-MSG-1: `id` may begin a message. */
function newMessage(s: LifecycleState, id: string, what: string): Outcome | undefined {
  return s.messages.has(id)
    ? refuse("EVT-MSG-1", `${what} begins message ${q(id)}, which the conversation holds`)
    : undefined;
}

/** EVT-LLM-2 for a core event that begins assistant output in its scope. */
function mixesIntoLlm(s: LifecycleState, runId: string | undefined, what: string): Finding[] {
  return s.scope(runId).llm
    ? [advise(LLM_2, `${what} describes model output where llm.* events already do`)]
    : [];
}

/** `text.start`, `text.message`, `reasoning.start` (EVT-MSG-1). */
export function beginText(
  s: LifecycleState,
  e: TextStartEvent | TextMessageEvent | ReasoningStartEvent,
): Outcome {
  const refused = newMessage(s, e.messageId, e.type);
  if (refused !== undefined) return refused;
  const role = e.type === "reasoning.start" ? "reasoning" : e.role ?? "assistant";
  const assistant = role === "assistant";
  const advisories = assistant ? mixesIntoLlm(s, e.runId, `assistant ${e.type}`) : [];
  const entry: MessageEntry = { role, runId: e.runId };
  if (e.type !== "text.message") entry.open = e.type === "text.start" ? "text" : "reasoning";
  return accept(() => {
    s.beginMessage(e.messageId, entry);
    if (assistant) s.scope(e.runId).core = true;
  }, advisories);
}

/** `text.delta`, `text.end`, `reasoning.delta`, `reasoning.end` (EVT-MSG-2). */
export function streamText(
  s: LifecycleState,
  e: TextDeltaEvent | TextEndEvent | ReasoningDeltaEvent | ReasoningEndEvent,
): Outcome {
  const kind = e.type.startsWith("text.") ? "text" : "reasoning";
  const message = s.messages.get(e.messageId);
  if (message?.open !== kind) {
    return refuse("EVT-MSG-2", `${e.type} for ${q(e.messageId)}, no open ${kind} message`);
  }
  const advisories = message.llm
    ? [advise(LLM_2, `${e.type} addresses ${q(e.messageId)}, which llm.started began`)]
    : [];
  const ends = e.type === "text.end" || e.type === "reasoning.end";
  return accept(() => {
    if (ends) s.closeMessage(e.messageId);
  }, advisories);
}

/** EVT-TOOL-1 and EVT-TOOL-4 for `tool.start` and `llm.tool-call`. */
function checkNewCall(
  s: LifecycleState,
  e: { type: string; toolCallId: string },
  parent: string | undefined,
): Outcome | undefined {
  if (s.calls.has(e.toolCallId)) {
    return refuse("EVT-TOOL-1", `${e.type} reuses tool call id ${q(e.toolCallId)}`);
  }
  if (parent !== undefined && s.messages.get(parent)?.role !== "assistant") {
    return refuse("EVT-TOOL-4", `the parent ${q(parent)} is not an assistant message`);
  }
  return undefined;
}

/** `tool.start` (EVT-TOOL-1, EVT-TOOL-4, EVT-MSG-1). */
export function toolStart(s: LifecycleState, e: ToolStartEvent): Outcome {
  const parent = e.parentMessageId;
  const refused = checkNewCall(s, e, parent) ??
    (parent === undefined ? newMessage(s, e.toolCallId, "tool.start") : undefined);
  if (refused !== undefined) return refused;
  const advisories = s.messages.get(parent ?? "")?.llm
    ? [advise(LLM_2, `tool.start adds a call to ${q(parent)}, which llm.started began`)]
    : mixesIntoLlm(s, e.runId, "tool.start");
  return accept(() => {
    s.calls.set(e.toolCallId, { status: "open", arguments: "", runId: e.runId });
    s.openCalls.add(e.toolCallId);
    if (parent === undefined) s.beginMessage(e.toolCallId, { role: "assistant", runId: e.runId });
    s.scope(e.runId).core = true;
  }, advisories);
}

/** `tool.delta` and `tool.end` (EVT-TOOL-2, EVT-TOOL-3). */
export function toolArguments(s: LifecycleState, e: ToolDeltaEvent | ToolEndEvent): Outcome {
  const call = s.calls.get(e.toolCallId);
  if (call?.status !== "open") {
    return refuse("EVT-TOOL-2", `${e.type} for ${q(e.toolCallId)}, no open tool call`);
  }
  if (e.type === "tool.delta") return accept(() => (call.arguments += e.delta));
  if (call.arguments !== "") {
    let value: JsonValue;
    try {
      value = JSON.parse(call.arguments);
    } catch {
      return refuse("EVT-TOOL-3", `the arguments of ${q(e.toolCallId)} are not one JSON text`);
    }
    if (e.input !== undefined && !jsonEqual(value, e.input as JsonValue)) {
      return refuse("EVT-TOOL-3", `the input of ${q(e.toolCallId)} differs from its arguments`);
    }
  }
  return accept(() => {
    call.status = "ended";
    s.openCalls.delete(e.toolCallId);
  });
}

/** `tool.result` and `llm.tool-result` (EVT-TOOL-5, EVT-MSG-1; EVT-LLM-1 for the latter). */
export function toolResult(s: LifecycleState, e: ToolResultEvent | LlmToolResultEvent): Outcome {
  const call = s.calls.get(e.toolCallId);
  const id = q(e.toolCallId);
  if (e.type === "llm.tool-result" && call?.requestId !== e.requestId) {
    return refuse(
      "EVT-LLM-1",
      `llm.tool-result: no llm.tool-call of request ${q(e.requestId)} made call ${id}`,
    );
  }
  if (call === undefined) return refuse("EVT-TOOL-5", `${e.type} for ${id}, no tool call`);
  if (call.status === "open" || call.status === "aborted") {
    return refuse("EVT-TOOL-5", `${e.type} for ${id}, whose arguments did not end`);
  }
  if (call.status === "answered") return refuse("EVT-TOOL-5", `tool call ${id} was answered`);
  if ((e.output === undefined) === (e.error === undefined)) {
    return refuse("EVT-TOOL-5", `${e.type} needs exactly one of output and error`);
  }
  const messageId = (e.type === "tool.result" ? e.messageId : undefined) ??
    `${e.toolCallId}:result`;
  return newMessage(s, messageId, e.type) ?? accept(() => {
    call.status = "answered";
    s.beginMessage(messageId, { role: "tool", runId: e.runId });
  });
}

/** `messages.snapshot` (EVT-SNAP-1). */
export function messagesSnapshot(s: LifecycleState, e: MessagesSnapshotEvent): Outcome {
  const open = [...s.openMessages, ...s.openCalls];
  if (open.length > 0) {
    return refuse("EVT-SNAP-1", `messages.snapshot while ${q(open[0])} is open`);
  }
  const ids = new Set<string>();
  const callIds = new Set<string>();
  for (const message of e.messages) {
    if (ids.has(message.id)) return refuse("EVT-SNAP-1", `two messages with id ${q(message.id)}`);
    ids.add(message.id);
    for (const call of message.role === "assistant" ? message.toolCalls : []) {
      if (callIds.has(call.id)) return refuse("EVT-SNAP-1", `two tool calls with id ${q(call.id)}`);
      callIds.add(call.id);
    }
  }
  return accept(() => {
    s.messages = new Map();
    for (const message of e.messages) {
      s.messages.set(message.id, { role: message.role, runId: message.runId });
      if (message.role !== "assistant") continue;
      for (const call of message.toolCalls) {
        if (!s.calls.has(call.id)) {
          s.calls.set(call.id, {
            status: "ended",
            arguments: call.arguments,
            runId: message.runId,
          });
        }
      }
    }
    for (const message of e.messages) {
      const call = message.role === "tool" ? s.calls.get(message.toolCallId) : undefined;
      if (call?.status === "ended") call.status = "answered";
    }
  });
}

/** `custom.event` (EVT-DATA-1, EVT-MSG-1). */
export function custom(s: LifecycleState, e: CustomEventEvent, offset?: number): Outcome {
  if (e.transient === true) return accept();
  const existing = e.dataId === undefined ? undefined : s.messages.get(e.dataId);
  if (existing !== undefined) {
    return existing.role === "data"
      ? accept()
      : refuse("EVT-DATA-1", `dataId ${q(e.dataId)} names a ${existing.role} message`);
  }
  // Without the offset the id of a new data message is unknown.
  const id = e.dataId ?? (offset === undefined ? undefined : `data:${offset}`);
  if (id === undefined) return accept();
  return newMessage(s, id, "custom.event") ??
    accept(() => s.beginMessage(id, { role: "data", runId: e.runId }));
}

/** EVT-LLM-1: the request is active. */
function activeRequest(
  s: LifecycleState,
  e: { type: string; requestId: string },
): { refused: Outcome; request?: undefined } | { refused?: undefined; request: RequestEntry } {
  const request = s.requests.get(e.requestId);
  if (request?.active !== true) {
    return {
      refused: refuse(
        "EVT-LLM-1",
        `${e.type} for request ${q(e.requestId)}, ` +
          (request === undefined ? "never started" : "which has ended"),
      ),
    };
  }
  return { request };
}

/** The `llm.*` events but `llm.tool-result` (EVT-LLM-1, and the rules of their core events). */
export function llm(
  s: LifecycleState,
  e:
    | LlmStartedEvent
    | LlmTokenEvent
    | LlmToolCallEvent
    | LlmUsageEvent
    | LlmCompletedEvent
    | LlmErrorEvent,
): Outcome {
  if (e.type === "llm.started") {
    if (s.requests.has(e.requestId)) {
      return refuse("EVT-LLM-1", `request ${q(e.requestId)} started before`);
    }
    const messageId = e.messageId ?? e.requestId;
    const refused = newMessage(s, messageId, "llm.started");
    if (refused !== undefined) return refused;
    const scope = s.scope(e.runId);
    const advisories = scope.core
      ? [advise(LLM_2, "llm.started where core events already describe model output")]
      : [];
    return accept(() => {
      s.requests.set(e.requestId, { messageId, active: true, runId: e.runId });
      s.beginMessage(messageId, { role: "assistant", open: "text", runId: e.runId, llm: true });
      scope.llm = true;
    }, advisories);
  }
  const found = activeRequest(s, e);
  if (found.refused !== undefined) return found.refused;
  const messageId = found.request.messageId;
  switch (e.type) {
    case "llm.usage":
      return accept(() => report(s, e));
    case "llm.tool-call":
      return checkNewCall(s, e, messageId) ?? accept(() => {
        s.calls.set(e.toolCallId, {
          status: "ended",
          arguments: JSON.stringify(e.input),
          runId: e.runId,
          requestId: e.requestId,
        });
        s.scope(e.runId).llm = true;
      });
    default: {
      // llm.token, llm.completed and llm.error stream into or close the text message.
      if (s.messages.get(messageId)?.open !== "text") {
        return refuse("EVT-MSG-2", `${e.type}: the message ${q(messageId)} is not open`);
      }
      const ends = e.type !== "llm.token";
      return accept(() => {
        if (!ends) return;
        found.request.active = false;
        s.closeMessage(messageId);
      });
    }
  }
}
