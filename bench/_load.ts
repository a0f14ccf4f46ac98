/**
 * The load generator of `bench/servers.ts`: runs one workload against one
 * server and exits. Its configuration is JSON in the first argument; it
 * reports progress on stderr and JSON lines on stdout: `{"ready": …}` when
 * it waits for the harness (which answers with a line on stdin) and
 * `{"result": …}` at the end. Every wait is bounded; the process exits by
 * itself after `deadlineSeconds` whatever happens.
 *
 *     deno run -A bench/_load.ts '<json>'     bun bench/_load.ts '<json>'
 *
 * Events are JSON objects of about 200 bytes that carry a sequence number
 * and the send time (`performance.now()` of this process), so subscribers
 * in this process measure delivery latency on one clock.
 *
 * @module
 */

import process from "node:process";
import { createInterface, type Interface } from "node:readline";
import { HttpConnection, type ResponseHead } from "./_raw_http.ts";
import { type LatencySummary, Samples } from "./_stats.ts";

/** Appends by `producers` connections, each waiting for its answer before the next. */
export interface AppendLoad {
  readonly kind: "append";
  readonly base: string;
  /** URL paths to create (`PUT`, JSON) first. */
  readonly create: readonly string[];
  /** URL paths appended to; producer `i` uses `paths[i % paths.length]`. */
  readonly paths: readonly string[];
  readonly producers: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly deadlineSeconds: number;
}

/** Fills a stream, then reads it from offset -1 to the tail, `runs` times. */
export interface CatchUpLoad {
  readonly kind: "catchup";
  readonly base: string;
  /** URL path of the stream (created here). */
  readonly path: string;
  readonly events: number;
  readonly runs: number;
  readonly deadlineSeconds: number;
}

/**
 * Live readers of one stream: a steady phase at `rate` events/s for
 * `seconds`, then a burst of `burstEvents` appended as fast as
 * `burstProducers` connections can.
 */
export interface FanOutLoad {
  readonly kind: "fanout";
  readonly base: string;
  readonly create: readonly string[];
  /** URL path events are `POST`ed to. */
  readonly publishPath: string;
  readonly protocol: "sse" | "ws";
  /** SSE: URL path and query of the event stream. */
  readonly ssePath: string;
  /** WebSocket: the stream path to subscribe to. */
  readonly wsStream: string;
  readonly subscribers: number;
  readonly rate: number;
  readonly seconds: number;
  readonly burstEvents: number;
  /** Longest the burst's appends may take; it ends with what was sent by then. */
  readonly burstSeconds: number;
  readonly burstProducers: number;
  /** Longest wait for deliveries to complete after each phase. */
  readonly drainSeconds: number;
  readonly deadlineSeconds: number;
}

/** Idle SSE readers, held open until the harness has measured the server. */
export interface IdleLoad {
  readonly kind: "idle";
  readonly base: string;
  readonly create: readonly string[];
  readonly ssePath: string;
  readonly subscribers: number;
  /** Readers opened first, before the harness's first reading of server memory. */
  readonly warm: number;
  /** Longest wait for the harness's go-ahead at each stage. */
  readonly holdSeconds: number;
  readonly deadlineSeconds: number;
}

/** A workload's configuration. */
export type LoadConfig = AppendLoad | CatchUpLoad | FanOutLoad | IdleLoad;

/** Outcome of an {@linkcode AppendLoad}. */
export interface AppendResult {
  readonly appends: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latencyMs: LatencySummary;
  /** Share of one core this process used while measuring. */
  readonly loadCpu: number;
  readonly firstError?: string;
}

/** Outcome of a {@linkcode CatchUpLoad}. */
export interface CatchUpResult {
  readonly events: number;
  /** Per run: seconds to the last byte, requests, bytes and events read. */
  readonly runs: readonly {
    readonly seconds: number;
    readonly requests: number;
    readonly bytes: number;
    readonly events: number;
  }[];
  /** Median run. */
  readonly seconds: number;
  readonly perSecond: number;
  readonly fillSeconds: number;
  readonly loadCpu: number;
}

