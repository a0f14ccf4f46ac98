// The conversation projection as the messages of an AI SDK chat
// (spec/v1/view-ai-sdk.md §4): user and system messages, and one assistant
// message per run.

import type { Conversation, ConversationRun } from "../../src/conversation/conversation.ts";
import type {
  AssistantMessage,
  ConversationMessage,
  ConversationToolCall,
  ToolMessage,
} from "../../src/vocabulary/conversation_message.ts";
import { effectiveInput, INCOMPLETE } from "./_tool_input.ts";
import type { UiMessage, UiMessagePart, UiRunMetadata, UiToolPart } from "./ui_message.ts";

/**
 * The metadata of a run's assistant message: the run's members that the
 * view streams (spec/v1/view-ai-sdk.md §4).
 *
 * @example
 * ```ts
 * import { runMetadata } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(runMetadata({ runId: "run_1", status: "success" })); // { runId: "run_1", status: "success" }
 * ```
 */
export function runMetadata(run: ConversationRun): UiRunMetadata {
  const metadata: UiRunMetadata = { runId: run.runId, status: run.status };
  if (run.threadId !== undefined) metadata.threadId = run.threadId;
  if (run.parentRunId !== undefined) metadata.parentRunId = run.parentRunId;
  if (run.result !== undefined) metadata.result = run.result;
  if (run.interrupts !== undefined) metadata.interrupts = run.interrupts;
  if (run.error !== undefined) metadata.error = run.error;
  if (run.usage !== undefined) metadata.usage = run.usage;
  return metadata;
}

interface Approval {
  readonly id: string;
  readonly requestReason?: string;
}

// Lookups over the whole conversation that the parts need.
class Index {
  readonly results = new Map<string, ToolMessage>();
  readonly openMessages: ReadonlySet<string>;
  readonly openCalls: ReadonlySet<string>;
  readonly runs = new Map<string, ConversationRun>();
  readonly #approvals = new Map<string, Approval>();

  constructor(conversation: Conversation) {
    this.openMessages = new Set(conversation.open.messages);
    this.openCalls = new Set(conversation.open.toolCalls);
    for (const message of conversation.messages) {
      if (message.role === "tool" && !this.results.has(message.toolCallId)) {
        this.results.set(message.toolCallId, message);
      }
    }
    for (const run of conversation.runs) {
      if (!this.runs.has(run.runId)) this.runs.set(run.runId, run);
      if (run.status !== "interrupt") continue;
      for (const interrupt of run.interrupts ?? []) {
        if (interrupt.toolCallId === undefined) continue;
        this.#approvals.set(`${run.runId} ${interrupt.toolCallId}`, {
          id: interrupt.id,
          ...(interrupt.message !== undefined ? { requestReason: interrupt.message } : {}),
        });
      }
    }
  }

  approval(runId: string | undefined, toolCallId: string): Approval | undefined {
    return runId === undefined ? undefined : this.#approvals.get(`${runId} ${toolCallId}`);
  }
}

function toolPart(
  call: ConversationToolCall,
  runId: string | undefined,
  index: Index,
): UiToolPart {
  const base = { type: `tool-${call.name}` as const, toolCallId: call.id };
  const input = effectiveInput(call.input, call.arguments);
  if (index.openCalls.has(call.id) || input === INCOMPLETE) {
    // A call whose arguments never completed shows as still streaming.
    return {
      ...base,
      state: "input-streaming",
      ...(call.arguments !== "" ? { rawInput: call.arguments } : {}),
    };
  }
  const result = index.results.get(call.id);
  if (result !== undefined) {
    return result.error !== undefined
      ? { ...base, state: "output-error", input, errorText: result.error }
      : { ...base, state: "output-available", input, output: result.output ?? null };
  }
  const approval = index.approval(runId, call.id);
  return approval !== undefined
    ? { ...base, state: "approval-requested", input, approval }
    : { ...base, state: "input-available", input };
}

