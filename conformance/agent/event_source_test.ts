import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import process from "node:process";
import { StreamClient } from "../../src/client/stream_client.ts";
import { createServer } from "../../src/server/mod.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import {
  describePlace,
  parseEventsText,
  readEventsFile,
  readStreamEvents,
} from "./event_source.ts";

// Events are objects; a file holding one JSON array is a list of events.
const json = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

describe("event sources", () => {
  it("JSON lines and a JSON array of the same values read alike, numbered from 0", () => {
    fc.assert(
      fc.property(fc.array(json, { maxLength: 8 }), (values) => {
        const lines = parseEventsText(values.map((v) => JSON.stringify(v)).join("\n\n") + "\n");
        const array = parseEventsText(JSON.stringify(values));
        const parsed = JSON.parse(JSON.stringify(values));
        assert.deepEqual(lines.map((e) => e.event), parsed);
        assert.deepEqual(array.map((e) => e.event), parsed);
        assert.deepEqual(lines.map((e) => e.index), values.map((_, i) => i));
        // Blank lines are skipped but counted: event i sits on line 2i + 1.
        assert.deepEqual(lines.map((e) => e.line), values.map((_, i) => 2 * i + 1));
      }),
      { seed: Number(process.env.SEED ?? Date.now() % 2 ** 31) },
    );
  });

  it("a line that is not JSON stays in the list with its error", () => {
    const events = parseEventsText('{"type":"run.started","runId":"r1"}\n{"type":\n');
    assert.equal(events.length, 2);
    assert.equal(events[1].line, 2);
    assert.ok(events[1].parseError);
    assert.equal(describePlace(events[1]), "event #1 (line 2)");
  });

  it("a broken JSON array is a clear error", () => {
    assert.throws(() => parseEventsText("[1, 2"), /not a JSON array of events/);
  });

  it("reads a file, and says which file it cannot read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "events-"));
    try {
      const file = join(dir, "events.jsonl");
      await writeFile(file, '{"type":"run.started","runId":"r1"}\n');
      assert.deepEqual((await readEventsFile(file)).map((e) => e.event), [
        { type: "run.started", runId: "r1" },
      ]);
      await assert.rejects(readEventsFile(join(dir, "missing.jsonl")), /cannot read .*missing/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("reads a stream of a server from its start, with offsets", async () => {
    const server = createServer({ store: new MemoryStore() });
    try {
      const client = new StreamClient({ baseUrl: "http://test", fetch: server.fetch });
      await client.create("chats/1", { kind: "agent" });
      const values = [
        { type: "run.started", runId: "r1" },
        { type: "text.delta", runId: "r1", messageId: "m", delta: "hi" },
      ];
      await client.append("chats/1", values);
      const events = await readStreamEvents("http://test", "chats/1", { fetch: server.fetch });
      assert.deepEqual(events.map((e) => e.event), values);
      assert.deepEqual(events.map((e) => e.index), [0, 1]);
      assert.ok(events.every((e) => typeof e.offset === "string"));
      assert.match(describePlace(events[1]), /^event #1 \(offset \S+\)$/);
      await assert.rejects(
        readStreamEvents("http://test", "chats/none", { fetch: server.fetch }),
        /cannot read stream chats\/none/,
      );
    } finally {
      await server.shutdown();
    }
  });
});
