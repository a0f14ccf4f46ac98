import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { HandlePool } from "./_file_handles.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe("HandlePool", () => {
  it("serves many files through few handles, each use on its own file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "file-handles-"));
    try {
      const pool = new HandlePool(2);
      const files = Array.from({ length: 12 }, (_, i) => join(directory, `f${i}`));
      await Promise.all(files.map((file, i) =>
        pool.use(file, "wx+", async (handle) => {
          const text = encoder.encode(`file ${i}`);
          await handle.write(text, 0, text.length, 0);
        })
      ));
      // Interleaved positioned reads while handles are evicted under them.
      const order = [...files.keys(), ...[...files.keys()].reverse()];
      const reads = await Promise.all(order.map((i) =>
        pool.use(files[i], "r+", async (handle) => {
          const buffer = new Uint8Array(16);
          const { bytesRead } = await handle.read(buffer, 0, 16, 0);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          return decoder.decode(buffer.subarray(0, bytesRead));
        })
      ));
      assert.deepEqual(reads, order.map((i) => `file ${i}`));
      await pool.closeAll();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("keeps a forgotten handle open until its last use ends", async () => {
    const directory = await mkdtemp(join(tmpdir(), "file-handles-"));
    try {
      const pool = new HandlePool(4);
      const file = join(directory, "a");
      await pool.use(file, "wx+", async (handle) => {
        await pool.forget(file);
        await handle.write(encoder.encode("still open"), 0, 10, 0);
      });
      assert.equal(await readFile(file, "utf8"), "still open");
      // A failed open is not cached: the next use opens again.
      const missing = join(directory, "missing");
      await assert.rejects(pool.use(missing, "r+", () => Promise.resolve()), { code: "ENOENT" });
      await pool.use(missing, "wx+", () => Promise.resolve());
      await pool.closeAll();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
