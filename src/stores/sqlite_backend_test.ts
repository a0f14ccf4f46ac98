import fc from "fast-check";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";
import { describe, test } from "node:test";
import type { Change, StoredEntry, StoredProducer, StoredStreamState } from "./backend.ts";
import { READ_ENTRIES, SCHEMA_VERSION } from "./_sqlite_schema.ts";
import { SqliteBackend } from "./sqlite_backend.ts";

const BYTES = "application/octet-stream";
const JSON_TYPE = "application/json";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "agent-stream-sqlite-"));
}

async function withDatabase(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    await fn(join(dir, "streams.db"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ the model

interface ModelStream {
  state: StoredStreamState & {
    tail: number;
    closed: boolean;
    deleted: boolean;
    producers: Map<string, StoredProducer>;
  };
  entries: StoredEntry[];
  bytes: boolean;
}

/** Raw choices; `interpret` turns them into changes that make sense for the model's streams. */
type Op =
  | {
    readonly t: "create";
    readonly bytes: boolean;
    readonly fork: number | null;
    readonly at: number;
    readonly chunks: Uint8Array[];
    readonly closed: boolean;
    readonly lifetime: { ttlSeconds: number } | { expiresAt: number } | null;
  }
  | {
    readonly t: "append";
    readonly pick: number;
    readonly chunks: Uint8Array[];
    readonly close: boolean;
    readonly producer: { id: string; epoch: number; seq: number } | null;
    readonly streamSeq: string | null;
  }
  | { readonly t: "soft-delete" | "drop"; readonly pick: number };

const chunk = fc.uint8Array({ minLength: 1, maxLength: 12 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant("create" as const),
      bytes: fc.boolean(),
      fork: fc.option(fc.nat(), { nil: null }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      chunks: fc.array(chunk, { maxLength: 4 }),
      closed: fc.boolean(),
      lifetime: fc.option(
        fc.oneof(
          fc.record({ ttlSeconds: fc.nat() }),
          fc.record({ expiresAt: fc.double({ min: 0, max: 2e12, noNaN: true }) }),
        ),
        { nil: null },
      ),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("append" as const),
      pick: fc.nat(),
      chunks: fc.array(chunk, { maxLength: 6 }),
      close: fc.boolean(),
      producer: fc.option(
        fc.record({ id: fc.constantFrom("p", "q", "ü"), epoch: fc.nat(3), seq: fc.nat(9) }),
        { nil: null },
      ),
      streamSeq: fc.option(fc.string({ maxLength: 4 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constantFrom("soft-delete", "drop"), pick: fc.nat() }),
  },
);

function pickStream(model: Map<number, ModelStream>, pick: number): ModelStream | undefined {
  const streams = [...model.values()];
  return streams.length === 0 ? undefined : streams[pick % streams.length];
}

function tailOf(entries: StoredEntry[], contentType: string): number {
  const last = entries.at(-1);
  if (!last) return 0;
  return last.offset + (contentType === JSON_TYPE ? 1 : last.data.length);
}

function toEntries(chunks: Uint8Array[], from: number, bytes: boolean): StoredEntry[] {
  let offset = from;
  return chunks.map((data) => {
    const entry = { offset, data };
    offset += bytes ? data.length : 1;
    return entry;
  });
}

/** Applies an op to the model and returns the change that does the same, if any. */
function interpret(model: Map<number, ModelStream>, op: Op, key: () => number): Change | undefined {
  switch (op.t) {
    case "create": {
      const source = op.fork === null ? undefined : pickStream(model, op.fork);
      const bytes = source ? source.bytes : op.bytes;
      const forkOffset = source ? Math.floor(op.at * source.state.tail) : 0;
      const stream = {
        key: key(),
        path: `s/${model.size}`,
        contentType: bytes ? BYTES : JSON_TYPE,
        kind: "json" as const,
        ...op.lifetime,
        ...(source ? { fork: { key: source.state.stream.key, offset: forkOffset } } : {}),
        createdAt: 1_700_000_000_000 + model.size + 0.25,
      };
      const entries = toEntries(op.chunks, forkOffset, bytes);
      const last = entries.at(-1);
      model.set(stream.key, {
        state: {
          stream,
          tail: last ? last.offset + (bytes ? last.data.length : 1) : forkOffset,
          closed: op.closed,
          deleted: false,
          producers: new Map(),
        },
        entries: [...entries],
        bytes,
      });
      return {
        type: "create",
        stream,
        entries,
        tail: model.get(stream.key)!.state.tail,
        closed: op.closed,
      };
    }
    case "append": {
      const s = pickStream(model, op.pick);
      if (!s) return undefined;
      const entries = toEntries(op.chunks, s.state.tail, s.bytes);
      const last = entries.at(-1);
      const tail = last ? last.offset + (s.bytes ? last.data.length : 1) : s.state.tail;
      s.entries.push(...entries);
      const closedBy = op.close && op.producer ? { closedBy: { ...op.producer } } : {};
      s.state = {
        ...s.state,
        ...closedBy,
        tail,
        closed: s.state.closed || op.close,
        ...(op.streamSeq !== null ? { lastStreamSeq: op.streamSeq } : {}),
      };
      if (op.producer) {
        s.state.producers.set(op.producer.id, { epoch: op.producer.epoch, seq: op.producer.seq });
      }
      return {
        type: "append",
        key: s.state.stream.key,
        entries,
        tail,
        close: op.close,
        ...(op.producer ? { producer: op.producer } : {}),
        ...(op.streamSeq !== null ? { streamSeq: op.streamSeq } : {}),
      };
    }
    case "soft-delete": {
      const s = pickStream(model, op.pick);
      if (!s) return undefined;
      s.state = { ...s.state, deleted: true };
      return { type: "soft-delete", key: s.state.stream.key };
    }
    case "drop": {
      const s = pickStream(model, op.pick);
      if (!s) return undefined;
      model.delete(s.state.stream.key);
      return { type: "drop", key: s.state.stream.key };
    }
  }
}

function expectedRead(s: ModelStream, offset: number, maxEntries: number): StoredEntry[] {
  const end = (e: StoredEntry) => e.offset + (s.bytes ? e.data.length : 1);
  return s.entries.filter((e) => end(e) > offset).slice(0, maxEntries);
}

async function checkReads(
  backend: SqliteBackend,
  model: Map<number, ModelStream>,
  probes: readonly { at: number; max: number }[],
): Promise<void> {
  for (const s of model.values()) {
    for (const { at, max } of probes) {
      const offset = Math.floor(at * (s.state.tail + 1));
      const actual = await backend.read(s.state.stream.key, offset, max);
      assert.deepEqual(actual, expectedRead(s, offset, max), `read ${offset} max ${max}`);
    }
  }
}

// ------------------------------------------------------------------ the tests

describe("SqliteBackend", () => {
  test("gives back on open exactly what random groups of changes committed", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
            max: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(1000)),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (groups, probes) =>
          withDatabase(async (file) => {
            const model = new Map<number, ModelStream>();
            let nextKey = 1;
            const backend = new SqliteBackend(file);
            assert.deepEqual(await backend.open(), []);
            let commits = 0;
            for (const ops of groups) {
              const changes = ops.flatMap((op) => interpret(model, op, () => nextKey++) ?? []);
              await backend.commit(changes);
              if (changes.length > 0) commits++;
            }
            assert.equal(backend.commits, commits, "one transaction per non-empty group");
            await checkReads(backend, model, probes);
            await backend.close();

            const fresh = new SqliteBackend(file);
            const states = await fresh.open();
            assert.deepEqual(states, [...model.values()].map((s) => s.state));
            await checkReads(fresh, model, probes);
            await fresh.close();
          }),
      ),
      { seed, numRuns: Number(process.env.FC_NUM_RUNS ?? 40) },
    );
  });

  test("reads a byte stream from inside a chunk, and from its end", async () => {
    await withDatabase(async (file) => {
      const backend = new SqliteBackend(file);
      await backend.open();
      const stream = {
        key: 7,
        path: "b",
        contentType: BYTES,
        kind: "json" as const,
        createdAt: 0,
      };
      const entries = toEntries([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])], 0, true);
      await backend.commit([{
        type: "create",
        stream,
        entries,
        tail: tailOf(entries, stream.contentType),
        closed: false,
      }]);
      assert.deepEqual(await backend.read(7, 0, 10), entries);
      assert.deepEqual(await backend.read(7, 2, 10), entries);
      assert.deepEqual(await backend.read(7, 3, 10), entries.slice(1));
      assert.deepEqual(await backend.read(7, 4, 1), entries.slice(1));
      assert.deepEqual(await backend.read(7, 2, 1), entries.slice(0, 1));
      assert.deepEqual(await backend.read(7, 5, 10), []);
      assert.deepEqual(await backend.read(8, 0, 10), [], "an unknown key has no entries");
      await backend.close();
    });
  });

  test("makes a failed group wholly absent, and counts no commit for it", async () => {
    await withDatabase(async (file) => {
      const backend = new SqliteBackend(file);
      await backend.open();
      const stream = {
        key: 1,
        path: "a",
        contentType: JSON_TYPE,
        kind: "json" as const,
        createdAt: 0,
      };
      const data = new TextEncoder().encode("1");
      await assert.rejects(backend.commit([
        { type: "create", stream, entries: [{ offset: 0, data }], tail: 1, closed: false },
        { type: "append", key: 2, entries: [], tail: 0, close: true },
      ]));
      await assert.rejects(backend.commit([
        { type: "create", stream, entries: [], tail: 0, closed: false },
        { type: "create", stream, entries: [], tail: 0, closed: false },
      ]));
      assert.equal(backend.commits, 0);
      assert.deepEqual(await backend.read(1, 0, 10), []);
      await backend.commit([{
        type: "create",
        stream,
        entries: [{ offset: 0, data }],
        tail: 1,
        closed: false,
      }]);
      assert.equal(backend.commits, 1);
      await backend.close();
      const fresh = new SqliteBackend(file);
      assert.deepEqual((await fresh.open()).map((s) => s.tail), [1]);
      await fresh.close();
    });
  });

  test("shares one transaction among commit calls of one turn, and closes after them", async () => {
    await withDatabase(async (file) => {
      const backend = new SqliteBackend(file);
      await backend.open();
      const stream = (key: number) => ({
        key,
        path: `s/${key}`,
        contentType: JSON_TYPE,
        kind: "json" as const,
        createdAt: 0,
      });
      const calls = [1, 2, 3].map((key) =>
        backend.commit([{
          type: "create",
          stream: stream(key),
          entries: [],
          tail: 0,
          closed: false,
        }])
      );
      await backend.close();
      await Promise.all(calls);
      assert.equal(backend.commits, 1);
      const fresh = new SqliteBackend(file);
      assert.deepEqual((await fresh.open()).map((s) => s.stream.key), [1, 2, 3]);
      await assert.rejects(
        Promise.all([
          fresh.commit([{
            type: "create",
            stream: stream(4),
            entries: [],
            tail: 0,
            closed: false,
          }]),
          fresh.commit([{
            type: "create",
            stream: stream(1),
            entries: [],
            tail: 0,
            closed: false,
          }]),
        ]),
        /UNIQUE/,
      );
      assert.deepEqual(
        (await fresh.open()).map((s) => s.stream.key),
        [1, 2, 3],
        "none of a failed transaction",
      );
      await fresh.close();
    });
  });

  test("reopens after close, on the same instance", async () => {
    await withDatabase(async (file) => {
      const backend = new SqliteBackend(file);
      await backend.open();
      const stream = {
        key: 1,
        path: "a",
        contentType: JSON_TYPE,
        kind: "json" as const,
        createdAt: 0,
      };
      await backend.commit([{ type: "create", stream, entries: [], tail: 0, closed: false }]);
      await backend.close();
      await backend.close();
      await assert.rejects(backend.read(1, 0, 1), /not open/);
      await assert.rejects(backend.commit([]), /not open/);
      assert.equal((await backend.open()).length, 1);
      await backend.close();
    });
  });

  test("stamps the schema version, runs in WAL mode, and refuses a newer schema", async () => {
    await withDatabase(async (file) => {
      const backend = new SqliteBackend(file);
      await backend.open();
      await backend.close();
      const db = new DatabaseSync(file);
      assert.equal(db.prepare("PRAGMA user_version").get()?.user_version, SCHEMA_VERSION);
      assert.equal(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      await assert.rejects(new SqliteBackend(file).open(), /schema version/);
    });
  });

  test("reads from any offset through the primary key, never a scan", async () => {
    await withDatabase(async (file) => {
      const backend = new SqliteBackend(file);
      await backend.open();
      const stream = {
        key: 1,
        path: "a",
        contentType: JSON_TYPE,
        kind: "json" as const,
        createdAt: 0,
      };
      const data = new TextEncoder().encode("{}");
      const entries = Array.from({ length: 2000 }, (_, offset) => ({ offset, data }));
      await backend.commit([{
        type: "create",
        stream,
        entries,
        tail: tailOf(entries, stream.contentType),
        closed: false,
      }]);
      await backend.close();
      const db = new DatabaseSync(file);
      try {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${READ_ENTRIES}`).all(1, 1500, 10)
          .map((row) => String(row.detail));
        const searches = plan.filter((line) => line.includes("entries"));
        assert.equal(searches.length, 2, plan.join("\n"));
        for (const line of searches) {
          assert.match(
            line,
            /^SEARCH entries USING PRIMARY KEY \(stream_key=\? AND offset[<>]\?\)$/,
          );
        }
        assert.ok(!plan.some((line) => /SCAN|TEMP B-TREE/.test(line)), plan.join("\n"));
      } finally {
        db.close();
      }
    });
  });
});
