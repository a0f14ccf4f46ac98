// Messages snapshot: replaces the conversation's messages.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import type { ConversationMessage } from "./conversation_message.ts";
import { conversationMessageSchema } from "./conversation_message.ts";

/**
 * `messages.snapshot`: replaces the conversation's messages, e.g. after the history was edited or compacted.
 *
 * @example
 * ```ts
 * import type { MessagesSnapshotEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: MessagesSnapshotEvent = { type: "messages.snapshot", messages: [{id: "msg_0", role: "user", content: "Hi"}] };
 * ```
 */
export interface MessagesSnapshotEvent extends EnvelopeMembers {
  /** The event type. */
  type: "messages.snapshot";
  /** The messages, in order. */
  messages: ConversationMessage[];
}

/**
 * The definition of `messages.snapshot`.
 *
 * @example
 * ```ts
 * import { MessagesSnapshot } from "@agent-stream/agent-stream/vocabulary";
 * console.log(MessagesSnapshot.type); // "messages.snapshot"
 * ```
 */
export const MessagesSnapshot: EventDefinition<MessagesSnapshotEvent> = defineEvent(
  "messages.snapshot",
  {
    messages: v.array(conversationMessageSchema),
  },
);
