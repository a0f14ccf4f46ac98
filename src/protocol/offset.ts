import * as v from "valibot";
import { pattern } from "./_common.ts";

/**
 * A stream offset as a server mints it: the number of messages before the
 * position, written as 16 zero-padded decimal digits, so that comparing two
 * offsets as strings compares them as numbers.
 *
 * @example Offsets sort like numbers
 * ```ts
 * import { formatOffset, type Offset } from "@agent-stream/agent-stream/protocol";
 * const tail: Offset = formatOffset(3); // "0000000000000003"
 * ```
 */
export type Offset = string;

/**
 * An offset a client may send when it asks to read: a real {@linkcode Offset},
 * `"-1"` (the start of the stream) or `"now"` (the tail at request time).
 *
 * @example
 * ```ts
 * import type { RequestOffset } from "@agent-stream/agent-stream/protocol";
 * const fromStart: RequestOffset = "-1";
 * ```
 */
export type RequestOffset = Offset | "-1" | "now";

/**
 * The regular expression every minted offset matches (JSON Schema
 * `common.schema.json#/$defs/offset`).
 *
 * @example
 * ```ts
 * import { OFFSET_PATTERN } from "@agent-stream/agent-stream/protocol";
 * OFFSET_PATTERN.test("0000000000000042"); // true
 * OFFSET_PATTERN.test("42"); // false
 * ```
 */
export const OFFSET_PATTERN: RegExp = pattern(String.raw`^[0-9]{16}$`);

/**
 * The offset of the first message, and the tail of an empty stream.
 *
 * @example
 * ```ts
 * import { START_OFFSET, parseOffset } from "@agent-stream/agent-stream/protocol";
 * parseOffset(START_OFFSET); // 0
 * ```
 */
export const START_OFFSET: Offset = "0000000000000000";

/**
 * Request sentinel meaning "from the first message". Never minted by a server.
 *
 * @example
 * ```ts
 * import { OFFSET_FROM_START } from "@agent-stream/agent-stream/protocol";
 * const url = `/v1/stream/chat?offset=${OFFSET_FROM_START}`;
 * ```
 */
export const OFFSET_FROM_START = "-1" as const;

/**
 * Request sentinel meaning "the tail at the time of the request": only new
 * messages. Never minted by a server.
 *
 * @example
 * ```ts
 * import { OFFSET_NOW } from "@agent-stream/agent-stream/protocol";
 * const url = `/v1/stream/chat?offset=${OFFSET_NOW}&live=sse`;
 * ```
 */
export const OFFSET_NOW = "now" as const;

/**
 * Writes a message count as an offset.
 *
 * @param count Number of messages before the position; a safe non-negative integer.
 * @throws {RangeError} If `count` is not a safe non-negative integer.
 *
 * @example
 * ```ts
 * import { formatOffset } from "@agent-stream/agent-stream/protocol";
 * formatOffset(0); // "0000000000000000"
 * formatOffset(1234); // "0000000000001234"
 * ```
 */
export function formatOffset(count: number): Offset {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(
      `Cannot format offset: ${count} is not a safe non-negative integer`,
    );
  }
  return String(count).padStart(16, "0");
}

/**
 * Reads an offset back as a message count. Only real offsets are accepted;
 * resolve the `"-1"` and `"now"` sentinels before calling this.
 *
 * @throws {SyntaxError} If `offset` is not 16 decimal digits.
 * @throws {RangeError} If the value exceeds `Number.MAX_SAFE_INTEGER`; no
 *   stream can be that long, so callers can answer `offset-out-of-range`.
 *
 * @example
 * ```ts
 * import { parseOffset } from "@agent-stream/agent-stream/protocol";
 * parseOffset("0000000000001234"); // 1234
 * ```
 */
export function parseOffset(offset: string): number {
  if (!OFFSET_PATTERN.test(offset)) {
    throw new SyntaxError(
      `Cannot parse offset: ${JSON.stringify(offset.slice(0, 32))} is not 16 decimal digits`,
    );
  }
  const count = Number(offset);
  if (!Number.isSafeInteger(count)) {
    throw new RangeError(
      `Cannot parse offset: ${offset} exceeds the largest safe integer`,
    );
  }
  return count;
}

/**
 * Whether a value is a real (minted) offset.
 *
 * @example
 * ```ts
 * import { isOffset } from "@agent-stream/agent-stream/protocol";
 * isOffset("0000000000000007"); // true
 * isOffset("-1"); // false: a sentinel, not an offset
 * ```
 */
export function isOffset(value: unknown): value is Offset {
  return typeof value === "string" && OFFSET_PATTERN.test(value);
}

/**
 * Valibot schema of a minted offset.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { OffsetSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(OffsetSchema, "0000000000000000"); // true
 * ```
 */
export const OffsetSchema: v.GenericSchema<Offset> = v.pipe(
  v.string(),
  v.regex(OFFSET_PATTERN, "Expected an offset of 16 decimal digits"),
);

/**
 * Valibot schema of an offset in a request: a real offset, `"-1"` or `"now"`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { RequestOffsetSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(RequestOffsetSchema, "now"); // true
 * v.is(RequestOffsetSchema, "-2"); // false
 * ```
 */
export const RequestOffsetSchema: v.GenericSchema<RequestOffset> = v.pipe(
  v.string(),
  v.check(
    (value) =>
      value === OFFSET_FROM_START || value === OFFSET_NOW ||
      OFFSET_PATTERN.test(value),
    'Expected an offset of 16 decimal digits, "-1" or "now"',
  ),
);
