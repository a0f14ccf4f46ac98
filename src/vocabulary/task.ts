// Tasks: units of work an agent platform schedules, from creation to an end.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { identifier } from "./_fields.ts";
import { metricsSchema } from "./_fields.ts";

/**
 * `task.created`: a task exists.
 *
 * @example
 * ```ts
 * import type { TaskCreatedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskCreatedEvent = { type: "task.created", taskId: "task_1", title: "Summarise the report" };
 * ```
 */
export interface TaskCreatedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.created";
  /** Identifies the task; unique in the stream. */
  taskId: string;
  /** Text for a person. */
  title?: string;
  /** What the task is to do, free-form. */
  input?: unknown;
}

/**
 * The definition of `task.created`.
 *
 * @example
 * ```ts
 * import { TaskCreated } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskCreated.type); // "task.created"
 * ```
 */
export const TaskCreated: EventDefinition<TaskCreatedEvent> = defineEvent("task.created", {
  taskId: identifier(),
  title: v.optional(v.string()),
  input: v.optional(v.unknown()),
});

/**
 * `task.queued`: the task waits in a queue.
 *
 * @example
 * ```ts
 * import type { TaskQueuedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskQueuedEvent = { type: "task.queued", taskId: "task_1", queue: "default" };
 * ```
 */
export interface TaskQueuedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.queued";
  /** The task. */
  taskId: string;
  /** The queue's name. */
  queue?: string;
}

/**
 * The definition of `task.queued`.
 *
 * @example
 * ```ts
 * import { TaskQueued } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskQueued.type); // "task.queued"
 * ```
 */
export const TaskQueued: EventDefinition<TaskQueuedEvent> = defineEvent("task.queued", {
  taskId: identifier(),
  queue: v.optional(v.string()),
});

/**
 * `task.assigned`: the task is given to a worker or agent.
 *
 * @example
 * ```ts
 * import type { TaskAssignedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskAssignedEvent = { type: "task.assigned", taskId: "task_1", assignee: "agent_7" };
 * ```
 */
export interface TaskAssignedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.assigned";
  /** The task. */
  taskId: string;
  /** Who works on it. */
  assignee: string;
}

/**
 * The definition of `task.assigned`.
 *
 * @example
 * ```ts
 * import { TaskAssigned } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskAssigned.type); // "task.assigned"
 * ```
 */
export const TaskAssigned: EventDefinition<TaskAssignedEvent> = defineEvent("task.assigned", {
  taskId: identifier(),
  assignee: v.string(),
});

/**
 * `task.started`: work on the task begins.
 *
 * @example
 * ```ts
 * import type { TaskStartedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskStartedEvent = { type: "task.started", taskId: "task_1" };
 * ```
 */
export interface TaskStartedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.started";
  /** The task. */
  taskId: string;
}

/**
 * The definition of `task.started`.
 *
 * @example
 * ```ts
 * import { TaskStarted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskStarted.type); // "task.started"
 * ```
 */
export const TaskStarted: EventDefinition<TaskStartedEvent> = defineEvent("task.started", {
  taskId: identifier(),
});

/**
 * `task.progress`: how far the task is.
 *
 * @example
 * ```ts
 * import type { TaskProgressEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskProgressEvent = { type: "task.progress", taskId: "task_1", progress: 0.5, message: "3 of 6 pages" };
 * ```
 */
export interface TaskProgressEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.progress";
  /** The task. */
  taskId: string;
  /** The fraction done, 0 to 1. */
  progress?: number;
  /** Text for a person. */
  message?: string;
  /** Units done. */
  current?: number;
  /** Units in all. */
  total?: number;
}

/**
 * The definition of `task.progress`.
 *
 * @example
 * ```ts
 * import { TaskProgress } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskProgress.type); // "task.progress"
 * ```
 */
export const TaskProgress: EventDefinition<TaskProgressEvent> = defineEvent("task.progress", {
  taskId: identifier(),
  progress: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  message: v.optional(v.string()),
  current: v.optional(v.number()),
  total: v.optional(v.number()),
});

