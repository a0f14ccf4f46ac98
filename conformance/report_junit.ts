/**
 * The JUnit XML report, for CI: a test suite per spec section, a test case
 * per check. Only what breaks conformance fails the build: a failed MUST is
 * a `<failure>`, a check that could not reach a verdict an `<error>`; a
 * failed SHOULD is a passing test case with the warning in `<system-out>`.
 *
 * @module
 */

import type { CheckResult, Report } from "./report.ts";
import {
  breaksConformance,
  checksBySection,
  escapeAttribute,
  escapeMarkup,
  failureDetails,
  isWarning,
  reportLookup,
  verdict,
} from "./_report_strings.ts";

/**
 * The report as JUnit XML (UTF-8, ending with a newline). Every string of the
 * report is escaped; characters XML 1.0 cannot hold are written as `\uXXXX`.
 *
 * @example
 * ```ts ignore
 * import { reportToJunit, runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runServerSuite({ url: "http://127.0.0.1:8787" });
 * await Deno.writeTextFile("conformance.xml", reportToJunit(report));
 * ```
 */
export function reportToJunit(report: Report): string {
  const lookup = reportLookup(report);
  const counts = (checks: readonly CheckResult[]) => ({
    tests: checks.length,
    failures: checks.filter((c) => c.status === "failed" && breaksConformance(c)).length,
    errors: checks.filter((c) => c.status === "error").length,
    skipped: checks.filter((c) => c.status === "skipped").length,
    time: seconds(checks.reduce((sum, c) => sum + c.durationMs, 0)),
  });
  const attributes = (values: Record<string, string | number>) =>
    Object.entries(values).map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
      .join("");
  const properties = [
    ["suite", report.suite],
    ["target", report.target],
    ["runtime", report.runtime],
    ["seed", String(report.seed)],
    ["numRuns", String(report.numRuns)],
    ["features", report.features.join(",")],
    ["verdict", verdict(report)],
  ].map(([name, value]) => `      <property${attributes({ name, value })}/>\n`).join("");
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  out.push(
    `<testsuites${
      attributes({
        name: `agent-stream conformance (${report.suite}): ${report.target}`,
        ...counts(report.checks),
        time: seconds(report.durationMs),
        timestamp: report.startedAt,
      })
    }>\n`,
  );
  for (const [section, checks] of checksBySection(report.checks)) {
    out.push(
      `  <testsuite${
        attributes({ name: section, ...counts(checks), timestamp: report.startedAt })
      }>\n`,
      `    <properties>\n${properties}    </properties>\n`,
    );
    for (const check of checks) {
      const open = `    <testcase${
        attributes({
          name: `${check.id}: ${check.title}`,
          classname: section,
          time: seconds(check.durationMs),
        })
      }`;
      const details = escapeMarkup(failureDetails(check, lookup).join("\n"));
      const failure = check.failure;
      if (check.status === "passed") {
        out.push(`${open}/>\n`);
      } else if (check.status === "skipped") {
        out.push(
          `${open}>\n      <skipped${
            attributes({ message: check.skipReason ?? "skipped" })
          }/>\n    </testcase>\n`,
        );
      } else if (isWarning(check)) {
        out.push(
          `${open}>\n      <system-out>${
            escapeMarkup(`WARNING: SHOULD requirement ${failure?.requirement} failed\n`)
          }${details}</system-out>\n    </testcase>\n`,
        );
      } else {
        const element = check.status === "error" ? "error" : "failure";
        const type = failure?.requirement === undefined
          ? "error"
          : `${failure.requirement} ${failure.level ?? "MUST"}`;
        out.push(
          `${open}>\n      <${element}${
            attributes({ message: failure?.message ?? check.status, type })
          }>${details}</${element}>\n    </testcase>\n`,
        );
      }
    }
    out.push("  </testsuite>\n");
  }
  out.push("</testsuites>\n");
  return out.join("");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
