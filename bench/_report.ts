/**
 * What the server benchmarks measured, as data (the JSON written to
 * bench/results/), as Markdown tables with ratios taken within the run,
 * and as a verdict per target of issue "Benchmarks against Durable Streams
 * and against the runtime's own limit". Pure: no I/O.
 *
 * @module
 */

import type { AppendResult, CatchUpResult, FanOutResult, IdleResult } from "./_load.ts";
import { round } from "./_stats.ts";

/** The workloads, in the order they run. */
export const WORKLOADS = [
  "append-sequential",
  "append-50-streams",
  "append-1-stream",
  "catch-up",
  "fan-out-sse",
  "fan-out-ws",
  "idle-sse",
] as const;

/** One workload. */
export type WorkloadId = typeof WORKLOADS[number];

/** The servers, in the order they run. */
export const TARGETS = ["sqlite", "file", "memory", "ds-file", "ds-memory", "bare"] as const;

/** One server under test: ours on a store, Durable Streams, or the bare runtime. */
export type TargetId = typeof TARGETS[number];

/** An idle-subscriber run with the server's memory around it. */
export interface IdleMeasure extends IdleResult {
  /** Subscribers opened before the first reading (warm-up), not counted. */
  readonly warm: number;
  readonly rssBeforeKib: number;
  readonly rssAfterKib: number;
  readonly kibPerSubscriber: number;
}

/** The outcome of one workload against one server. */
export interface Measurement {
  readonly workload: WorkloadId;
  readonly target: TargetId;
  readonly result?: AppendResult | CatchUpResult | FanOutResult | IdleMeasure;
  readonly error?: string;
  /** Share of one core the server used during the measured phase. */
  readonly serverCpu?: number;
  /** CPU seconds the server used during the measured phase (all runs of a catch-up, the burst of a fan-out). */
  readonly serverCpuSeconds?: number;
  /** Wall time of the load generator's run. */
  readonly seconds: number;
}

/** One target of the issue, judged on figures of the same run. */
export interface Verdict {
  /** The target as the issue words it. */
  readonly goal: string;
  /** What was judged: a server, a protocol, a workload. */
  readonly subject: string;
  /** The figure, e.g. "12.3× DS file (4 567 vs 371 appends/s)". */
  readonly value: string;
  /** Undefined when a figure is missing. */
  readonly pass: boolean | undefined;
}

/** Everything one run of bench/servers.ts found. */
export interface RunReport {
  readonly date: string;
  readonly quick: boolean;
  readonly runtime: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly machine: {
    readonly cores: number;
    readonly cpu: string;
    readonly memoryGiB: number;
    readonly os: string;
  };
  /** How server and load generator were placed, and limits that bound workloads. */
  readonly setup: readonly string[];
  readonly parameters: Readonly<Record<string, number>>;
  readonly measurements: readonly Measurement[];
  readonly verdicts: readonly Verdict[];
}

/**
 * A target's name in tables; `runtime` names the bare server's.
 *
 * @example
 * ```ts
 * import { targetLabel } from "./_report.ts";
 * console.log(targetLabel("ds-file", "deno")); // "Durable Streams, file"
 * ```
 */
export function targetLabel(target: TargetId, runtime: string): string {
  switch (target) {
    case "sqlite":
      return "agent-stream, SQLite";
    case "file":
      return "agent-stream, file";
    case "memory":
      return "agent-stream, memory";
    case "ds-file":
      return "Durable Streams, file";
    case "ds-memory":
      return "Durable Streams, memory";
    case "bare":
      return runtime === "bun" ? "bare Bun.serve" : "bare Deno.serve";
  }
}

type Find = <R>(workload: WorkloadId, target: TargetId) => R | undefined;

function finder(measurements: readonly Measurement[]): Find {
  return <R>(workload: WorkloadId, target: TargetId) =>
    measurements.find((m) => m.workload === workload && m.target === target)?.result as
      | R
      | undefined;
}

const DURABLE: readonly TargetId[] = ["sqlite", "file"];
const OURS: readonly TargetId[] = ["sqlite", "file", "memory"];

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

function times(value: number | undefined): string {
  return value === undefined ? "n/a" : `${round(value)}×`;
}

function judge(
  goal: string,
  subject: string,
  value: number | undefined,
  min: number,
  detail: string,
): Verdict {
  return {
    goal,
    subject,
    value: value === undefined ? `n/a (${detail})` : `${times(value)} (${detail})`,
    pass: value === undefined ? undefined : value >= min,
  };
}

function fanOutLost(result: FanOutResult): number {
  return result.steady.lost + result.burst.lost;
}

/**
 * Judges every target of the issue on the measurements of one run.
 *
 * @example
 * ```ts
 * import { verdicts } from "./_report.ts";
 * console.log(verdicts([]).every((v) => v.pass === undefined)); // true
 * ```
 */
