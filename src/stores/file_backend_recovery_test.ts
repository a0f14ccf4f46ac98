// Recovery of the file backend: a crash may leave the last change of a file
// half written (cut anywhere, followed by any garbage), a create torn, or a
// step of several files half done. Open has to keep every intact change,
// cut off the rest, and leave files that people can still read.
//
// Replay a failure with FC_SEED=<seed>.

import fc from "fast-check";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, readFile, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { describe, it } from "node:test";
import type { StoredEntry, StoredStream } from "./backend.ts";
import { FileBackend } from "./file_backend.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_NUM_RUNS ?? numRuns),
  ...(seed !== undefined ? { seed } : {}),
});

async function withDirectory<T>(fn: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), "file-recovery-"));
  try {
    return await fn(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const message = fc.oneof(
  fc.json({ maxDepth: 2 }).map((s) => encoder.encode(s)),
  fc.string({ unit: "grapheme" }).map((s) => encoder.encode(s)),
  fc.uint8Array({ maxLength: 12 }),
);

describe("FileBackend recovery", () => {
  it("cuts a torn last change at every byte, keeps the rest, and appends on densely", {
    timeout: 60_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(message, { minLength: 1, maxLength: 3 }),
        fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.boolean(),
        (json, earlier, last, garbage, withProducer) =>
          withDirectory(async (directory) => {
            const texts = last.map((t) => encoder.encode(JSON.stringify({ type: "text", t })));
            const stream: StoredStream = {
              key: 7,
              path: "sessions/torn",
              contentType: json ? "application/json" : "application/octet-stream",
              kind: "json",
              createdAt: 1,
            };
            const units = (d: Uint8Array) => (json ? 1 : d.length);
            const earlierData = json ? earlier : earlier.filter((d) => d.length > 0);
            const before: StoredEntry[] = [];
            let tail = 0;
            for (const data of earlierData) {
              before.push({ offset: tail, data });
              tail += units(data);
            }
            const lastEntries: StoredEntry[] = [];
            let lastTail = tail;
            for (const data of texts) {
              lastEntries.push({ offset: lastTail, data });
              lastTail += units(data);
            }
            const producer = { id: "p", epoch: 1, seq: 4 };
            const backend = new FileBackend(directory);
            await backend.open();
            const file = backend.fileOf(stream.path);
            await backend.commit([{ type: "create", stream, entries: [], tail: 0, closed: false }]);
            await backend.commit([{ type: "append", key: 7, entries: before, tail, close: false }]);
            const intact = (await stat(file)).size;
            await backend.commit([{
              type: "append",
              key: 7,
              entries: lastEntries,
              tail: lastTail,
              close: true,
              ...(withProducer ? { producer } : {}),
            }]);
            await backend.close();
            const whole = await readFile(file);

            for (let cut = intact; cut < whole.length; cut++) {
              // Garbage that happens to restore every cut byte leaves no torn change.
              const removed = whole.subarray(cut);
              if (
                garbage.length >= removed.length &&
                removed.every((byte, i) => garbage[i] === byte)
              ) continue;
              await truncate(file, cut);
              await appendFile(file, garbage);
              const recovered = new FileBackend(directory);
              const [state, ...others] = await recovered.open();
              assert.equal(others.length, 0);
              assert.deepEqual(state, {
                stream,
                tail,
                closed: false,
                deleted: false,
                producers: new Map(),
              }, `cut at ${cut} of ${whole.length}`);
              assert.equal((await stat(file)).size, intact, "the torn change is cut off");
              assert.deepEqual(await recovered.read(7, 0, 100), before);
              await recovered.close();
              await appendFile(file, whole.subarray(intact)); // restore for the next cut
            }

            // After recovery, appends continue densely from the last intact change.
            await truncate(file, intact + 1);
            const recovered = new FileBackend(directory);
            await recovered.open();
            const next = { offset: tail, data: texts[0] };
            const nextTail = tail + units(texts[0]);
            await recovered.commit([{
              type: "append",
              key: 7,
              entries: [next],
              tail: nextTail,
              close: false,
            }]);
            await recovered.close();
            const again = new FileBackend(directory);
            const [state] = await again.open();
            assert.equal(state.tail, nextTail);
            assert.deepEqual(await again.read(7, 0, 100), [...before, next]);
            await again.close();

            // Still one JSON record per line, the message text itself on its line.
            const lines = decoder.decode(await readFile(file)).split("\n");
            assert.equal(lines.pop(), "");
            for (const line of lines) JSON.parse(line);
            if (json) assert.ok(lines.includes(`{"o":${tail},"m":${decoder.decode(texts[0])}}`));
          }),
      ),
      params(15),
    );
  });

  it(
    "forgets a stream whose create was torn, and removes its file",
    { timeout: 60_000 },
    async () => {
      await withDirectory(async (directory) => {
        const stream: StoredStream = {
          key: 3,
          path: "a",
          contentType: "application/json",
          kind: "agent",
          createdAt: 5,
        };
        const backend = new FileBackend(directory);
        await backend.open();
        const entries = [{ offset: 0, data: encoder.encode('{"type":"x"}') }];
        await backend.commit([{ type: "create", stream, entries, tail: 1, closed: true }]);
        await backend.close();
        const file = backend.fileOf("a");
        const whole = await readFile(file);
        for (let cut = 0; cut < whole.length; cut++) {
          await truncate(file, cut);
          const recovered = new FileBackend(directory);
          assert.deepEqual(await recovered.open(), [], `cut at ${cut}`);
          await recovered.close();
          await assert.rejects(stat(file), { code: "ENOENT" });
          await appendFile(file, whole);
        }
        const intact = new FileBackend(directory);
        const [state] = await intact.open();
        assert.deepEqual(state, {
          stream,
          tail: 1,
          closed: true,
          deleted: false,
          producers: new Map(),
        });
        await intact.close();
      });
    },
  );

  it("finishes a drop chain and a fork create that a crash left half done", async () => {
    await withDirectory(async (directory) => {
      const json = { contentType: "application/json", kind: "json" as const, createdAt: 0 };
      const source: StoredStream = { key: 1, path: "source", ...json };
      const fork: StoredStream = { key: 2, path: "fork", ...json, fork: { key: 1, offset: 0 } };
      const backend = new FileBackend(directory);
      await backend.open();
      await backend.commit([
        { type: "create", stream: source, entries: [], tail: 0, closed: false },
        { type: "create", stream: fork, entries: [], tail: 0, closed: false },
        { type: "soft-delete", key: 1 },
      ]);
      await backend.close();
      const sourceFile = await readFile(backend.fileOf("source"));

      // The fork was dropped but the crash came before its soft-deleted source was.
      await rm(backend.fileOf("fork"));
      const first = new FileBackend(directory);
      assert.deepEqual(await first.open(), []);
      await first.close();
      await assert.rejects(stat(backend.fileOf("source")), { code: "ENOENT" });

      // The source's create was torn, the fork's was not.
      await appendFile(backend.fileOf("source"), sourceFile.subarray(0, 20));
      const second = new FileBackend(directory);
      await second.open();
      await second.commit([{ type: "create", stream: fork, entries: [], tail: 0, closed: false }]);
      await second.close();
      const third = new FileBackend(directory);
      assert.deepEqual(await third.open(), []);
      await third.close();
    });
  });

  it("refuses a file that holds another stream than its name says", async () => {
    await withDirectory(async (directory) => {
      const backend = new FileBackend(directory);
      await backend.open();
      const stream: StoredStream = {
        key: 1,
        path: "a",
        contentType: "application/json",
        kind: "json",
        createdAt: 0,
      };
      await backend.commit([{ type: "create", stream, entries: [], tail: 0, closed: false }]);
      await backend.close();
      await appendFile(join(directory, "b.jsonl"), await readFile(backend.fileOf("a")));
      await assert.rejects(new FileBackend(directory).open(), /copied or renamed/);
    });
  });
});
