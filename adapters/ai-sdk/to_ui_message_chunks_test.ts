// The mapper over streams that are not valid: values that are not events,
// and sequences that break one lifecycle rule. It never throws, and what it
// sends is a stream the `ai` package's client takes without an error.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import process from "node:process";
import fc from "fast-check";
import { readUIMessageStream, uiMessageChunkSchema } from "ai";
import {
  BROKEN_EVENT_REQUIREMENTS,
  brokenEventSequence,
  validEventSequence,
} from "../../conformance/agent/event_sequences.ts";
import { UiMessageChunkMapper } from "./to_ui_message_chunks.ts";
import type { UiMessageChunk } from "./ui_message_chunk.ts";
import { jsonOf } from "./_view_test_support.ts";

const SEED = Number(process.env.SEED ?? Date.now() % 1_000_000);

// deno-lint-ignore no-explicit-any
const schema = (uiMessageChunkSchema as any)() as {
  validate(value: unknown): Promise<{ success: boolean; error?: Error }>;
};

/** The chunks of each run, as a client receives them. */
function runs(values: readonly unknown[]): Map<string, UiMessageChunk[]> {
  const mapper = new UiMessageChunkMapper();
  const byRun = new Map<string, UiMessageChunk[]>();
  for (const value of values) {
    const mapped = mapper.push(value);
    if (mapped === undefined) continue;
    const chunks = byRun.get(mapped.runId) ?? [];
    chunks.push(...(jsonOf(mapped.chunks) as UiMessageChunk[]));
    byRun.set(mapped.runId, chunks);
  }
  return byRun;
}

async function clientTakes(chunks: readonly UiMessageChunk[]): Promise<void> {
  for (const chunk of chunks) {
    const result = await schema.validate(chunk);
    assert.ok(result.success, `refused: ${JSON.stringify(chunk)}: ${result.error?.message}`);
  }
  const errors: unknown[] = [];
  const stream = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const messages = readUIMessageStream({
    // deno-lint-ignore no-explicit-any
    stream: stream as any,
    onError: (e) => errors.push(e),
  });
  for await (const _ of messages) {
    // Each snapshot of the message; only errors matter here.
  }
  const real = errors.filter((e) =>
    !(e instanceof Error && chunks.some((c) => c.type === "error" && c.errorText === e.message))
  );
  assert.deepEqual(real.map(String), []);
}

describe("UiMessageChunkMapper over streams that break the rules", () => {
  it("skips values that are not events, without failing", async () => {
    const values = [
      null,
      "text",
      42,
      [],
      { type: "run.started" },
      { type: "run.started", runId: "" },
      { type: "text.delta", runId: "r1", messageId: "m" },
      { type: "run.started", runId: "r1", threadId: 5 },
      { type: "run.started", runId: "r1" },
      { type: "text.delta", runId: "r1", messageId: "nope", delta: "x" },
      { type: "tool.end", runId: "r1", toolCallId: "nope" },
      { type: "tool.result", runId: "r1", toolCallId: "nope", output: 1 },
      { type: "run.finished", runId: "r1", outcome: "success" },
    ];
    assert.deepEqual([...runs(values)].map(([id, chunks]) => [id, chunks.map((c) => c.type)]), [
      ["r1", ["start", "finish"]],
    ]);
    await clientTakes(runs(values).get("r1")!);
  });

  it("never throws for any values, and sends only what the client takes", async () => {
    const anything = fc.array(fc.oneof(fc.anything(), fc.jsonValue()), { maxLength: 30 });
    const mixed = fc.tuple(
      validEventSequence({ maxRuns: 2 }),
      fc.array(fc.anything(), { maxLength: 5 }),
      fc.nat(),
    )
      .map(([events, junk, at]) => {
        const i = at % (events.length + 1);
        return [...events.slice(0, i), ...junk, ...events.slice(i)];
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, mixed), async (values) => {
        for (const chunks of runs(values).values()) await clientTakes(chunks);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  for (const requirement of BROKEN_EVENT_REQUIREMENTS) {
    it(`sends a stream the client takes when a sequence breaks ${requirement}`, async () => {
      await fc.assert(
        fc.asyncProperty(brokenEventSequence(requirement, { maxRuns: 2 }), async (events) => {
          for (const chunks of runs(events).values()) await clientTakes(chunks);
        }),
        { seed: SEED, numRuns: 15 },
      );
    });
  }
});
