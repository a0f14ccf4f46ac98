/**
 * Server benchmarks, side by side in one run: our reference server on each
 * store (SQLite, file, memory), the Durable Streams reference server
 * (file-backed and in memory, on Node.js) and the runtime's bare limit (a
 * hello-world server and an SSE broadcaster of pre-encoded bytes), under the
 * five workloads of the issue; every figure is also given as a ratio to the
 * others of the same run, and each target of the issue gets a verdict.
 *
 * Usage:
 *
 *     deno run -A bench/servers.ts [--quick] [--only <workload,…>] [--targets <target,…>]
 *                                  [--set <parameter>=<number>]…
 *     bun bench/servers.ts [--quick] …
 *
 * Each workload runs against a fresh server process (pinned to core 0) with
 * a fresh data directory, driven by a load generator process (`_load.ts`,
 * pinned to core 1) under the same runtime. `--quick` shrinks every count
 * so the harness runs in about a minute; only a full run writes
 * `bench/results/<date>-<runtime>.json` and its section of
 * `bench/RESULTS.md`. Markdown goes to stdout, progress to stderr.
 *
 * @module
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { LoadConfig } from "./_load.ts";
import {
  type Child,
  commandLine,
  cpuSecondsOf,
  HAS_TASKSET,
  residentKib,
  spawnChild,
  stopChild,
} from "./_proc.ts";
import {
  type IdleMeasure,
  markdown,
  type Measurement,
  replaceSection,
  type RunReport,
  type TargetId,
  TARGETS,
  verdicts,
  type WorkloadId,
  WORKLOADS,
} from "./_report.ts";
import { round } from "./_stats.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");

function listOption<T extends string>(name: string, all: readonly T[]): readonly T[] {
  const index = argv.indexOf(name);
  if (index < 0) return all;
  const wanted = (argv[index + 1] ?? "").split(",");
  const unknown = wanted.filter((w) => !all.includes(w as T));
  if (unknown.length > 0) {
    console.error(`unknown ${name} value(s): ${unknown.join(", ")}; known: ${all.join(", ")}`);
    process.exit(2);
  }
  return all.filter((w) => wanted.includes(w));
}

const onlyWorkloads = listOption("--only", WORKLOADS);
const onlyTargets = listOption("--targets", TARGETS);

/** Counts and durations; `--quick` makes every one small. */
const P = quick
  ? {
    appendSeconds: 1,
    warmupSeconds: 0.3,
    producers: 50,
    catchUpEvents: 5_000,
    catchUpRuns: 1,
    fanOutSubscribers: 50,
    fanOutRate: 50,
    fanOutSeconds: 2,
    burstEvents: 200,
    burstSeconds: 5,
    burstProducers: 4,
    drainSeconds: 10,
    idleSubscribers: 200,
    idleWarm: 20,
  }
  : {
    appendSeconds: 5,
    warmupSeconds: 1,
    producers: 50,
    catchUpEvents: 100_000,
    catchUpRuns: 3,
    fanOutSubscribers: 1_000,
    fanOutRate: 50,
    fanOutSeconds: 10,
    burstEvents: 1_000,
    burstSeconds: 20,
    burstProducers: 8,
    drainSeconds: 30,
    idleSubscribers: 5_000,
    idleWarm: 100,
  };

