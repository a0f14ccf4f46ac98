import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { STREAM_PATH_PATTERN, StreamPathSchema } from "./stream_path.ts";

// Control characters, backslash and the separator cannot occur in a segment.
const forbidden = (c: string): boolean =>
  c <= "\u001f" || c === "\u007f" || c === "\\" || c === "/";
const segment = fc
  .string({ unit: "binary", minLength: 1, maxLength: 8 })
  .filter((s) => ![...s].some(forbidden) && s !== "." && s !== "..");

test("non-empty segments joined by / form a valid path", () => {
  fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
    assert.ok(v.is(StreamPathSchema, segments.join("/")));
  }));
});

test("an empty, . or .. segment anywhere makes the path invalid", () => {
  fc.assert(fc.property(
    fc.array(segment, { maxLength: 4 }),
    fc.constantFrom("", ".", ".."),
    fc.nat(),
    (segments, bad, at) => {
      segments.splice(at % (segments.length + 1), 0, bad);
      assert.ok(!v.is(StreamPathSchema, segments.join("/")), segments.join("/"));
    },
  ));
});

test("line and paragraph separators do not hide //, trailing / or ..", () => {
  // A look-ahead written with `.` stops at U+2028/U+2029; the pattern scans
  // with [\s\S] so these stay invalid.
  for (const sep of ["\u2028", "\u2029"]) {
    for (const path of [`a${sep}//b`, `a${sep}/`, `a${sep}/..`, `a${sep}/./b`]) {
      assert.ok(!STREAM_PATH_PATTERN.test(path), JSON.stringify(path));
    }
    assert.ok(STREAM_PATH_PATTERN.test(`a${sep}/b`));
  }
});

test("length is bounded in code points, not UTF-16 units", () => {
  assert.ok(v.is(StreamPathSchema, "\u{1F600}".repeat(1024)));
  assert.ok(!v.is(StreamPathSchema, "\u{1F600}".repeat(1025)));
  assert.ok(!v.is(StreamPathSchema, "p".repeat(1025)));
});

test("control characters and backslash are rejected", () => {
  for (const c of ["\u0000", "\n", "\u001f", "\u007f", "\\"]) {
    assert.ok(!v.is(StreamPathSchema, `a${c}b`), JSON.stringify(c));
  }
  assert.ok(v.is(StreamPathSchema, "a\u0080b"));
});
