import type * as v from "valibot";
import { integerAtLeast } from "./_common.ts";

/**
 * An integer from 0 to 2^53 - 1: the range every JSON parser in JavaScript
 * reads exactly. Used for producer epochs and sequence numbers and for
 * millisecond durations.
 *
 * @example
 * ```ts
 * import type { NonNegativeInteger } from "@agent-stream/agent-stream/protocol";
 * const seq: NonNegativeInteger = 0;
 * ```
 */
export type NonNegativeInteger = number;

/**
 * Valibot schema of a {@linkcode NonNegativeInteger} (JSON Schema
 * `common.schema.json#/$defs/nonNegativeInteger`).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NonNegativeIntegerSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(NonNegativeIntegerSchema, 7); // true
 * v.is(NonNegativeIntegerSchema, 1.5); // false
 * ```
 */
export const NonNegativeIntegerSchema: v.GenericSchema<NonNegativeInteger> = integerAtLeast(
  0,
  Number.MAX_SAFE_INTEGER,
);
