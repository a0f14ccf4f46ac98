import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { reportToHtml } from "./report_html.ts";
import { elements, parseXml, reportArbitrary, textOf } from "./_report_test_kit.ts";
import type { Report } from "./report.ts";
import { visible } from "./_report_strings.ts";

const TAGS = new Set([
  "html",
  "head",
  "meta",
  "title",
  "style",
  "body",
  "h1",
  "h2",
  "h3",
  "h4",
  "p",
  "span",
  "dl",
  "dt",
  "dd",
  "code",
  "table",
  "tr",
  "th",
  "td",
  "details",
  "summary",
  "pre",
  "a",
  "br",
  "small",
  "strong",
]);
const ATTRIBUTES = new Set(["lang", "charset", "name", "content", "class", "id", "href", "open"]);

/** Every string a reader must see on the page. */
function strings(report: Report): string[] {
  return [
    report.target,
    report.runtime,
    ...report.checks.flatMap((c) => [
      c.id,
      c.title,
      c.section,
      ...c.requirements,
      ...(c.skipReason !== undefined ? [c.skipReason] : []),
      ...(c.failure
        ? [
          c.failure.message,
          ...(c.failure.counterexample !== undefined ? [c.failure.counterexample] : []),
          ...(c.failure.replay !== undefined ? [c.failure.replay] : []),
          ...c.failure.transcript.map((e) => e.channel),
        ]
        : []),
    ]),
    ...report.requirements.flatMap((r) => [r.id, r.section, r.text]),
  ];
}

describe("reportToHtml", () => {
  it("escapes every string: the page is well-formed, holds only its own tags, and shows each string", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const html = reportToHtml(report);
        assert.ok(html.startsWith("<!DOCTYPE html>\n"));
        const root = parseXml(html, { doctype: true });
        for (const element of elements(root)) {
          assert.ok(TAGS.has(element.name), `unexpected element <${element.name}>`);
          for (const [name, value] of Object.entries(element.attributes)) {
            assert.ok(ATTRIBUTES.has(name), `unexpected attribute ${name}`);
            if (name === "href") assert.match(value, /^#check-[0-9]+$/);
            if (name === "id") assert.match(value, /^check-[0-9]+$/);
          }
        }
        const text = textOf(root);
        for (const s of strings(report)) {
          assert.ok(text.includes(visible(s)), `${JSON.stringify(s)} is not shown`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("states the verdict and the counts of the summary", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const root = parseXml(reportToHtml(report), { doctype: true });
        const verdict = elements(root, "span").find((s) =>
          s.attributes.class?.startsWith("verdict")
        );
        assert.equal(textOf(verdict!), report.summary.conforms ? "CONFORMS" : "DOES NOT CONFORM");
        const [checks, requirements] = elements(root, "table").slice(0, 2).map((table) =>
          elements(table, "td").slice(1).map((td) => Number(textOf(td)))
        );
        const s = report.summary;
        assert.deepEqual(checks, [s.passed, s.failed, s.errors, s.skipped, report.checks.length]);
        assert.deepEqual(requirements, [
          s.mustFailed,
          s.shouldFailed,
          s.untested,
          report.requirements.length,
        ]);
        assert.equal(s.passed + s.failed + s.errors + s.skipped, report.checks.length);
      }),
      { numRuns: 100 },
    );
  });

  it("puts each failure in details, MUST failures open and first", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const root = parseXml(reportToHtml(report), { doctype: true });
        const blocks = elements(root, "details").filter((d) =>
          !textOf(elements(d, "summary")[0]).startsWith("Transcript")
        );
        const failing = report.checks.filter((c) => c.status === "failed" || c.status === "error");
        assert.equal(blocks.length, failing.length);
        const open = blocks.map((d) => d.attributes.open === "open");
        assert.deepEqual(open, [...open].sort((a, b) => Number(b) - Number(a)));
        assert.equal(
          open.filter(Boolean).length,
          failing.filter((c) => c.failure?.level !== "SHOULD").length,
        );
      }),
      { numRuns: 100 },
    );
  });
});
