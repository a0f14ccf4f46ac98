import * as v from "valibot";
import { ENVELOPE_TYPE_PATTERN, EnvelopeSchema } from "../protocol/envelope.ts";
import type { Timestamp } from "../protocol/timestamp.ts";
import { FIELDS_SCHEMAS } from "./_fields_schemas.ts";

/**
 * The envelope members every event may carry, whatever its type
 * (spec/v1/envelope.md §1).
 *
 * @example
 * ```ts
 * import type { EnvelopeMembers } from "@agent-stream/agent-stream/events";
 * const common: EnvelopeMembers = { id: "evt_1", runId: "run_1", meta: { trace: "t1" } };
 * ```
 */
export type EnvelopeMembers = {
  /** Producer-chosen identifier of the event, 1 to 256 characters. */
  id?: string;
  /** When the event happened. */
  time?: Timestamp;
  /** The run the event belongs to, 1 to 256 characters. */
  runId?: string;
  /** Free-form annotations the protocol never interprets. */
  meta?: Record<string, unknown>;
};

/**
 * Names a field definition may not use: the envelope owns them.
 *
 * @example
 * ```ts
 * import type { EnvelopeMemberName } from "@agent-stream/agent-stream/events";
 * const name: EnvelopeMemberName = "runId";
 * ```
 */
export type EnvelopeMemberName = "type" | keyof EnvelopeMembers;

/**
 * The valibot entries of an event type's own fields. Envelope member names
 * are excluded, so a definition cannot redefine `id` or `type`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { EventFields } from "@agent-stream/agent-stream/events";
 * const fields: EventFields = { messageId: v.string(), delta: v.string() };
 * ```
 */
export type EventFields = v.ObjectEntries & { [K in EnvelopeMemberName]?: never };

/**
 * The TypeScript type of an event of type `TType` with fields `TFields`:
 * the literal `type`, the optional envelope members and the fields, flat.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { EventOf } from "@agent-stream/agent-stream/events";
 * type Added = EventOf<"com.example.counter.added", { amount: v.NumberSchema<undefined> }>;
 * const added: Added = { type: "com.example.counter.added", amount: 2, runId: "r1" };
 * ```
 */
export type EventOf<TType extends string, TFields extends EventFields> = {
  // Mapped rather than left an intersection, so that editors show one flat type.
  [K in keyof EventParts<TType, TFields>]: EventParts<TType, TFields>[K];
};

/**
 * The parts {@linkcode EventOf} joins: the literal `type`, the envelope
 * members and the fields.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { EventParts } from "@agent-stream/agent-stream/events";
 * type Parts = EventParts<"com.example.ping.sent", { to: v.StringSchema<undefined> }>;
 * const parts: Parts = { type: "com.example.ping.sent", to: "api" };
 * ```
 */
export type EventParts<TType extends string, TFields extends EventFields> =
  & { type: TType }
  & EnvelopeMembers
  & Omit<v.InferInput<v.ObjectSchema<TFields, undefined>>, EnvelopeMemberName>;

/**
 * A typed event type: its name and the schema an event of that type must
 * satisfy (the envelope plus the type's fields; other members are allowed,
 * as spec/v1/envelope.md §3 requires). Made by {@linkcode defineEvent}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineEvent, type EventDefinition } from "@agent-stream/agent-stream/events";
 * const Added = defineEvent("com.example.counter.added", { amount: v.number() });
 * const definition: EventDefinition = Added;
 * console.log(definition.type); // "com.example.counter.added"
 * ```
 */
export interface EventDefinition<TEvent extends { type: string } = { type: string }> {
  /** The event type name, e.g. `"com.example.counter.added"`. */
  readonly type: TEvent["type"];
  /**
   * Validates a whole event: envelope members, the literal `type`, and the
   * fields (the fields only once the envelope is valid). It validates only; events are carried as written, so schemas
   * with transformations or defaults have no effect on decoded events.
   */
  readonly schema: v.GenericSchema<TEvent>;
}

/**
 * The event type a definition describes; distributes over a union of
 * definitions.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineEvent, type InferEvent } from "@agent-stream/agent-stream/events";
 * const Added = defineEvent("com.example.counter.added", { amount: v.number() });
 * type Added = InferEvent<typeof Added>;
 * const event: Added = { type: "com.example.counter.added", amount: 1 };
 * ```
 */
export type InferEvent<TDefinition extends EventDefinition> = TDefinition extends
  EventDefinition<infer TEvent> ? TEvent : never;

const ENVELOPE_MEMBER_NAMES: ReadonlySet<string> = new Set([
  "type",
  "id",
  "time",
  "runId",
  "meta",
]);

const TYPE_MIN_LENGTH = 3;
const TYPE_MAX_LENGTH = 128;

/**
 * Defines an event type: a namespaced type name and a valibot schema per
 * field. The result types appends and replays through an
 * {@linkcode EventRegistry}, and narrows unknown values with
 * {@linkcode isEvent}.
 *
 * Fields are always checked loosely: members the definition does not name
 * are allowed and kept, because a newer producer may add them
 * (spec/v1/envelope.md §3). Mark fields that older events may lack with
 * `v.optional`.
 *
 * @throws {TypeError} when `type` is not a valid event type name, or a field
 * reuses an envelope member name.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineEvent } from "@agent-stream/agent-stream/events";
 * const Deployed = defineEvent("com.example.deploy.finished", {
 *   service: v.string(),
 *   ok: v.boolean(),
 *   note: v.optional(v.string()),
 * });
 * console.log(v.is(Deployed.schema, { type: Deployed.type, service: "api", ok: true })); // true
 * ```
 */
export function defineEvent<const TType extends string, const TFields extends EventFields>(
  type: TType,
  fields: TFields,
): EventDefinition<EventOf<TType, TFields>> {
  if (
    type.length < TYPE_MIN_LENGTH || type.length > TYPE_MAX_LENGTH ||
    !ENVELOPE_TYPE_PATTERN.test(type)
  ) {
    throw new TypeError(
      `Cannot define event type ${JSON.stringify(type)}: expected 3 to 128 characters of ` +
        `dot-separated lower-case segments, such as "com.example.thing.happened"`,
    );
  }
  for (const name of Object.keys(fields)) {
    if (ENVELOPE_MEMBER_NAMES.has(name)) {
      throw new TypeError(
        `Cannot define event type "${type}": field "${name}" is an envelope member`,
      );
    }
  }
  const fieldsSchema = v.looseObject({ type: v.literal(type), ...fields });
  const definition = Object.freeze({ type, schema: v.pipe(EnvelopeSchema, fieldsSchema) });
  FIELDS_SCHEMAS.set(definition, fieldsSchema);
  return definition as unknown as EventDefinition<EventOf<TType, TFields>>;
}
