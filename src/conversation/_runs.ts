// Runs and usage (spec/v1/projection.md §4, §6).
import type { RunErrorEvent, RunFinishedEvent, RunStartedEvent } from "../vocabulary/run.ts";
import type { Usage } from "../vocabulary/usage.ts";
import type { Conversation, ConversationRun } from "./conversation.ts";
import { replaceAt } from "./_lists.ts";
import { addUsage, zeroUsage } from "./_usage.ts";
import { closeRun } from "./_messages.ts";
import type { OpenItems } from "./reduce_conversation.ts";

function indexOfRun(conversation: Conversation, runId: string | undefined): number {
  return runId === undefined ? -1 : conversation.runs.findIndex((run) => run.runId === runId);
}

/** `run.started` (PROJ-RUN-1). */
export function startRun(conversation: Conversation, event: RunStartedEvent): Conversation {
  if (event.runId === undefined) return conversation; // refused (EVT-RUN-1)
  let run: ConversationRun = { runId: event.runId, status: "running" };
  if (event.threadId !== undefined) run = { ...run, threadId: event.threadId };
  if (event.parentRunId !== undefined) run = { ...run, parentRunId: event.parentRunId };
  return { ...conversation, runs: [...conversation.runs, run] };
}

// The usage of a run-ending event counts only for a run without reports (PROJ-USAGE-2, PROJ-RUN-5).
function endRun(
  conversation: Conversation,
  index: number,
  ended: ConversationRun,
  usage: Usage | undefined,
): Conversation {
  let run = ended;
  let totals = conversation.usage;
  if (usage !== undefined && run.usage === undefined) {
    run = { ...run, usage: addUsage(zeroUsage(), usage) };
    totals = addUsage(totals, usage);
  }
  return { ...conversation, runs: replaceAt(conversation.runs, index, run), usage: totals };
}

/** `run.finished` (PROJ-RUN-2). */
export function finishRun(conversation: Conversation, event: RunFinishedEvent): Conversation {
  const index = indexOfRun(conversation, event.runId);
  if (index < 0) return conversation;
  let run: ConversationRun = { ...conversation.runs[index], status: event.outcome };
  if (event.result !== undefined) run = { ...run, result: event.result };
  if (event.interrupts !== undefined) run = { ...run, interrupts: event.interrupts };
  return endRun(conversation, index, run, event.usage);
}

/** `run.error` (PROJ-RUN-3, PROJ-RUN-4). */
export function failRun(
  conversation: Conversation,
  event: RunErrorEvent,
  still?: OpenItems,
): Conversation {
  const index = indexOfRun(conversation, event.runId);
  if (index < 0) return conversation;
  const error = event.code === undefined
    ? { message: event.message }
    : { message: event.message, code: event.code };
  const run: ConversationRun = { ...conversation.runs[index], status: "error", error };
  return closeRun(
    endRun(conversation, index, run, event.usage),
    conversation.runs[index].runId,
    still,
  );
}

/** `usage.reported` (PROJ-USAGE-1, PROJ-RUN-5). */
export function reportUsage(
  conversation: Conversation,
  event: Usage & { runId?: string },
): Conversation {
  const usage = addUsage(conversation.usage, event);
  const index = indexOfRun(conversation, event.runId);
  if (index < 0) return { ...conversation, usage };
  const run = conversation.runs[index];
  const runs = replaceAt(conversation.runs, index, {
    ...run,
    usage: addUsage(run.usage ?? zeroUsage(), event),
  });
  return { ...conversation, runs, usage };
}
