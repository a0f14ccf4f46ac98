import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { reportToJunit } from "./report_junit.ts";
import { elements, parseXml, reportArbitrary, textOf } from "./_report_test_kit.ts";
import { visible } from "./_report_strings.ts";

describe("the strict XML reader of the tests", () => {
  it("rejects what is not well-formed", () => {
    for (
      const bad of [
        "<a>]]></a>",
        "<a>&</a>",
        "<a>&nope;</a>",
        "<a>&#0;</a>",
        "<a>\u0001</a>",
        "<a>\ud800</a>",
        '<a b="<"/>',
        '<a b="1" b="2"/>',
        '<a b="1"c="2"/>',
        "<a><b></a></b>",
        "<a>",
        "<a/><b/>",
        "<a><!-- -- --></a>",
      ]
    ) {
      assert.throws(() => parseXml(bad), Error, bad);
    }
  });

  it("reads what is", () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<a x="1 &amp; &#10;2"><b>&lt;&#x1F600;</b><![CDATA[<&]]></a>\n',
    );
    assert.equal(root.attributes.x, "1 & \n2");
    assert.equal(textOf(root), "<😀<&");
  });
});

describe("reportToJunit", () => {
  it("is well-formed XML whatever the strings of the report", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        parseXml(reportToJunit(report));
      }),
      { numRuns: 300 },
    );
  });

  it("has a test suite per section and a test case per check, strings kept", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const root = parseXml(reportToJunit(report));
        assert.equal(root.name, "testsuites");
        const sections = [...new Set(report.checks.map((c) => c.section))];
        const suites = elements(root, "testsuite");
        assert.deepEqual(suites.map((s) => s.attributes.name), sections.map(visible));
        const cases = elements(root, "testcase");
        assert.equal(cases.length, report.checks.length);
        const grouped = sections.flatMap((section) =>
          report.checks.filter((c) => c.section === section)
        );
        for (const [i, check] of grouped.entries()) {
          const testcase = cases[i];
          assert.equal(testcase.attributes.classname, visible(check.section));
          assert.equal(testcase.attributes.name, visible(`${check.id}: ${check.title}`));
          const failure = elements(testcase, "failure")[0] ?? elements(testcase, "error")[0];
          if (failure !== undefined) {
            assert.equal(failure.attributes.message, visible(check.failure!.message));
            assert.ok(textOf(failure).includes(visible(check.failure!.message)));
          }
          if (check.status === "skipped") {
            assert.equal(
              elements(testcase, "skipped")[0].attributes.message,
              visible(check.skipReason!),
            );
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("fails the build exactly when the run does not conform: SHOULD failures are warnings", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const root = parseXml(reportToJunit(report));
        const failures = elements(root, "failure").length;
        const errors = elements(root, "error").length;
        assert.equal(failures + errors > 0, !report.summary.conforms);
        assert.equal(errors, report.summary.errors);
        const warnings = report.checks.filter((c) =>
          c.status === "failed" && c.failure?.level === "SHOULD"
        );
        assert.equal(failures, report.summary.failed - warnings.length);
        const outs = elements(root, "system-out");
        assert.equal(outs.length, warnings.length);
        for (const out of outs) assert.match(textOf(out), /^WARNING: SHOULD requirement /);
        assert.equal(elements(root, "skipped").length, report.summary.skipped);
        assert.equal(root.attributes.tests, String(report.checks.length));
        assert.equal(root.attributes.failures, String(failures));
        assert.equal(root.attributes.errors, String(errors));
        assert.equal(root.attributes.skipped, String(report.summary.skipped));
        const sum = (name: string) =>
          elements(root, "testsuite").reduce((n, s) => n + Number(s.attributes[name]), 0);
        assert.equal(sum("tests"), report.checks.length);
        assert.equal(sum("failures"), failures);
      }),
      { numRuns: 200 },
    );
  });
});
