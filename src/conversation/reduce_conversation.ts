import type { StandardEvent } from "../vocabulary/standard_events.ts";
import type { JsonPatchOperation, JsonValue } from "../projector/json_patch.ts";
import { applyJsonPatch, JsonPatchError } from "../projector/json_patch.ts";
import type { Conversation } from "./conversation.ts";
import {
  addData,
  addResult,
  appendArguments,
  appendText,
  endReasoning,
  endText,
  endTool,
  replaceMessages,
  startReasoning,
  startText,
  startTool,
  wholeText,
} from "./_messages.ts";
import { failRun, finishRun, reportUsage, startRun } from "./_runs.ts";
import { foldTask } from "./_tasks.ts";
import { foldAgent } from "./_agents.ts";

/**
 * What lifecycle bookkeeping says is open after an event; a
 * `LifecycleTracker` is one.
 *
 * @example
 * ```ts
 * import type { OpenItems } from "@agent-stream/agent-stream/conversation";
 * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
 * const open: OpenItems = new LifecycleTracker();
 * console.log(open.isMessageOpen("m1")); // false
 * ```
 */
export interface OpenItems {
  /** Whether the text or reasoning message `id` is open. */
  isMessageOpen(id: string): boolean;
  /** Whether the tool call `id` is open. */
  isToolCallOpen(id: string): boolean;
}

/**
 * Folds one event into the conversation: the effect step of
 * spec/v1/projection.md §1 (§3 to §8). `offset` is the event's 0-based
 * position in the stream; it names data messages without a `dataId`.
 *
 * The event must be a valid event of the vocabulary that the lifecycle rules
 * admitted: this function checks neither, and `llm.*` events have no effect
 * here (fold the events `normalizeEvent` turns them into). To project raw
 * events, use `projectConversation` or `reduceConversationProjection`, which
 * do all the steps. It never throws and never changes `conversation`: parts
 * that change are copied, the rest is shared with it.
 *
 * `lifecycle`, the bookkeeping that admitted the event (a
 * `LifecycleTracker`, after `admit`), tells `run.error` what its run left
 * open. Without it, `run.error` closes the run's messages and the calls they
 * hold, which misses a call begun in the run inside a message of another
 * run, and closes one begun outside it in a message of the run.
 *
 * @example
 * ```ts
 * import { initialConversation, reduceConversation } from "@agent-stream/agent-stream/conversation";
 * const before = initialConversation();
 * const after = reduceConversation(before, {
 *   type: "text.message", messageId: "m1", role: "user", content: "Hi",
 * }, 0);
 * console.log(after.messages[0].id, before.messages.length); // "m1" 0
 * ```
 */
export function reduceConversation(
  conversation: Conversation,
  event: StandardEvent,
  offset: number,
  lifecycle?: OpenItems,
): Conversation {
  switch (event.type) {
    case "text.start":
      return startText(conversation, event);
    case "text.delta":
    case "reasoning.delta":
      return appendText(conversation, event.messageId, event.delta);
    case "text.end":
      return endText(conversation, event.messageId);
    case "text.message":
      return wholeText(conversation, event);
    case "reasoning.start":
      return startReasoning(conversation, event);
    case "reasoning.end":
      return endReasoning(conversation, event);
    case "tool.start":
      return startTool(conversation, event);
    case "tool.delta":
      return appendArguments(conversation, event.toolCallId, event.delta);
    case "tool.end":
      return endTool(conversation, event);
    case "tool.result":
      return addResult(conversation, event);
    case "custom.event":
      return addData(conversation, event, offset);
    case "messages.snapshot":
      return replaceMessages(conversation, event);
    case "state.snapshot":
      return event.snapshot === undefined
        ? conversation
        : { ...conversation, state: event.snapshot };
    case "state.delta":
      return patchState(conversation, event.patch);
    case "usage.reported":
      return reportUsage(conversation, event);
    case "run.started":
      return startRun(conversation, event);
    case "run.finished":
      return finishRun(conversation, event);
    case "run.error":
      return failRun(conversation, event, lifecycle);
    case "task.created":
    case "task.queued":
    case "task.assigned":
    case "task.started":
    case "task.progress":
    case "task.result":
    case "task.completed":
    case "task.failed":
    case "task.cancelled":
    case "task.metrics":
      return foldTask(conversation, event);
    case "agent.spawned":
    case "agent.started":
    case "agent.paused":
    case "agent.resumed":
    case "agent.stopped":
    case "agent.error":
    case "agent.output":
    case "agent.log":
    case "agent.metrics":
    case "agent.health":
      return foldAgent(conversation, event);
    default:
      // step.*, raw.event, llm.* and types this version does not know.
      return conversation;
  }
}

// A patch applies whole or not at all (PROJ-STATE-2); one that does not apply is refused (EVT-STATE-1).
function patchState(conversation: Conversation, patch: JsonPatchOperation[]): Conversation {
  try {
    const state = applyJsonPatch(conversation.state as JsonValue, patch);
    return { ...conversation, state };
  } catch (error) {
    if (error instanceof JsonPatchError) return conversation;
    throw error;
  }
}
