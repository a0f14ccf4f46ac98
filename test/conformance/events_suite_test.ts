// The events suite against generated streams: lifecycle-valid sequences
// conform, and a sequence that breaks one requirement once is reported as
// that requirement, at the offending event, and as nothing else.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import fc from "fast-check";
import {
  BROKEN_EVENT_REQUIREMENTS,
  brokenEventSequenceWithIndex,
  validEventSequence,
} from "../../conformance/agent/event_sequences.ts";
import { serveHere } from "../../conformance/_serve.ts";
import { CATALOGUE } from "../../conformance/catalogue.ts";
import { main } from "../../conformance/cli.ts";
import { EVENTS_CHECKS, runEventsSuite } from "../../conformance/events_suite.ts";
import type { Report } from "../../conformance/report.ts";
import { StreamClient } from "../../src/client/stream_client.ts";
import { createServer } from "../../src/server/mod.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import { formatFailures } from "./_report_text.ts";

const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);
const SAMPLES = 4;

/** What a report found: requirements failed (MUST) or warned (SHOULD). */
function found(report: Report): string[] {
  return report.requirements.filter((r) => r.status === "failed" || r.status === "warning")
    .map((r) => r.id);
}

const cited = new Set(EVENTS_CHECKS.flatMap((check) => check.requirements));

test("events suite: every producer requirement of events.md has a check", () => {
  const producer = CATALOGUE.filter((r) => r.id.startsWith("EVT-") && r.actor === "producer");
  assert.ok(producer.length > 0, "the catalogue has no EVT requirement");
  assert.deepEqual(producer.map((r) => r.id).filter((id) => !cited.has(id)), []);
});

test(`events suite: valid sequences conform (seed ${seed})`, async () => {
  const samples = fc.sample(validEventSequence(), { seed, numRuns: 20 });
  for (const events of samples) {
    const report = await runEventsSuite({ events });
    assert.deepEqual(found(report), [], `${JSON.stringify(events)}\n${formatFailures(report)}`);
    assert.ok(report.summary.conforms);
  }
});

for (const requirement of BROKEN_EVENT_REQUIREMENTS.filter((id) => cited.has(id))) {
  test(`events suite: a sequence breaking ${requirement} is reported as ${requirement} (seed ${seed})`, async () => {
    const samples = fc.sample(brokenEventSequenceWithIndex(requirement), {
      seed,
      numRuns: SAMPLES,
    });
    for (const broken of samples) {
      const report = await runEventsSuite({ events: broken.events });
      const context = `${JSON.stringify(broken.events)}\n${formatFailures(report)}`;
      assert.deepEqual(found(report), [requirement], context);
      const failure = report.checks.find((c) => c.failure?.requirement === requirement)!.failure!;
      assert.match(failure.message, new RegExp(`^${requirement}: event #${broken.index}\\b`));
      // The offending event and the ones around it are shown.
      assert.ok(failure.transcript.some((e) => e.text.startsWith(`<< event #${broken.index}`)));
    }
  });
}

/** Breaks of the envelope and schema rules, made from a valid sequence. */
const ENVELOPE_BREAKS: Record<string, (event: Record<string, unknown>) => unknown> = {
  "ENV-SHAPE-1": () => ({ kind: "not an event" }),
  "ENV-SHAPE-2": (event) => ({ ...event, time: "yesterday" }),
  "ENV-TYPE-1": (event) => ({ ...event, type: "run.paused" }),
  "EVT-SHAPE-1": (event) => ({ ...event, type: "text.delta", messageId: 5, delta: "x" }),
};

for (const [requirement, breakIt] of Object.entries(ENVELOPE_BREAKS)) {
  test(`events suite: an event breaking ${requirement} is reported as ${requirement} (seed ${seed})`, async () => {
    const samples = fc.sample(
      fc.tuple(validEventSequence({ minRuns: 1 }), fc.nat()),
      { seed, numRuns: SAMPLES },
    );
    for (const [events, at] of samples) {
      const index = at % (events.length + 1);
      // A run-less event of an unknown type, broken, inserted: the lifecycle is unchanged.
      const broken = [
        ...events.slice(0, index),
        breakIt({ type: "com.example.note" }),
        ...events.slice(index),
      ];
      const report = await runEventsSuite({ events: broken });
      assert.deepEqual(found(report), [requirement], formatFailures(report));
      const failure = report.checks.find((c) => c.failure?.requirement === requirement)!.failure!;
      assert.match(failure.message, new RegExp(`event #${index}\\b`));
    }
  });
}

test("events suite: a repeated event id is a warning (ENV-SHAPE-3), not a failure", async () => {
  const report = await runEventsSuite({
    events: [
      { type: "com.example.a", id: "e1" },
      { type: "com.example.b", id: "e1" },
    ],
  });
  assert.deepEqual(found(report), ["ENV-SHAPE-3"]);
  assert.ok(report.summary.conforms);
});

test("events suite: checks about types that do not occur are skipped, not passed", async () => {
  const report = await runEventsSuite({ events: [{ type: "com.example.a" }] });
  const task = report.checks.find((c) => c.requirements.includes("EVT-TASK-1"))!;
  assert.equal(task.status, "skipped");
  const shape = report.checks.find((c) => c.requirements.includes("ENV-SHAPE-1"))!;
  assert.equal(shape.status, "passed");
});

test("events command: a file, a stream of a server, and usage errors", async () => {
  const dir = await mkdtemp(join(tmpdir(), "events-cli-"));
  const out: string[] = [];
  const io = {
    stdout: (text: string) => void out.push(text),
    stderr: (text: string) => void out.push(text),
    writeFile: () => Promise.resolve(),
  };
  try {
    const good = join(dir, "good.jsonl");
    const bad = join(dir, "bad.jsonl");
    await writeFile(good, '{"type":"run.started","runId":"r1"}\n');
    await writeFile(
      bad,
      '{"type":"run.started","runId":"r1"}\n{"type":"run.started","runId":"r2"}\n',
    );
    assert.equal(await main(["events", "--file", good, "--quiet"], io), 0, out.join(""));
    out.length = 0;
    assert.equal(await main(["events", "--file", bad], io), 1);
    assert.match(out.join(""), /EVT-RUN-2: event #1 \(line 2\)/);
    assert.equal(await main(["events"], io), 2);
    assert.equal(await main(["events", "--file", good, "--url", "http://x"], io), 2);
    assert.equal(await main(["events", "--url", "http://x"], io), 2);
    assert.equal(await main(["events", "--file", good, "--seed", "3"], io), 2);
    out.length = 0;
    assert.equal(await main(["events", "--file", join(dir, "none.jsonl")], io), 1);
    assert.match(out.join(""), /cannot read/);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test("events suite: reads the events of a stream of a running server", async () => {
  const server = createServer({ store: new MemoryStore() });
  const listener = await serveHere(server, { port: 0, hostname: "127.0.0.1" });
  try {
    const base = listener.url;
    const client = new StreamClient({ baseUrl: base });
    await client.create("chats/1", { kind: "agent" });
    await client.append("chats/1", [
      { type: "run.started", runId: "r1" },
      { type: "text.delta", runId: "r1", messageId: "nope", delta: "x" },
    ]);
    const report = await runEventsSuite({ url: base, stream: "chats/1" });
    assert.deepEqual(found(report), ["EVT-MSG-2"]);
    const failure = report.checks.find((c) => c.failure)!.failure!;
    assert.match(failure.message, /event #1 \(offset \S+\)/);
  } finally {
    await server.shutdown();
    await listener.close();
  }
});