export function verdicts(measurements: readonly Measurement[]): Verdict[] {
  const find = finder(measurements);
  const out: Verdict[] = [];
  const rate = (w: WorkloadId, t: TargetId) => find<AppendResult>(w, t)?.perSecond;
  const dsSeq = rate("append-sequential", "ds-file");
  for (const target of DURABLE) {
    const ours = rate("append-sequential", target);
    out.push(judge(
      "sequential durable appends ≥ 10× Durable Streams (file)",
      target,
      ratio(ours, dsSeq),
      10,
      `${fmt(ours)} vs ${fmt(dsSeq)} appends/s`,
    ));
  }
  const hello = rate("append-50-streams", "bare");
  // Server CPU µs per operation, the figure that holds up when the machine is shared.
  const micros = (w: WorkloadId, t: TargetId, ops: (r: never) => number) => {
    const m = measurements.find((m) => m.workload === w && m.target === t);
    if (m?.serverCpuSeconds === undefined || m.result === undefined) return undefined;
    const count = ops(m.result as never);
    return count > 0 ? (m.serverCpuSeconds / count) * 1e6 : undefined;
  };
  const cost = (ours: number | undefined, bare: number | undefined, unit: string) =>
    ours === undefined || bare === undefined
      ? ""
      : `; server CPU ${fmt(ours)} vs ${fmt(bare)} µs/${unit}, ${times(bare / ours)} by CPU`;
  const perAppend = (r: AppendResult) => r.appends;
  const perDelivery = (r: FanOutResult) => r.burst.delivered;
  const helloMicros = micros("append-50-streams", "bare", perAppend);
  for (const workload of ["append-50-streams", "append-1-stream"] as const) {
    const ds = rate(workload, "ds-file");
    for (const target of DURABLE) {
      const ours = rate(workload, target);
      const where = workload === "append-50-streams" ? "50 streams" : "1 stream";
      out.push(judge(
        `concurrent durable appends (${where}) ≥ 5× Durable Streams (file)`,
        target,
        ratio(ours, ds),
        5,
        `${fmt(ours)} vs ${fmt(ds)} appends/s`,
      ));
      out.push(judge(
        `concurrent durable appends (${where}) ≥ 40% of the bare hello-server rate`,
        target,
        ratio(ours, hello),
        0.4,
        `${fmt(ours)} vs ${fmt(hello)} requests/s` +
          cost(micros(workload, target, perAppend), helloMicros, "request"),
      ));
    }
  }
  const dsCatchUp = find<CatchUpResult>("catch-up", "ds-file")?.perSecond;
  for (const target of DURABLE) {
    const ours = find<CatchUpResult>("catch-up", target)?.perSecond;
    out.push(judge(
      "catch-up ≥ 5× Durable Streams (file)",
      target,
      ratio(ours, dsCatchUp),
      5,
      `${fmt(ours)} vs ${fmt(dsCatchUp)} events/s`,
    ));
  }
  const bareMax = find<FanOutResult>("fan-out-sse", "bare")?.burst.deliveriesPerSecond;
  const bareMicros = micros("fan-out-sse", "bare", perDelivery);
  for (const workload of ["fan-out-sse", "fan-out-ws"] as const) {
    const protocol = workload === "fan-out-sse" ? "SSE" : "WebSocket";
    for (const target of OURS) {
      const result = find<FanOutResult>(workload, target);
      const subject = `${target}, ${protocol}`;
      if (result === undefined) {
        out.push({
          goal: "fan-out p99 ≤ 25 ms, nothing lost",
          subject,
          value: "n/a",
          pass: undefined,
        });
      } else {
        const lost = fanOutLost(result);
        const p99 = result.steady.latencyMs.p99;
        out.push({
          goal: `fan-out p99 ≤ 25 ms at ${result.subscribers} subscribers, nothing lost`,
          subject,
          value: `p99 ${round(p99)} ms, ${lost} lost, ${result.connected} connected`,
          pass: p99 <= 25 && lost === 0 && result.connected === result.subscribers,
        });
      }
      const max = result?.burst.deliveriesPerSecond;
      out.push(judge(
        "maximum deliveries/s ≥ 50% of the bare SSE broadcaster",
        subject,
        ratio(max, bareMax),
        0.5,
        `${fmt(max)} vs ${fmt(bareMax)} deliveries/s` +
          cost(micros(workload, target, perDelivery), bareMicros, "delivery"),
      ));
    }
  }
  for (const target of OURS) {
    const idle = find<IdleMeasure>("idle-sse", target);
    out.push({
      goal: "≤ 20 KB server memory per idle subscriber",
      subject: target,
      value: idle === undefined
        ? "n/a"
        : `${round(idle.kibPerSubscriber)} KiB per subscriber (${idle.connected} connected)`,
      pass: idle === undefined ? undefined : idle.kibPerSubscriber <= 20 &&
        idle.connected === idle.subscribers,
    });
  }
  return out;
}

