// Lifecycle rules of runs, steps, state, usage, tasks and agent processes
// (spec/v1/events.md §3, §4, §8, §10, §12, §13).

import { applyJsonPatch, type JsonValue } from "../projector/json_patch.ts";
import {
  accept,
  addUsage,
  advise,
  type Finding,
  type LifecycleState,
  type Outcome,
  q,
  refuse,
  type UsageSums,
} from "./_lifecycle_state.ts";
import type { RunErrorEvent, RunFinishedEvent, RunStartedEvent } from "./run.ts";
import type { StepFinishedEvent, StepStartedEvent } from "./step.ts";
import type { StateDeltaEvent, StateSnapshotEvent } from "./state.ts";
import type { Usage, UsageReportedEvent } from "./usage.ts";
import type { TaskCreatedEvent } from "./task.ts";
import type { AgentSpawnedEvent } from "./agent_process.ts";
import type { StandardEvent } from "./standard_events.ts";

/** `run.started` (EVT-RUN-1, EVT-RUN-2). */
export function runStarted(s: LifecycleState, e: RunStartedEvent): Outcome {
  const runId = e.runId;
  if (runId === undefined) return refuse("EVT-RUN-1", "run.started without a runId");
  if (s.active !== undefined) {
    return refuse("EVT-RUN-2", `run ${q(runId)} starts while run ${q(s.active.runId)} is active`);
  }
  if (s.startedRuns.has(runId)) {
    return refuse("EVT-RUN-2", `run ${q(runId)} started before`);
  }
  return accept(() => {
    s.startedRuns.add(runId);
    s.active = { runId, steps: new Set() };
    s.scope(runId);
  });
}

/** `run.finished` and `run.error` (EVT-RUN-1, -3, -4, -6; EVT-USAGE-1). */
export function runEnded(s: LifecycleState, e: RunFinishedEvent | RunErrorEvent): Outcome {
  const runId = e.runId;
  if (runId === undefined) return refuse("EVT-RUN-1", `${e.type} without a runId`);
  if (s.active?.runId !== runId) {
    return refuse(
      "EVT-RUN-3",
      `${e.type} for run ${q(runId)}, which is not active` +
        (s.active === undefined ? " (no run is)" : ` (run ${q(s.active.runId)} is)`),
    );
  }
  const failed = e.type === "run.error";
  if (!failed) {
    if (e.interrupts !== undefined && e.outcome !== "interrupt") {
      return refuse("EVT-RUN-6", `run.finished with outcome ${q(e.outcome)} has interrupts`);
    }
    const open = openInRun(s, runId);
    if (open !== undefined) {
      return refuse("EVT-RUN-4", `run.finished while ${open} begun in run ${q(runId)} is open`);
    }
  }
  const scope = s.scope(runId);
  const advisories = e.usage !== undefined && scope.reports > 0
    ? usageMismatch(e.usage, scope.usage, runId)
    : [];
  return accept(() => s.endRun(failed), advisories);
}

function openInRun(s: LifecycleState, runId: string): string | undefined {
  for (const id of s.openMessages) {
    const message = s.messages.get(id)!;
    if (message.runId === runId) return `${message.open} message ${q(id)}`;
  }
  for (const id of s.openCalls) {
    if (s.calls.get(id)!.runId === runId) return `tool call ${q(id)}`;
  }
  for (const name of s.active?.steps ?? []) return `step ${q(name)}`;
  return undefined;
}

const USAGE_NUMBERS = [
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "reasoningTokens",
  "cachedPromptTokens",
  "costUsd",
] as const;

function usageMismatch(usage: Usage, sums: UsageSums, runId: string): Finding[] {
  for (const name of USAGE_NUMBERS) {
    const given = usage[name];
    if (given === undefined) continue;
    const sum = sums[name];
    const equal = name === "costUsd"
      ? Math.abs(given - sum) <= 1e-9 * Math.max(1, Math.abs(given), Math.abs(sum))
      : given === sum;
    if (!equal) {
      return [
        advise(
          "EVT-USAGE-1",
          `the usage of run ${q(runId)} gives ${name} ${given}, its reports sum to ${sum}`,
        ),
      ];
    }
  }
  return [];
}

