// The stores the crash test can kill, by the name given on the child's
// command line. Add a durable store here to put it through the same rounds.

import { join } from "node:path";
import type { EventStore } from "../../src/stores/event_store.ts";
import { FileStore } from "../../src/stores/file_store.ts";
import { SqliteStore } from "../../src/stores/sqlite_store.ts";

/** Opens the store kept in `dir` (creating it on first use), ready for writes. */
export type CrashStoreFactory = (dir: string) => Promise<EventStore>;

export const CRASH_STORES: Readonly<Record<string, CrashStoreFactory>> = {
  sqlite: async (dir) => {
    const store = new SqliteStore({ path: join(dir, "streams.db") });
    await store.ready();
    return store;
  },
  file: async (dir) => {
    const store = new FileStore({ directory: join(dir, "streams") });
    await store.ready();
    return store;
  },
};

/** The stream every round appends to. */
export const CRASH_STREAM = "crash/log";

/** A message's identity: round, batch within the round, index in the batch, batch length. */
export interface CrashMessage {
  readonly r: number;
  readonly b: number;
  readonly i: number;
  readonly n: number;
}

/** One acknowledged append, as the child reports it: the batch and the tail after it. */
export interface CrashAck {
  readonly r: number;
  readonly b: number;
  readonly n: number;
  readonly next: number;
}

/** A small seeded PRNG (mulberry32): the same seed replays the same choices. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
