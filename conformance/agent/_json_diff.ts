// The first place where two JSON values differ, as projection.md §9.2
// defines equality: objects by member names in any order, arrays by
// position, numbers as binary64 values (0 and -0 equal).

/** A difference: where, and the two values there (`undefined` = absent). */
export interface JsonDifference {
  /** Path segments from the root: member names and array indices. */
  readonly path: readonly (string | number)[];
  readonly expected: unknown;
  readonly actual: unknown;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The first difference of `actual` from `expected`, depth first, or undefined when equal. */
export function firstDifference(
  expected: unknown,
  actual: unknown,
  path: readonly (string | number)[] = [],
): JsonDifference | undefined {
  const k = kind(expected);
  if (k !== kind(actual)) return { path, expected, actual };
  if (k === "array") {
    const a = expected as unknown[];
    const b = actual as unknown[];
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], [...path, i]);
      if (found) return found;
    }
    if (a.length !== b.length) {
      const i = Math.min(a.length, b.length);
      return { path: [...path, i], expected: a[i], actual: b[i] };
    }
    return undefined;
  }
  if (k === "object") {
    const a = expected as Record<string, unknown>;
    const b = actual as Record<string, unknown>;
    for (const key of Object.keys(a)) {
      if (!Object.hasOwn(b, key)) {
        return { path: [...path, key], expected: a[key], actual: undefined };
      }
      const found = firstDifference(a[key], b[key], [...path, key]);
      if (found) return found;
    }
    for (const key of Object.keys(b)) {
      if (!Object.hasOwn(a, key)) {
        return { path: [...path, key], expected: undefined, actual: b[key] };
      }
    }
    return undefined;
  }
  // Numbers compare as binary64 values: === holds for 0 and -0.
  return expected === actual ? undefined : { path, expected, actual };
}

/** A path as people read it: `messages[2].toolCalls[0].input`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "the conversation" : out;
}
