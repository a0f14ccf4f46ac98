import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { reportFromJson, reportToJson } from "./report_json.ts";
import type { Report } from "./report.ts";
import { reportArbitrary } from "./_report_test_kit.ts";

/** `value` with the members of every object of the report in reversed order; compared values are data and keep theirs. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).reverse().map((
      [k, v],
    ) => [k, k === "expected" || k === "actual" ? v : reversed(v)]),
  );
}

describe("reportToJson", () => {
  it("round-trips: JSON.parse of the text is the report", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const text = reportToJson(report);
        assert.deepEqual(JSON.parse(text), report);
        assert.deepEqual(reportFromJson(text), report);
        assert.ok(text.endsWith("}\n"));
      }),
      { numRuns: 200 },
    );
  });

  it("is stable: member order in the report does not change the text", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        assert.equal(reportToJson(reversed(report) as Report), reportToJson(report));
      }),
      { numRuns: 100 },
    );
  });

  it("puts the verdict before the checks", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const keys = Object.keys(JSON.parse(reportToJson(report)));
        assert.ok(keys.indexOf("summary") < keys.indexOf("checks"));
        assert.equal(keys[0], "suite");
      }),
      { numRuns: 20 },
    );
  });

  it("writes compared values JSON cannot hold as text", () => {
    fc.assert(
      fc.property(reportArbitrary(), (base) => {
        const report: Report = {
          ...base,
          checks: [{
            id: "x.y",
            title: "t",
            section: "log.md §1",
            requirements: ["LOG-MSG-1"],
            status: "error",
            durationMs: 1,
            failure: {
              message: "m",
              expected: undefined,
              actual: 10n ** 20n,
              transcript: [],
            },
          }],
        };
        const failure = JSON.parse(reportToJson(report)).checks[0].failure;
        assert.equal(failure.expected, "undefined");
        assert.equal(failure.actual, "100000000000000000000n");
      }),
      { numRuns: 5 },
    );
  });
});

describe("reportFromJson", () => {
  it("refuses what is not a report", () => {
    for (const text of ["null", "[]", '{"suite":"server"}', '{"suite":"x","checks":[]}']) {
      assert.throws(() => reportFromJson(text), /not a conformance report/);
    }
    assert.throws(() => reportFromJson("{"), SyntaxError);
  });
});
