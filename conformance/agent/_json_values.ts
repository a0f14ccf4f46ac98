// JSON value arbitraries for generated events: plain objects only (no null
// prototypes, no `__proto__` members), no -0 (it does not survive a JSON round
// trip under strict equality), strings that survive UTF-8 encoding.
import fc from "fast-check";
import type { JsonValue } from "../../src/projector/json_patch.ts";

/** Object member names, including ones that need escaping in a JSON Pointer. */
export const JSON_KEYS: readonly string[] = ["a", "b", "n", "id", "x/y", "m~n", ""];

/** Text of one delta or one short value: any Unicode graphemes. */
export function text(maxLength = 12): fc.Arbitrary<string> {
  return fc.string({ unit: "grapheme", maxLength });
}

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
    .map((x) => (Object.is(x, -0) ? 0 : x)),
  text(8),
);

const tree = fc.letrec<{ value: JsonValue; array: JsonValue[]; object: Record<string, JsonValue> }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      tie("array"),
      tie("object"),
    ),
    array: fc.array(tie("value"), { maxLength: 3 }),
    object: fc.dictionary(fc.constantFrom(...JSON_KEYS), tie("value"), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
  }),
);

/** Any JSON value, small. */
export const jsonValue: fc.Arbitrary<JsonValue> = tree.value;

/** A JSON object, small. */
export const jsonObject: fc.Arbitrary<Record<string, JsonValue>> = tree.object;

/** Escapes one member name for a JSON Pointer (RFC 6901). */
export function pointerSegment(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
