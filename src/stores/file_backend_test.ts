// The file backend against the Backend contract: what is committed comes
// back from a fresh open exactly, and reads seek to the right entries.
// Recovery from crashes is tested in file_backend_recovery_test.ts.
//
// Replay a failure with FC_SEED=<seed> (and FC_PATH=<path>).

import fc from "fast-check";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { describe, it } from "node:test";
import type { Change, StoredEntry, StoredStream, StoredStreamState } from "./backend.ts";
import { FileBackend } from "./file_backend.ts";

const encoder = new TextEncoder();
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const fcPath = process.env.FC_PATH;
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_NUM_RUNS ?? numRuns),
  ...(seed !== undefined ? { seed } : {}),
  ...(fcPath ? { path: fcPath } : {}),
});

async function withDirectory<T>(fn: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), "file-backend-"));
  try {
    return await fn(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the model

interface ModelStream {
  stream: StoredStream;
  json: boolean;
  entries: StoredEntry[];
  tail: number;
  closed: boolean;
  closedBy?: { id: string; epoch: number; seq: number };
  deleted: boolean;
  producers: Map<string, { epoch: number; seq: number }>;
  lastStreamSeq?: string;
}

type Cmd =
  | {
    t: "create";
    json: boolean;
    path: number;
    fork: number | null;
    forkAt: number;
    messages: Uint8Array[];
    closed: boolean;
  }
  | {
    t: "append";
    pick: number;
    messages: Uint8Array[];
    close: boolean;
    producer: { id: string; epoch: number; seq: number } | null;
    streamSeq: string | null;
  }
  | { t: "delete"; pick: number }
  | { t: "commit" };

const jsonMessage = fc.oneof(
  { weight: 6, arbitrary: fc.json({ maxDepth: 2 }).map((s) => encoder.encode(s)) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme" }).map((s) => encoder.encode(s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("{\n}", '"\r"', " 1\t", "\ufeff1", "").map((s) => encoder.encode(s)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
);
const chunk = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 24 }),
  fc.string({ unit: "grapheme", minLength: 1 }).map((s) => encoder.encode(s)),
);

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("create" as const),
      json: fc.boolean(),
      path: fc.nat(5),
      fork: fc.option(fc.nat()),
      forkAt: fc.nat(),
      messages: fc.array(jsonMessage, { maxLength: 4 }),
      closed: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant("append" as const),
      pick: fc.nat(),
      messages: fc.array(jsonMessage, { maxLength: 5 }),
      close: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      producer: fc.option(fc.record({
        id: fc.constantFrom("p", "q", "wörker/1"),
        epoch: fc.nat(3),
        seq: fc.nat(50),
      })),
      streamSeq: fc.option(fc.string({ maxLength: 6 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("delete" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ t: "commit" as const }) },
);

/** Turns commands into commit groups that obey the log rules, and the streams they leave. */
function interpret(cmds: Cmd[], chunks: Uint8Array[][]): {
  groups: Change[][];
  streams: Map<number, ModelStream>;
} {
  const streams = new Map<number, ModelStream>();
  const groups: Change[][] = [];
  let group: Change[] = [];
  let nextKey = 1;
  const live = () => [...streams.values()].filter((s) => !s.deleted);
  const forksOf = (key: number) => [...streams.values()].filter((s) => s.stream.fork?.key === key);
  const toEntries = (s: { json: boolean }, messages: Uint8Array[], at: number, i: number) => {
    const data = s.json ? messages : (chunks[i % chunks.length] ?? []);
    let offset = at;
    return data.map((d) => {
      const e = { offset, data: d };
      offset += s.json ? 1 : d.length;
      return e;
    });
  };
  const drop = (s: ModelStream) => {
    group.push({ type: "drop", key: s.stream.key });
    streams.delete(s.stream.key);
    const source = s.stream.fork && streams.get(s.stream.fork.key);
    if (source && source.deleted && forksOf(source.stream.key).length === 0) drop(source);
  };
  cmds.forEach((c, i) => {
    switch (c.t) {
      case "create": {
        const sources = live();
        const source = c.fork !== null && sources.length > 0
          ? sources[c.fork % sources.length]
          : undefined;
        const paths = new Set([...streams.values()].map((s) => s.stream.path));
        const wanted = `chats/${c.path}`;
        const key = nextKey++;
        const json = source ? source.json : c.json;
        const base = source ? c.forkAt % (source.tail + 1) : 0;
        const stream: StoredStream = {
          key,
          path: paths.has(wanted) ? `s/${key}` : wanted,
          contentType: json ? "application/json" : "text/plain",
          kind: "json",
          createdAt: 1_700_000_000_000 + i,
          ...(i % 3 === 0 ? { ttlSeconds: 60 } : {}),
          ...(source ? { fork: { key: source.stream.key, offset: base } } : {}),
        };
        const entries = toEntries({ json }, c.messages, base, i);
        const last = entries.at(-1);
        const tail = last ? last.offset + (json ? 1 : last.data.length) : base;
        streams.set(key, {
          stream,
          json,
          entries: [...entries],
          tail,
          closed: c.closed,
          deleted: false,
          producers: new Map(),
        });
        group.push({ type: "create", stream, entries, tail, closed: c.closed });
        break;
      }
      case "append": {
        const open = live().filter((s) => !s.closed);
        if (open.length === 0) break;
        const s = open[c.pick % open.length];
        const entries = toEntries(s, c.messages, s.tail, i);
        if (entries.length === 0 && !c.close) break;
        const last = entries.at(-1);
        if (last) s.tail = last.offset + (s.json ? 1 : last.data.length);
        s.entries.push(...entries);
        if (c.close) {
          s.closed = true;
          if (c.producer) s.closedBy = { ...c.producer };
        }
        if (c.producer) {
          s.producers.set(c.producer.id, { epoch: c.producer.epoch, seq: c.producer.seq });
        }
        if (c.streamSeq !== null) s.lastStreamSeq = c.streamSeq;
        group.push({
          type: "append",
          key: s.stream.key,
          entries,
          tail: s.tail,
          close: c.close,
          ...(c.producer ? { producer: c.producer } : {}),
          ...(c.streamSeq !== null ? { streamSeq: c.streamSeq } : {}),
        });
        break;
      }
      case "delete": {
        const candidates = live();
        if (candidates.length === 0) break;
        const s = candidates[c.pick % candidates.length];
        if (forksOf(s.stream.key).length > 0) {
          s.deleted = true;
          group.push({ type: "soft-delete", key: s.stream.key });
        } else {
          drop(s);
        }
        break;
      }
      case "commit":
        if (group.length > 0) groups.push(group);
        group = [];
        break;
    }
  });
  if (group.length > 0) groups.push(group);
  return { groups, streams };
}

