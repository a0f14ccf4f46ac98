/**
 * Store throughput, side by side in one run: every store, and the bare limit
 * of the medium under it (a raw fsync loop for the file store, raw SQLite
 * transactions for the SQLite store), so figures read as ratios.
 *
 * Usage: `deno run -A bench/stores.ts` or `bun bench/stores.ts`
 * (`--quick` for a short smoke run). Writes bench/results/<date>-stores-<runtime>.json
 * and prints a Markdown table for bench/RESULTS.md.
 *
 * @module
 */

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";
import type { EventStore } from "../src/stores/event_store.ts";
import { MemoryStore } from "../src/stores/memory_store.ts";
import { SqliteStore } from "../src/stores/sqlite_store.ts";
import { FileStore } from "../src/stores/file_store.ts";

const quick = process.argv.includes("--quick");
const scale = quick ? 0.05 : 1;
const encoder = new TextEncoder();
// About 200 bytes, like a small agent event.
const event = encoder.encode(JSON.stringify({
  type: "text.delta",
  id: "evt_0000000000000000",
  runId: "run_000000000000",
  messageId: "msg_000000000000",
  delta: "x".repeat(110),
}));

interface Figure {
  readonly store: string;
  readonly workload: string;
  readonly ops: number;
  readonly messages: number;
  readonly seconds: number;
}

const figures: Figure[] = [];

async function measure(
  store: string,
  workload: string,
  messages: number,
  ops: number,
  run: () => Promise<void> | void,
): Promise<void> {
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  figures.push({ store, workload, ops, messages, seconds });
  const rate = Math.round(messages / seconds);
  console.error(`${store.padEnd(10)} ${workload.padEnd(28)} ${rate} msg/s`);
}

const n = (count: number) => Math.max(10, Math.round(count * scale));

async function benchStore(name: string, open: () => EventStore): Promise<void> {
  const store = open();
  try {
    const single = n(2000);
    await store.create("single");
    await measure(name, "sequential single appends", single, single, async () => {
      for (let i = 0; i < single; i++) await store.append("single", { messages: [event] });
    });

    const batches = n(200);
    const batch = Array.from({ length: 100 }, () => event);
    await store.create("batch");
    await measure(name, "sequential batches of 100", batches * 100, batches, async () => {
      for (let i = 0; i < batches; i++) await store.append("batch", { messages: batch });
    });

    const writers = 50;
    const each = n(40);
    await store.create("concurrent");
    await measure(name, "50 concurrent writers", writers * each, writers * each, async () => {
      await Promise.all(
        Array.from({ length: writers }, async () => {
          for (let i = 0; i < each; i++) await store.append("concurrent", { messages: [event] });
        }),
      );
    });

    const total = n(100_000);
    await store.create("replay");
    const chunk = Array.from({ length: 1000 }, () => event);
    for (let i = 0; i < total; i += 1000) await store.append("replay", { messages: chunk });
    const tail = (await store.head("replay")).tail;
    await measure(name, "replay from offset 0", tail, Math.ceil(tail / 1000), async () => {
      let offset = 0;
      while (offset < tail) {
        offset = (await store.read("replay", { offset, limit: 1000 })).nextOffset;
      }
    });
  } finally {
    await store.dispose();
  }
}

function bareFsync(dir: string): void {
  const count = n(2000);
  const fd = openSync(join(dir, "bare.log"), "a");
  const line = new Uint8Array([...event, 10]);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    writeSync(fd, line);
    fsyncSync(fd);
  }
  const seconds = (performance.now() - start) / 1000;
  closeSync(fd);
  figures.push({
    store: "bare fs",
    workload: "sequential single appends",
    ops: count,
    messages: count,
    seconds,
  });
  console.error(`bare fs    write+fsync per append       ${Math.round(count / seconds)} msg/s`);
}

function bareSqlite(dir: string): void {
  const count = n(2000);
  const db = new DatabaseSync(join(dir, "bare.db"));
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db.exec("CREATE TABLE e (k INTEGER, o INTEGER, d BLOB, PRIMARY KEY (k, o)) WITHOUT ROWID");
  const insert = db.prepare("INSERT INTO e VALUES (1, ?, ?)");
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    db.exec("BEGIN");
    insert.run(i, event);
    db.exec("COMMIT");
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  figures.push({
    store: "bare sqlite",
    workload: "sequential single appends",
    ops: count,
    messages: count,
    seconds,
  });
  console.error(`bare sqlite insert+commit per append     ${Math.round(count / seconds)} msg/s`);
}

const runtime = typeof (globalThis as { Bun?: { version: string } }).Bun !== "undefined"
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : typeof (globalThis as { Deno?: unknown }).Deno !== "undefined"
  ? `deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
  : `node ${process.version}`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${
  Math.round(totalmem() / 2 ** 30)
} GiB`;

const dir = mkdtempSync(join(tmpdir(), "agent-stream-bench-"));
try {
  bareFsync(dir);
  bareSqlite(dir);
  await benchStore("memory", () => new MemoryStore());
  await benchStore("sqlite", () => new SqliteStore({ path: join(dir, "store.db") }));
  mkdirSync(join(dir, "files"));
  await benchStore("file", () => new FileStore({ directory: join(dir, "files") }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rate = (f: Figure) => f.messages / f.seconds;
const bare = (store: string) =>
  figures.find((f) => f.store === store && f.workload === "sequential single appends");
const lines = [
  `Runtime: ${runtime}. Machine: ${machine}. Temporary directory on ${tmpdir()}.`,
  "",
  "| store | workload | messages/s | appends/s | vs bare medium |",
  "| --- | --- | ---: | ---: | ---: |",
  ...figures.map((f) => {
    const medium = f.store === "sqlite"
      ? bare("bare sqlite")
      : f.store === "file"
      ? bare("bare fs")
      : undefined;
    const ratio = medium && f.workload !== "replay from offset 0"
      ? (rate(f) / rate(medium)).toFixed(2) + "×"
      : "";
    return `| ${f.store} | ${f.workload} | ${Math.round(rate(f))} | ${
      Math.round(f.ops / f.seconds)
    } | ${ratio} |`;
  }),
];
console.log(lines.join("\n"));
if (!quick) {
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    `bench/results/${date}-stores-${runtime.split(" ")[0]}.json`,
    JSON.stringify({ date, runtime, machine, figures }, null, 2) + "\n",
  );
}