/**
 * `task.result`: an intermediate result; the task goes on.
 *
 * @example
 * ```ts
 * import type { TaskResultEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskResultEvent = { type: "task.result", taskId: "task_1", value: {page: 3, summary: "…"} };
 * ```
 */
export interface TaskResultEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.result";
  /** The task. */
  taskId: string;
  /** The result. */
  value: unknown;
}

/**
 * The definition of `task.result`.
 *
 * @example
 * ```ts
 * import { TaskResult } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskResult.type); // "task.result"
 * ```
 */
export const TaskResult: EventDefinition<TaskResultEvent> = defineEvent("task.result", {
  taskId: identifier(),
  value: v.unknown(),
});

/**
 * `task.completed`: the task ended successfully.
 *
 * @example
 * ```ts
 * import type { TaskCompletedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskCompletedEvent = { type: "task.completed", taskId: "task_1", output: "A two-line summary." };
 * ```
 */
export interface TaskCompletedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.completed";
  /** The task. */
  taskId: string;
  /** The final result. */
  output?: unknown;
}

/**
 * The definition of `task.completed`.
 *
 * @example
 * ```ts
 * import { TaskCompleted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskCompleted.type); // "task.completed"
 * ```
 */
export const TaskCompleted: EventDefinition<TaskCompletedEvent> = defineEvent("task.completed", {
  taskId: identifier(),
  output: v.optional(v.unknown()),
});

/**
 * `task.failed`: the task ended with an error.
 *
 * @example
 * ```ts
 * import type { TaskFailedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskFailedEvent = { type: "task.failed", taskId: "task_1", message: "source unreachable" };
 * ```
 */
export interface TaskFailedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.failed";
  /** The task. */
  taskId: string;
  /** Text for a person. */
  message: string;
  /** A machine-readable code. */
  code?: string;
}

/**
 * The definition of `task.failed`.
 *
 * @example
 * ```ts
 * import { TaskFailed } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskFailed.type); // "task.failed"
 * ```
 */
export const TaskFailed: EventDefinition<TaskFailedEvent> = defineEvent("task.failed", {
  taskId: identifier(),
  message: v.string(),
  code: v.optional(v.string()),
});

/**
 * `task.cancelled`: the task was stopped before it ended.
 *
 * @example
 * ```ts
 * import type { TaskCancelledEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskCancelledEvent = { type: "task.cancelled", taskId: "task_1", reason: "user request" };
 * ```
 */
export interface TaskCancelledEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.cancelled";
  /** The task. */
  taskId: string;
  /** Why. */
  reason?: string;
}

/**
 * The definition of `task.cancelled`.
 *
 * @example
 * ```ts
 * import { TaskCancelled } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskCancelled.type); // "task.cancelled"
 * ```
 */
export const TaskCancelled: EventDefinition<TaskCancelledEvent> = defineEvent("task.cancelled", {
  taskId: identifier(),
  reason: v.optional(v.string()),
});

/**
 * `task.metrics`: measurements of the task, by name.
 *
 * @example
 * ```ts
 * import type { TaskMetricsEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: TaskMetricsEvent = { type: "task.metrics", taskId: "task_1", metrics: {pages: 6, seconds: 12.5} };
 * ```
 */
export interface TaskMetricsEvent extends EnvelopeMembers {
  /** The event type. */
  type: "task.metrics";
  /** The task. */
  taskId: string;
  /** Numbers by name, e.g. `{ "pages": 6 }`. */
  metrics: Record<string, number>;
}

/**
 * The definition of `task.metrics`.
 *
 * @example
 * ```ts
 * import { TaskMetrics } from "@agent-stream/agent-stream/vocabulary";
 * console.log(TaskMetrics.type); // "task.metrics"
 * ```
 */
export const TaskMetrics: EventDefinition<TaskMetricsEvent> = defineEvent("task.metrics", {
  taskId: identifier(),
  metrics: metricsSchema,
});
