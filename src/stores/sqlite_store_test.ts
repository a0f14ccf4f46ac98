import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { setImmediate } from "node:timers";
import { storeContract } from "../../test/store_contract/contract.ts";
import type { EventStore } from "./event_store.ts";
import { SqliteStore } from "./sqlite_store.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "agent-stream-sqlite-store-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("SqliteStore", () => {
  test("answers every operation sequence as the log model does, across reopens", async () => {
    let dir: string | undefined;
    await storeContract({
      open: (clock) => {
        dir = mkdtempSync(join(tmpdir(), "agent-stream-sqlite-contract-"));
        return Promise.resolve(new SqliteStore({ path: join(dir, "streams.db"), clock }));
      },
      reopen: async (store, clock) => {
        await store.dispose();
        return new SqliteStore({ path: join(dir!, "streams.db"), clock });
      },
      cleanup: () => {
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
        dir = undefined;
        return Promise.resolve();
      },
    }, { persistent: true, numRuns: 100 });
  });

  test("commits concurrent appends in groups: fewer commits than appends", async () => {
    await withDir(async (dir) => {
      const store = new SqliteStore({ path: join(dir, "streams.db") });
      await store.create("chats/1");
      const before = store.commits;
      const n = 50;
      const results = await Promise.all(
        Array.from(
          { length: n },
          (_, i) => store.append("chats/1", { messages: [encoder.encode(String(i))] }),
        ),
      );
      const commits = store.commits - before;
      console.log(`group commit: ${n} concurrent appends took ${commits} commit(s)`);
      assert.ok(commits < n, `${commits} commits for ${n} appends`);
      assert.deepEqual(
        results.map((r) => r.nextOffset).sort((a, b) => a - b),
        Array.from({ length: n }, (_, i) => i + 1),
        "dense, distinct tails",
      );
      await store.dispose();

      const reopened = new SqliteStore({ path: join(dir, "streams.db") });
      const { messages, nextOffset } = await reopened.read("chats/1");
      assert.equal(nextOffset, n);
      // Appends are serialised in call order, so message i sits at offset i.
      assert.deepEqual(messages.map((m) => decoder.decode(m)), results.map((_, i) => String(i)));
      await reopened.dispose();
    });
  });

  test("groups appends that arrive in separate turns of the event loop", async () => {
    await withDir(async (dir) => {
      const store = new SqliteStore({ path: join(dir, "streams.db") });
      await store.create("chats/1");
      const before = store.commits;
      const n = 50;
      // As requests do: each append starts from its own I/O-like callback.
      await Promise.all(
        Array.from(
          { length: n },
          (_, i) =>
            new Promise((resolve, reject) =>
              setImmediate(() =>
                store.append("chats/1", { messages: [encoder.encode(String(i))] }).then(
                  resolve,
                  reject,
                )
              )
            ),
        ),
      );
      const commits = store.commits - before;
      console.log(`group commit: ${n} appends from separate callbacks took ${commits} commit(s)`);
      assert.ok(commits <= n / 10, `${commits} commits for ${n} appends`);
      assert.equal((await store.head("chats/1")).tail, n);
      await store.dispose();
    });
  });

  test("keeps closure, producers, forks and soft deletes across a reopen", async () => {
    await withDir(async (dir) => {
      const path = join(dir, "streams.db");
      const first: EventStore = new SqliteStore({ path });
      const chunk = encoder.encode("abcdef");
      await first.create("bytes", { contentType: "text/plain", messages: [chunk] });
      await first.create("fork", { fork: { path: "bytes", offset: 4 } });
      await first.append("fork", { messages: [encoder.encode("XY")] });
      await first.delete("bytes");
      await first.create("json");
      const producer = { id: "w", epoch: 2, seq: 0 };
      await first.append("json", { messages: [encoder.encode("1")], producer, close: true });
      await first.dispose();

      const second = new SqliteStore({ path });
      await second.ready();
      await assert.rejects(second.read("bytes"), { slug: "stream-gone" });
      const fork = await second.read("fork", { offset: 2 });
      assert.equal(decoder.decode(concat(fork.messages)), "cdXY");
      const retry = await second.append("json", { messages: [encoder.encode("1")], producer });
      assert.equal(retry.duplicate, true, "the closing producer append is recognised");
      await assert.rejects(
        second.append("json", { messages: [encoder.encode("2")] }),
        { slug: "stream-closed" },
      );
      await second.delete("fork");
      await second.dispose();

      const third = new SqliteStore({ path });
      await assert.rejects(third.head("bytes"), { slug: "stream-not-found" });
      await assert.rejects(third.head("fork"), { slug: "stream-not-found" });
      assert.deepEqual((await third.head("json")).tail, 1);
      await third.dispose();
    });
  });

  test("rejects every operation when the database cannot be opened", async () => {
    await withDir(async (dir) => {
      const store = new SqliteStore({ path: join(dir, "missing", "streams.db") });
      await assert.rejects(store.ready());
      await assert.rejects(store.create("a"));
      await store.dispose();
    });
  });
});

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
