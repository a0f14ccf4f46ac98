// projection.md §4 to §6: runs, state and usage.

import type { Check } from "../../check.ts";
import type { ConsumerCheckContext } from "../consumer_context.ts";
import { projectionCheck } from "./_projection_check.ts";
import { sequencesOf } from "./_sequences.ts";

const usage = (runId: string | undefined, costUsd: number) => ({
  type: "usage.reported",
  ...(runId ? { runId } : {}),
  promptTokens: 1,
  costUsd,
});

/** Checks of projection.md §4 to §6. */
export const runChecks: readonly Check<ConsumerCheckContext>[] = [
  projectionCheck({
    id: "consumer.runs",
    title: "runs start, finish and fail; run.error closes what its run left open",
    section: "projection.md §4",
    requirements: ["PROJ-RUN-1", "PROJ-RUN-2", "PROJ-RUN-3", "PROJ-RUN-4", "PROJ-RUN-5"],
    events: () =>
      sequencesOf({ usage: true, tools: true, reasoning: true, interleave: true, steps: true }),
  }),
  projectionCheck({
    id: "consumer.state",
    title: "state snapshots replace the state and patches apply to it",
    section: "projection.md §5",
    requirements: ["PROJ-STATE-1", "PROJ-STATE-2"],
    events: () => sequencesOf({ state: true, betweenRuns: true }),
  }),
  projectionCheck({
    id: "consumer.usage",
    title: "usage adds every report, and a run's own usage only when the run had none",
    section: "projection.md §6",
    requirements: ["PROJ-USAGE-1", "PROJ-USAGE-2", "PROJ-JSON-2"],
    // Binary64 sums in stream order: 0.1 + 0.2 + 0.3 is 0.6000000000000001.
    examples: [
      [usage(undefined, 0.1), usage(undefined, 0.2), usage(undefined, 0.3)],
      [
        { type: "run.started", runId: "r1" },
        usage("r1", 0.1),
        usage("r1", 0.7),
        { type: "run.finished", runId: "r1", outcome: "success", usage: { costUsd: 0.8 } },
        { type: "run.started", runId: "r2" },
        {
          type: "run.error",
          runId: "r2",
          message: "boom",
          usage: { promptTokens: 4, completionTokens: 5, costUsd: 0.3 },
        },
      ],
    ],
    events: () => sequencesOf({ usage: true, llm: true, betweenRuns: true }),
  }),
];
