// The process the crash test kills. It appends to one stream forever, in
// bursts of concurrent appends (so that group commit is at work when the kill
// lands), and reports each acknowledged append on stdout, one JSON line each.
//
// Usage: <runtime> crash_child.ts <store kind> <dir> <round> <seed>

import { writeSync } from "node:fs";
import process from "node:process";
import { CRASH_STORES, CRASH_STREAM, type CrashAck, prng } from "./_stores.ts";

const [kind, dir, roundArg, seedArg] = process.argv.slice(2);
const factory = CRASH_STORES[kind];
if (factory === undefined || dir === undefined || roundArg === undefined) {
  process.stderr.write(
    `usage: crash_child.ts <${Object.keys(CRASH_STORES).join("|")}> <dir> <round> <seed>\n`,
  );
  process.exit(2);
}
const round = Number(roundArg);
const random = prng(Number(seedArg ?? 0));
const encoder = new TextEncoder();

/**
 * Writes an ack straight to fd 1: nothing is buffered in this process, so an
 * append reported before the kill is an append the parent reads. A pipe can be
 * non-blocking; a full one is retried rather than lost.
 */
function ack(line: string): void {
  let bytes = encoder.encode(line + "\n");
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
    }
  }
}

const store = await factory(dir);
await store.create(CRASH_STREAM);

let batch = 0;
for (;;) {
  const burst = 1 + Math.floor(random() * 8);
  const appends: Promise<void>[] = [];
  for (let k = 0; k < burst; k++) {
    const b = batch++;
    const n = random() < 0.4 ? 1 : 2 + Math.floor(random() * 19);
    const messages = Array.from(
      { length: n },
      (_, i) => encoder.encode(JSON.stringify({ r: round, b, i, n })),
    );
    appends.push(
      store.append(CRASH_STREAM, { messages }).then((result) => {
        const line: CrashAck = { r: round, b, n, next: result.nextOffset };
        ack(JSON.stringify(line));
      }),
    );
  }
  await Promise.all(appends);
}
