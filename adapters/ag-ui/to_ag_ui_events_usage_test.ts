// Rows AGUI-MAP-44 to AGUI-MAP-50 of spec/v1/view-ag-ui.md §2.5: usage
// members as AG-UI usage entries, per provider and model, and back.

import { test } from "node:test";
import assert from "node:assert/strict";
import { assertRow, project } from "./_ag_ui_test_support.ts";
import { fromAgUiEvents } from "./from_ag_ui_events.ts";
import { toAgUiEvents } from "./to_ag_ui_events.ts";

const R1 = { type: "run.started", runId: "r1", threadId: "t1" };
const RUN = "r1";

/** One report of `usage` and the end of the run: the entry it gives, and back. */
function assertUsage(usage: Record<string, unknown>, entry: Record<string, unknown>): void {
  const back = { ...usage };
  delete back.costUsd;
  assertRow({
    prefix: [R1],
    events: [
      { type: "usage.reported", runId: RUN, ...usage },
      { type: "run.finished", runId: RUN, outcome: "success" },
    ],
    agui: [{
      type: "RUN_FINISHED",
      threadId: "t1",
      runId: RUN,
      outcome: { type: "success" },
      usage: [entry],
    }],
    back: [
      { type: "usage.reported", ...back, runId: RUN },
      { type: "run.finished", outcome: "success", runId: RUN },
    ],
  });
}

test("AGUI-MAP-44 promptTokens: inputTokens", () => {
  assertUsage({ promptTokens: 7, totalTokens: 7 }, { inputTokens: 7, totalTokens: 7 });
});

test("AGUI-MAP-45 completionTokens: outputTokens", () => {
  assertUsage({ completionTokens: 3, totalTokens: 3 }, { outputTokens: 3, totalTokens: 3 });
});

test("AGUI-MAP-46 totalTokens: as given, else prompt plus completion", () => {
  assertUsage({ promptTokens: 2, completionTokens: 3, totalTokens: 9 }, {
    inputTokens: 2,
    outputTokens: 3,
    totalTokens: 9,
  });
  assertRow({
    prefix: [R1],
    events: [
      { type: "usage.reported", runId: RUN, promptTokens: 2, completionTokens: 3 },
      { type: "usage.reported", runId: RUN, completionTokens: 1, totalTokens: 4 },
      { type: "run.error", runId: RUN, message: "x" },
    ],
    agui: [{
      type: "RUN_ERROR",
      message: "x",
      usage: [{ inputTokens: 2, outputTokens: 4, totalTokens: 9 }],
    }],
    back: [
      { type: "usage.reported", promptTokens: 2, completionTokens: 4, totalTokens: 9, runId: RUN },
      { type: "run.error", message: "x", runId: RUN },
    ],
  });
});

test("AGUI-MAP-47 reasoningTokens: reasoningTokens", () => {
  assertUsage({ reasoningTokens: 5 }, { reasoningTokens: 5 });
});

test("AGUI-MAP-48 cachedPromptTokens: cachedInputTokens", () => {
  assertUsage({ cachedPromptTokens: 6 }, { cachedInputTokens: 6 });
});

test("AGUI-MAP-49 model and provider: one entry per pair, in order of first appearance", () => {
  assertRow({
    prefix: [R1],
    events: [
      { type: "usage.reported", runId: RUN, totalTokens: 1, model: "b", provider: "p" },
      { type: "usage.reported", runId: RUN, totalTokens: 2, model: "a" },
      { type: "usage.reported", runId: RUN, totalTokens: 4, model: "b", provider: "p" },
      { type: "run.finished", runId: RUN, outcome: "success" },
    ],
    agui: [{
      type: "RUN_FINISHED",
      threadId: "t1",
      runId: RUN,
      outcome: { type: "success" },
      usage: [
        { provider: "p", model: "b", totalTokens: 5 },
        { model: "a", totalTokens: 2 },
      ],
    }],
    back: [
      { type: "usage.reported", totalTokens: 5, model: "b", provider: "p", runId: RUN },
      { type: "usage.reported", totalTokens: 2, model: "a", runId: RUN },
      { type: "run.finished", outcome: "success", runId: RUN },
    ],
  });
});

test("AGUI-MAP-50 costUsd: not written; the token totals survive the round trip", () => {
  assertUsage({ promptTokens: 1, totalTokens: 1, costUsd: 0.25 }, {
    inputTokens: 1,
    totalTokens: 1,
  });
  const stream = [
    { type: "usage.reported", promptTokens: 1, completionTokens: 1, costUsd: 0.5 },
    R1,
    { type: "usage.reported", runId: RUN, promptTokens: 2 },
    { type: "run.finished", runId: RUN, outcome: "success", usage: { promptTokens: 2 } },
  ];
  const back = project([...fromAgUiEvents(JSON.parse(JSON.stringify([...toAgUiEvents(stream)])))]);
  assert.deepEqual(back.usage, { ...project(stream).usage, costUsd: 0 });
});
