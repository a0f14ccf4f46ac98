// Text messages: streamed (start, delta, end) or whole.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { identifier } from "./_fields.ts";

/**
 * Who wrote a text message.
 *
 * @example
 * ```ts
 * import type { TextRole } from "@agent-stream/agent-stream/vocabulary";
 * const role: TextRole = "user";
 * ```
 */
export type TextRole = "assistant" | "user" | "system" | "developer";

const textRole = v.picklist(["assistant", "user", "system", "developer"]);

/**
 * `text.start`: a streamed text message begins.
 *
 * @example
 * ```ts
 * import type { TextStartEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TextStartEvent = { type: "text.start", messageId: "msg_1", role: "assistant" };
 * ```
 */
export interface TextStartEvent extends EnvelopeMembers {
  /** The event type. */
  type: "text.start";
  /** Identifies the message; unique among the stream's messages. */
  messageId: string;
  /** Who writes it; `assistant` when absent. */
  role?: TextRole;
}

/**
 * The definition of `text.start`.
 *
 * @example
 * ```ts
 * import { TextStart } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TextStart.type); // "text.start"
 * ```
 */
export const TextStart: EventDefinition<TextStartEvent> = defineEvent("text.start", {
  messageId: identifier(),
  role: v.optional(textRole),
});

/**
 * `text.delta`: a piece of a streamed text message.
 *
 * @example
 * ```ts
 * import type { TextDeltaEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TextDeltaEvent = { type: "text.delta", messageId: "msg_1", delta: "Hel" };
 * ```
 */
export interface TextDeltaEvent extends EnvelopeMembers {
  /** The event type. */
  type: "text.delta";
  /** The open message the text belongs to. */
  messageId: string;
  /** Text to append, possibly empty. */
  delta: string;
}

/**
 * The definition of `text.delta`.
 *
 * @example
 * ```ts
 * import { TextDelta } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TextDelta.type); // "text.delta"
 * ```
 */
export const TextDelta: EventDefinition<TextDeltaEvent> = defineEvent("text.delta", {
  messageId: identifier(),
  delta: v.string(),
});

/**
 * `text.end`: a streamed text message is complete.
 *
 * @example
 * ```ts
 * import type { TextEndEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TextEndEvent = { type: "text.end", messageId: "msg_1" };
 * ```
 */
export interface TextEndEvent extends EnvelopeMembers {
  /** The event type. */
  type: "text.end";
  /** The open message that ends. */
  messageId: string;
}

/**
 * The definition of `text.end`.
 *
 * @example
 * ```ts
 * import { TextEnd } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TextEnd.type); // "text.end"
 * ```
 */
export const TextEnd: EventDefinition<TextEndEvent> = defineEvent("text.end", {
  messageId: identifier(),
});

/**
 * `text.message`: a whole text message in one event, such as a user's input.
 *
 * @example
 * ```ts
 * import type { TextMessageEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TextMessageEvent = { type: "text.message", messageId: "msg_0", role: "user", content: "What is the weather in Oslo?" };
 * ```
 */
export interface TextMessageEvent extends EnvelopeMembers {
  /** The event type. */
  type: "text.message";
  /** Identifies the message; unique among the stream's messages. */
  messageId: string;
  /** Who wrote it. */
  role: TextRole;
  /** The text. */
  content: string;
}

/**
 * The definition of `text.message`.
 *
 * @example
 * ```ts
 * import { TextMessage } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TextMessage.type); // "text.message"
 * ```
 */
export const TextMessage: EventDefinition<TextMessageEvent> = defineEvent("text.message", {
  messageId: identifier(),
  role: textRole,
  content: v.string(),
});
