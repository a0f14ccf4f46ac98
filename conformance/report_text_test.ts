import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  formatProgress,
  formatSummary,
  progressPrinter,
  shouldColor,
  type TextReportOptions,
} from "./report_text.ts";
import type { CheckResult, Report } from "./report.ts";
import type { ProgressEvent } from "./runner.ts";
import { reportArbitrary } from "./_report_test_kit.ts";
import { oneLine } from "./_report_strings.ts";

// What a terminal must never receive from a report's strings: controls but
// tab and newline, and lone surrogates. The report's own colours are ESC [ n m.
const LEAK =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]|\u001b(?!\[[0-9;]*[mK])|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function events(report: Report): ProgressEvent[] {
  const total = report.checks.length;
  return [
    { kind: "start", total },
    ...report.checks.map((result, index) => ({ kind: "check" as const, index, total, result })),
  ];
}

function printed(report: Report, options: TextReportOptions): string {
  let out = "";
  const print = progressPrinter((text) => out += text, options);
  for (const event of events(report)) print(event);
  return out;
}

const passing: CheckResult = {
  id: "log.append.atomic",
  title: "a batch is stored whole",
  section: "log.md §4",
  requirements: ["LOG-APPEND-1"],
  status: "passed",
  durationMs: 12,
};

describe("formatProgress", () => {
  it("writes a line per check with a counter, status and ID", () => {
    const text = formatProgress({ kind: "check", index: 2, total: 10, result: passing });
    assert.equal(text, "[ 3/10] PASS  log.append.atomic  a batch is stored whole (12 ms)\n");
  });

  it("shows a failure at once: requirement, message, counterexample, replay, transcript", () => {
    const text = formatProgress({
      kind: "check",
      index: 0,
      total: 1,
      result: {
        ...passing,
        status: "failed",
        failure: {
          requirement: "LOG-APPEND-1",
          level: "MUST",
          message: "LOG-APPEND-1: half a batch was stored",
          counterexample: "[[1,2,3]]",
          seed: 42,
          path: "3:1",
          numRuns: 7,
          replay: "deno task conformance -- server --check log.append.atomic --seed 42",
          transcript: [{ atMs: 5, channel: "http#1", direction: ">", text: "POST /v1/stream/a" }],
        },
      },
    });
    assert.match(text, /^\[1\/1\] FAIL {2}log\.append\.atomic/);
    assert.match(text, /requirement: LOG-APPEND-1 \(MUST\) log\.md §4: store the messages/);
    assert.match(text, /message: LOG-APPEND-1: half a batch was stored/);
    assert.match(text, /counterexample: \[\[1,2,3\]\]/);
    assert.match(text, /seed: 42, path: 3:1, after 7 runs/);
    assert.match(text, /replay: deno task conformance -- server --check log\.append\.atomic/);
    assert.match(text, /\+5ms http#1 > POST \/v1\/stream\/a/);
  });

  it("marks a failed SHOULD as a warning", () => {
    const text = formatProgress({
      kind: "check",
      index: 0,
      total: 1,
      result: {
        ...passing,
        status: "failed",
        failure: { requirement: "HTTP-CREATE-9", level: "SHOULD", message: "m", transcript: [] },
      },
    });
    assert.match(text, /^\[1\/1\] WARN /);
  });

  it("in quiet mode, says nothing of passed and skipped checks", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const out = printed(report, { quiet: true });
        const lines = out.split("\n").filter((line) => /^\[ *[0-9]+\/[0-9]+\] /.test(line));
        assert.equal(
          lines.length,
          report.checks.filter((c) => c.status === "failed" || c.status === "error").length,
        );
      }),
      { numRuns: 50 },
    );
  });

  it("on a live terminal, shows the running check and replaces it", () => {
    const begin = formatProgress(
      // deno-lint-ignore no-explicit-any
      { kind: "begin", index: 0, total: 1, check: { id: "x.y" } as any },
      { live: true },
    );
    assert.match(begin, /x\.y/);
    assert.ok(!begin.endsWith("\n"));
    const line = formatProgress({ kind: "check", index: 0, total: 1, result: passing }, {
      live: true,
    });
    assert.ok(line.startsWith("\r\x1b[2K"));
    assert.equal(
      formatProgress({ kind: "begin", index: 0, total: 1, check: passing as never }),
      "",
    );
  });

  it("lets no control character of a report through; colours only when asked", () => {
    fc.assert(
      fc.property(reportArbitrary(), fc.boolean(), (report, color) => {
        const out = printed(report, { color }) + formatSummary(report, { color });
        assert.ok(!LEAK.test(out), JSON.stringify(out.match(LEAK)));
        assert.equal(out.includes("\x1b"), color);
      }),
      { numRuns: 200 },
    );
  });
});

describe("formatSummary", () => {
  it("agrees with the counts, by section and in total", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const text = formatSummary(report);
        const s = report.summary;
        const count = (status: string) =>
          report.requirements.filter((r) => r.status === status).length;
        assert.ok(
          text.includes(
            `Checks: ${s.passed} passed, ${s.failed} failed, ${s.errors} erred, ${s.skipped} skipped (${report.checks.length} in all)`,
          ),
        );
        assert.ok(
          text.includes(
            `Requirements: ${
              count("passed")
            } passed, ${s.mustFailed} failed, ${s.shouldFailed} warnings, ${
              count("skipped")
            } skipped, ${s.untested} untested (${report.requirements.length} in all)`,
          ),
        );
        assert.match(text, s.conforms ? /Verdict: CONFORMS/ : /Verdict: DOES NOT CONFORM/);
        const lines = text.split("\n");
        const header = lines.findIndex((l) => l.startsWith("Requirements by section"));
        const sections = [...new Set(report.requirements.map((r) => r.section))];
        const rows = lines.slice(header + 1, header + 1 + sections.length + 1);
        const numbers = (line: string) => line.trim().split(/ +/).slice(-5).map(Number);
        for (const [i, section] of sections.entries()) {
          const list = report.requirements.filter((r) => r.section === section);
          assert.ok(rows[i].startsWith(oneLine(section)));
          assert.deepEqual(
            numbers(rows[i]),
            ["passed", "failed", "warning", "skipped", "untested"].map((status) =>
              list.filter((r) => r.status === status).length
            ),
          );
        }
        const total = numbers(rows[sections.length]);
        assert.ok(rows[sections.length].startsWith("total"));
        assert.deepEqual(total.slice(1), [s.mustFailed, s.shouldFailed, total[3], s.untested]);
        assert.equal(total.reduce((a, b) => a + b, 0), report.requirements.length);
      }),
      { numRuns: 200 },
    );
  });

  it("lists MUST failures before warnings", () => {
    fc.assert(
      fc.property(reportArbitrary(), (report) => {
        const text = formatSummary(report);
        const must = text.indexOf("MUST requirements failed");
        const should = text.indexOf("Warnings: SHOULD requirements failed");
        assert.equal(must >= 0, report.summary.mustFailed > 0);
        assert.equal(should >= 0, report.summary.shouldFailed > 0);
        if (must >= 0 && should >= 0) assert.ok(must < should);
      }),
      { numRuns: 100 },
    );
  });
});

describe("shouldColor", () => {
  it("colours a terminal unless NO_COLOR is set", () => {
    assert.equal(shouldColor({ isTTY: true }, {}), true);
    assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: "" }), true);
    assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: "1" }), false);
    assert.equal(shouldColor({ isTTY: false }, {}), false);
    assert.equal(shouldColor({}, {}), false);
  });
});
