/**
 * The HTML report: one self-contained page a person reads, with the verdict
 * first, then every failure with what it takes to see it again, then checks
 * and requirements section by section. Inline CSS, no script; every string
 * of the report is escaped.
 *
 * @module
 */

import type { CheckResult, Report, RequirementStatus } from "./report.ts";
import {
  breaksConformance,
  checksBySection,
  describeValue,
  escapeMarkup,
  isWarning,
  requirementsBySection,
  verdict,
} from "./_report_strings.ts";
import { formatTranscript } from "./transcript.ts";

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d232a; }
h1 { font-size: 1.6rem; margin-bottom: 0.3rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #d5dbe1; padding-bottom: 0.2rem; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.5rem; border-bottom: 1px solid #e7ebef; }
th { background: #f3f5f7; }
td.num, th.num { text-align: right; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
code { font-size: 0.92em; }
details { border: 1px solid #d5dbe1; border-radius: 4px; padding: 0.4rem 0.8rem; margin: 0.6rem 0; }
details > summary { cursor: pointer; font-weight: 600; }
.verdict { display: inline-block; padding: 0.2rem 0.7rem; border-radius: 4px; font-weight: 700; color: #fff; }
.verdict.pass { background: #1a7f37; }
.verdict.fail { background: #cf222e; }
.status { font-weight: 600; }
.passed { color: #1a7f37; }
.failed, .error { color: #cf222e; }
.warning { color: #9a6700; }
.skipped, .untested { color: #6e7781; }
`;

const LABELS: Record<string, string> = {
  passed: "passed",
  failed: "failed",
  error: "erred",
  skipped: "skipped",
  warning: "warning",
  untested: "untested",
};

/**
 * The report as one HTML page (UTF-8, ending with a newline).
 *
 * @example
 * ```ts ignore
 * import { reportToHtml, runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runServerSuite({ url: "http://127.0.0.1:8787" });
 * await Deno.writeTextFile("conformance.html", reportToHtml(report));
 * ```
 */
export function reportToHtml(report: Report): string {
  const e = escapeMarkup;
  const anchors = new Map(report.checks.map((check, i) => [check.id, `check-${i}`]));
  const s = report.summary;
  const out: string[] = [];
  out.push(
    "<!DOCTYPE html>\n",
    '<html lang="en">\n<head>\n<meta charset="utf-8" />\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />\n',
    `<title>${e(`agent-stream conformance: ${verdict(report)}, ${report.target}`)}</title>\n`,
    `<style>${STYLE}</style>\n</head>\n<body>\n`,
    `<h1>agent-stream conformance report: ${e(report.suite)} suite</h1>\n`,
    `<p><span class="verdict ${s.conforms ? "pass" : "fail"}">${e(verdict(report))}</span> `,
    `${s.mustFailed} MUST requirements failed, ${s.errors} checks erred, ${s.shouldFailed} warnings</p>\n`,
    '<dl class="meta">\n',
    ...[
      ["Target", report.target],
      ["Runtime", report.runtime],
      ["Started", report.startedAt],
      ["Duration", `${(report.durationMs / 1000).toFixed(1)} s`],
      ["Seed", String(report.seed)],
      ["Runs per property", String(report.numRuns)],
      ["Features", report.features.length > 0 ? report.features.join(", ") : "none"],
    ].map(([term, value]) => `<dt>${e(term)}</dt><dd><code>${e(value)}</code></dd>\n`),
    "</dl>\n",
    "<h2>Summary</h2>\n<table>\n<tr><th>Checks</th>",
    ...["passed", "failed", "erred", "skipped", "in all"].map((h) => `<th class="num">${h}</th>`),
    "</tr>\n<tr><td>checks</td>",
    ...[s.passed, s.failed, s.errors, s.skipped, report.checks.length].map((n) =>
      `<td class="num">${n}</td>`
    ),
    "</tr>\n</table>\n<table>\n<tr><th>Requirements</th>",
    ...["failed (MUST)", "warnings (SHOULD)", "untested", "in all"].map((h) =>
      `<th class="num">${h}</th>`
    ),
    "</tr>\n<tr><td>requirements</td>",
    ...[s.mustFailed, s.shouldFailed, s.untested, report.requirements.length].map((n) =>
      `<td class="num">${n}</td>`
    ),
    "</tr>\n</table>\n",
  );

  const broken = report.checks.filter(breaksConformance);
  const warned = report.checks.filter(isWarning);
  if (broken.length + warned.length > 0) {
    out.push("<h2>Failures</h2>\n");
    const mustFirst = [
      ...broken.filter((c) => c.status === "failed"),
      ...broken.filter((c) => c.status === "error"),
      ...warned,
    ];
    for (const check of mustFirst) out.push(failureBlock(report, check, anchors.get(check.id)!));
  }

  out.push("<h2>Checks by section</h2>\n");
  for (const [section, checks] of checksBySection(report.checks)) {
    const count = (status: string) =>
      checks.filter((c) => (isWarning(c) ? "warning" : c.status) === status).length;
    out.push(
      `<h3>${e(section)}</h3>\n<p>${
        ["passed", "failed", "error", "warning", "skipped"].map((status) =>
          `${count(status)} ${LABELS[status]}`
        ).join(", ")
      }</p>\n`,
      "<table>\n<tr><th>Status</th><th>Check</th><th>Title</th><th>Requirements</th>",
      '<th class="num">ms</th></tr>\n',
    );
    for (const check of checks) {
      const status = isWarning(check) ? "warning" : check.status;
      const note = check.status === "skipped"
        ? `<br /><small>${e(check.skipReason ?? "")}</small>`
        : check.failure
        ? `<br /><small>${e(check.failure.message)}</small>`
        : "";
      out.push(
        `<tr id="${anchors.get(check.id)}"><td class="status ${status}">${LABELS[status]}</td>`,
        `<td><code>${e(check.id)}</code></td><td>${e(check.title)}${note}</td>`,
        `<td>${check.requirements.map((id) => `<code>${e(id)}</code>`).join(" ")}</td>`,
        `<td class="num">${check.durationMs}</td></tr>\n`,
      );
    }
    out.push("</table>\n");
  }

  out.push("<h2>Requirements</h2>\n");
  for (const [section, requirements] of requirementsBySection(report.requirements)) {
    const count = (status: RequirementStatus) =>
      requirements.filter((r) => r.status === status).length;
    out.push(
      `<h3>${e(section)}</h3>\n<p>${
        (["passed", "failed", "warning", "skipped", "untested"] as const).map((status) =>
          `${count(status)} ${LABELS[status]}`
        ).join(", ")
      }</p>\n`,
      "<table>\n<tr><th>Requirement</th><th>Level</th><th>Status</th><th>Text</th><th>Checks</th></tr>\n",
    );
    for (const requirement of requirements) {
      out.push(
        `<tr><td><code>${e(requirement.id)}</code></td><td>${e(requirement.level)}</td>`,
        `<td class="status ${requirement.status}">${LABELS[requirement.status]}</td>`,
        `<td>${e(requirement.text)}</td><td>${
          requirement.checks.map((id) => {
            const anchor = anchors.get(id);
            return anchor
              ? `<a href="#${anchor}"><code>${e(id)}</code></a>`
              : `<code>${e(id)}</code>`;
          }).join("<br />")
        }</td></tr>\n`,
      );
    }
    out.push("</table>\n");
  }
  out.push("</body>\n</html>\n");
  return out.join("");
}

function failureBlock(report: Report, check: CheckResult, anchor: string): string {
  const e = escapeMarkup;
  const failure = check.failure;
  const status = isWarning(check) ? "warning" : check.status;
  const requirement = failure?.requirement === undefined
    ? undefined
    : report.requirements.find((r) => r.id === failure.requirement);
  const head = failure?.requirement === undefined
    ? "erred"
    : `${failure.requirement} (${failure.level ?? "MUST"})`;
  const out: string[] = [
    `<details${status === "warning" ? "" : ' open="open"'}>\n`,
    `<summary><span class="${status}">${e(head)}</span> <code>${e(check.id)}</code>: `,
    `${e(failure?.message ?? check.status)}</summary>\n`,
    `<p><a href="#${anchor}">${e(check.title)}</a> (${e(check.section)})</p>\n`,
  ];
  if (requirement) {
    out.push(
      `<p><strong>${e(requirement.id)}</strong> ${e(requirement.section)}: ${
        e(requirement.text)
      }</p>\n`,
    );
  }
  if (failure === undefined) return out.join("") + "</details>\n";
  const block = (title: string, text: string) =>
    `<h4>${e(title)}</h4>\n<pre><code>${e(text)}</code></pre>\n`;
  if ("expected" in failure) out.push(block("Expected", describeValue(failure.expected)));
  if ("actual" in failure) out.push(block("Actual", describeValue(failure.actual)));
  if (failure.counterexample !== undefined) {
    out.push(block("Counterexample", failure.counterexample));
  }
  if (failure.seed !== undefined) {
    out.push(
      `<p>Seed <code>${failure.seed}</code>${
        failure.path !== undefined ? `, path <code>${e(failure.path)}</code>` : ""
      }${failure.numRuns !== undefined ? `, after ${failure.numRuns} runs` : ""}</p>\n`,
    );
  }
  if (failure.replay !== undefined) out.push(block("Replay", failure.replay));
  if (failure.transcript.length > 0) {
    out.push(
      `<details>\n<summary>Transcript (${failure.transcript.length} entries)</summary>\n`,
      `<pre><code>${e(formatTranscript(failure.transcript))}</code></pre>\n</details>\n`,
    );
  }
  out.push("</details>\n");
  return out.join("");
}
