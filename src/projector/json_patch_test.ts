import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import {
  applyJsonPatch,
  jsonEqual,
  JsonPatchError,
  type JsonPatchOperation,
  type JsonValue,
  parseJsonPointer,
} from "./json_patch.ts";

interface VectorCase {
  readonly comment?: string;
  readonly doc: JsonValue;
  readonly patch: JsonPatchOperation[];
  readonly expected?: JsonValue;
  readonly error?: string;
  readonly disabled?: boolean;
}

function vectors(file: string): VectorCase[] {
  const url = new URL(`../../node_modules/json-patch-test-suite/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

// The public RFC 6902 test vectors (npm json-patch-test-suite): every case
// not marked disabled. Documents are frozen, so any mutation throws.
for (const file of ["tests.json", "spec_tests.json"]) {
  describe(`applyJsonPatch: json-patch-test-suite ${file}`, () => {
    for (const [n, vector] of vectors(file).entries()) {
      if (vector.disabled) continue;
      test(`${n}: ${vector.comment ?? JSON.stringify(vector.patch).slice(0, 80)}`, () => {
        const before = JSON.stringify(vector.doc);
        const doc = deepFreeze(structuredClone(vector.doc));
        if (vector.error !== undefined) {
          assert.throws(() => applyJsonPatch(doc, vector.patch), JsonPatchError, vector.error);
        } else {
          const result = applyJsonPatch(doc, vector.patch);
          if ("expected" in vector) assert.deepEqual(result, vector.expected);
        }
        assert.equal(JSON.stringify(vector.doc), before);
      });
    }
  });
}

const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;

/** Every pointer to a value inside `document`, root included. */
function pointers(document: JsonValue, prefix = ""): string[] {
  const out = [prefix];
  if (Array.isArray(document)) {
    document.forEach((item, i) => out.push(...pointers(item, `${prefix}/${i}`)));
  } else if (typeof document === "object" && document !== null) {
    for (const [key, item] of Object.entries(document)) {
      out.push(...pointers(item, `${prefix}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`));
    }
  }
  return out;
}

function at(document: JsonValue, pointer: string): JsonValue {
  let current = document as unknown;
  for (const token of parseJsonPointer(pointer)) {
    current = (current as Record<string, unknown>)[token];
  }
  return current as JsonValue;
}

describe("applyJsonPatch: properties", () => {
  test("never changes its input, and a failed patch has no effect on it", () => {
    fc.assert(
      fc.property(
        jsonValue,
        fc.array(
          fc.record({
            op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test"),
            path: fc.constantFrom("", "/a", "/0", "/-", "/a/b", "/1/a"),
            from: fc.constantFrom("", "/a", "/0", "/a/b"),
            value: jsonValue,
          }),
          { maxLength: 5 },
        ),
        (document, patch) => {
          const before = JSON.stringify(document);
          const frozen = deepFreeze(structuredClone(document));
          try {
            applyJsonPatch(frozen, patch as JsonPatchOperation[]);
          } catch (error) {
            assert.ok(error instanceof JsonPatchError, String(error));
          }
          assert.equal(JSON.stringify(frozen), before);
        },
      ),
    );
  });

  test("replace then test at any existing location succeeds and reads back the value", () => {
    fc.assert(
      fc.property(
        jsonValue.chain((document) =>
          fc.tuple(fc.constant(document), fc.constantFrom(...pointers(document)))
        ),
        jsonValue,
        ([document, pointer], value) => {
          const result = applyJsonPatch(document, [
            { op: "replace", path: pointer, value },
            { op: "test", path: pointer, value },
          ]);
          assert.ok(jsonEqual(at(result, pointer), value));
        },
      ),
    );
  });

  test("copy to a fresh member then remove it gives back the document", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), jsonValue, { maxKeys: 4 }).chain((document) =>
          fc.tuple(fc.constant(document as JsonValue), fc.constantFrom(...pointers(document)))
        ),
        ([document, from]) => {
          const fresh = "/\u0000fresh";
          const copied = applyJsonPatch(document, [{ op: "copy", from, path: fresh }]);
          assert.ok(jsonEqual(at(copied, fresh), at(document, from)));
          assert.ok(jsonEqual(applyJsonPatch(copied, [{ op: "remove", path: fresh }]), document));
        },
      ),
    );
  });

  test("jsonEqual ignores member order and nothing else", () => {
    fc.assert(
      fc.property(jsonValue, jsonValue, (a, b) => {
        assert.equal(jsonEqual(a, b), JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b)));
      }),
    );
  });

  test("__proto__ members are plain data, never the prototype", () => {
    const document = JSON.parse('{"__proto__": {"polluted": true}}');
    const result = applyJsonPatch(document, [{ op: "add", path: "/__proto__/x", value: 1 }]);
    assert.deepEqual(Object.keys(result as object), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const added = applyJsonPatch({}, [{
      op: "add",
      path: "/__proto__",
      value: { polluted: true },
    }]);
    assert.equal(Object.getPrototypeOf(added), Object.prototype);
    assert.deepEqual(Object.keys(added as object), ["__proto__"]);
  });
});

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as { readonly [member: string]: JsonValue })[key];
      Object.defineProperty(out, key, { value: sortKeys(member), enumerable: true });
    }
    return out;
  }
  return Object.is(value, -0) ? 0 : value;
}
