// LLM requests: one call to a model, from start to completion, as an agent platform traces it.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { identifier } from "./_fields.ts";
import { usageEntries } from "./_fields.ts";
import type { Usage } from "./usage.ts";

/**
 * `llm.started`: a model call begins.
 *
 * @example
 * ```ts
 * import type { LlmStartedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmStartedEvent = { type: "llm.started", requestId: "req_1", model: "gpt-4.1", provider: "openai" };
 * ```
 */
export interface LlmStartedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "llm.started";
  /** Identifies the call; unique in the stream. */
  requestId: string;
  /** The model called. */
  model?: string;
  /** The provider called. */
  provider?: string;
  /** The assistant message the call's text goes to; `requestId` when absent. */
  messageId?: string;
}

/**
 * The definition of `llm.started`.
 *
 * @example
 * ```ts
 * import { LlmStarted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmStarted.type); // "llm.started"
 * ```
 */
export const LlmStarted: EventDefinition<LlmStartedEvent> = defineEvent("llm.started", {
  requestId: identifier(),
  model: v.optional(v.string()),
  provider: v.optional(v.string()),
  messageId: v.optional(identifier()),
});

/**
 * `llm.token`: text the model produced.
 *
 * @example
 * ```ts
 * import type { LlmTokenEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmTokenEvent = { type: "llm.token", requestId: "req_1", delta: "Hel" };
 * ```
 */
export interface LlmTokenEvent extends EnvelopeMembers {
  /** The event type. */
  type: "llm.token";
  /** The open call. */
  requestId: string;
  /** The text, possibly empty. */
  delta: string;
}

/**
 * The definition of `llm.token`.
 *
 * @example
 * ```ts
 * import { LlmToken } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmToken.type); // "llm.token"
 * ```
 */
export const LlmToken: EventDefinition<LlmTokenEvent> = defineEvent("llm.token", {
  requestId: identifier(),
  delta: v.string(),
});

/**
 * `llm.tool-call`: the model called a tool, with complete arguments.
 *
 * @example
 * ```ts
 * import type { LlmToolCallEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmToolCallEvent = { type: "llm.tool-call", requestId: "req_1", toolCallId: "call_1", toolName: "get_weather", input: {city: "Oslo"} };
 * ```
 */
export interface LlmToolCallEvent extends EnvelopeMembers {
  /** The event type. */
  type: "llm.tool-call";
  /** The open call. */
  requestId: string;
  /** Identifies the tool call; unique in the stream. */
  toolCallId: string;
  /** The tool called. */
  toolName: string;
  /** The arguments. */
  input: unknown;
}

/**
 * The definition of `llm.tool-call`.
 *
 * @example
 * ```ts
 * import { LlmToolCall } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmToolCall.type); // "llm.tool-call"
 * ```
 */
export const LlmToolCall: EventDefinition<LlmToolCallEvent> = defineEvent("llm.tool-call", {
  requestId: identifier(),
  toolCallId: identifier(),
  toolName: v.string(),
  input: v.unknown(),
});

/**
 * `llm.tool-result`: the result of a tool call of the request.
 *
 * @example
 * ```ts
 * import type { LlmToolResultEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmToolResultEvent = { type: "llm.tool-result", requestId: "req_1", toolCallId: "call_1", output: {celsius: 4} };
 * ```
 */
export interface LlmToolResultEvent extends EnvelopeMembers {
  /** The event type. */
  type: "llm.tool-result";
  /** The call whose tool call is answered. */
  requestId: string;
  /** The tool call answered. */
  toolCallId: string;
  /** The tool's output; absent when `error` is present. */
  output?: unknown;
  /** Why the tool call failed. */
  error?: string;
}

/**
 * The definition of `llm.tool-result`.
 *
 * @example
 * ```ts
 * import { LlmToolResult } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmToolResult.type); // "llm.tool-result"
 * ```
 */
export const LlmToolResult: EventDefinition<LlmToolResultEvent> = defineEvent("llm.tool-result", {
  requestId: identifier(),
  toolCallId: identifier(),
  output: v.optional(v.unknown()),
  error: v.optional(v.string()),
});

/**
 * `llm.usage`: the usage of the call.
 *
 * @example
 * ```ts
 * import type { LlmUsageEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmUsageEvent = { type: "llm.usage", requestId: "req_1", promptTokens: 10, completionTokens: 5 };
 * ```
 */
export interface LlmUsageEvent extends EnvelopeMembers, Usage {
  /** The event type. */
  type: "llm.usage";
  /** The call. */
  requestId: string;
}

/**
 * The definition of `llm.usage`.
 *
 * @example
 * ```ts
 * import { LlmUsage } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmUsage.type); // "llm.usage"
 * ```
 */
export const LlmUsage: EventDefinition<LlmUsageEvent> = defineEvent("llm.usage", {
  ...usageEntries,
  requestId: identifier(),
});

/**
 * `llm.completed`: the model call ended.
 *
 * @example
 * ```ts
 * import type { LlmCompletedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmCompletedEvent = { type: "llm.completed", requestId: "req_1", finishReason: "stop" };
 * ```
 */
export interface LlmCompletedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "llm.completed";
  /** The open call. */
  requestId: string;
  /** Why the model stopped, as the provider says, e.g. `"stop"`. */
  finishReason?: string;
}

/**
 * The definition of `llm.completed`.
 *
 * @example
 * ```ts
 * import { LlmCompleted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmCompleted.type); // "llm.completed"
 * ```
 */
export const LlmCompleted: EventDefinition<LlmCompletedEvent> = defineEvent("llm.completed", {
  requestId: identifier(),
  finishReason: v.optional(v.string()),
});

/**
 * `llm.error`: the model call failed.
 *
 * @example
 * ```ts
 * import type { LlmErrorEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: LlmErrorEvent = { type: "llm.error", requestId: "req_1", message: "rate limited", code: "429" };
 * ```
 */
export interface LlmErrorEvent extends EnvelopeMembers {
  /** The event type. */
  type: "llm.error";
  /** The open call. */
  requestId: string;
  /** Text for a person. */
  message: string;
  /** A machine-readable code. */
  code?: string;
}

/**
 * The definition of `llm.error`.
 *
 * @example
 * ```ts
 * import { LlmError } from "@agent-stream/agent-stream/vocabulary";
 * console.log(LlmError.type); // "llm.error"
 * ```
 */
export const LlmError: EventDefinition<LlmErrorEvent> = defineEvent("llm.error", {
  requestId: identifier(),
  message: v.string(),
  code: v.optional(v.string()),
});
