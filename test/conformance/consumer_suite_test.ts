// The consumer suite against the reference projection, through its adapter,
// with the running runtime (Deno or Bun); and against broken consumers, each
// of which must be caught by a check citing the rule it breaks.

import assert from "node:assert/strict";
import process from "node:process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../../conformance/cli.ts";
import { runConsumerSuite } from "../../conformance/consumer_suite.ts";
import { formatFailures } from "./_report_text.ts";

const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);

/** The argv that runs `file` (relative to the repository) with this runtime. */
function adapter(file: string, ...args: string[]): string[] {
  const path = fileURLToPath(new URL(`../../${file}`, import.meta.url));
  return "Deno" in globalThis
    ? [process.execPath, "run", "-A", path, ...args]
    : [process.execPath, path, ...args];
}

const BROKEN = "test/conformance/consumer_mutants/broken_consumer.ts";

const REFERENCE = [
  { name: "the reference projection", argv: adapter("conformance/adapters/projection_adapter.ts") },
  { name: "the fold of the mutants, without a bug", argv: adapter(BROKEN, "--bug", "none") },
];

for (const { name, argv } of REFERENCE) {
  test(
    `consumer suite: ${name} passes every check (seed ${seed})`,
    { timeout: 120_000 },
    async () => {
      const report = await runConsumerSuite({ adapter: argv, seed, numRuns: 15 });
      const bad = report.checks.filter((c) => c.status !== "passed");
      assert.deepEqual(bad.map((c) => `${c.id}: ${c.status}`), [], formatFailures(report));
      assert.ok(report.summary.conforms);
    },
  );
}

/** A consumer with one bug; a check citing `breaks` must report exactly that requirement. */
interface ConsumerMutant {
  readonly breaks: string;
  readonly bug: string;
  readonly name: string;
}

const MUTANTS: readonly ConsumerMutant[] = [
  { breaks: "PROJ-RESULT-2", bug: "result-at-end", name: "appends tool results at the end" },
  { breaks: "PROJ-DATA-3", bug: "transient-kept", name: "keeps transient custom events" },
  {
    breaks: "PROJ-USAGE-2",
    bug: "usage-double-counted",
    name: "adds a run's usage even when the run reported usage",
  },
  { breaks: "PROJ-FOLD-3", bug: "refused-applied", name: "folds refused events" },
  { breaks: "PROJ-RUN-4", bug: "open-kept-on-error", name: "leaves open what run.error ended" },
  { breaks: "ENV-UNKNOWN-2", bug: "unknown-as-known", name: "folds unknown types like known ones" },
  { breaks: "ENV-UNKNOWN-2", bug: "fails-on-unknown", name: "fails on an unknown type" },
  { breaks: "PROJ-FOLD-2", bug: "schema-unchecked", name: "folds events that fail their schema" },
  { breaks: "PROJ-LLM-1", bug: "llm-request-id", name: "names llm messages by requestId" },
  { breaks: "PROJ-JSON-3", bug: "arguments-indented", name: "indents llm tool-call arguments" },
  { breaks: "PROJ-TEXT-1", bug: "role-default-user", name: "makes role-less text a user's" },
  { breaks: "PROJ-TOOL-4", bug: "input-from-arguments", name: "ignores tool.end input" },
  { breaks: "PROJ-RUN-2", bug: "interrupts-dropped", name: "drops interrupts" },
  { breaks: "PROJ-REASON-3", bug: "signature-dropped", name: "drops reasoning signatures" },
  { breaks: "PROJ-STATE-1", bug: "snapshot-merged", name: "merges state snapshots" },
  { breaks: "PROJ-TASK-1", bug: "task-metrics-replaced", name: "replaces task metrics" },
  { breaks: "PROJ-AGENT-2", bug: "agent-output-kept", name: "keeps agent output" },
  { breaks: "PROJ-SNAP-1", bug: "snapshot-appended", name: "appends messages snapshots" },
  { breaks: "PROJ-JSON-1", bug: "null-for-absent", name: "writes null for an absent threadId" },
  { breaks: "PROJ-JSON-2", bug: "decimal-costs", name: "sums costs in decimal" },
  {
    breaks: "PROJ-FOLD-5",
    bug: "resume-forgets-bookkeeping",
    name: "resumes without its lifecycle bookkeeping",
  },
];

for (const mutant of MUTANTS) {
  test(
    `consumer mutant caught: ${mutant.breaks} ${mutant.name} (seed ${seed})`,
    { timeout: 60_000 },
    async () => {
      const report = await runConsumerSuite({
        adapter: adapter(BROKEN, "--bug", mutant.bug),
        only: [mutant.breaks],
        seed,
        numRuns: 60,
      });
      assert.ok(report.checks.length > 0, `no check cites ${mutant.breaks}`);
      const caught = report.checks.filter((c) => c.failure?.requirement === mutant.breaks);
      assert.ok(
        caught.length > 0,
        `no check reported ${mutant.breaks}; results:\n${
          report.checks.map((c) => `${c.id}: ${c.status}`).join("\n")
        }\n${formatFailures(report)}`,
      );
      // The report shows the shrunk events and a command that replays them.
      const failure = caught[0].failure!;
      assert.ok(failure.counterexample !== undefined || failure.message.includes("event #"));
    },
  );
}

test("consumer suite: an adapter that breaks the protocol makes checks err, not pass", {
  timeout: 30_000,
}, async () => {
  const report = await runConsumerSuite({
    adapter: adapter(BROKEN, "--bug", "not-json"),
    only: ["PROJ-TEXT"],
    seed,
    numRuns: 5,
    timeoutMs: 2_000,
  });
  assert.equal(report.summary.conforms, false);
  assert.ok(report.checks.every((c) => c.status === "error"), formatFailures(report));
  assert.match(report.checks[0].failure!.message, /not JSON/);
});

test("consumer command: usage errors", async () => {
  const out: string[] = [];
  const io = {
    stdout: (text: string) => void out.push(text),
    stderr: (text: string) => void out.push(text),
    writeFile: () => Promise.resolve(),
  };
  assert.equal(await main(["consumer"], io), 2);
  assert.match(out.join(""), /--adapter is required/);
  assert.equal(await main(["consumer", "--adapter", "x", "--check", "nope"], io), 2);
  assert.equal(await main(["consumer", "--adapter", "x", "--only", "NOPE-9"], io), 2);
  assert.equal(await main(["consumer", "--help"], io), 0);
  assert.match(out.join(""), /consumer adapter protocol/);
});

test("consumer mutants: each a different bug, every one with a check citing its rule", () => {
  assert.ok(MUTANTS.length >= 5);
  assert.equal(new Set(MUTANTS.map((m) => m.bug)).size, MUTANTS.length);
});
