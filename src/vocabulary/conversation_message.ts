import * as v from "valibot";
import { identifier } from "./_fields.ts";

/**
 * A tool call as the conversation keeps it, inside its assistant message.
 *
 * @example
 * ```ts
 * import type { ConversationToolCall } from "@agent-stream/agent-stream/vocabulary";
 * const call: ConversationToolCall = {
 *   id: "call_1", name: "get_weather", arguments: '{"city":"Oslo"}', input: { city: "Oslo" },
 * };
 * ```
 */
export interface ConversationToolCall {
  /** The call's `toolCallId`. */
  id: string;
  /** The tool called. */
  name: string;
  /** The arguments as streamed: the concatenated `tool.delta` texts. */
  arguments: string;
  /** The parsed arguments from `tool.end`; absent while the call is open or when none were given. */
  input?: unknown;
}

/**
 * Members every conversation message has.
 *
 * @example
 * ```ts
 * import type { ConversationMessageBase } from "@agent-stream/agent-stream/vocabulary";
 * const base: ConversationMessageBase = { id: "msg_1", runId: "run_1" };
 * ```
 */
export interface ConversationMessageBase {
  /** The message's id: its `messageId` (or, for a tool message without one, derived as the projection says). */
  id: string;
  /** The run that produced it, from its first event's envelope. */
  runId?: string;
}

/**
 * A text message of a person or of the system: user, system or developer.
 *
 * @example
 * ```ts
 * import type { InputMessage } from "@agent-stream/agent-stream/vocabulary";
 * const message: InputMessage = { id: "msg_0", role: "user", content: "Hi" };
 * ```
 */
export interface InputMessage extends ConversationMessageBase {
  /** Who wrote it. */
  role: "user" | "system" | "developer";
  /** The text. */
  content: string;
}

/**
 * A message of the assistant: its text and the tool calls it makes.
 *
 * @example
 * ```ts
 * import type { AssistantMessage } from "@agent-stream/agent-stream/vocabulary";
 * const message: AssistantMessage = { id: "msg_1", role: "assistant", content: "Let me check.", toolCalls: [] };
 * ```
 */
export interface AssistantMessage extends ConversationMessageBase {
  /** The role. */
  role: "assistant";
  /** The text, possibly empty. */
  content: string;
  /** The tool calls, in the order they started. */
  toolCalls: ConversationToolCall[];
}

/**
 * A reasoning message: the model's thinking.
 *
 * @example
 * ```ts
 * import type { ReasoningMessage } from "@agent-stream/agent-stream/vocabulary";
 * const message: ReasoningMessage = { id: "rsn_1", role: "reasoning", content: "The user asks…", signature: "sig" };
 * ```
 */
export interface ReasoningMessage extends ConversationMessageBase {
  /** The role. */
  role: "reasoning";
  /** The text, possibly empty. */
  content: string;
  /** The provider's signature, when given. */
  signature?: string;
  /** The encrypted or redacted reasoning, when given. */
  encryptedValue?: string;
}

/**
 * The result of a tool call: an output or an error.
 *
 * @example
 * ```ts
 * import type { ToolMessage } from "@agent-stream/agent-stream/vocabulary";
 * const message: ToolMessage = { id: "tool_1", role: "tool", toolCallId: "call_1", output: { celsius: 4 } };
 * ```
 */
export interface ToolMessage extends ConversationMessageBase {
  /** The role. */
  role: "tool";
  /** The call answered. */
  toolCallId: string;
  /** The output; absent when `error` is present. */
  output?: unknown;
  /** Why the call failed. */
  error?: string;
}

/**
 * An application value kept in the conversation: a non-transient
 * `custom.event`.
 *
 * @example
 * ```ts
 * import type { DataMessage } from "@agent-stream/agent-stream/vocabulary";
 * const message: DataMessage = { id: "card_1", role: "data", name: "weather-card", value: { celsius: 4 } };
 * ```
 */
export interface DataMessage extends ConversationMessageBase {
  /** The role. */
  role: "data";
  /** The event's `name`. */
  name: string;
  /** The event's `value`. */
  value?: unknown;
}

/**
 * One message of a conversation, as the projection computes it and as
 * `messages.snapshot` carries it.
 *
 * @example
 * ```ts
 * import type { ConversationMessage } from "@agent-stream/agent-stream/vocabulary";
 * const history: ConversationMessage[] = [
 *   { id: "msg_0", role: "user", content: "Weather in Oslo?" },
 *   { id: "msg_1", role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "get_weather", arguments: "{}", input: {} }] },
 *   { id: "tool_1", role: "tool", toolCallId: "call_1", output: { celsius: 4 } },
 * ];
 * ```
 */
export type ConversationMessage =
  | InputMessage
  | AssistantMessage
  | ReasoningMessage
  | ToolMessage
  | DataMessage;

const base = { id: identifier(), runId: v.optional(identifier()) };

/**
 * The schema of a {@linkcode ConversationMessage}; loose, so members of later
 * versions pass.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { conversationMessageSchema } from "@agent-stream/agent-stream/vocabulary";
 * console.log(v.is(conversationMessageSchema, { id: "m", role: "user", content: "Hi" })); // true
 * ```
 */
export const conversationMessageSchema: v.GenericSchema<ConversationMessage> = v.variant("role", [
  v.looseObject({
    ...base,
    role: v.picklist(["user", "system", "developer"]),
    content: v.string(),
  }),
  v.looseObject({
    ...base,
    role: v.literal("assistant"),
    content: v.string(),
    toolCalls: v.array(v.looseObject({
      id: identifier(),
      name: v.string(),
      arguments: v.string(),
      input: v.optional(v.unknown()),
    })),
  }),
  v.looseObject({
    ...base,
    role: v.literal("reasoning"),
    content: v.string(),
    signature: v.optional(v.string()),
    encryptedValue: v.optional(v.string()),
  }),
  v.looseObject({
    ...base,
    role: v.literal("tool"),
    toolCallId: identifier(),
    output: v.optional(v.unknown()),
    error: v.optional(v.string()),
  }),
  v.looseObject({
    ...base,
    role: v.literal("data"),
    name: v.string(),
    value: v.optional(v.unknown()),
  }),
]) as unknown as v.GenericSchema<ConversationMessage>;
