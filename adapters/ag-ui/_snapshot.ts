// Messages snapshots that leave an AG-UI client holding exactly the given
// messages. A client merges a snapshot into what it holds (see
// mergeSnapshot): it keeps its own order and, when the snapshot has none, its
// reasoning messages. When that merge would not give the target, a snapshot
// holding a single reasoning message first clears everything else.

import type { AgUiEvent } from "./ag_ui_events.ts";
import type { AgUiMessage } from "./ag_ui_messages.ts";

/** The id of the placeholder message of a clearing snapshot when the target is empty. */
const PLACEHOLDER_ID = "agent-stream:messages-snapshot:placeholder";

/** `MESSAGES_SNAPSHOT` events after which a client that held `held` holds `target`. */
export function snapshotEvents(held: AgUiMessage[], target: AgUiMessage[]): AgUiEvent[] {
  const merged = mergeSnapshot(held, target);
  if (sameIds(merged, target)) return [{ type: "MESSAGES_SNAPSHOT", messages: target }];
  // Replacing one message in place by id removes every other one: the
  // snapshot has reasoning, so held reasoning is not kept either.
  const anchor = target.length > 0 ? target[0].id : PLACEHOLDER_ID;
  const clear: AgUiEvent = {
    type: "MESSAGES_SNAPSHOT",
    messages: [{ id: anchor, role: "reasoning", content: "" }],
  };
  if (target.length > 0) return [clear, { type: "MESSAGES_SNAPSHOT", messages: target }];
  return [
    clear,
    { type: "MESSAGES_SNAPSHOT", messages: [{ id: anchor, role: "user", content: "" }] },
    { type: "MESSAGES_SNAPSHOT", messages: [] },
  ];
}

function sameIds(a: AgUiMessage[], b: AgUiMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i].id);
}

/**
 * How an AG-UI client merges a messages snapshot into what it holds: it
 * keeps its messages whose ids the snapshot has (replaced by the snapshot's
 * version) in its own order, keeps its reasoning messages when the snapshot
 * has none and its activity messages when the snapshot has none, drops the
 * rest, and appends the snapshot's new messages in order.
 */
export function mergeSnapshot(held: AgUiMessage[], snapshot: AgUiMessage[]): AgUiMessage[] {
  const byId = new Map(snapshot.map((m) => [m.id, m]));
  const hasReasoning = snapshot.some((m) => m.role === "reasoning");
  const hasActivity = snapshot.some((m) => m.role === "activity");
  const kept = held
    .filter((m) =>
      byId.has(m.id) || (m.role === "reasoning" && !hasReasoning) ||
      (m.role === "activity" && !hasActivity)
    )
    .map((m) => byId.get(m.id) ?? m);
  const ids = new Set(kept.map((m) => m.id));
  for (const m of snapshot) if (!ids.has(m.id)) kept.push(m);
  return kept;
}
