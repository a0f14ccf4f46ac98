// State: a JSON document shared by agent and client, replaced by snapshots and changed by RFC 6902 patches.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import type { JsonPatchOperation } from "../projector/json_patch.ts";
import { anyObject, jsonPointer } from "./_fields.ts";

// "add", "replace" and "test" need a value; "move" and "copy" a source.
const patchOperation = v.pipe(
  anyObject(),
  v.variant("op", [
    v.looseObject({
      op: v.picklist(["add", "replace", "test"]),
      path: jsonPointer(),
      value: v.unknown(),
      from: v.optional(jsonPointer()),
    }),
    v.looseObject({ op: v.picklist(["move", "copy"]), path: jsonPointer(), from: jsonPointer() }),
    v.looseObject({
      op: v.literal("remove"),
      path: jsonPointer(),
      from: v.optional(jsonPointer()),
    }),
  ]),
);

/**
 * `state.snapshot`: replaces the whole state.
 *
 * @example
 * ```ts
 * import type { StateSnapshotEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: StateSnapshotEvent = { type: "state.snapshot", snapshot: {todos: []} };
 * ```
 */
export interface StateSnapshotEvent extends EnvelopeMembers {
  /** The event type. */
  type: "state.snapshot";
  /** The new state. */
  snapshot: unknown;
}

/**
 * The definition of `state.snapshot`.
 *
 * @example
 * ```ts
 * import { StateSnapshot } from "@agent-stream/agent-stream/vocabulary";
 * console.log(StateSnapshot.type); // "state.snapshot"
 * ```
 */
export const StateSnapshot: EventDefinition<StateSnapshotEvent> = defineEvent("state.snapshot", {
  snapshot: v.unknown(),
});

/**
 * `state.delta`: changes the state with a JSON Patch (RFC 6902), applied atomically.
 *
 * @example
 * ```ts
 * import type { StateDeltaEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: StateDeltaEvent = { type: "state.delta", patch: [{op: "add", path: "/todos/-", value: "buy milk"}] };
 * ```
 */
export interface StateDeltaEvent extends EnvelopeMembers {
  /** The event type. */
  type: "state.delta";
  /** The operations, in order. */
  patch: JsonPatchOperation[];
}

/**
 * The definition of `state.delta`.
 *
 * @example
 * ```ts
 * import { StateDelta } from "@agent-stream/agent-stream/vocabulary";
 * console.log(StateDelta.type); // "state.delta"
 * ```
 */
export const StateDelta: EventDefinition<StateDeltaEvent> = defineEvent("state.delta", {
  patch: v.array(patchOperation),
}) as EventDefinition<StateDeltaEvent>;
