import * as v from "valibot";
import { pattern } from "./_common.ts";

/**
 * An RFC 3339 date-time with an explicit offset, e.g.
 * `"2025-06-01T12:30:00.250Z"`. The protocol checks its shape only, not the
 * calendar (a 30 February passes).
 *
 * @example
 * ```ts
 * import type { Timestamp } from "@agent-stream/agent-stream/protocol";
 * const at: Timestamp = new Date(0).toISOString();
 * ```
 */
export type Timestamp = string;

/**
 * The regular expression for {@linkcode Timestamp} (JSON Schema
 * `common.schema.json#/$defs/timestamp`). Upper-case `T` and `Z` only.
 *
 * @example
 * ```ts
 * import { TIMESTAMP_PATTERN } from "@agent-stream/agent-stream/protocol";
 * TIMESTAMP_PATTERN.test("2025-06-01T12:30:00+02:00"); // true
 * TIMESTAMP_PATTERN.test("2025-06-01 12:30:00Z"); // false
 * ```
 */
export const TIMESTAMP_PATTERN: RegExp = pattern(
  String
    .raw`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`,
);

/**
 * Valibot schema of a {@linkcode Timestamp}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TimestampSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(TimestampSchema, new Date().toISOString()); // true
 * ```
 */
export const TimestampSchema: v.GenericSchema<Timestamp> = v.pipe(
  v.string(),
  v.regex(TIMESTAMP_PATTERN, "Expected an RFC 3339 timestamp"),
);
