import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { StoreError } from "./event_store.ts";
import type { LogStore } from "./log_store.ts";
import { FileStore } from "./file_store.ts";
import { MemoryStore } from "./memory_store.ts";
import { SqliteStore } from "./sqlite_store.ts";

// HTTP-PATH-1 and HTTP-PATH-3: a bad stream path is refused with the spec's
// problem by every store, and never reaches the file system.

const BAD_NAMES = [
  "../../etc/passwd",
  "/etc/passwd",
  "a/../../b",
  "..",
  ".",
  "a//b",
  "a/",
  "",
  "x\u0000y",
  "a\\b",
  "line\nbreak",
  "é".repeat(2500), // 5,000 bytes
  "p".repeat(5000),
];

const STORES: Record<string, (dir: string) => LogStore> = {
  memory: () => new MemoryStore(),
  sqlite: (dir) => new SqliteStore({ path: join(dir, "streams.db") }),
  file: (dir) => new FileStore({ directory: join(dir, "streams") }),
};

async function refused(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
    return "accepted";
  } catch (error) {
    if (error instanceof StoreError) return error.slug;
    throw error;
  }
}

/** Every file below `dir`, relative to it. */
async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

for (const [name, open] of Object.entries(STORES)) {
  describe(`${name} store: stream names`, () => {
    it("refuses traversal, NUL, empty segments and 5,000-byte names in every operation", async () => {
      const root = await mkdtemp(join(tmpdir(), "names-"));
      const dir = join(root, "data");
      const outside = join(root, "outside");
      await mkdir(dir);
      await mkdir(outside);
      const store = open(dir);
      try {
        await store.create("ok");
        const before = await files(root);
        for (const bad of BAD_NAMES) {
          const encoded = new TextEncoder().encode("1");
          const outcomes = [
            await refused(() => store.create(bad)),
            await refused(() => store.append(bad, { messages: [encoded] })),
            await refused(() => store.read(bad)),
            await refused(() => store.head(bad)),
            await refused(() => store.delete(bad)),
            await refused(() => store.subscribe(bad, {}, () => {})),
            await refused(() => store.create("fork", { fork: { path: bad } })),
          ];
          assert.deepEqual(
            outcomes,
            outcomes.map(() => "invalid-stream-name"),
            JSON.stringify(bad.slice(0, 40)),
          );
        }
        assert.deepEqual(await files(root), before, "nothing was written anywhere");
      } finally {
        await store.dispose();
        await rm(root, { recursive: true, force: true });
      }
    });

    it("keeps every accepted name inside its data directory", async () => {
      const root = await mkdtemp(join(tmpdir(), "names-"));
      const dir = join(root, "data");
      await mkdir(dir);
      const store = open(dir);
      try {
        await store.ready();
        await fc.assert(
          fc.asyncProperty(fc.string({ unit: "binary", maxLength: 40 }), async (path) => {
            const outcome = await refused(() => store.create(path));
            assert.ok(
              outcome === "accepted" || outcome === "invalid-stream-name",
              `${JSON.stringify(path)}: ${outcome}`,
            );
            const entries = await readdir(root);
            assert.deepEqual(
              entries.filter((e) => e !== "data"),
              [],
              "nothing beside the data directory",
            );
          }),
          { numRuns: 200 },
        );
      } finally {
        await store.dispose();
        await rm(root, { recursive: true, force: true });
      }
    });
  });
}
