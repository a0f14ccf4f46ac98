// projection.md §7 and §8: tasks and agent processes.

import type { Check } from "../../check.ts";
import type { ConsumerCheckContext } from "../consumer_context.ts";
import { projectionCheck } from "./_projection_check.ts";
import { sequencesOf } from "./_sequences.ts";

/** Checks of projection.md §7 and §8. */
export const familyChecks: readonly Check<ConsumerCheckContext>[] = [
  projectionCheck({
    id: "consumer.tasks",
    title: "task events move each task through its states and set its members",
    section: "projection.md §7",
    requirements: ["PROJ-TASK-1"],
    // Metrics merge: a later report of a name replaces it, other names stay.
    examples: [[
      { type: "task.created", taskId: "t1" },
      { type: "task.metrics", taskId: "t1", metrics: { steps: 1, tokens: 10 } },
      { type: "task.metrics", taskId: "t1", metrics: { steps: 2 } },
      { type: "task.queued", taskId: "t1", queue: "fast" },
      { type: "task.queued", taskId: "t1" },
    ]],
    events: () => sequencesOf({ families: true, betweenRuns: true }),
  }),
  projectionCheck({
    id: "consumer.agents",
    title: "agent events move each agent through its states; output and logs leave no trace",
    section: "projection.md §8",
    requirements: ["PROJ-AGENT-1", "PROJ-AGENT-2"],
    examples: [[
      { type: "agent.spawned", agentId: "a1" },
      { type: "agent.metrics", agentId: "a1", metrics: { cpu: 0.5, rss: 100 } },
      { type: "agent.metrics", agentId: "a1", metrics: { cpu: 0.7 } },
      { type: "agent.output", agentId: "a1", stream: "stdout", text: "hello" },
      { type: "agent.log", agentId: "a1", level: "info", message: "started" },
    ]],
    events: () => sequencesOf({ families: true, betweenRuns: true }),
  }),
];
