// projection.md §1 and §2: the initial value, the fold, what it skips, and
// delivery in batches and resumed folds.

import fc from "fast-check";
import type { Check } from "../../check.ts";
import { type ConsumerCheckContext, defineConsumerCheck } from "../consumer_context.ts";
import { BROKEN_EVENT_REQUIREMENTS, brokenEventSequence } from "../event_sequences.ts";
import { expectProjection } from "./_compare.ts";
import { withNoise } from "./_noise.ts";
import { projectionCheck } from "./_projection_check.ts";
import { anySequence, sequencesOf } from "./_sequences.ts";

/** Batch sizes, all positive, adding up to `n`, from cut points. */
function batchSizes(n: number, cuts: readonly number[]): number[] {
  if (n === 0) return [];
  const points = [...new Set(cuts.map((c) => 1 + (c % n)).filter((c) => c < n))].sort((a, b) =>
    a - b
  );
  const edges = [0, ...points, n];
  return edges.slice(1).map((edge, i) => edge - edges[i]);
}

function deliveryCheck(
  id: string,
  title: string,
  requirement: "PROJ-FOLD-4" | "PROJ-FOLD-5",
  feature: "batches" | "resume",
): Check<ConsumerCheckContext> {
  return defineConsumerCheck({
    id,
    title,
    section: "projection.md §1.2",
    requirements: [requirement],
    features: [feature],
    async run(t) {
      await t.property(
        fc.tuple(anySequence(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 })),
        ([events, cuts], run) =>
          expectProjection(run, events, [requirement], {
            batches: batchSizes(events.length, cuts),
            ...(feature === "resume" ? { resume: true } : {}),
          }),
      );
    },
  });
}

/** Checks of projection.md §1 and §2. */
export const foldChecks: readonly Check<ConsumerCheckContext>[] = [
  defineConsumerCheck({
    id: "consumer.fold.initial",
    title: "no events project to the initial value",
    section: "projection.md §2",
    requirements: ["PROJ-INIT-1"],
    async run(t) {
      await expectProjection(t, [], ["PROJ-INIT-1"]);
    },
  }),
  projectionCheck({
    id: "consumer.fold.order",
    title: "the projection is the fold of the events in order; steps and raw events leave no trace",
    section: "projection.md §1",
    requirements: ["PROJ-FOLD-1"],
    events: () => anySequence(),
  }),
  projectionCheck({
    id: "consumer.fold.skipped",
    title: "values that are not envelopes, unknown types and schema failures are skipped",
    section: "projection.md §1",
    requirements: ["PROJ-FOLD-2", "ENV-UNKNOWN-2"],
    events: () => withNoise(anySequence(), ["invalid", "unknown", "schema"]),
  }),
  projectionCheck({
    id: "consumer.fold.refused",
    title: "events the lifecycle rules refuse are skipped, and the bookkeeping stays as it was",
    section: "projection.md §1",
    requirements: ["PROJ-FOLD-3"],
    events: () => {
      // One broken rule, or repeated events, or both: every refusal a stream can hold.
      const broken = fc.constantFrom(...BROKEN_EVENT_REQUIREMENTS).chain((rule) =>
        brokenEventSequence(rule)
      );
      return fc.oneof(
        withNoise(anySequence(), ["repeat"]),
        broken,
        withNoise(broken, ["repeat"], 2),
      ) as fc.Arbitrary<readonly unknown[]>;
    },
  }),
  deliveryCheck(
    "consumer.fold.batches",
    "events delivered in batches project as the same events at once",
    "PROJ-FOLD-4",
    "batches",
  ),
  deliveryCheck(
    "consumer.fold.resume",
    "a fold resumed from a saved projection goes on as if never stopped",
    "PROJ-FOLD-5",
    "resume",
  ),
  projectionCheck({
    id: "consumer.llm",
    title: "llm.* events fold as the core events they stand for",
    section: "projection.md §1.1",
    requirements: ["PROJ-LLM-1", "PROJ-JSON-3"],
    // The JSON text of an input: member order kept, no whitespace, ECMAScript numbers and escapes.
    examples: [[
      { type: "run.started", runId: "r1" },
      { type: "llm.started", runId: "r1", requestId: "q1", messageId: "m1" },
      { type: "llm.token", runId: "r1", requestId: "q1", delta: "Looking." },
      {
        type: "llm.tool-call",
        runId: "r1",
        requestId: "q1",
        toolCallId: "c1",
        toolName: "search",
        input: { z: [1e21, 0.1, -0, 1.5e-7], a: 'tab\tquote"é\u2028', n: null, o: {} },
      },
      { type: "llm.usage", runId: "r1", requestId: "q1", promptTokens: 3, completionTokens: 4 },
      { type: "llm.completed", runId: "r1", requestId: "q1", finishReason: "tool_calls" },
      { type: "llm.tool-result", runId: "r1", requestId: "q1", toolCallId: "c1", output: [] },
      { type: "run.finished", runId: "r1", outcome: "success" },
    ]],
    events: () => sequencesOf({ llm: true, tools: true, usage: true, interleave: true }),
  }),
  projectionCheck({
    id: "consumer.json.absent",
    title: "absent members are left out, never null",
    section: "projection.md §9.1",
    requirements: ["PROJ-JSON-1"],
    events: () => anySequence(),
  }),
];