// `--set name=value` overrides one parameter, e.g. `--set idleSubscribers=2000`.
for (let i = argv.indexOf("--set"); i >= 0; i = argv.indexOf("--set", i + 1)) {
  const [name, value] = (argv[i + 1] ?? "").split("=");
  if (!(name in P) || !Number.isFinite(Number(value))) {
    console.error(`--set needs name=number with a name of: ${Object.keys(P).join(", ")}`);
    process.exit(2);
  }
  (P as Record<string, number>)[name] = Number(value);
}

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const START_TIMEOUT_MS = 30_000;

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
const runtimeName = isBun ? "bun" : isDeno ? "deno" : "node";
if (runtimeName === "node") {
  console.error("bench/servers.ts runs under Deno or Bun (node cannot run TypeScript here)");
  process.exit(2);
}
const runtimeVersion = isBun
  ? (globalThis as unknown as { Bun: { version: string } }).Bun.version
  : (globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno;

/** The command that runs a TypeScript file under this runtime. */
function script(path: string, ...args: string[]): string[] {
  const file = join(root, path);
  return isDeno
    ? [process.execPath, "run", "-A", file, ...args]
    : [process.execPath, file, ...args];
}

interface Server {
  readonly child: Child;
  readonly base: string;
}

async function startServer(target: TargetId, dir: string): Promise<Server> {
  let command: string[];
  if (target === "sqlite" || target === "file" || target === "memory") {
    command = script("src/cli.ts", "serve", "--port", "0", "--store", target, "--data", dir);
  } else if (target === "ds-file" || target === "ds-memory") {
    command = ["node", join(root, "scripts/ds_server.mjs")];
    if (target === "ds-file") command.push("--data-dir", dir);
  } else {
    command = script(isBun ? "bench/bare_bun.ts" : "bench/bare_deno.ts");
  }
  const child = spawnChild(command, { core: SERVER_CORE, cwd: root });
  try {
    const line = await child.waitForLine((l) => /https?:\/\/[\w.:[\]-]+/.test(l), START_TIMEOUT_MS);
    const base = /https?:\/\/[\w.:[\]-]+/.exec(line)![0];
    return { child, base };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

let streamCounter = 0;
const streamPath = (name: string) => `/v1/stream/bench-${name}-${++streamCounter}`;

/** The load generator's configuration for a workload on a target, or undefined if n/a. */
function loadConfig(workload: WorkloadId, target: TargetId, base: string): LoadConfig | undefined {
  const bare = target === "bare";
  const ours = target === "sqlite" || target === "file" || target === "memory";
  const appendDeadline = P.warmupSeconds + P.appendSeconds + 60;
  switch (workload) {
    case "append-sequential":
    case "append-50-streams":
    case "append-1-stream": {
      if (bare && workload === "append-1-stream") return undefined;
      const producers = workload === "append-sequential" ? 1 : P.producers;
      const streams = workload === "append-50-streams" ? producers : 1;
      const paths = bare ? ["/hello"] : Array.from({ length: streams }, () => streamPath("append"));
      return {
        kind: "append",
        base,
        create: bare ? [] : paths,
        paths,
        producers,
        warmupSeconds: P.warmupSeconds,
        seconds: P.appendSeconds,
        deadlineSeconds: appendDeadline,
      };
    }
    case "catch-up":
      if (bare) return undefined;
      return {
        kind: "catchup",
        base,
        path: streamPath("catch-up"),
        events: P.catchUpEvents,
        runs: P.catchUpRuns,
        deadlineSeconds: 300,
      };
    case "fan-out-sse":
    case "fan-out-ws": {
      if (workload === "fan-out-ws" && !ours) return undefined;
      const path = streamPath("fan-out");
      return {
        kind: "fanout",
        base,
        create: bare ? [] : [path],
        publishPath: bare ? "/publish" : path,
        protocol: workload === "fan-out-sse" ? "sse" : "ws",
        ssePath: bare ? "/sse" : `${path}?offset=now&live=sse`,
        wsStream: path.slice("/v1/stream/".length),
        subscribers: P.fanOutSubscribers,
        rate: P.fanOutRate,
        seconds: P.fanOutSeconds,
        burstEvents: P.burstEvents,
        burstSeconds: P.burstSeconds,
        burstProducers: P.burstProducers,
        drainSeconds: P.drainSeconds,
        deadlineSeconds: 60 + 2 * P.fanOutSeconds + P.burstSeconds + 2 * P.drainSeconds +
          P.fanOutSubscribers / 20,
      };
    }
    case "idle-sse": {
      const path = streamPath("idle");
      return {
        kind: "idle",
        base,
        create: bare ? [] : [path],
        ssePath: bare ? "/sse" : `${path}?offset=now&live=sse`,
        subscribers: P.idleSubscribers,
        warm: P.idleWarm,
        holdSeconds: 60,
        deadlineSeconds: 180 + P.idleSubscribers / 20,
      };
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LoadOutcome {
  readonly result?: unknown;
  readonly error?: string;
  /** Server CPU seconds and wall seconds between the load generator's marks. */
  readonly phase?: { readonly cpuSeconds: number; readonly seconds: number };
  readonly rssBeforeKib?: number;
  readonly rssAfterKib?: number;
}

async function runLoad(config: LoadConfig, server: Server): Promise<LoadOutcome> {
  const load = spawnChild(script("bench/_load.ts", JSON.stringify(config)), {
    core: LOAD_CORE,
    cwd: root,
    echoStderr: true,
  });
  const isOutcome = (l: string) => l.startsWith('{"result"') || l.startsWith('{"error"');
  const timeoutMs = (config.deadlineSeconds + 15) * 1000;
  const marks: Record<string, { cpu?: number; at: number }> = {};
  load.onLine((line) => {
    const name = /^\{"mark":"(\w+)"\}$/.exec(line)?.[1];
    if (name) marks[name] = { cpu: cpuSecondsOf(server.child.pid), at: performance.now() };
  });
  const phase = () => {
    const { start, end } = marks;
    if (start?.cpu === undefined || end?.cpu === undefined) return {};
    return { phase: { cpuSeconds: end.cpu - start.cpu, seconds: (end.at - start.at) / 1000 } };
  };
  try {
    let rssBeforeKib: number | undefined;
    let rssAfterKib: number | undefined;
    if (config.kind === "idle") {
      for (const stage of ["warm", "full"]) {
        await load.waitForLine((l) => l.includes(`"stage":"${stage}"`), timeoutMs);
        await sleep(stage === "warm" ? 500 : 1_500);
        const rss = residentKib(server.child.pid);
        if (stage === "warm") rssBeforeKib = rss;
        else rssAfterKib = rss;
        load.send("go");
      }
    }
    const line = await load.waitForLine(isOutcome, timeoutMs);
    return {
      ...JSON.parse(line) as { result?: unknown; error?: string },
      rssBeforeKib,
      rssAfterKib,
      ...phase(),
    };
  } catch (error) {
    return { error: String(error) };
  } finally {
    await stopChild(load, 2_000);
  }
}

async function measure(workload: WorkloadId, target: TargetId): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), "agent-stream-bench-"));
  let server: Server | undefined;
  const started = performance.now();
  try {
    server = await startServer(target, dir);
    const config = loadConfig(workload, target, server.base)!;
    const loadStart = performance.now();
    const outcome = await runLoad(config, server);
    const seconds = (performance.now() - loadStart) / 1000;
    const cpu = outcome.phase === undefined ? {} : {
      serverCpu: outcome.phase.cpuSeconds / outcome.phase.seconds,
      serverCpuSeconds: outcome.phase.cpuSeconds,
    };
    if (outcome.error !== undefined || outcome.result === undefined) {
      return { workload, target, seconds, error: outcome.error ?? "no result" };
    }
    let result = outcome.result as NonNullable<Measurement["result"]>;
    if (config.kind === "idle") {
      const idle = outcome.result as { subscribers: number; connected: number };
      const before = outcome.rssBeforeKib ?? 0;
      const after = outcome.rssAfterKib ?? 0;
      const counted = Math.max(1, idle.connected - config.warm);
      result = {
        ...idle,
        warm: config.warm,
        rssBeforeKib: before,
        rssAfterKib: after,
        kibPerSubscriber: (after - before) / counted,
      } satisfies IdleMeasure;
    }
    return { workload, target, seconds, result, ...cpu };
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    return { workload, target, seconds, error: String(error) };
  } finally {
    if (server) await stopChild(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function summary(m: Measurement): string {
  if (m.error) return `failed: ${m.error.slice(0, 300)}`;
  const r = m.result as unknown as Record<string, unknown>;
  if (m.workload.startsWith("append")) {
    const a = r as { perSecond: number; latencyMs: { p50: number; p99: number }; errors: number };
    return `${round(a.perSecond)} appends/s, p50 ${round(a.latencyMs.p50)} ms, p99 ${
      round(a.latencyMs.p99)
    } ms, ${a.errors} errors`;
  }
  if (m.workload === "catch-up") {
    const c = r as { perSecond: number; seconds: number };
    return `${round(c.perSecond)} events/s, ${round(c.seconds)} s to last byte`;
  }
  if (m.workload === "idle-sse") {
    const i = r as unknown as IdleMeasure;
    return `${i.connected}/${i.subscribers} connected, ${round(i.kibPerSubscriber)} KiB each`;
  }
  const f = r as unknown as import("./_load.ts").FanOutResult;
  return `${f.connected}/${f.subscribers} connected, p50 ${round(f.steady.latencyMs.p50)} p99 ${
    round(f.steady.latencyMs.p99)
  } max ${round(f.steady.latencyMs.max)} ms, lost ${f.steady.lost}+${f.burst.lost}, ${
    round(f.burst.deliveriesPerSecond)
  } deliveries/s`;
}

const measurements: Measurement[] = [];
for (const workload of onlyWorkloads) {
  for (const target of onlyTargets) {
    if (loadConfig(workload, target, "http://127.0.0.1:1") === undefined) continue;
    console.error(`— ${workload} on ${target}`);
    const m = await measure(workload, target);
    measurements.push(m);
    console.error(`  ${summary(m)}`);
  }
}

const dsVersion = (JSON.parse(
  readFileSync(join(root, "node_modules/@durable-streams/server/package.json"), "utf8"),
) as { version: string }).version;
const fdLimit = commandLine("sh", ["-c", "ulimit -Hn"]) ?? "?";
const report: RunReport = {
  date: new Date().toISOString().slice(0, 10),
  quick,
  runtime: `${runtimeName} ${runtimeVersion}`,
  versions: {
    node: (commandLine("node", ["--version"]) ?? "?").replace(/^v/, ""),
    "@durable-streams/server": dsVersion,
  },
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
  },
  setup: [
    HAS_TASKSET
      ? `Each server pinned to core ${SERVER_CORE} and each load generator to core ${LOAD_CORE} with taskset.`
      : "taskset not found: servers and load generators share the cores unpinned.",
    `Open-files limit in every spawned shell: ${fdLimit} (the hard limit).`,
    `Load generator: one ${runtimeName} process per workload, HTTP/1.1 over node:net (keep-alive, one request in flight per connection, the next sent when the answer is complete), WebSocket through the runtime's client; its CPU share is reported, since one core drives all clients.`,
    "Events are JSON objects of 200 bytes; streams are JSON streams (Durable Streams JSON mode).",
    "Our server runs with its default limits: a catch-up read returns at most 1,000 events (maxReadMessages), a live reader may fall 10,000 messages behind (subscriberBufferMessages).",
    `Durable Streams: @durable-streams/server ${dsVersion} on Node.js (file-backed: fdatasync per append, LMDB metadata); a catch-up read returns the whole rest of the stream; its SSE writes one event per message. It has no WebSocket binding.`,
    "Fan-out latency is from just before the append is written to the moment the reader's chunk is handled, one clock; lost = deliveries expected − distinct deliveries seen. Maximum deliveries/s = deliveries of the burst ÷ time from its first append to its last delivery.",
    "Server CPU is the server's share of one core while the load generator measured (appends after warm-up, all catch-up reads, the fan-out burst), from /proc/<pid>/stat; µs per operation divides that CPU time by the operations, which holds up better than rates when other work shares the machine.",
    "Idle memory: VmRSS of the server after the warm-up readers and after all readers, difference ÷ readers added.",
  ],
  parameters: P,
  measurements,
  // A partial run (--only, --targets) lists only the targets it has figures for.
  verdicts: verdicts(measurements).filter((v) =>
    v.pass !== undefined || (onlyWorkloads === WORKLOADS && onlyTargets === TARGETS)
  ),
};

const text = markdown(report);
console.log(text);
if (!quick) {
  mkdirSync(join(root, "bench/results"), { recursive: true });
  const file = join(root, `bench/results/${report.date}-${runtimeName}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
  const resultsPath = join(root, "bench/RESULTS.md");
  const title = `### ${report.date}, ${runtimeName === "bun" ? "Bun" : "Deno"}`;
  writeFileSync(
    resultsPath,
    replaceSection(
      readFileSync(resultsPath, "utf8"),
      `servers-${runtimeName}`,
      `${title}\n\n${text}`,
    ),
  );
  console.error(`wrote ${file} and bench/RESULTS.md`);
}
process.exit(0);
