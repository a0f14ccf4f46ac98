// Tasks and agent processes through their status machines (EVT-TASK-1,
// EVT-AGENT-1): each intent starts a new one or takes a live one a step on.
import type { Envelope } from "../../src/protocol/envelope.ts";
import type { Intent } from "./_sequence_intents.ts";
import type { SequenceModel } from "./_sequence_model.ts";

const pickOf = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

/** The next event of a task: a new one, or the next step of a live one. */
export function taskEvent(
  model: SequenceModel,
  intent: Extract<Intent, { k: "task" }>,
  runId: string | undefined,
): Envelope {
  const live = [...model.tasks].filter(([, phase]) => phase !== "ended");
  const chosen = intent.create ? undefined : pickOf(live, intent.pick);
  if (chosen === undefined) {
    return {
      type: "task.created",
      runId,
      taskId: model.fresh("task"),
      title: intent.pick % 2 === 0 ? "Summarise the report" : undefined,
      input: intent.pick % 3 === 0 ? intent.detail : undefined,
    };
  }
  const [taskId, phase] = chosen;
  const next = {
    created: ["queued", "assigned", "started", "cancelled"],
    queued: ["assigned", "started", "cancelled"],
    assigned: ["started", "cancelled"],
    running: ["progress", "progress", "result", "metrics", "completed", "failed", "cancelled"],
    ended: [],
  }[phase];
  const action = next[intent.action % next.length];
  const a = intent.action;
  const fields: Record<string, unknown> = {
    queued: { queue: a % 2 === 0 ? "default" : undefined },
    assigned: { assignee: `worker-${a}` },
    started: {},
    progress: {
      progress: (a % 5) / 4,
      message: a % 2 ? "working" : undefined,
      current: a,
      total: 9,
    },
    result: { value: intent.detail },
    metrics: { metrics: { items: a, seconds: a / 4 } },
    completed: { output: a % 2 ? intent.detail : undefined },
    failed: { message: "the worker failed", code: a % 2 ? "worker_failed" : undefined },
    cancelled: { reason: a % 2 ? "superseded" : undefined },
  }[action] as Record<string, unknown>;
  return { ...fields, type: `task.${action}`, runId, taskId };
}

/** The next event of an agent process: a new one, or the next step of a running one. */
export function agentEvent(
  model: SequenceModel,
  intent: Extract<Intent, { k: "agent" }>,
  runId: string | undefined,
): Envelope {
  const agents = [...model.agents];
  const live = agents.filter(([, phase]) => phase !== "stopped");
  const chosen = intent.create ? undefined : pickOf(live, intent.pick);
  if (chosen === undefined) {
    const parent = intent.pick % 2 === 0 ? pickOf(agents, intent.pick)?.[0] : undefined;
    return {
      type: "agent.spawned",
      runId,
      agentId: model.fresh("agent"),
      name: intent.pick % 3 === 0 ? "researcher" : undefined,
      parentAgentId: parent,
      command: intent.pick % 4 === 1 ? ["agent", "--task", intent.detail] : undefined,
    };
  }
  const [agentId, phase] = chosen;
  const next = {
    spawned: ["started", "log", "output", "health", "error", "stopped"],
    running: ["paused", "paused", "output", "log", "metrics", "health", "error", "stopped"],
    paused: ["resumed", "resumed", "log", "health", "stopped"],
    stopped: [],
  }[phase];
  const a = intent.action;
  const action = next[a % next.length];
  const fields: Record<string, unknown> = {
    started: {},
    paused: { reason: a % 2 ? "waiting" : undefined },
    resumed: {},
    stopped: { exitCode: a % 3 === 0 ? undefined : a - 5, reason: a % 2 ? "done" : undefined },
    error: { message: intent.detail, code: a % 2 ? "crash" : undefined },
    output: { stream: a % 2 ? "stdout" : "stderr", text: intent.detail },
    log: {
      level: ["debug", "info", "warn", "error"][a % 4],
      message: intent.detail,
      fields: a % 2 ? { a } : undefined,
    },
    metrics: { metrics: { cpu: a / 8 } },
    health: {
      status: ["healthy", "degraded", "unhealthy"][a % 3],
      detail: a % 2 ? intent.detail : undefined,
    },
  }[action] as Record<string, unknown>;
  return { ...fields, type: `agent.${action}`, runId, agentId };
}
