// Round trips of the mapping rows of spec/v1/view-ai-sdk.md: events → chunks
// → events, and chunks → events → chunks, with what each step must give.

import assert from "node:assert/strict";
import { it } from "node:test";
import { fromUiMessageChunks } from "./from_ui_message_chunks.ts";
import { toUiMessageChunks } from "./to_ui_message_chunks.ts";
import { jsonOf } from "./_view_test_support.ts";

/** The run of every row. */
export const R = "run_1";

/** An event of the run `R`. */
export function ev(type: string, members: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, runId: R, ...members };
}

/** `run.started` of R. */
export const STARTED: Record<string, unknown> = ev("run.started");
/** `run.finished` of R with outcome success. */
export const FINISHED: Record<string, unknown> = ev("run.finished", { outcome: "success" });
/** The `start` chunk of R. */
export const START: Record<string, unknown> = {
  type: "start",
  messageId: R,
  messageMetadata: { runId: R, status: "running" },
};
/** The `finish` chunk of R after success. */
export const FINISH: Record<string, unknown> = {
  type: "finish",
  finishReason: "stop",
  messageMetadata: { runId: R, status: "success" },
};

/** A passed-through event. */
export function passed(event: Record<string, unknown>): Record<string, unknown> {
  return { type: "data-agent-stream", data: event, transient: true };
}

/**
 * A row read from events: `events` map to `chunks`, which map back to
 * `back` (the events themselves unless the row loses something).
 */
export function eventsRow(
  title: string,
  row: { events: unknown[]; chunks: unknown[]; back?: unknown[] },
): void {
  it(title, () => {
    assert.deepEqual(jsonOf(toUiMessageChunks(row.events)), row.chunks, "events → chunks");
    assert.deepEqual(
      jsonOf(fromUiMessageChunks(row.chunks)),
      row.back ?? row.events,
      "chunks → events",
    );
  });
}

/**
 * A row read from chunks: `chunks` map to `events`, which map back to
 * `back` (the chunks themselves unless the row loses something).
 */
export function chunksRow(
  title: string,
  row: { chunks: unknown[]; events: unknown[]; back?: unknown[] },
): void {
  it(title, () => {
    let n = 0;
    const events = fromUiMessageChunks(row.chunks, { generateId: () => `gen_${++n}` });
    assert.deepEqual(jsonOf(events), row.events, "chunks → events");
    assert.deepEqual(jsonOf(toUiMessageChunks(events)), row.back ?? row.chunks, "events → chunks");
  });
}
