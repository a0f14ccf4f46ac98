// Copy-on-write helpers: every change returns a new array and leaves the old one as it was.

/** A copy of `list` with the element at `index` replaced. */
export function replaceAt<T>(list: readonly T[], index: number, value: T): T[] {
  const copy = list.slice();
  copy[index] = value;
  return copy;
}

/** A copy of `list` with `value` inserted before position `index`. */
export function insertAt<T>(list: readonly T[], index: number, value: T): T[] {
  return [...list.slice(0, index), value, ...list.slice(index)];
}

/** `list` without the elements `drop` accepts; `list` itself when none is dropped. */
export function removeWhere<T>(list: T[], drop: (value: T) => boolean): T[] {
  return list.some(drop) ? list.filter((value) => !drop(value)) : list;
}

/**
 * A copy of `object` with `key` set to `value`, or without `key` when
 * `value` is undefined: absent members stay absent (projection.md §9.1).
 */
export function withMember<T extends object, K extends keyof T>(
  object: T,
  key: K,
  value: T[K] | undefined,
): T {
  const copy = { ...object };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}
