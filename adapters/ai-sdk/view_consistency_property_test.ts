// The live view and the stored view agree: for every run of a valid stream,
// what the `ai` package's readUIMessageStream builds from the run's chunks
// equals the run's message in toUiMessages of the projection at the run's
// end, except in the cases the spec lists (view-ai-sdk.md §4.3). Every chunk
// passes the package's own chunk schema.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import process from "node:process";
import fc from "fast-check";
import { readUIMessageStream, uiMessageChunkSchema } from "ai";
import { validEventSequence } from "../../conformance/agent/event_sequences.ts";
import { knownDivergence } from "./_divergence_test_support.ts";
import { jsonOf } from "./_view_test_support.ts";
import { projectConversation } from "../../src/conversation/project_conversation.ts";
import { runMetadata, toUiMessages } from "./to_ui_messages.ts";
import { toUiMessageChunks } from "./to_ui_message_chunks.ts";
import type { UiMessageChunk } from "./ui_message_chunk.ts";

const SEED = Number(process.env.SEED ?? Date.now() % 1_000_000);

// deno-lint-ignore no-explicit-any
const schema = (uiMessageChunkSchema as any)() as {
  validate(value: unknown): Promise<{ success: boolean; error?: Error }>;
};

async function clientMessage(chunks: readonly UiMessageChunk[]): Promise<unknown> {
  for (const chunk of chunks) {
    const result = await schema.validate(jsonOf(chunk));
    assert.ok(result.success, `chunk refused: ${JSON.stringify(chunk)}: ${result.error?.message}`);
  }
  const stream = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(jsonOf(chunk));
      controller.close();
    },
  });
  let last: unknown;
  // deno-lint-ignore no-explicit-any
  for await (const message of readUIMessageStream({ stream: stream as any })) last = message;
  return withoutPartialInput(jsonOf(last));
}

// toUiMessages leaves the partial input of a streaming call to the client (§4.2).
function withoutPartialInput(message: unknown): unknown {
  const m = message as { parts?: Record<string, unknown>[] } | undefined;
  for (const part of m?.parts ?? []) {
    if (part.state === "input-streaming") delete part.input;
  }
  return message;
}

function runEnd(events: readonly { type: string; runId?: string }[], runId: string): number {
  const end = events.findIndex((e) =>
    (e.type === "run.finished" || e.type === "run.error") && e.runId === runId
  );
  return end < 0 ? events.length : end + 1;
}

describe("the stream of a run and toUiMessages", () => {
  it("agree for every run of valid streams", { timeout: 120_000 }, async () => {
    let compared = 0;
    let skipped = 0;
    await fc.assert(
      fc.asyncProperty(validEventSequence({ maxRuns: 3 }), async (events) => {
        const runs = events.filter((e) => e.type === "run.started").map((e) => e.runId!);
        for (const runId of runs) {
          const prefix = events.slice(0, runEnd(events, runId));
          if (knownDivergence(prefix, runId) !== undefined) {
            skipped++;
            continue;
          }
          compared++;
          const actual = await clientMessage(toUiMessageChunks(prefix, { runId }));
          const conversation = projectConversation(prefix);
          const run = conversation.runs.find((r) => r.runId === runId)!;
          const expected = toUiMessages(conversation).find((m) => m.id === runId) ??
            { id: runId, role: "assistant", metadata: runMetadata(run), parts: [] };
          assert.deepEqual(actual, jsonOf(expected));
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
    assert.ok(compared > 2 * skipped, `compared ${compared} runs, skipped ${skipped}`);
  });
});
