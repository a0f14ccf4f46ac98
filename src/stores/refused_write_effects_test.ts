import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventStore } from "./event_store.ts";
import { FileStore } from "./file_store.ts";
import { MemoryStore } from "./memory_store.ts";
import { SqliteStore } from "./sqlite_store.ts";

// A write that is refused can still have found an expiry (LOG-TTL-1): here a
// create finds its path expired, soft-deletes it for its fork, and is refused.
// Its rejection must come after that deletion is visible, so that the
// caller's next read sees the stream gone, in every store.
const stores: Record<string, (dir: string, clock: () => number) => EventStore> = {
  memory: (_dir, clock) => new MemoryStore({ clock }),
  file: (dir, clock) => new FileStore({ directory: dir, clock }),
  sqlite: (dir, clock) => new SqliteStore({ path: join(dir, "streams.db"), clock }),
};

for (const [name, open] of Object.entries(stores)) {
  test(`${name} store: a refused write's expiry is visible once the refusal arrives`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "refused-"));
    let now = 1_700_000_000_000;
    const store = open(dir, () => now);
    try {
      await store.create("a", { contentType: "application/json", ttlSeconds: 1 });
      await store.create("a-fork", { contentType: "application/json", fork: { path: "a" } });
      now += 1_000;
      await assert.rejects(store.create("a", { contentType: "application/json" }), {
        slug: "stream-exists",
      });
      await assert.rejects(store.read("a", { offset: 0 }), { slug: "stream-gone" });
    } finally {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
