import * as v from "valibot";
import type { EventDefinition } from "./define_event.ts";

/**
 * Whether `value` is a valid event of the definition's type: a type guard
 * that checks the envelope and every field, not only `type`, so it is safe
 * on values of unknown origin.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineEvent, isEvent } from "@agent-stream/agent-stream/events";
 * const Added = defineEvent("com.example.counter.added", { amount: v.number() });
 * const value: unknown = JSON.parse('{"type":"com.example.counter.added","amount":3}');
 * if (isEvent(Added, value)) console.log(value.amount + 1); // 4
 * ```
 */
export function isEvent<TEvent extends { type: string }>(
  definition: EventDefinition<TEvent>,
  value: unknown,
): value is TEvent {
  return v.is(definition.schema, value);
}