function expectedState(s: ModelStream): StoredStreamState {
  return {
    stream: s.stream,
    tail: s.tail,
    closed: s.closed,
    ...(s.closedBy ? { closedBy: s.closedBy } : {}),
    deleted: s.deleted,
    producers: s.producers,
    ...(s.lastStreamSeq !== undefined ? { lastStreamSeq: s.lastStreamSeq } : {}),
  };
}

function expectedRead(s: ModelStream, offset: number, max: number): StoredEntry[] {
  const first = s.entries.findIndex((e) => e.offset + (s.json ? 1 : e.data.length) > offset);
  return first < 0 ? [] : s.entries.slice(first, first + max);
}

const byKey = (a: StoredStreamState, b: StoredStreamState) => a.stream.key - b.stream.key;

async function checkReads(
  backend: FileBackend,
  streams: Map<number, ModelStream>,
  reads: { pick: number; at: number; max: number }[],
): Promise<void> {
  const all = [...streams.values()];
  if (all.length === 0) return;
  for (const { pick, at, max } of reads) {
    const s = all[pick % all.length];
    const base = s.stream.fork?.offset ?? 0;
    const offset = base + at % (s.tail - base + 1);
    const actual = await backend.read(s.stream.key, offset, max);
    assert.deepEqual(
      actual,
      expectedRead(s, offset, max),
      `read ${s.stream.key} @${offset} ×${max}`,
    );
  }
  // Every stream, from its start, in one read.
  for (const s of all) {
    const base = s.stream.fork?.offset ?? 0;
    assert.deepEqual(await backend.read(s.stream.key, base, 1000), s.entries);
  }
}

// ---------------------------------------------------------------- the tests

describe("FileBackend", () => {
  it(
    "gives back exactly what was committed, on a fresh open and on reads",
    { timeout: 60_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(cmd, { minLength: 1, maxLength: 40 }),
          fc.array(fc.array(chunk, { maxLength: 4 }), { minLength: 1, maxLength: 5 }),
          fc.array(
            fc.record({ pick: fc.nat(), at: fc.nat(), max: fc.integer({ min: 1, max: 6 }) }),
            {
              maxLength: 20,
            },
          ),
          (cmds, chunks, reads) =>
            withDirectory(async (directory) => {
              const { groups, streams } = interpret(cmds, chunks);
              const backend = new FileBackend(directory);
              assert.deepEqual(await backend.open(), []);
              for (const group of groups) await backend.commit(group);
              await checkReads(backend, streams, reads);
              await backend.close();

              const reopened = new FileBackend(directory);
              const states = (await reopened.open()).sort(byKey);
              assert.deepEqual(states, [...streams.values()].map(expectedState).sort(byKey));
              await checkReads(reopened, streams, reads);
              await reopened.close();
            }),
        ),
        params(100),
      );
    },
  );

  it("replays and reads lines longer than its read chunks and spans", async () => {
    await withDirectory(async (directory) => {
      const stream: StoredStream = {
        key: 1,
        path: "big",
        contentType: "application/json",
        kind: "json",
        createdAt: 0,
      };
      const sizes = [10, 1_500_000, 3, 2_700_000, 5_000_000, 7];
      const entries = sizes.map((n, offset) => ({
        offset,
        data: encoder.encode(JSON.stringify("x".repeat(n))),
      }));
      const backend = new FileBackend(directory);
      await backend.open();
      await backend.commit([{ type: "create", stream, entries: [], tail: 0, closed: false }]);
      await backend.commit([{ type: "append", key: 1, entries, tail: sizes.length, close: false }]);
      await backend.close();
      const reopened = new FileBackend(directory);
      const [state] = await reopened.open();
      assert.equal(state.tail, sizes.length);
      const read: StoredEntry[] = [];
      while (read.length < sizes.length) {
        const page = await reopened.read(1, read.length, 1000);
        assert.ok(page.length > 0 && page.length < sizes.length, "a read stops at its span");
        read.push(...page);
      }
      assert.deepEqual(read, entries);
      await reopened.close();
    });
  });
});
