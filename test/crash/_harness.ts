// Kill rounds: run crash_child.ts on one directory, SIGKILL it at a random
// moment, reopen the store in this process and check what survived against
// what the child acknowledged. Every round appends to the same directory, so
// later rounds recover a store that earlier rounds left mid-write.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { EventStore } from "../../src/stores/event_store.ts";
import { CRASH_STORES, CRASH_STREAM, type CrashAck, type CrashMessage, prng } from "./_stores.ts";

const CHILD = fileURLToPath(new URL("./crash_child.ts", import.meta.url));

/** What the rounds saw, for the test's log. */
export interface CrashReport {
  readonly seed: number;
  readonly rounds: number;
  /** Rounds killed before the child acknowledged anything (during open or recovery). */
  readonly earlyKills: number;
  readonly acknowledged: number;
  readonly messages: number;
  /** Batches found whole but never acknowledged: committed just before the kill. */
  readonly unacknowledged: number;
}

/**
 * Runs `rounds` kill rounds of the store `kind`. The seed comes from
 * `CRASH_SEED` when set, so a failure replays; it is printed either way.
 */
export async function runCrashRounds(kind: string, rounds: number): Promise<CrashReport> {
  const open = CRASH_STORES[kind];
  assert.ok(open, `no crash store named ${kind}`);
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`crash test (${kind}): seed ${seed}; replay with CRASH_SEED=${seed}`);
  const random = prng(seed);
  const dir = mkdtempSync(join(tmpdir(), `agent-stream-crash-${kind}-`));
  const acks = new Map<string, CrashAck>();
  let survivors: string[] = [];
  let earlyKills = 0;
  let unacknowledged = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      // One round in five is killed blind, early: often while opening or recovering.
      const early = round % 5 === 4;
      const delay = early ? Math.floor(random() * 150) : 50 + Math.floor(random() * 350);
      const childSeed = Math.floor(random() * 2 ** 31);
      const lines = await killRound(kind, dir, round, childSeed, early, delay);
      if (lines.length === 0) earlyKills++;
      for (const line of lines) {
        const a = JSON.parse(line) as CrashAck;
        acks.set(`${a.r}:${a.b}`, a);
      }

      const store = await open(dir);
      try {
        const present = await readAll(store);
        const context = `${kind} round ${round} (CRASH_SEED=${seed})`;
        assert.deepEqual(
          present.slice(0, survivors.length),
          survivors,
          `${context}: what survived a recovery survives the next one`,
        );
        unacknowledged = checkLog(present.map((m) => JSON.parse(m) as CrashMessage), acks, context);
        survivors = present;
      } finally {
        await store.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    seed,
    rounds,
    earlyKills,
    acknowledged: acks.size,
    messages: survivors.length,
    unacknowledged,
  };
}

/** Runs the child until the kill; resolves with the complete ack lines it wrote. */
function killRound(
  kind: string,
  dir: string,
  round: number,
  seed: number,
  early: boolean,
  delay: number,
): Promise<string[]> {
  // Deno needs `run` and permissions; Bun runs a file as it is.
  const runtime = "Deno" in globalThis ? ["run", "--quiet", "-A"] : [];
  const child = spawn(
    process.execPath,
    [...runtime, CHILD, kind, dir, String(round), String(seed)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  let killed = false;
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  const kill = () => {
    if (!killed) {
      killed = true;
      setTimeout(() => child.kill("SIGKILL"), delay);
    }
  };
  child.stdout.on("data", (text: string) => {
    stdout += text;
    if (!early) kill();
  });
  child.stderr.on("data", (text: string) => stderr += text);
  if (early) kill();
  // A child that never acknowledges anything is killed all the same.
  const stall = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(stall);
      if (signal !== "SIGKILL") {
        reject(
          new Error(`crash child ended by itself (code ${code}, signal ${signal}):\n${stderr}`),
        );
        return;
      }
      // A line cut short by the kill was never a complete acknowledgement.
      const lines = stdout.split("\n");
      lines.pop();
      resolve(lines);
    });
  });
}

async function readAll(store: EventStore): Promise<string[]> {
  const decoder = new TextDecoder();
  const messages: string[] = [];
  let offset = 0;
  for (;;) {
    let page;
    try {
      page = await store.read(CRASH_STREAM, { offset, limit: 5000 });
    } catch (error) {
      // Killed before the stream was ever created.
      if ((error as { slug?: string }).slug === "stream-not-found" && offset === 0) return [];
      throw error;
    }
    assert.equal(page.offset, offset);
    assert.equal(page.nextOffset, offset + page.messages.length, "offsets are dense");
    for (const m of page.messages) messages.push(decoder.decode(m));
    offset = page.nextOffset;
    if (page.upToDate) return messages;
  }
}

/**
 * Checks the log against the acknowledgements: every batch whole, in order and
 * present once; every acknowledged batch present, where its ack said. Returns
 * the number of batches present but never acknowledged.
 */
function checkLog(
  log: readonly CrashMessage[],
  acks: ReadonlyMap<string, CrashAck>,
  context: string,
): number {
  const found = new Map<string, number>();
  let offset = 0;
  while (offset < log.length) {
    const first = log[offset];
    const id = `${first.r}:${first.b}`;
    assert.equal(first.i, 0, `${context}: batch ${id} starts at offset ${offset} with message 0`);
    assert.ok(!found.has(id), `${context}: batch ${id} is stored twice`);
    for (let i = 0; i < first.n; i++) {
      const m = log[offset + i];
      assert.deepEqual(
        m,
        { r: first.r, b: first.b, i, n: first.n },
        `${context}: batch ${id} is torn at offset ${offset + i}`,
      );
    }
    found.set(id, offset);
    offset += first.n;
  }
  for (const [id, a] of acks) {
    assert.equal(
      found.get(id),
      a.next - a.n,
      `${context}: acknowledged batch ${id} is where its ack said`,
    );
  }
  return found.size - acks.size;
}
