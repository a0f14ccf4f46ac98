import { test } from "node:test";
import assert from "node:assert/strict";
import { runServerSuite } from "../../conformance/server_suite.ts";
import { formatFailures } from "./_report_text.ts";
import { startReference } from "./reference_server.ts";

// Bun stops a test after 5 s unless told otherwise; the suite waits for real timers.
test(
  "conformance: the reference server passes every server check",
  { timeout: 300_000 },
  async () => {
    const server = await startReference();
    try {
      const report = await runServerSuite({ url: server.url, numRuns: 10 });
      assert.ok(report.checks.length > 0, "no check ran");
      const bad = report.checks.filter((c) => c.status === "failed" || c.status === "error");
      assert.deepEqual(bad.map((c) => c.id), [], formatFailures(report));
      assert.ok(report.summary.conforms);
    } finally {
      await server.close();
    }
  },
);
