import * as v from "valibot";
import type { Envelope } from "../protocol/envelope.ts";
import type { EventDefinition } from "../events/mod.ts";
import { STANDARD_EVENT_DEFINITIONS, type StandardEvent } from "../vocabulary/standard_events.ts";
import type { Conversation } from "./conversation.ts";
import { initialConversation } from "./initial_conversation.ts";
import { reduceConversation } from "./reduce_conversation.ts";
import { normalizeEvent } from "../vocabulary/normalize_event.ts";
import {
  appendEntry,
  emptyJournal,
  keepTracker,
  type LifecycleJournal,
  takeTracker,
} from "./_lifecycle_journal.ts";

export type { LifecycleJournal, LifecycleJournalEntry } from "./_lifecycle_journal.ts";

/**
 * What the fold of spec/v1/projection.md carries from one event to the next:
 * the conversation, and the lifecycle bookkeeping that decides which events
 * are admitted (as the journal of the events it is built from). Plain JSON:
 * persist it whole and resume from it (PROJ-FOLD-5).
 *
 * @example
 * ```ts
 * import {
 *   initialConversationProjection,
 *   reduceConversationProjection,
 *   type ConversationProjectionState,
 * } from "@agent-stream/agent-stream/conversation";
 * const state: ConversationProjectionState = reduceConversationProjection(
 *   initialConversationProjection(),
 *   { type: "text.message", messageId: "m1", role: "user", content: "Hi" },
 *   0,
 * );
 * const saved = JSON.stringify(state);
 * const resumed: ConversationProjectionState = JSON.parse(saved);
 * console.log(resumed.conversation.messages.length); // 1
 * ```
 */
export interface ConversationProjectionState {
  /** The projection so far. */
  readonly conversation: Conversation;
  /** The admitted events that the lifecycle bookkeeping depends on; treat as opaque. */
  readonly lifecycle: LifecycleJournal;
}

/**
 * The state before the first event: {@linkcode initialConversation} and no
 * bookkeeping.
 *
 * @example
 * ```ts
 * import { initialConversationProjection } from "@agent-stream/agent-stream/conversation";
 * console.log(initialConversationProjection().conversation.runs); // []
 * ```
 */
export function initialConversationProjection(): ConversationProjectionState {
  return { conversation: initialConversation(), lifecycle: emptyJournal() };
}

const definitions: ReadonlyMap<string, EventDefinition<StandardEvent>> = new Map(
  STANDARD_EVENT_DEFINITIONS.map((definition) => [definition.type, definition]),
);

// Events that never change the bookkeeping, so the journal leaves them out.
const STREAMING = new Set(["text.delta", "reasoning.delta", "llm.token"]);

/** The value as a valid event of the vocabulary, or undefined (PROJ-FOLD-2). */
function vocabularyEvent(value: unknown): StandardEvent | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const type = (value as { type?: unknown }).type;
  const definition = typeof type === "string" ? definitions.get(type) : undefined;
  return definition !== undefined && v.is(definition.schema, value)
    ? value as StandardEvent
    : undefined;
}

/**
 * Folds one event into the projection state: every step of
 * spec/v1/projection.md §1. A value that is not an envelope, an event of a
 * type outside the vocabulary, one that fails its schema, and one the
 * lifecycle rules refuse return `state` itself; `llm.*` events fold as the
 * core events they stand for. `offset` is the event's 0-based position in
 * the stream.
 *
 * Never changes `state` or `event`; the new state shares what did not
 * change. Folding again from an older state works too, at the cost of
 * replaying its journal. Do not change an event after folding it: the
 * state keeps it.
 *
 * @throws {TypeError} when `state` is not a projection state (a damaged
 * persisted one, say).
 *
 * @example
 * ```ts
 * import {
 *   initialConversationProjection,
 *   reduceConversationProjection,
 * } from "@agent-stream/agent-stream/conversation";
 * let state = initialConversationProjection();
 * const events = [
 *   { type: "text.start", messageId: "m1" },
 *   { type: "text.delta", messageId: "m2", delta: "refused: m2 is not open" },
 *   { type: "text.delta", messageId: "m1", delta: "Hello" },
 *   { type: "com.example.unknown", anything: true },
 * ];
 * events.forEach((event, offset) => state = reduceConversationProjection(state, event, offset));
 * console.log(state.conversation.messages[0]); // { id: "m1", role: "assistant", content: "Hello", toolCalls: [] }
 * ```
 */
export function reduceConversationProjection(
  state: ConversationProjectionState,
  event: unknown,
  offset: number,
): ConversationProjectionState {
  if (!(Number.isSafeInteger(offset) && offset >= 0)) {
    throw new RangeError(`Expected the offset to be a non-negative integer, got ${offset}`);
  }
  const known = vocabularyEvent(event);
  if (known === undefined) return state;
  const tracker = takeTracker(state.lifecycle);
  if (tracker.admit(known as Envelope, offset) !== undefined) {
    keepTracker(state.lifecycle, tracker);
    return state;
  }
  // The tracker moved on; from here it belongs to the new state only, and a
  // failure leaves it to no state (the old one replays its journal).
  let conversation = state.conversation;
  for (const core of normalizeEvent(known, (id) => tracker.requestMessageId(id))) {
    conversation = reduceConversation(conversation, core, offset, tracker);
  }
  const lifecycle = STREAMING.has(known.type)
    ? state.lifecycle
    : appendEntry(state.lifecycle, [offset, known]);
  keepTracker(lifecycle, tracker);
  return { conversation, lifecycle };
}

/**
 * The projection of a sequence of events (spec/v1/projection.md): the fold
 * from {@linkcode initialConversation}, each event's offset its position in
 * the sequence. Never throws for any values.
 *
 * @example
 * ```ts
 * import { projectConversation } from "@agent-stream/agent-stream/conversation";
 * const conversation = projectConversation([
 *   { type: "run.started", runId: "r1" },
 *   { type: "llm.started", runId: "r1", requestId: "q1" },
 *   { type: "llm.token", runId: "r1", requestId: "q1", delta: "Hi!" },
 *   { type: "llm.completed", runId: "r1", requestId: "q1" },
 *   { type: "run.finished", runId: "r1", outcome: "success" },
 * ]);
 * console.log(conversation.messages[0]); // { id: "q1", role: "assistant", content: "Hi!", toolCalls: [], runId: "r1" }
 * console.log(conversation.runs[0].status); // "success"
 * ```
 */
export function projectConversation(events: Iterable<unknown>): Conversation {
  let state = initialConversationProjection();
  let offset = 0;
  for (const event of events) state = reduceConversationProjection(state, event, offset++);
  return state.conversation;
}
