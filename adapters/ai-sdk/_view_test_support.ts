// Helpers of the view's tests: reading a stored stream, projecting events,
// and comparing values as JSON.

import { initialConversation, reduceConversation } from "../../src/conversation/mod.ts";
import type { Conversation } from "../../src/conversation/conversation.ts";
import type { EventStore } from "../../src/stores/event_store.ts";
import { classifyEvent } from "./_events.ts";
import { coreEvents } from "./_normalize.ts";

/** A value as its JSON text reads back: undefined members dropped. */
export function jsonOf(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Every event of a stored stream, parsed. */
export async function readEvents(store: EventStore, path: string): Promise<unknown[]> {
  const read = await store.read(path, { offset: 0 });
  return read.messages.map((bytes) => JSON.parse(new TextDecoder().decode(bytes)));
}

/** The conversation projection of lifecycle-valid events. */
export function project(events: readonly unknown[]): Conversation {
  let conversation = initialConversation();
  const requests = new Map<string, string>();
  events.forEach((value, offset) => {
    const classified = classifyEvent(value);
    if (classified.kind !== "standard") return;
    const event = classified.event;
    if (event.type === "llm.started") {
      requests.set(event.requestId, event.messageId ?? event.requestId);
    }
    for (const core of coreEvents(event, (id) => requests.get(id))) {
      conversation = reduceConversation(conversation, core, offset);
    }
  });
  return conversation;
}