/** Outcome of one phase of a {@linkcode FanOutLoad}. */
export interface FanOutPhase {
  /** Events appended in the phase. */
  readonly events: number;
  /** Deliveries expected: events × connected subscribers. */
  readonly expected: number;
  readonly delivered: number;
  /** Deliveries expected but not seen by the end of the drain wait (see `complete`). */
  readonly lost: number;
  readonly duplicates: number;
  /** From the first append to the last delivery (or the drain timeout). */
  readonly seconds: number;
  readonly complete: boolean;
  readonly deliveriesPerSecond: number;
  readonly appendSeconds: number;
  readonly loadCpu: number;
}

/** Outcome of a {@linkcode FanOutLoad}. */
export interface FanOutResult {
  readonly subscribers: number;
  readonly connected: number;
  readonly steady: FanOutPhase & { readonly latencyMs: LatencySummary };
  readonly burst: FanOutPhase;
}

/** Outcome of an {@linkcode IdleLoad}. */
export interface IdleResult {
  readonly subscribers: number;
  readonly connected: number;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;
const SSE_HEADERS = { accept: "text/event-stream" } as const;
const encoder = new TextEncoder();
const EVENT_BYTES = 200;
const OPEN_WAVE = 250;
// Bounds every connect, request and first event.
const TIMEOUT_MS = 20_000;

/**
 * One event of about 200 bytes carrying `seq` and the send time `t`.
 *
 * @example
 * ```ts
 * import { makeEvent } from "./_load.ts";
 * console.log(makeEvent(7, 12.5).length); // 200
 * ```
 */
export function makeEvent(seq: number, t: number): Uint8Array {
  const head = `{"type":"bench.tick","seq":${seq},"t":${t.toFixed(3)},"pad":"`;
  const pad = Math.max(0, EVENT_BYTES - head.length - 2);
  return encoder.encode(`${head}${"x".repeat(pad)}"}`);
}

const SEQ_T = /"seq":(\d+),"t":([0-9.]+)/g;

/**
 * Calls `found(seq, t)` for every event in `text`.
 *
 * @example
 * ```ts
 * import { makeEvent, scanEvents } from "./_load.ts";
 * const text = new TextDecoder().decode(makeEvent(3, 1.5));
 * scanEvents(text, (seq, t) => console.log(seq, t)); // 3 1.5
 * ```
 */
export function scanEvents(text: string, found: (seq: number, t: number) => void): void {
  SEQ_T.lastIndex = 0;
  for (let match = SEQ_T.exec(text); match !== null; match = SEQ_T.exec(text)) {
    found(Number(match[1]), Number(match[2]));
  }
}

/** Tells the harness that the measured phase starts or ends, so it reads the server's CPU time. */
function mark(name: "start" | "end"): void {
  console.log(JSON.stringify({ mark: name }));
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function createStreams(base: URL, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const connection = await HttpConnection.open(base, TIMEOUT_MS);
  try {
    for (const path of paths) {
      const response = await connection.request("PUT", path, JSON_HEADERS, new Uint8Array(0));
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(`PUT ${path}: ${response.status}`);
      }
    }
  } finally {
    connection.close();
  }
}

async function runAppend(config: AppendLoad): Promise<AppendResult> {
  const base = new URL(config.base);
  await createStreams(base, config.create);
  const connections = await Promise.all(
    Array.from({ length: config.producers }, () => HttpConnection.open(base, TIMEOUT_MS)),
  );
  const body = makeEvent(0, 0);
  const samples = new Samples();
  let appends = 0;
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  const producer = async (connection: HttpConnection, path: string, until: number) => {
    while (performance.now() < until) {
      const start = performance.now();
      try {
        const response = await connection.request("POST", path, JSON_HEADERS, body);
        if (!measuring) continue;
        if (response.status >= 300) {
          errors++;
          firstError ??= `status ${response.status}: ${new TextDecoder().decode(response.body)}`;
          continue;
        }
        samples.add(performance.now() - start);
        appends++;
      } catch (error) {
        errors++;
        firstError ??= String(error);
        return;
      }
    }
  };
  const phase = (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    return Promise.all(
      connections.map((c, i) => producer(c, config.paths[i % config.paths.length], until)),
    );
  };
  await phase(config.warmupSeconds);
  measuring = true;
  const cpu = cpuSeconds();
  mark("start");
  const start = performance.now();
  await phase(config.seconds);
  const seconds = (performance.now() - start) / 1000;
  mark("end");
  const loadCpu = (cpuSeconds() - cpu) / seconds;
  for (const connection of connections) connection.close();
  return {
    appends,
    errors,
    seconds,
    perSecond: appends / seconds,
    latencyMs: samples.summary(),
    loadCpu,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

async function runCatchUp(config: CatchUpLoad): Promise<CatchUpResult> {
  const base = new URL(config.base);
  await createStreams(base, [config.path]);
  const connection = await HttpConnection.open(base, TIMEOUT_MS);
  const fillStart = performance.now();
  const batch = 1000;
  for (let seq = 0; seq < config.events; seq += batch) {
    const count = Math.min(batch, config.events - seq);
    const parts = Array.from({ length: count }, (_, i) => makeEvent(seq + i, 0));
    const body = joinArray(parts);
    const response = await connection.request("POST", config.path, JSON_HEADERS, body);
    if (response.status >= 300) throw new Error(`fill: status ${response.status}`);
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const decoder = new TextDecoder();
  const runs = [];
  const cpu = cpuSeconds();
  let wall = 0;
  mark("start");
  for (let run = 0; run < config.runs; run++) {
    let offset = "-1";
    let events = 0;
    let bytes = 0;
    let requests = 0;
    const start = performance.now();
    // Bounded: a server returns at least one message per read (HTTP-READ-4).
    while (requests <= config.events) {
      const response = await connection.request(
        "GET",
        `${config.path}?offset=${encodeURIComponent(offset)}`,
        {},
      );
      requests++;
      if (response.status !== 200) throw new Error(`read: status ${response.status}`);
      bytes += response.body.length;
      const count = countOccurrences(decoder.decode(response.body), '"seq":');
      events += count;
      offset = response.headers.get("stream-next-offset") ?? offset;
      const upToDate = response.headers.get("stream-up-to-date") === "true";
      if ((upToDate && events >= config.events) || count === 0) break;
    }
    const seconds = (performance.now() - start) / 1000;
    wall += seconds;
    if (events !== config.events) {
      throw new Error(`read ${events} events of ${config.events}`);
    }
    runs.push({ seconds, requests, bytes, events });
  }
  mark("end");
  const loadCpu = (cpuSeconds() - cpu) / wall;
  connection.close();
  const sorted = runs.map((r) => r.seconds).sort((a, b) => a - b);
  const seconds = sorted[Math.floor(sorted.length / 2)];
  return {
    events: config.events,
    runs,
    seconds,
    perSecond: config.events / seconds,
    fillSeconds,
    loadCpu,
  };
}

function joinArray(parts: readonly Uint8Array[]): Uint8Array {
  let length = 2 + Math.max(0, parts.length - 1);
  for (const part of parts) length += part.length;
  const bytes = new Uint8Array(length);
  bytes[0] = 0x5b; // [
  let at = 1;
  parts.forEach((part, i) => {
    if (i > 0) bytes[at++] = 0x2c; // ,
    bytes.set(part, at);
    at += part.length;
  });
  bytes[at] = 0x5d; // ]
  return bytes;
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** What one live reader has seen: a bitmap of sequence numbers. */
class Reader {
  readonly seen: Uint8Array;
  distinct = 0;
  duplicates = 0;
  ready = false;
  ended = false;
  close: () => void = () => {};

  constructor(total: number) {
    this.seen = new Uint8Array(total);
  }
}

/** Delivery bookkeeping shared by all readers of a fan-out. */
class Deliveries {
  readonly readers: Reader[] = [];
  readonly latency = new Samples();
  recordLatency = false;
  /** Readers that have every event below `goal`. */
  #done = 0;
  #goal = 0;
  #lastDelivery = 0;
  #phaseStart = 0;
  #onComplete: (() => void) | undefined;

  constructor(readonly total: number) {}

  record(reader: Reader, seq: number, t: number, now: number): void {
    if (seq >= this.total) return;
    if (reader.seen[seq] === 1) {
      reader.duplicates++;
      return;
    }
    reader.seen[seq] = 1;
    reader.distinct++;
    this.#lastDelivery = now;
    if (this.recordLatency) this.latency.add(now - t);
    if (reader.distinct === this.#goal) {
      this.#done++;
      if (this.#done === this.readers.length) this.#onComplete?.();
    }
  }

  /** Resolves with the time all readers had `goal` events, or undefined at the timeout. */
  waitFor(goal: number, timeoutMs: number): Promise<number | undefined> {
    this.#goal = goal;
    this.#done = this.readers.filter((r) => r.distinct >= goal).length;
    if (this.#done === this.readers.length) return Promise.resolve(this.#lastDelivery);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#onComplete = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#onComplete = () => {
        clearTimeout(timer);
        this.#onComplete = undefined;
        resolve(this.#lastDelivery);
      };
    });
  }

  startPhase(): void {
    this.#phaseStart = performance.now();
  }

  get phaseStart(): number {
    return this.#phaseStart;
  }

  count(from: number, to: number): { delivered: number; duplicates: number } {
    let delivered = 0;
    let duplicates = 0;
    for (const reader of this.readers) {
      for (let seq = from; seq < to; seq++) delivered += reader.seen[seq];
      duplicates += reader.duplicates;
    }
    return { delivered, duplicates };
  }
}

function openSse(
  base: URL,
  path: string,
  reader: Reader,
  onText: ((text: string, now: number) => void) | undefined,
): Promise<void> {
  return (async () => {
    const connection = await HttpConnection.open(base, TIMEOUT_MS);
    reader.close = () => connection.close();
    const decoder = new TextDecoder();
    let text = "";
    let ready!: () => void;
    const readyPromise = new Promise<void>((resolve) => ready = resolve);
    const head: ResponseHead = await connection.stream(path, SSE_HEADERS, (bytes) => {
      const now = performance.now();
      text += decoder.decode(bytes, { stream: true });
      const cut = text.lastIndexOf("\n\n");
      if (cut < 0) return;
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      if (!reader.ready) {
        reader.ready = true;
        ready();
      }
      onText?.(block, now);
    }, () => {
      reader.ended = true;
      ready();
    });
    if (head.status !== 200) {
      connection.close();
      throw new Error(`SSE ${path}: status ${head.status}`);
    }
    await withTimeout(readyPromise, TIMEOUT_MS, "first SSE event");
    if (!reader.ready) throw new Error(`SSE ${path} ended before its first event`);
  })();
}

function openWs(
  base: URL,
  stream: string,
  reader: Reader,
  onText: (text: string, now: number) => void,
): Promise<void> {
  const url = new URL("/v1/ws", base);
  url.protocol = "ws:";
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url.href, "agent-stream.v1");
      reader.close = () => socket.close();
      socket.onopen = () => {
        socket.send(JSON.stringify({ type: "hello", version: "1.0" }));
        socket.send(JSON.stringify({ type: "subscribe", sub: "s", path: stream, offset: "now" }));
      };
      socket.onmessage = (message: MessageEvent) => {
        const now = performance.now();
        const text = String(message.data);
        if (!reader.ready) {
          if (text.includes('"type":"subscribed"')) {
            reader.ready = true;
            resolve();
          } else if (text.includes('"type":"error"')) reject(new Error(`WS: ${text}`));
          return;
        }
        if (text.startsWith('{"type":"ping"')) {
          const nonce = (JSON.parse(text) as { nonce?: string }).nonce;
          socket.send(JSON.stringify({ type: "pong", ...(nonce === undefined ? {} : { nonce }) }));
          return;
        }
        onText(text, now);
      };
      socket.onerror = () => reject(new Error("WebSocket error"));
      socket.onclose = () => {
        reader.ended = true;
        reject(new Error("WebSocket closed"));
      };
    }),
    TIMEOUT_MS,
    "WebSocket subscribe",
  );
}

/** Opens `count` readers in waves; resolves with how many connected. */
async function openReaders(
  count: number,
  open: (reader: Reader) => Promise<void>,
  make: () => Reader,
  readers: Reader[],
): Promise<{ connected: number; firstError?: string }> {
  let firstError: string | undefined;
  for (let i = 0; i < count; i += OPEN_WAVE) {
    const wave = Array.from({ length: Math.min(OPEN_WAVE, count - i) }, make);
    const outcomes = await Promise.allSettled(wave.map(open));
    outcomes.forEach((outcome, j) => {
      if (outcome.status === "fulfilled") readers.push(wave[j]);
      else {
        firstError ??= String(outcome.reason);
        wave[j].close();
      }
    });
  }
  return { connected: readers.length, ...(firstError === undefined ? {} : { firstError }) };
}

async function runFanOut(config: FanOutLoad): Promise<FanOutResult> {
  const base = new URL(config.base);
  await createStreams(base, config.create);
  const steadyEvents = Math.round(config.rate * config.seconds);
  const total = steadyEvents + config.burstEvents;
  const deliveries = new Deliveries(total);
  const onText = (reader: Reader) => (text: string, now: number) =>
    scanEvents(text, (seq, t) => deliveries.record(reader, seq, t, now));
  const open = config.protocol === "sse"
    ? (reader: Reader) => openSse(base, config.ssePath, reader, onText(reader))
    : (reader: Reader) => openWs(base, config.wsStream, reader, onText(reader));
  const opened = await openReaders(
    config.subscribers,
    open,
    () => new Reader(total),
    deliveries.readers,
  );
  console.error(`fan-out: ${opened.connected} of ${config.subscribers} readers connected`);
  if (opened.connected === 0) throw new Error(`no reader connected: ${opened.firstError}`);

  // Steady phase: one producer on a fixed schedule; a server that cannot
  // keep up is given twice the time, then the phase ends with what was sent.
  const producer = await HttpConnection.open(base, TIMEOUT_MS);
  deliveries.recordLatency = true;
  let cpu = cpuSeconds();
  deliveries.startPhase();
  const start = deliveries.phaseStart;
  const steadyUntil = start + 2 * config.seconds * 1000 + 1000;
  let steadySent = 0;
  while (steadySent < steadyEvents && performance.now() < steadyUntil) {
    const due = start + (steadySent * 1000) / config.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const response = await producer.request(
      "POST",
      config.publishPath,
      JSON_HEADERS,
      makeEvent(steadySent, performance.now()),
    );
    if (response.status >= 300) throw new Error(`append: status ${response.status}`);
    steadySent++;
  }
  const steadyAppendSeconds = (performance.now() - start) / 1000;
  const steadyEnd = await deliveries.waitFor(steadySent, config.drainSeconds * 1000);
  deliveries.recordLatency = false;
  const steadySeconds = ((steadyEnd ?? performance.now()) - start) / 1000;
  const steadyCpu = (cpuSeconds() - cpu) / steadySeconds;
  const steadyCount = deliveries.count(0, steadySent);
  const steadyExpected = steadySent * deliveries.readers.length;

  // Burst: as fast as `burstProducers` connections can append, for at most
  // `burstSeconds`.
  const producers = [
    producer,
    ...await Promise.all(
      Array.from(
        { length: config.burstProducers - 1 },
        () => HttpConnection.open(base, TIMEOUT_MS),
      ),
    ),
  ];
  const burstLimit = steadySent + config.burstEvents;
  let next = steadySent;
  cpu = cpuSeconds();
  mark("start");
  deliveries.startPhase();
  const burstStart = deliveries.phaseStart;
  const burstUntil = burstStart + config.burstSeconds * 1000;
  await Promise.all(producers.map(async (connection) => {
    while (next < burstLimit && performance.now() < burstUntil) {
      const seq = next++;
      const response = await connection.request(
        "POST",
        config.publishPath,
        JSON_HEADERS,
        makeEvent(seq, performance.now()),
      );
      if (response.status >= 300) throw new Error(`append: status ${response.status}`);
    }
  }));
  const burstSent = next - steadySent;
  const burstAppendSeconds = (performance.now() - burstStart) / 1000;
  const burstEnd = await deliveries.waitFor(next, config.drainSeconds * 1000);
  mark("end");
  const burstSeconds = ((burstEnd ?? performance.now()) - burstStart) / 1000;
  const burstCpu = (cpuSeconds() - cpu) / burstSeconds;
  const burstCount = deliveries.count(steadySent, next);
  const burstExpected = burstSent * deliveries.readers.length;
  for (const connection of producers) connection.close();
  for (const reader of deliveries.readers) reader.close();

  return {
    subscribers: config.subscribers,
    connected: deliveries.readers.length,
    steady: {
      events: steadySent,
      expected: steadyExpected,
      delivered: steadyCount.delivered,
      lost: steadyExpected - steadyCount.delivered,
      duplicates: steadyCount.duplicates,
      seconds: steadySeconds,
      complete: steadyEnd !== undefined,
      deliveriesPerSecond: steadyCount.delivered / steadySeconds,
      appendSeconds: steadyAppendSeconds,
      loadCpu: steadyCpu,
      latencyMs: deliveries.latency.summary(),
    },
    burst: {
      events: burstSent,
      expected: burstExpected,
      delivered: burstCount.delivered,
      lost: burstExpected - burstCount.delivered,
      duplicates: burstCount.duplicates - steadyCount.duplicates,
      seconds: burstSeconds,
      complete: burstEnd !== undefined,
      deliveriesPerSecond: burstCount.delivered / burstSeconds,
      appendSeconds: burstAppendSeconds,
      loadCpu: burstCpu,
    },
  };
}

async function runIdle(config: IdleLoad): Promise<IdleResult> {
  const base = new URL(config.base);
  await createStreams(base, config.create);
  const readers: Reader[] = [];
  const open = (reader: Reader) => openSse(base, config.ssePath, reader, undefined);
  const lines = createInterface({ input: process.stdin });
  // Two stages, so that what the first readers cost the server (code paths
  // compiled, buffers allocated once) is not counted against each reader.
  for (const [stage, count] of [["warm", config.warm], ["full", config.subscribers]] as const) {
    const opened = await openReaders(count - readers.length, open, () => new Reader(0), readers);
    if (opened.firstError) console.error(`idle: first failure: ${opened.firstError}`);
    const connected = readers.filter((r) => !r.ended).length;
    console.log(JSON.stringify({ ready: { stage, connected } }));
    await waitForLine(lines, config.holdSeconds * 1000);
  }
  lines.close();
  const connected = readers.filter((r) => !r.ended).length;
  for (const reader of readers) reader.close();
  return { subscribers: config.subscribers, connected };
}

function waitForLine(lines: Interface, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      lines.off("line", done);
      lines.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    lines.on("line", done);
    lines.on("close", done);
  });
}

async function run(config: LoadConfig): Promise<unknown> {
  switch (config.kind) {
    case "append":
      return await runAppend(config);
    case "catchup":
      return await runCatchUp(config);
    case "fanout":
      return await runFanOut(config);
    case "idle":
      return await runIdle(config);
  }
}

if (import.meta.main) {
  const config = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
  setTimeout(() => {
    console.log(JSON.stringify({ error: `deadline of ${config.deadlineSeconds} s passed` }));
    process.exit(2);
  }, config.deadlineSeconds * 1000);
  try {
    const result = await run(config);
    console.log(JSON.stringify({ result }));
    process.exit(0);
  } catch (error) {
    console.log(JSON.stringify({ error: String(error) }));
    process.exit(1);
  }
}
