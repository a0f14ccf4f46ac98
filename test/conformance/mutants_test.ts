import { test } from "node:test";
import assert from "node:assert/strict";
import { runServerSuite } from "../../conformance/server_suite.ts";
import { formatFailures } from "./_report_text.ts";
import { MUTANTS } from "./mutants/mod.ts";
import { startReference } from "./reference_server.ts";

// Each mutant breaks one requirement; the checks citing it must report that
// requirement. Only those checks run, so each mutant costs a few seconds.
for (const mutant of MUTANTS) {
  // Bun stops a test after 5 s unless told otherwise; some mutants take longer to be shrunk.
  test(`mutant caught: ${mutant.breaks} ${mutant.name}`, { timeout: 120_000 }, async () => {
    const server = await startReference(mutant);
    try {
      const report = await runServerSuite({
        url: server.url,
        only: [mutant.breaks],
        numRuns: 15,
        seed: 1,
        shrink: mutant.shrink ?? false,
        features: mutant.features,
      });
      const caught = report.checks.filter((c) => c.failure?.requirement === mutant.breaks);
      assert.ok(
        report.checks.length > 0,
        `no check cites ${mutant.breaks}`,
      );
      assert.ok(
        caught.length > 0,
        `no check reported ${mutant.breaks}; results:\n${
          report.checks.map((c) =>
            `${c.id}: ${c.status}${c.skipReason ? ` (${c.skipReason})` : ""}`
          ).join("\n")
        }\n${formatFailures(report)}`,
      );
    } finally {
      await server.close();
    }
  });
}

test("mutants: at least one per area, no two break the same way twice", () => {
  const names = MUTANTS.map((m) => `${m.breaks} ${m.name}`);
  assert.equal(new Set(names).size, names.length);
});
