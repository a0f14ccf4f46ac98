// Tasks (spec/v1/projection.md §7).
import type { StandardEvent } from "../vocabulary/standard_events.ts";
import type { Conversation, ConversationTask } from "./conversation.ts";
import { replaceAt, withMember } from "./_lists.ts";

/** The `task.*` events. */
export type TaskEvent = Extract<StandardEvent, { type: `task.${string}` }>;

function created(event: Extract<TaskEvent, { type: "task.created" }>): ConversationTask {
  let task: ConversationTask = {
    taskId: event.taskId,
    status: "created",
    results: [],
    metrics: {},
  };
  if (event.title !== undefined) task = { ...task, title: event.title };
  if (event.input !== undefined) task = { ...task, input: event.input };
  return task;
}

function progressOf(
  event: Extract<TaskEvent, { type: "task.progress" }>,
): NonNullable<ConversationTask["progress"]> {
  let progress: NonNullable<ConversationTask["progress"]> = {};
  if (event.progress !== undefined) progress = { ...progress, progress: event.progress };
  if (event.message !== undefined) progress = { ...progress, message: event.message };
  if (event.current !== undefined) progress = { ...progress, current: event.current };
  if (event.total !== undefined) progress = { ...progress, total: event.total };
  return progress;
}

function changed(task: ConversationTask, event: TaskEvent): ConversationTask {
  switch (event.type) {
    case "task.created":
      return task;
    case "task.queued":
      return withMember({ ...task, status: "queued" }, "queue", event.queue);
    case "task.assigned":
      return { ...task, status: "assigned", assignee: event.assignee };
    case "task.started":
      return { ...task, status: "running" };
    case "task.progress":
      return { ...task, progress: progressOf(event) };
    case "task.result":
      return { ...task, results: [...task.results, event.value] };
    case "task.completed":
      return event.output === undefined
        ? { ...task, status: "completed" }
        : { ...task, status: "completed", output: event.output };
    case "task.failed":
      return {
        ...task,
        status: "failed",
        error: event.code === undefined
          ? { message: event.message }
          : { message: event.message, code: event.code },
      };
    case "task.cancelled":
      return event.reason === undefined
        ? { ...task, status: "cancelled" }
        : { ...task, status: "cancelled", cancelReason: event.reason };
    case "task.metrics":
      return { ...task, metrics: { ...task.metrics, ...event.metrics } };
  }
}

/** A `task.*` event (PROJ-TASK-1). */
export function foldTask(conversation: Conversation, event: TaskEvent): Conversation {
  if (event.type === "task.created") {
    return { ...conversation, tasks: [...conversation.tasks, created(event)] };
  }
  const index = conversation.tasks.findIndex((task) => task.taskId === event.taskId);
  if (index < 0) return conversation;
  const task = changed(conversation.tasks[index], event);
  return { ...conversation, tasks: replaceAt(conversation.tasks, index, task) };
}
