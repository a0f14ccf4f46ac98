import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type AppendResult, type FanOutResult, makeEvent, scanEvents } from "./_load.ts";
import {
  type IdleMeasure,
  markdown,
  type Measurement,
  replaceSection,
  type RunReport,
  type TargetId,
  verdicts,
} from "./_report.ts";
import { percentile, round, Samples, summarise } from "./_stats.ts";

const decoder = new TextDecoder();
const latency = { count: 1, p50: 1, p99: 2, max: 3, mean: 1 };

function append(workload: Measurement["workload"], target: TargetId, perSecond: number) {
  const result: AppendResult = {
    appends: perSecond,
    errors: 0,
    seconds: 1,
    perSecond,
    latencyMs: latency,
    loadCpu: 0.5,
  };
  return { workload, target, result, seconds: 1 } satisfies Measurement;
}

function fanOut(target: TargetId, p99: number, lost: number, perSecond: number): Measurement {
  const phase = {
    events: 10,
    expected: 100,
    delivered: 100 - lost,
    lost,
    duplicates: 0,
    seconds: 1,
    complete: lost === 0,
    deliveriesPerSecond: perSecond,
    appendSeconds: 1,
    loadCpu: 0.5,
  };
  const result: FanOutResult = {
    subscribers: 10,
    connected: 10,
    steady: { ...phase, latencyMs: { ...latency, p99 } },
    burst: phase,
  };
  return { workload: "fan-out-sse", target, result, seconds: 1 };
}

describe("events", () => {
  it("are 200 bytes and scan back to their sequence number and time", () => {
    const event = makeEvent(123456, 9876.5);
    assert.equal(event.length, 200);
    const found: number[][] = [];
    scanEvents(`data:[${decoder.decode(event)},${decoder.decode(makeEvent(7, 1))}]`, (s, t) => {
      found.push([s, t]);
    });
    assert.deepEqual(found, [[123456, 9876.5], [7, 1]]);
    JSON.parse(decoder.decode(event));
  });
});

describe("stats", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(values.slice().sort(), 0.5), 50);
    const summary = summarise(values);
    assert.deepEqual([summary.p50, summary.p99, summary.max, summary.count], [50, 99, 100, 100]);
    const samples = new Samples();
    for (let i = 0; i < 5000; i++) samples.add(i % 10);
    assert.equal(samples.summary().max, 9);
    assert.deepEqual(summarise(new Float64Array(0)).p99, 0);
    assert.deepEqual([round(1234.5), round(0.012345)], [1235, 0.0123]);
  });
});

describe("verdicts", () => {
  it("judge each target by ratios within the run", () => {
    const idle: IdleMeasure = {
      subscribers: 100,
      connected: 100,
      warm: 10,
      rssBeforeKib: 1000,
      rssAfterKib: 2000,
      kibPerSubscriber: 11,
    };
    const measurements: Measurement[] = [
      append("append-sequential", "sqlite", 1000),
      append("append-sequential", "file", 900),
      append("append-sequential", "ds-file", 100),
      { ...append("append-50-streams", "sqlite", 5000), serverCpuSeconds: 0.5 },
      append("append-50-streams", "ds-file", 1000),
      { ...append("append-50-streams", "bare", 20000), serverCpuSeconds: 0.4 },
      fanOut("sqlite", 10, 0, 60),
      fanOut("memory", 30, 0, 60),
      fanOut("file", 10, 1, 60),
      fanOut("bare", 1, 0, 100),
      { workload: "idle-sse", target: "sqlite", result: idle, seconds: 1 },
    ];
    const all = verdicts(measurements);
    const pick = (goal: string, subject: string) =>
      all.find((v) => v.goal.startsWith(goal) && v.subject === subject)?.pass;
    assert.equal(pick("sequential durable appends", "sqlite"), true);
    assert.equal(pick("sequential durable appends", "file"), false);
    assert.equal(pick("concurrent durable appends (50 streams) ≥ 5×", "sqlite"), true);
    assert.equal(pick("concurrent durable appends (50 streams) ≥ 40%", "sqlite"), false);
    assert.equal(pick("concurrent durable appends (1 stream) ≥ 5×", "sqlite"), undefined);
    const byCpu = all.find((v) => v.goal.includes("(50 streams) ≥ 40%") && v.subject === "sqlite");
    assert.match(byCpu!.value, /server CPU 100 vs 20 µs\/request, 0\.2× by CPU/);
    assert.equal(pick("fan-out p99", "sqlite, SSE"), true);
    assert.equal(pick("fan-out p99", "memory, SSE"), false);
    assert.equal(pick("fan-out p99", "file, SSE"), false);
    assert.equal(pick("maximum deliveries/s", "sqlite, SSE"), true);
    assert.equal(pick("≤ 20 KB", "sqlite"), true);
    assert.equal(pick("≤ 20 KB", "file"), undefined);
  });
});

describe("markdown", () => {
  it("prints the tables of the workloads that ran, and the verdicts", () => {
    const measurements: Measurement[] = [
      append("append-sequential", "sqlite", 1000),
      append("append-sequential", "ds-file", 100),
      { workload: "append-sequential", target: "bare", error: "boom", seconds: 1 },
    ];
    const report: RunReport = {
      date: "2026-01-01",
      quick: true,
      runtime: "deno 2.0.0",
      versions: { node: "20" },
      machine: { cores: 2, cpu: "cpu", memoryGiB: 1, os: "Linux" },
      setup: ["pinned"],
      parameters: { catchUpEvents: 10 },
      measurements,
      verdicts: verdicts(measurements),
    };
    const text = markdown(report);
    assert.match(text, /\| agent-stream, SQLite \| 1000 \| 1 \| 2 \| 10× \|/);
    assert.match(text, /\| bare Deno.serve \| failed: boom \|/);
    assert.doesNotMatch(text, /Catch-up/);
    assert.match(text, /\| met \| sequential durable appends/);
  });

  it("replaces its own section of RESULTS.md and keeps the rest", () => {
    const once = replaceSection("# Results\n\ntext\n", "servers-deno", "### A\n");
    const twice = replaceSection(once + "\nafter\n", "servers-deno", "### B\n");
    assert.match(twice, /^# Results\n\ntext\n/);
    assert.doesNotMatch(twice, /### A/);
    assert.match(twice, /### B/);
    assert.match(twice, /after\n$/);
    assert.equal(replaceSection(twice, "servers-bun", "### C").split("servers-bun -->").length, 3);
  });
});
