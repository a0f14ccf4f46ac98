/**
 * JSON Patch (RFC 6902) over JSON Pointers (RFC 6901), without mutation: the
 * patched document shares every part the patch did not touch with the input,
 * and the input stays as it was, also when an operation fails half-way.
 *
 * @module
 */

/**
 * A JSON value as `JSON.parse` produces it.
 *
 * @example
 * ```ts
 * import type { JsonValue } from "@agent-stream/agent-stream/projector";
 *
 * const state: JsonValue = { todos: [{ title: "write", done: false }] };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [member: string]: JsonValue };

/**
 * One JSON Patch operation.
 *
 * @example
 * ```ts
 * import type { JsonPatchOperation } from "@agent-stream/agent-stream/projector";
 *
 * const done: JsonPatchOperation = { op: "replace", path: "/todos/0/done", value: true };
 * ```
 */
export type JsonPatchOperation =
  | { readonly op: "add"; readonly path: string; readonly value: JsonValue }
  | { readonly op: "remove"; readonly path: string }
  | { readonly op: "replace"; readonly path: string; readonly value: JsonValue }
  | { readonly op: "move"; readonly from: string; readonly path: string }
  | { readonly op: "copy"; readonly from: string; readonly path: string }
  | { readonly op: "test"; readonly path: string; readonly value: JsonValue };

/**
 * Why a patch could not be applied: `invalid-operation` (not a well-formed
 * operation), `invalid-pointer` (not an RFC 6901 pointer), `path-not-found`
 * (the location or its parent does not exist), `invalid-index` (an array
 * index out of range or malformed), `move-into-self`, `test-failed`.
 *
 * @example
 * ```ts
 * import type { JsonPatchErrorCode } from "@agent-stream/agent-stream/projector";
 *
 * const code: JsonPatchErrorCode = "test-failed";
 * ```
 */
export type JsonPatchErrorCode =
  | "invalid-operation"
  | "invalid-pointer"
  | "path-not-found"
  | "invalid-index"
  | "move-into-self"
  | "test-failed";

/**
 * A patch that cannot be applied; `index` is the failing operation's
 * position in the patch.
 *
 * @example
 * ```ts
 * import { applyJsonPatch, JsonPatchError } from "@agent-stream/agent-stream/projector";
 *
 * try {
 *   applyJsonPatch({ a: 1 }, [{ op: "remove", path: "/b" }]);
 * } catch (error) {
 *   if (error instanceof JsonPatchError) console.log(error.code, error.index); // path-not-found 0
 * }
 * ```
 */
export class JsonPatchError extends Error {
  /** What kind of failure. */
  readonly code: JsonPatchErrorCode;
  /** The position of the failing operation in the patch. */
  readonly index: number;

  /** A failure of operation `index`. */
  constructor(code: JsonPatchErrorCode, index: number, message: string) {
    super(`operation ${index}: ${message}`);
    this.name = "JsonPatchError";
    this.code = code;
    this.index = index;
  }
}

/**
 * The reference tokens of a JSON Pointer (RFC 6901): `""` is the whole
 * document, `/a~1b/0` is `["a/b", "0"]`. Throws on a pointer that does not
 * start with `/` or holds a `~` not followed by `0` or `1`.
 *
 * @example
 * ```ts
 * import { parseJsonPointer } from "@agent-stream/agent-stream/projector";
 *
 * console.log(parseJsonPointer("/a~1b/~0c")); // ["a/b", "~c"]
 * ```
 */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw new SyntaxError(`JSON Pointer must start with "/": ${pointer}`);
  }
  return pointer.slice(1).split("/").map((token) => {
    if (/~(?![01])/.test(token)) {
      throw new SyntaxError(`invalid "~" escape in JSON Pointer: ${pointer}`);
    }
    return token.replaceAll("~1", "/").replaceAll("~0", "~");
  });
}

/**
 * Applies `patch` to `document` and returns the result; `document` is not
 * changed. Throws {@linkcode JsonPatchError} when an operation fails; the
 * patch is then applied not at all (RFC 6902 §5).
 *
 * @example
 * ```ts
 * import { applyJsonPatch } from "@agent-stream/agent-stream/projector";
 *
 * const before = { todos: [{ title: "write", done: false }] };
 * const after = applyJsonPatch(before, [
 *   { op: "replace", path: "/todos/0/done", value: true },
 *   { op: "add", path: "/todos/-", value: { title: "ship", done: false } },
 * ]);
 * console.log(after); // { todos: [{ title: "write", done: true }, { title: "ship", done: false }] }
 * console.log(before.todos[0].done); // false
 * ```
 */
export function applyJsonPatch(
  document: JsonValue,
  patch: readonly JsonPatchOperation[],
): JsonValue {
  if (!Array.isArray(patch)) {
    throw new JsonPatchError("invalid-operation", 0, "a patch is an array of operations");
  }
  let current = document;
  patch.forEach((operation, index) => {
    current = applyOperation(current, operation as unknown, index);
  });
  return current;
}

