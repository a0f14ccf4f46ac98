import { Projector } from "../projector/projector.ts";
import {
  type ConversationProjectionState,
  initialConversationProjection,
  reduceConversationProjection,
} from "./project_conversation.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

// A message that is not UTF-8 JSON is no envelope: the fold skips it (PROJ-FOLD-2).
function decode(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * A projector of the conversation projection (spec/v1/projection.md): folds
 * a stream with `catchUp` or `follow` into a
 * {@linkcode ConversationProjectionState}, whose `conversation` is the
 * projection. Snapshots are plain JSON: persist one and pass it back as
 * `from` to resume where it was taken, with the lifecycle bookkeeping it
 * carries (PROJ-FOLD-5). Messages that are not JSON are skipped, like any
 * value that is not an envelope.
 *
 * @example
 * ```ts
 * import { conversationProjector } from "@agent-stream/agent-stream/conversation";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 *
 * const store = new MemoryStore();
 * const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
 * await store.create("chats/1", { kind: "agent" });
 * await store.append("chats/1", {
 *   messages: [
 *     { type: "text.message", messageId: "u1", role: "user", content: "Hi" },
 *     { type: "run.started", runId: "r1" },
 *   ].map(json),
 * });
 * const projector = conversationProjector();
 * const saved = JSON.stringify(await projector.catchUp(store, "chats/1"));
 *
 * await store.append("chats/1", {
 *   messages: [{ type: "run.finished", runId: "r1", outcome: "success" }].map(json),
 * });
 * const { state } = await projector.catchUp(store, "chats/1", { from: JSON.parse(saved) });
 * console.log(state.conversation.runs); // [{ runId: "r1", status: "success" }]
 * await store.dispose();
 * ```
 */
export function conversationProjector(): Projector<ConversationProjectionState, unknown> {
  return new Projector({
    init: initialConversationProjection,
    reducer: reduceConversationProjection,
    decode,
  });
}