// An assistant message made by a `tool.start` without parent has no text of its own.
function hasText(message: AssistantMessage): boolean {
  return !(message.content === "" && message.toolCalls[0]?.id === message.id);
}

function parts(message: ConversationMessage, index: Index): UiMessagePart[] {
  const state: "streaming" | "done" = index.openMessages.has(message.id) ? "streaming" : "done";
  switch (message.role) {
    case "assistant":
      return [
        ...(hasText(message) ? [{ type: "text" as const, text: message.content, state }] : []),
        ...message.toolCalls.map((call) => toolPart(call, message.runId, index)),
      ];
    case "reasoning": {
      const extra: Record<string, string> = {};
      if (message.signature !== undefined) extra.signature = message.signature;
      if (message.encryptedValue !== undefined) extra.encryptedValue = message.encryptedValue;
      return [{
        type: "reasoning",
        id: message.id,
        text: message.content,
        state,
        ...(Object.keys(extra).length > 0 ? { providerMetadata: { agentStream: extra } } : {}),
      }];
    }
    case "data":
      return [{
        type: `data-${message.name}`,
        id: message.id,
        data: message.value ?? null,
      }];
    case "user":
      // A user message of a run is written into the run while it runs; it shows once complete.
      return index.openMessages.has(message.id) ? [] : [{
        type: "steering-message",
        id: message.id,
        parts: [{ type: "text", text: message.content }],
      }];
    default:
      return [];
  }
}

/**
 * The messages of an AI SDK chat for a conversation: each user, system and
 * developer message of no run as a `user` or `system` message with one text
 * part; for each run with parts, one assistant message whose id is the run's
 * id and whose metadata is the run; consecutive messages of no run as one
 * assistant message. Messages come in the order of their first part.
 *
 * @example
 * ```ts
 * import { toUiMessages } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const messages = toUiMessages({
 *   messages: [
 *     { id: "u1", role: "user", content: "Hi" },
 *     { id: "a1", role: "assistant", content: "Hello!", toolCalls: [], runId: "run_1" },
 *   ],
 *   runs: [{ runId: "run_1", status: "success" }],
 *   state: {},
 *   usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, reasoningTokens: 0, cachedPromptTokens: 0, costUsd: 0 },
 *   tasks: [],
 *   agents: [],
 *   open: { messages: [], toolCalls: [] },
 * });
 * console.log(messages.map((m) => `${m.role}:${m.id}`)); // ["user:u1", "assistant:run_1"]
 * ```
 */
export function toUiMessages(conversation: Conversation): UiMessage[] {
  const index = new Index(conversation);
  const out: UiMessage[] = [];
  const byRun = new Map<string, UiMessage>();
  let loose: UiMessage | undefined;
  for (const message of conversation.messages) {
    const runId = message.runId;
    if (
      runId === undefined && (message.role === "system" || message.role === "developer" ||
        message.role === "user")
    ) {
      out.push({
        id: message.id,
        role: message.role === "user" ? "user" : "system",
        parts: [{ type: "text", text: message.content }],
      });
      loose = undefined;
      continue;
    }
    if (message.role === "system" || message.role === "developer") {
      out.push({
        id: message.id,
        role: "system",
        parts: [{ type: "text", text: message.content }],
      });
      loose = undefined;
      continue;
    }
    const added = parts(message, index);
    if (added.length === 0) continue;
    if (runId === undefined) {
      if (loose === undefined) {
        loose = { id: message.id, role: "assistant", parts: [] };
        out.push(loose);
      }
      loose.parts.push(...added);
      continue;
    }
    loose = undefined;
    let target = byRun.get(runId);
    if (target === undefined) {
      const run = index.runs.get(runId);
      target = {
        id: runId,
        role: "assistant",
        ...(run !== undefined ? { metadata: runMetadata(run) } : {}),
        parts: [],
      };
      byRun.set(runId, target);
      out.push(target);
    }
    target.parts.push(...added);
  }
  return out;
}
