import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { storeContract } from "../../test/store_contract/contract.ts";
import type { EventStore } from "./event_store.ts";
import { FileStore } from "./file_store.ts";

const encoder = new TextEncoder();

describe("FileStore", () => {
  it("answers every operation sequence exactly as the log model does, across reopens", {
    timeout: 60_000,
  }, async () => {
    let directory: string | undefined;
    await storeContract({
      open: async (clock) => {
        directory = await mkdtemp(join(tmpdir(), "file-store-"));
        const store = new FileStore({ directory, clock });
        await store.ready();
        return store;
      },
      reopen: async (store: EventStore, clock) => {
        await store.dispose();
        const reopened = new FileStore({ directory: directory!, clock });
        await reopened.ready();
        return reopened;
      },
      cleanup: async () => {
        if (directory) await rm(directory, { recursive: true, force: true });
      },
    }, { persistent: true, numRuns: 100 });
  });

  it("writes each message verbatim on its own line, grep- and tail -f-friendly", async () => {
    const directory = await mkdtemp(join(tmpdir(), "file-store-"));
    try {
      const store = new FileStore({ directory });
      const messages = [
        '{"type":"text.delta","delta":"Hello, wörld 👋"}',
        '{"n":12345678901234567890123,"x":1.50}',
        '[1,"two",{"three":null}]',
      ];
      await store.create("sessions/Alpha 1", { kind: "json" });
      await store.append("sessions/Alpha 1", { messages: messages.map((m) => encoder.encode(m)) });
      await store.append("sessions/Alpha 1", { messages: [encoder.encode('"last"')], close: true });
      const file = store.fileOf("sessions/Alpha 1");
      await store.dispose();

      assert.deepEqual(await readdir(directory), ["sessions%2f+alpha%201.jsonl"]);
      const lines = (await readFile(file, "utf8")).split("\n");
      assert.equal(lines.pop(), "", "the file ends with a newline");
      for (const line of lines) JSON.parse(line);
      for (const [i, m] of [...messages, '"last"'].entries()) {
        assert.equal(lines.filter((l) => l.includes(m)).length, 1, m);
        assert.ok(lines.includes(`{"o":${i},"m":${m}}`), m);
      }
      assert.deepEqual(JSON.parse(lines[0]).path, "sessions/Alpha 1");
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("commits concurrent appends in groups: fewer syncs than appends, all durable", async () => {
    const directory = await mkdtemp(join(tmpdir(), "file-store-"));
    try {
      const store = new FileStore({ directory });
      await store.create("group");
      const before = store.commits;
      const n = 50;
      const results = await Promise.all(
        Array.from(
          { length: n },
          (_, i) => store.append("group", { messages: [encoder.encode(String(i))] }),
        ),
      );
      const commits = store.commits - before;
      assert.ok(commits < n, `${commits} commits for ${n} appends`);
      assert.deepEqual(
        results.map((r) => r.nextOffset).sort((a, b) => a - b),
        Array.from({ length: n }, (_, i) => i + 1),
      );
      await store.dispose();
      const reopened = new FileStore({ directory });
      const { messages } = await reopened.read("group");
      assert.equal(messages.length, n);
      await reopened.dispose();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
