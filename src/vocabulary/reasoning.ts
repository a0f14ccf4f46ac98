// Reasoning: a model's thinking, streamed, with an optional signature or encrypted value.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { identifier } from "./_fields.ts";

/**
 * `reasoning.start`: a reasoning message begins.
 *
 * @example
 * ```ts
 * import type { ReasoningStartEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ReasoningStartEvent = { type: "reasoning.start", messageId: "rsn_1" };
 * ```
 */
export interface ReasoningStartEvent extends EnvelopeMembers {
  /** The event type. */
  type: "reasoning.start";
  /** Identifies the reasoning message; unique among the stream's messages. */
  messageId: string;
}

/**
 * The definition of `reasoning.start`.
 *
 * @example
 * ```ts
 * import { ReasoningStart } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ReasoningStart.type); // "reasoning.start"
 * ```
 */
export const ReasoningStart: EventDefinition<ReasoningStartEvent> = defineEvent("reasoning.start", {
  messageId: identifier(),
});

/**
 * `reasoning.delta`: a piece of reasoning text.
 *
 * @example
 * ```ts
 * import type { ReasoningDeltaEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ReasoningDeltaEvent = { type: "reasoning.delta", messageId: "rsn_1", delta: "The user asks" };
 * ```
 */
export interface ReasoningDeltaEvent extends EnvelopeMembers {
  /** The event type. */
  type: "reasoning.delta";
  /** The open reasoning message. */
  messageId: string;
  /** Text to append, possibly empty. */
  delta: string;
}

/**
 * The definition of `reasoning.delta`.
 *
 * @example
 * ```ts
 * import { ReasoningDelta } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ReasoningDelta.type); // "reasoning.delta"
 * ```
 */
export const ReasoningDelta: EventDefinition<ReasoningDeltaEvent> = defineEvent("reasoning.delta", {
  messageId: identifier(),
  delta: v.string(),
});

/**
 * `reasoning.end`: a reasoning message is complete; a provider's signature or encrypted value travels with it.
 *
 * @example
 * ```ts
 * import type { ReasoningEndEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: ReasoningEndEvent = { type: "reasoning.end", messageId: "rsn_1", signature: "sig_abc" };
 * ```
 */
export interface ReasoningEndEvent extends EnvelopeMembers {
  /** The event type. */
  type: "reasoning.end";
  /** The open reasoning message that ends. */
  messageId: string;
  /** The provider's signature over the reasoning, to send back with it. */
  signature?: string;
  /** Reasoning the provider returns encrypted or redacted, to send back as is. */
  encryptedValue?: string;
}

/**
 * The definition of `reasoning.end`.
 *
 * @example
 * ```ts
 * import { ReasoningEnd } from "@agent-stream/agent-stream/vocabulary";
 * console.log(ReasoningEnd.type); // "reasoning.end"
 * ```
 */
export const ReasoningEnd: EventDefinition<ReasoningEndEvent> = defineEvent("reasoning.end", {
  messageId: identifier(),
  signature: v.optional(v.string()),
  encryptedValue: v.optional(v.string()),
});