function fmt(value: number | undefined): string {
  return value === undefined ? "n/a" : String(round(value));
}

/** A Markdown table; the first `textColumns` columns align left, the rest (figures) right. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns = 1,
): string[] {
  const align = header.map((_, i) => (i < textColumns ? "---" : "---:"));
  return [
    `| ${header.join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

function pct(value: number | undefined): string {
  return value === undefined ? "" : `${Math.round(value * 100)}%`;
}

/**
 * The run as Markdown: setup, one table per workload with ratios, verdicts.
 *
 * @example
 * ```ts ignore
 * import { markdown } from "./_report.ts";
 * declare const report: import("./_report.ts").RunReport;
 * console.log(markdown(report));
 * ```
 */
export function markdown(report: RunReport): string {
  const find = finder(report.measurements);
  const label = (t: TargetId) => targetLabel(t, report.runtime.split(" ")[0]);
  const failed = (w: WorkloadId, t: TargetId) =>
    report.measurements.find((m) => m.workload === w && m.target === t && m.error);
  const cpuOf = (w: WorkloadId, t: TargetId) =>
    pct(report.measurements.find((m) => m.workload === w && m.target === t)?.serverCpu);
  // CPU time per operation holds up better than rates when other work shares the machine.
  const microsPer = (w: WorkloadId, t: TargetId, ops: number) => {
    const cpu = report.measurements.find((m) => m.workload === w && m.target === t)
      ?.serverCpuSeconds;
    return cpu === undefined || ops === 0 ? "" : fmt((cpu / ops) * 1e6);
  };
  const lines: string[] = [];
  const m = report.machine;
  lines.push(
    `Runtime: ${report.runtime}; ${
      Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(", ")
    }. Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}.`,
    "",
    ...report.setup.map((s) => `- ${s}`),
    "",
  );
  const errorRow = (t: TargetId, w: WorkloadId, columns: number) => {
    const error = failed(w, t)?.error ?? "no result";
    return [label(t), `failed: ${error.slice(0, 120)}`, ...Array(columns - 2).fill("")];
  };

  const ran = (w: WorkloadId) => report.measurements.some((m) => m.workload === w);
  const has = (w: WorkloadId) => (t: TargetId) =>
    report.measurements.some((m) => m.workload === w && m.target === t);
  const appendTable = (workload: WorkloadId, title: string, targets: readonly TargetId[]) => {
    if (!ran(workload)) return;
    const ds = find<AppendResult>(workload, "ds-file")?.perSecond;
    const hello = find<AppendResult>(
      workload === "append-sequential" ? workload : "append-50-streams",
      "bare",
    )?.perSecond;
    lines.push(`#### ${title}`, "");
    const header = [
      "server",
      "appends/s",
      "p50 ms",
      "p99 ms",
      "vs DS file",
      "vs bare hello",
      "server CPU",
      "server µs/append",
      "load CPU",
    ];
    lines.push(
      ...table(
        header,
        targets.filter(has(workload)).map((t) => {
          const r = find<AppendResult>(workload, t);
          if (!r) return errorRow(t, workload, header.length);
          return [
            t === "bare" ? `${label(t)} (hello)` : label(t),
            fmt(r.perSecond),
            fmt(r.latencyMs.p50),
            fmt(r.latencyMs.p99),
            t === "bare" || t === "ds-file" ? "" : times(ratio(r.perSecond, ds)),
            t === "bare" ? "" : times(ratio(r.perSecond, hello)),
            cpuOf(workload, t),
            microsPer(workload, t, r.appends),
            pct(r.loadCpu),
          ];
        }),
      ),
      "",
    );
  };
  appendTable("append-sequential", "1. Sequential appends, one producer", TARGETS);
  appendTable("append-50-streams", "2a. Concurrent appends, 50 producers over 50 streams", TARGETS);
  appendTable("append-1-stream", "2b. Concurrent appends, 50 producers on 1 stream", TARGETS);

  if (ran("catch-up")) {
    const events = report.parameters.catchUpEvents;
    const ds = find<CatchUpResult>("catch-up", "ds-file")?.perSecond;
    lines.push(`#### 3. Catch-up of ${events} events from offset -1`, "");
    const header = [
      "server",
      "events/s",
      "time to last byte s",
      "requests",
      "vs DS file",
      "server CPU",
      "server µs/event",
    ];
    lines.push(
      ...table(
        header,
        TARGETS.filter(has("catch-up")).map((t) => {
          const r = find<CatchUpResult>("catch-up", t);
          if (!r) return errorRow(t, "catch-up", header.length);
          return [
            label(t),
            fmt(r.perSecond),
            fmt(r.seconds),
            String(r.runs[0]?.requests ?? ""),
            t === "ds-file" ? "" : times(ratio(r.perSecond, ds)),
            cpuOf("catch-up", t),
            microsPer("catch-up", t, r.runs.reduce((sum, run) => sum + run.events, 0)),
          ];
        }),
      ),
      "",
    );
  }

  if (ran("fan-out-sse") || ran("fan-out-ws")) {
    const p = report.parameters;
    lines.push(
      `#### 4. Fan-out: ${p.fanOutSubscribers} subscribers on one stream, ${p.fanOutRate} events/s for ${p.fanOutSeconds} s, then up to ${p.burstEvents} events as fast as ${p.burstProducers} producers append (at most ${p.burstSeconds} s)`,
      "",
    );
    const bare = find<FanOutResult>("fan-out-sse", "bare")?.burst.deliveriesPerSecond;
    const header = [
      "server",
      "protocol",
      "connected",
      "p50 ms",
      "p99 ms",
      "max ms",
      "lost",
      "max deliveries/s",
      "vs bare",
      "server CPU",
      "server µs/delivery",
      "load CPU",
    ];
    const rows: string[][] = [];
    for (const workload of ["fan-out-sse", "fan-out-ws"] as const) {
      const protocol = workload === "fan-out-sse" ? "SSE" : "WebSocket";
      for (const t of TARGETS.filter(has("fan-out-sse"))) {
        const r = find<FanOutResult>(workload, t);
        if (!r) {
          if (workload === "fan-out-ws" && !OURS.includes(t)) {
            rows.push([label(t), protocol, "n/a (no WebSocket)", ...Array(9).fill("")]);
          } else if (has(workload)(t)) rows.push(errorRow(t, workload, header.length));
          continue;
        }
        rows.push([
          label(t),
          protocol,
          `${r.connected}/${r.subscribers}`,
          fmt(r.steady.latencyMs.p50),
          fmt(r.steady.latencyMs.p99),
          fmt(r.steady.latencyMs.max),
          String(fanOutLost(r)) +
          (r.steady.complete && r.burst.complete
            ? ""
            : ` (not all delivered within ${report.parameters.drainSeconds} s)`),
          fmt(r.burst.deliveriesPerSecond),
          t === "bare" ? "" : times(ratio(r.burst.deliveriesPerSecond, bare)),
          cpuOf(workload, t),
          microsPer(workload, t, r.burst.delivered),
          pct(r.burst.loadCpu),
        ]);
      }
    }
    lines.push(...table(header, rows, 2), "");
  }

  if (ran("idle-sse")) {
    lines.push(`#### 5. ${report.parameters.idleSubscribers} idle SSE subscribers`, "");
    const header = [
      "server",
      "connected",
      "RSS before MiB",
      "RSS after MiB",
      "KiB per subscriber",
    ];
    lines.push(
      ...table(
        header,
        TARGETS.filter(has("idle-sse")).map((t) => {
          const r = find<IdleMeasure>("idle-sse", t);
          if (!r) return errorRow(t, "idle-sse", header.length);
          return [
            label(t),
            `${r.connected}/${r.subscribers}`,
            fmt(r.rssBeforeKib / 1024),
            fmt(r.rssAfterKib / 1024),
            fmt(r.kibPerSubscriber),
          ];
        }),
      ),
      "",
    );
  }

  lines.push("#### Targets", "");
  lines.push(
    ...table(
      ["verdict", "target", "subject", "figure"],
      report.verdicts.map((v) => [
        v.pass === undefined ? "n/a" : v.pass ? "met" : "missed",
        v.goal,
        v.subject,
        v.value,
      ]),
      4,
    ),
  );
  return lines.join("\n") + "\n";
}

/**
 * Puts `section` into RESULTS.md text between the markers of `key`,
 * replacing an earlier section of the same key or appending a new one.
 *
 * @example
 * ```ts
 * import { replaceSection } from "./_report.ts";
 * const text = replaceSection("# Results\n", "servers-deno", "### Deno\n");
 * console.log(text.includes("<!-- servers-deno -->")); // true
 * ```
 */
export function replaceSection(text: string, key: string, section: string): string {
  const open = `<!-- ${key} -->`;
  const close = `<!-- /${key} -->`;
  const block = `${open}\n\n${section.trimEnd()}\n\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start >= 0 && end > start) {
    return text.slice(0, start) + block + text.slice(end + close.length);
  }
  return `${text.trimEnd()}\n\n${block}\n`;
}