/** `step.started` and `step.finished` (EVT-STEP-1). */
export function step(s: LifecycleState, e: StepStartedEvent | StepFinishedEvent): Outcome {
  const steps = s.active?.steps;
  if (steps === undefined || e.runId !== s.active?.runId) {
    return refuse(
      "EVT-STEP-1",
      `${e.type} ${q(e.stepName)} ` +
        (e.runId === undefined
          ? "without a runId"
          : `names run ${q(e.runId)}, which is not active`),
    );
  }
  if (e.type === "step.started") {
    if (steps.has(e.stepName)) return refuse("EVT-STEP-1", `step ${q(e.stepName)} is open`);
    return accept(() => steps.add(e.stepName));
  }
  if (!steps.has(e.stepName)) return refuse("EVT-STEP-1", `step ${q(e.stepName)} is not open`);
  return accept(() => steps.delete(e.stepName));
}

/** `state.snapshot` and `state.delta` (EVT-STATE-1). */
export function state(s: LifecycleState, e: StateSnapshotEvent | StateDeltaEvent): Outcome {
  if (e.type === "state.snapshot") {
    return accept(() => (s.state = e.snapshot as JsonValue));
  }
  let next: JsonValue;
  try {
    next = applyJsonPatch(s.state, e.patch);
  } catch (error) {
    return refuse("EVT-STATE-1", `the patch does not apply: ${(error as Error).message}`);
  }
  return accept(() => (s.state = next));
}

/** `usage.reported` and `llm.usage`, once admitted: a report of its run. */
export function report(
  s: LifecycleState,
  e: UsageReportedEvent | Usage & { runId?: string },
): void {
  if (e.runId === undefined) return;
  const scope = s.scope(e.runId);
  scope.reports++;
  addUsage(scope.usage, e);
}

/** `task.*` (EVT-TASK-1). */
export function task(s: LifecycleState, e: StandardEvent & { taskId: string }): Outcome {
  const ended = s.tasks.get(e.taskId);
  if (e.type === "task.created") {
    if (ended !== undefined) return refuse("EVT-TASK-1", `task ${q(e.taskId)} was created before`);
    return accept(() => s.tasks.set((e as TaskCreatedEvent).taskId, false));
  }
  if (ended === undefined) {
    return refuse("EVT-TASK-1", `${e.type} for task ${q(e.taskId)}, never created`);
  }
  if (ended) return refuse("EVT-TASK-1", `${e.type} for task ${q(e.taskId)}, which has ended`);
  const ends = e.type === "task.completed" || e.type === "task.failed" ||
    e.type === "task.cancelled";
  return accept(() => {
    if (ends) s.tasks.set(e.taskId, true);
  });
}

/** `agent.*` (EVT-AGENT-1). */
export function agent(s: LifecycleState, e: StandardEvent & { agentId: string }): Outcome {
  const status = s.agents.get(e.agentId);
  const id = q(e.agentId);
  if (e.type === "agent.spawned") {
    if (status !== undefined) return refuse("EVT-AGENT-1", `agent ${id} was spawned before`);
    return accept(() => s.agents.set((e as AgentSpawnedEvent).agentId, "spawned"));
  }
  if (status === undefined) {
    return refuse("EVT-AGENT-1", `${e.type} for agent ${id}, never spawned`);
  }
  if (status === "stopped") {
    return refuse("EVT-AGENT-1", `${e.type} for agent ${id}, which stopped`);
  }
  switch (e.type) {
    case "agent.started":
      if (status !== "spawned") return refuse("EVT-AGENT-1", `agent ${id} started before`);
      return accept(() => s.agents.set(e.agentId, "running"));
    case "agent.paused":
      if (status !== "running") return refuse("EVT-AGENT-1", `agent ${id} pauses while ${status}`);
      return accept(() => s.agents.set(e.agentId, "paused"));
    case "agent.resumed":
      if (status !== "paused") return refuse("EVT-AGENT-1", `agent ${id} resumes while ${status}`);
      return accept(() => s.agents.set(e.agentId, "running"));
    case "agent.stopped":
      return accept(() => s.agents.set(e.agentId, "stopped"));
    default:
      return accept();
  }
}
