// The messages an AI SDK chat client keeps (`UIMessage` of the `ai` package,
// version 7), as far as the view produces them.

import type { UiProviderMetadata } from "./ui_message_chunk.ts";
import type { UsageTotals } from "../../src/conversation/conversation.ts";

/**
 * A text part: the text of a user or system message, or of an assistant
 * message of the conversation; `state` only on assistant text.
 *
 * @example
 * ```ts
 * import type { UiTextPart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiTextPart = { type: "text", text: "Hello", state: "done" };
 * ```
 */
export interface UiTextPart {
  /** The part type. */
  type: "text";
  /** The text. */
  text: string;
  /** `streaming` while the message is open. */
  state?: "streaming" | "done";
}

/**
 * A reasoning part: a reasoning message of the conversation.
 *
 * @example
 * ```ts
 * import type { UiReasoningPart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiReasoningPart = { type: "reasoning", id: "rsn_1", text: "Hm.", state: "done" };
 * ```
 */
export interface UiReasoningPart {
  /** The part type. */
  type: "reasoning";
  /** The reasoning message's id. */
  id: string;
  /** The text. */
  text: string;
  /** `streaming` while the message is open. */
  state: "streaming" | "done";
  /** `{agentStream: {signature, encryptedValue}}` when the message has either. */
  providerMetadata?: UiProviderMetadata;
}

/**
 * Where a tool call stands in the client.
 *
 * @example
 * ```ts
 * import type { UiToolState } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const state: UiToolState = "output-available";
 * ```
 */
export type UiToolState =
  | "input-streaming"
  | "input-available"
  | "approval-requested"
  | "output-available"
  | "output-error";

/**
 * A tool part, `tool-<name>`: one tool call with its result.
 *
 * @example
 * ```ts
 * import type { UiToolPart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiToolPart = {
 *   type: "tool-weather",
 *   toolCallId: "call_1",
 *   state: "output-available",
 *   input: { city: "Oslo" },
 *   output: { celsius: 4 },
 * };
 * ```
 */
export interface UiToolPart {
  /** `tool-` followed by the tool's name. */
  type: `tool-${string}`;
  /** The call's id. */
  toolCallId: string;
  /** Where the call stands. */
  state: UiToolState;
  /** The call's input once its arguments ended; null when it has none. */
  input?: unknown;
  /** The arguments streamed so far, while they stream. */
  rawInput?: string;
  /** The output (`output-available`). */
  output?: unknown;
  /** The error (`output-error`). */
  errorText?: string;
  /** The approval the call waits for (`approval-requested`). */
  approval?: { id: string; requestReason?: string };
}

/**
 * A data part, `data-<name>`: a data message of the conversation.
 *
 * @example
 * ```ts
 * import type { UiDataPart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiDataPart = { type: "data-weather-card", id: "card_1", data: { celsius: 4 } };
 * ```
 */
export interface UiDataPart {
  /** `data-` followed by the data name. */
  type: `data-${string}`;
  /** The data message's id. */
  id: string;
  /** The value; null when the message has none. */
  data: unknown;
}

/**
 * A steering part: a user message written into a run while it ran.
 *
 * @example
 * ```ts
 * import type { UiSteeringPart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiSteeringPart = {
 *   type: "steering-message", id: "msg_5", parts: [{ type: "text", text: "Shorter, please." }],
 * };
 * ```
 */
export interface UiSteeringPart {
  /** The part type. */
  type: "steering-message";
  /** The user message's id. */
  id: string;
  /** Its text. */
  parts: { type: "text"; text: string }[];
}

/**
 * A part of a {@linkcode UiMessage} as the view produces it.
 *
 * @example
 * ```ts
 * import type { UiMessagePart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const parts: UiMessagePart[] = [{ type: "text", text: "Hi", state: "done" }];
 * ```
 */
export type UiMessagePart =
  | UiTextPart
  | UiReasoningPart
  | UiToolPart
  | UiDataPart
  | UiSteeringPart;

/**
 * The metadata of the assistant message of a run: the run as the
 * conversation projection keeps it.
 *
 * @example
 * ```ts
 * import type { UiRunMetadata } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const metadata: UiRunMetadata = { runId: "run_1", status: "success" };
 * ```
 */
export interface UiRunMetadata {
  /** The run's id. */
  runId: string;
  /** `running`, `success`, `interrupt`, `cancelled` or `error`. */
  status: string;
  /** From `run.started`. */
  threadId?: string;
  /** From `run.started`. */
  parentRunId?: string;
  /** From `run.finished`. */
  result?: unknown;
  /** From `run.finished` with outcome `interrupt`. */
  interrupts?: unknown[];
  /** From `run.error`. */
  error?: { message: string; code?: string };
  /** The run's usage totals. */
  usage?: UsageTotals;
}

/**
 * A message of an AI SDK chat (`UIMessage`): a user or system message, or
 * the assistant message of one run.
 *
 * @example
 * ```ts
 * import type { UiMessage } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const messages: UiMessage[] = [
 *   { id: "msg_0", role: "user", parts: [{ type: "text", text: "Hi" }] },
 *   {
 *     id: "run_1",
 *     role: "assistant",
 *     metadata: { runId: "run_1", status: "success" },
 *     parts: [{ type: "text", text: "Hello!", state: "done" }],
 *   },
 * ];
 * ```
 */
export interface UiMessage {
  /** The message's id; the run's id for the assistant message of a run. */
  id: string;
  /** Who wrote it. */
  role: "user" | "system" | "assistant";
  /** The run, for the assistant message of a run. */
  metadata?: UiRunMetadata;
  /** The parts, in the order they began. */
  parts: UiMessagePart[];
}
