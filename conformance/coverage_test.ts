import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { CatalogueEntry } from "./catalogue.ts";
import { coverage, formatCoverage, suiteCoverageInput } from "./coverage.ts";

const entry = (id: string): CatalogueEntry => ({
  id,
  actor: "server",
  keyword: "MUST",
  level: "MUST",
  section: `${id.split("-")[0].toLowerCase()}.md §1`,
  text: `the text of ${id}`,
});

describe("coverage", () => {
  const catalogue = ["A-1", "A-2", "A-3", "B-1"].map(entry);

  it("accounts for each requirement: covered, untestable or unaccounted", () => {
    const result = coverage({
      catalogue,
      checks: [
        { id: "a.one", requirements: ["A-1", "A-1"] },
        { id: "a.both", requirements: ["A-1", "B-1"] },
      ],
      untestable: { "A-2": "power loss: the crash test" },
    });
    assert.deepEqual(
      result.requirements.map((r) => [r.id, r.status, r.checks, r.reason]),
      [
        ["A-1", "covered", ["a.one", "a.both"], undefined],
        ["A-2", "untestable", [], "power loss: the crash test"],
        ["A-3", "unaccounted", [], undefined],
        ["B-1", "covered", ["a.both"], undefined],
      ],
    );
    assert.deepEqual(result.counts, { total: 4, covered: 2, untestable: 1, unaccounted: 1 });
    assert.equal(result.complete, false);
    assert.match(formatCoverage(result), /! A-3 +UNACCOUNTED/);
    assert.match(formatCoverage(result), /~ A-2 +untestable: power loss/);
    assert.match(formatCoverage(result), /4 requirements: 2 covered, 1 untestable, 1 unaccounted/);
  });

  it("flags unknown IDs and IDs both covered and untestable", () => {
    const result = coverage({
      catalogue,
      checks: [{ id: "x", requirements: ["A-1", "A-2", "A-3", "B-1", "NOPE-1"] }],
      untestable: { "B-1": "why", "GONE-2": "why" },
    });
    assert.deepEqual(result.unknownCited, [{ id: "NOPE-1", checks: ["x"] }]);
    assert.deepEqual(result.unknownUntestable, ["GONE-2"]);
    assert.deepEqual(result.coveredAndUntestable, ["B-1"]);
    assert.equal(result.counts.unaccounted, 0);
    assert.equal(result.complete, false);
    const text = formatCoverage(result);
    assert.match(text, /cited but not in the spec: NOPE-1 \(by x\)/);
    assert.match(text, /listed as untestable but not in the spec: GONE-2/);
    assert.match(text, /both covered by checks and listed as untestable: B-1/);
  });

  it("counts add up, and completeness means nothing left over", () => {
    const ids = fc.constantFrom("A-1", "A-2", "A-3", "B-1", "X-1");
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.string(), requirements: fc.array(ids, { maxLength: 3 }) }), {
          maxLength: 5,
        }),
        fc.dictionary(ids, fc.string()),
        (checks, untestable) => {
          const result = coverage({ catalogue, checks, untestable });
          const c = result.counts;
          assert.equal(c.covered + c.untestable + c.unaccounted, c.total);
          assert.equal(c.total, catalogue.length);
          const cited = new Set<string>(checks.flatMap((check) => check.requirements));
          for (const r of result.requirements) {
            assert.equal(r.status === "covered", cited.has(r.id));
          }
          assert.equal(
            result.complete,
            c.unaccounted === 0 && !cited.has("X-1") && !("X-1" in untestable) &&
              result.coveredAndUntestable.length === 0,
          );
        },
      ),
    );
  });
});

describe("the conformance suite", () => {
  const result = coverage(suiteCoverageInput());

  it("cites only requirement IDs of the spec", () => {
    assert.deepEqual(result.unknownCited, []);
    assert.deepEqual(result.unknownUntestable, []);
  });

  it("does not list a covered requirement as untestable", () => {
    assert.deepEqual(result.coveredAndUntestable, []);
  });

  it("accounts for every requirement of the spec: a check cites it, or a reason says why none can", () => {
    const unaccounted = result.requirements.filter((r) => r.status === "unaccounted");
    assert.deepEqual(
      unaccounted.map((r) => `${r.id} (${r.actor})`),
      [],
      `${unaccounted.length} of ${result.counts.total} requirements unaccounted`,
    );
  });
});
