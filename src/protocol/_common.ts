// Private building blocks shared by the protocol schemas. Each helper exists
// because a plain valibot primitive would disagree with the JSON Schemas in
// spec/v1/schemas/ on some input; the differential test keeps them honest.

import * as v from "valibot";

/**
 * Compiles a pattern exactly as Ajv compiles a JSON Schema `pattern`: with the
 * `u` flag, so `.` and negated classes see code points, not UTF-16 units.
 */
export function pattern(source: string): RegExp {
  return new RegExp(source, "u");
}

/** JSON objects only: `typeof [] === "object"`, and valibot's object schemas accept arrays. */
export function isJsonObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A loose object (unknown members allowed and kept) that rejects arrays. The
 * array check is a schema at the head of the pipe, so an array fails as a type
 * mismatch before any member is looked at.
 */
export function jsonObject<const TEntries extends v.ObjectEntries>(
  entries: TEntries,
) {
  const shape = v.looseObject(entries);
  return v.pipe(
    v.custom<v.InferInput<typeof shape>>(
      isJsonObject,
      "Invalid type: Expected a JSON object",
    ),
    shape,
  );
}

/**
 * A string whose length is bounded in code points, as JSON Schema counts it.
 * `v.minLength`/`v.maxLength` count UTF-16 units and would reject a string of
 * 256 emoji that `maxLength: 256` accepts.
 */
export function boundedString(min: number, max: number = Infinity) {
  return v.pipe(
    v.string(),
    v.minCodePoints(min, `Expected at least ${min} characters`),
    v.maxCodePoints(max, `Expected at most ${max} characters`),
  );
}

/**
 * A JSON Schema `integer` with bounds. `Number.isInteger` matches Ajv's notion
 * (so `1.0` and `-0` are integers once parsed).
 */
export function integerAtLeast(min: number, max: number = Infinity) {
  return v.pipe(
    v.number(),
    v.integer("Expected an integer"),
    v.minValue(min, `Expected an integer >= ${min}`),
    v.maxValue(max, `Expected an integer <= ${max}`),
  );
}

/** Same test as JSON Schema `uniqueItems` for arrays of strings. */
export function uniqueStrings(items: string[]): boolean {
  return new Set(items).size === items.length;
}
