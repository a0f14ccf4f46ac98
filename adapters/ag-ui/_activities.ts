// AG-UI activity messages as data messages: a snapshot sets a data message's
// value, a delta patches the activity's content and sets the result.

import {
  applyJsonPatch,
  type JsonPatchOperation,
  type JsonValue,
} from "../../src/projector/mod.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";
import type { IngestedEvent } from "./from_ag_ui_events.ts";
import { activityValue } from "./_from_messages.ts";

type Content = Record<string, unknown>;

/** The content of each activity an AG-UI stream built. */
export class Activities {
  readonly #contents = new Map<string, Content>();

  /** Forgets every activity but those of `messages` (a messages snapshot). */
  replace(messages: readonly { id: string; role: string; content?: unknown }[]): void {
    this.#contents.clear();
    for (const m of messages) {
      if (m.role === "activity") this.#contents.set(m.id, m.content as Content);
    }
  }

  /** The events of an `ACTIVITY_SNAPSHOT`, given the roles of the messages so far. */
  snapshot(
    e: AgUiEvent & { type: "ACTIVITY_SNAPSHOT" },
    roles: Map<string, string>,
  ): IngestedEvent[] {
    const role = roles.get(e.messageId);
    if (role !== undefined && (role !== "data" || e.replace === false)) return [];
    if (e.messageId.length < 1 || e.messageId.length > 256) return [];
    roles.set(e.messageId, "data");
    this.#contents.set(e.messageId, structuredClone(e.content));
    return [{
      type: "custom.event",
      name: e.activityType,
      dataId: e.messageId,
      ...activityValue(e.content),
    }];
  }

  /** The events of an `ACTIVITY_DELTA`: none when the patch does not apply. */
  delta(e: AgUiEvent & { type: "ACTIVITY_DELTA" }): IngestedEvent[] {
    const content = this.#contents.get(e.messageId);
    if (content === undefined) return [];
    let next: unknown;
    try {
      next = applyJsonPatch(content as JsonValue, e.patch as unknown as JsonPatchOperation[]);
    } catch {
      return [];
    }
    if (typeof next !== "object" || next === null || Array.isArray(next)) return [];
    this.#contents.set(e.messageId, next as Content);
    return [{
      type: "custom.event",
      name: e.activityType,
      dataId: e.messageId,
      ...activityValue(next as Content),
    }];
  }
}
