// Tool calls: a call streams its arguments, ends with its parsed input, and gets one result.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { identifier } from "./_fields.ts";

/**
 * `tool.start`: a tool call begins.
 *
 * @example
 * ```ts
 * import type { ToolStartEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ToolStartEvent = { type: "tool.start", toolCallId: "call_1", toolName: "get_weather", parentMessageId: "msg_1" };
 * ```
 */
export interface ToolStartEvent extends EnvelopeMembers {
  /** The event type. */
  type: "tool.start";
  /** Identifies the call; unique in the stream. */
  toolCallId: string;
  /** The tool called. */
  toolName: string;
  /** The assistant message that makes the call. */
  parentMessageId?: string;
}

/**
 * The definition of `tool.start`.
 *
 * @example
 * ```ts
 * import { ToolStart } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ToolStart.type); // "tool.start"
 * ```
 */
export const ToolStart: EventDefinition<ToolStartEvent> = defineEvent("tool.start", {
  toolCallId: identifier(),
  toolName: v.string(),
  parentMessageId: v.optional(identifier()),
});

/**
 * `tool.delta`: a piece of the call's arguments, as JSON text.
 *
 * @example
 * ```ts
 * import type { ToolDeltaEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ToolDeltaEvent = { type: "tool.delta", toolCallId: "call_1", delta: "{\"city\":" };
 * ```
 */
export interface ToolDeltaEvent extends EnvelopeMembers {
  /** The event type. */
  type: "tool.delta";
  /** The open call. */
  toolCallId: string;
  /** JSON text to append, possibly empty. */
  delta: string;
}

/**
 * The definition of `tool.delta`.
 *
 * @example
 * ```ts
 * import { ToolDelta } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ToolDelta.type); // "tool.delta"
 * ```
 */
export const ToolDelta: EventDefinition<ToolDeltaEvent> = defineEvent("tool.delta", {
  toolCallId: identifier(),
  delta: v.string(),
});

/**
 * `tool.end`: the call's arguments are complete.
 *
 * @example
 * ```ts
 * import type { ToolEndEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ToolEndEvent = { type: "tool.end", toolCallId: "call_1", input: {city: "Oslo"} };
 * ```
 */
export interface ToolEndEvent extends EnvelopeMembers {
  /** The event type. */
  type: "tool.end";
  /** The open call that ends. */
  toolCallId: string;
  /** The parsed arguments: the JSON value of the concatenated deltas. */
  input?: unknown;
}

/**
 * The definition of `tool.end`.
 *
 * @example
 * ```ts
 * import { ToolEnd } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ToolEnd.type); // "tool.end"
 * ```
 */
export const ToolEnd: EventDefinition<ToolEndEvent> = defineEvent("tool.end", {
  toolCallId: identifier(),
  input: v.optional(v.unknown()),
});

/**
 * `tool.result`: the outcome of an ended call: an output or an error.
 *
 * @example
 * ```ts
 * import type { ToolResultEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ToolResultEvent = { type: "tool.result", toolCallId: "call_1", messageId: "tool_1", output: {celsius: 4} };
 * ```
 */
export interface ToolResultEvent extends EnvelopeMembers {
  /** The event type. */
  type: "tool.result";
  /** The ended call answered. */
  toolCallId: string;
  /** Identifies the tool message; unique among the stream's messages. */
  messageId?: string;
  /** The tool's output; absent when `error` is present. */
  output?: unknown;
  /** Why the call failed; absent when `output` is present. */
  error?: string;
}

/**
 * The definition of `tool.result`.
 *
 * @example
 * ```ts
 * import { ToolResult } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ToolResult.type); // "tool.result"
 * ```
 */
export const ToolResult: EventDefinition<ToolResultEvent> = defineEvent("tool.result", {
  toolCallId: identifier(),
  messageId: v.optional(identifier()),
  output: v.optional(v.unknown()),
  error: v.optional(v.string()),
});
