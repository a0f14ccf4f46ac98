import fc from "fast-check";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as v from "valibot";
import {
  createProblem,
  JSON_POINTER_PATTERN,
  PROBLEM_TYPE_BASE,
  PROBLEM_TYPES,
  ProblemSchema,
  type ProblemSlug,
  problemSlug,
  problemType,
} from "./problem.ts";

const SLUGS = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

test("the catalogue lists the 31 problem types of errors.md with their statuses", () => {
  assert.equal(SLUGS.length, 31);
  const byStatus = (status: number) =>
    SLUGS.filter((slug) => PROBLEM_TYPES[slug].status === status).sort();
  assert.deepEqual(byStatus(403), ["producer-stale-epoch"]);
  assert.deepEqual(byStatus(404), ["not-found", "stream-not-found"]);
  assert.deepEqual(byStatus(405), ["method-not-allowed"]);
  assert.deepEqual(byStatus(409), [
    "content-type-mismatch",
    "not-agent-stream",
    "producer-seq-gap",
    "stream-closed",
    "stream-exists",
    "stream-seq-conflict",
  ]);
  assert.deepEqual(byStatus(410), ["stream-gone"]);
  assert.deepEqual(byStatus(413), ["payload-too-large"]);
  assert.deepEqual(byStatus(415), ["unsupported-media-type"]);
  assert.deepEqual(byStatus(429), ["rate-limited", "subscriber-limit"]);
  assert.deepEqual(byStatus(500), ["internal-error"]);
  assert.deepEqual(byStatus(503), ["subscriber-overflow", "unavailable"]);
  assert.deepEqual(byStatus(507), ["stream-limit"]);
  assert.equal(byStatus(400).length, 12);
});

test("the catalogue is errors.md's table: the same slugs, in its order, with its statuses", () => {
  const text = readFileSync(new URL("../../spec/v1/errors.md", import.meta.url), "utf8");
  const rows = [...text.matchAll(/^\| `([a-z][a-z0-9-]*)` +\| (\d{3}) +\|/gm)];
  assert.deepEqual(
    rows.map(([, slug, status]) => [slug, Number(status)]),
    SLUGS.map((slug) => [slug, PROBLEM_TYPES[slug].status]),
  );
});

test("every catalogued problem is a valid problem with a slug-shaped type", () => {
  for (const slug of SLUGS) {
    assert.match(slug, /^[a-z][a-z0-9-]*$/);
    const problem = createProblem(slug);
    assert.ok(v.is(ProblemSchema, problem), slug);
    assert.equal(problem.type, PROBLEM_TYPE_BASE + slug);
    assert.equal(problemSlug(problemType(slug)), slug);
  }
});

test("problemSlug does not know types outside the catalogue", () => {
  for (
    const type of [
      "https://example.com/problems/stream-gone",
      PROBLEM_TYPE_BASE + "toString",
      PROBLEM_TYPE_BASE + "no-such-problem",
      PROBLEM_TYPE_BASE,
    ]
  ) {
    assert.equal(problemSlug(type), undefined, type);
  }
});

test("createProblem adds the optional members it is given", () => {
  const problem = createProblem("unsupported-version", { supported: ["1.0"], detail: "2.0" });
  assert.deepEqual(problem, {
    type: "https://agent-stream.dev/problems/unsupported-version",
    title: PROBLEM_TYPES["unsupported-version"].title,
    status: 400,
    supported: ["1.0"],
    detail: "2.0",
  });
});

test("escaped reference tokens form JSON Pointers", () => {
  fc.assert(fc.property(fc.array(fc.string({ unit: "binary" })), (keys) => {
    const pointer = keys.map((k) => "/" + k.replaceAll("~", "~0").replaceAll("/", "~1")).join("");
    assert.match(pointer, JSON_POINTER_PATTERN);
  }));
  for (const bad of ["a", "/~", "/~2", "#/a"]) assert.doesNotMatch(bad, JSON_POINTER_PATTERN);
});
