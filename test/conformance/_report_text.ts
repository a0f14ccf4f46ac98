import type { Report } from "../../conformance/report.ts";
import { formatTranscript } from "../../conformance/transcript.ts";

/** Failures of a report, with transcripts, for assertion messages. */
export function formatFailures(report: Report): string {
  return report.checks.filter((c) => c.failure).map((c) =>
    `${c.id} (${c.status}): ${c.failure!.message}\n${
      c.failure!.counterexample ? `counterexample: ${c.failure!.counterexample}\n` : ""
    }${formatTranscript(c.failure!.transcript)}`
  ).join("\n\n");
}