function applyOperation(document: JsonValue, operation: unknown, index: number): JsonValue {
  const fail = (code: JsonPatchErrorCode, message: string): never => {
    throw new JsonPatchError(code, index, message);
  };
  if (typeof operation !== "object" || operation === null || Array.isArray(operation)) {
    return fail("invalid-operation", "an operation is an object");
  }
  const op = operation as Record<string, unknown>;
  const pointer = (member: "path" | "from"): string[] => {
    const value = op[member];
    if (typeof value !== "string") return fail("invalid-operation", `"${member}" must be a string`);
    try {
      return parseJsonPointer(value);
    } catch (error) {
      return fail("invalid-pointer", (error as Error).message);
    }
  };
  const value = (): JsonValue => {
    if (!Object.hasOwn(op, "value")) return fail("invalid-operation", `"${op.op}" needs a "value"`);
    return op.value as JsonValue;
  };
  switch (op.op) {
    case "add":
      return add(document, pointer("path"), value(), fail);
    case "remove":
      return remove(document, pointer("path"), fail);
    case "replace": {
      const path = pointer("path");
      const replacement = value();
      get(document, path, fail);
      return path.length === 0 ? replacement : set(document, path, replacement, "replace", fail);
    }
    case "move": {
      const from = pointer("from");
      const path = pointer("path");
      if (from.length < path.length && from.every((token, i) => token === path[i])) {
        return fail("move-into-self", `cannot move ${op.from} into its own child ${op.path}`);
      }
      const moved = get(document, from, fail);
      if (from.length === path.length && from.every((token, i) => token === path[i])) {
        return document;
      }
      return add(remove(document, from, fail), path, moved, fail);
    }
    case "copy":
      return add(document, pointer("path"), get(document, pointer("from"), fail), fail);
    case "test": {
      const path = pointer("path");
      const expected = value();
      if (!jsonEqual(get(document, path, fail), expected)) {
        return fail("test-failed", `the value at ${op.path} differs`);
      }
      return document;
    }
    default:
      return fail("invalid-operation", `unknown op ${JSON.stringify(op.op)}`);
  }
}

type Fail = (code: JsonPatchErrorCode, message: string) => never;

function add(
  document: JsonValue,
  path: readonly string[],
  value: JsonValue,
  fail: Fail,
): JsonValue {
  return path.length === 0 ? value : set(document, path, value, "add", fail);
}

function remove(document: JsonValue, path: readonly string[], fail: Fail): JsonValue {
  if (path.length === 0) return fail("path-not-found", "cannot remove the whole document");
  get(document, path, fail);
  return update(document, path.slice(0, -1), fail, (parent) => {
    const token = path[path.length - 1];
    if (Array.isArray(parent)) {
      const copy = [...parent];
      copy.splice(arrayIndex(token, parent.length - 1, fail), 1);
      return copy;
    }
    const copy = copyObject(parent as Record<string, JsonValue>);
    delete copy[token];
    return copy;
  });
}

/** Adds (`add`: inserting into arrays) or replaces (`replace`) the member at `path`. */
function set(
  document: JsonValue,
  path: readonly string[],
  value: JsonValue,
  mode: "add" | "replace",
  fail: Fail,
): JsonValue {
  const token = path[path.length - 1];
  return update(document, path.slice(0, -1), fail, (parent) => {
    if (Array.isArray(parent)) {
      const copy = [...parent];
      if (mode === "add") {
        const at = token === "-" ? parent.length : arrayIndex(token, parent.length, fail);
        copy.splice(at, 0, value);
      } else {
        copy[arrayIndex(token, parent.length - 1, fail)] = value;
      }
      return copy;
    }
    if (!isObject(parent)) {
      return fail("path-not-found", `no container at the parent of /${path.join("/")}`);
    }
    const copy = copyObject(parent);
    Object.defineProperty(copy, token, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return copy;
  });
}

/** Replaces the container at `path` with `change(container)`, copying the way down. */
function update(
  document: JsonValue,
  path: readonly string[],
  fail: Fail,
  change: (container: JsonValue) => JsonValue,
): JsonValue {
  if (path.length === 0) {
    if (!Array.isArray(document) && !isObject(document)) {
      return fail("path-not-found", "the parent is not an object or an array");
    }
    return change(document);
  }
  const [head, ...rest] = path;
  if (Array.isArray(document)) {
    const at = arrayIndex(head, document.length - 1, fail);
    const copy = [...document];
    copy[at] = update(document[at], rest, fail, change);
    return copy;
  }
  if (isObject(document) && Object.hasOwn(document, head)) {
    const copy = copyObject(document);
    Object.defineProperty(copy, head, {
      value: update(document[head], rest, fail, change),
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return copy;
  }
  return fail("path-not-found", `no member ${JSON.stringify(head)}`);
}

function get(document: JsonValue, path: readonly string[], fail: Fail): JsonValue {
  let current = document;
  for (const token of path) {
    if (Array.isArray(current)) current = current[arrayIndex(token, current.length - 1, fail)];
    else if (isObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return fail("path-not-found", `no value at /${path.join("/")}`);
  }
  return current;
}

/** An array index token: `0` or digits without a leading zero, at most `max`. */
function arrayIndex(token: string, max: number, fail: Fail): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    return fail("invalid-index", `${JSON.stringify(token)} is not an array index`);
  }
  const index = Number(token);
  if (index > max) return fail("invalid-index", `index ${token} is out of range`);
  return index;
}

function isObject(value: JsonValue): value is { readonly [member: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A shallow copy with every member as an own data property (`__proto__` included). */
function copyObject(value: { readonly [member: string]: JsonValue }): Record<string, JsonValue> {
  return { ...value };
}

/**
 * JSON equality as RFC 6902 §4.6 defines it for `test`: same type; numbers
 * equal by value; strings equal; arrays equal element by element; objects
 * with the same members, equal value by value, in any order.
 *
 * @example
 * ```ts
 * import { jsonEqual } from "@agent-stream/agent-stream/projector";
 *
 * console.log(jsonEqual({ a: 1, b: [2] }, { b: [2], a: 1 })); // true
 * ```
 */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}
