// The cases where the live stream of a run and `toUiMessages` disagree by
// design (spec/v1/view-ai-sdk.md §4.3), found in a lifecycle-valid sequence
// of events. Tests compare the two everywhere else.

import { classifyEvent } from "./_events.ts";
import { normalizeEvent } from "../../src/vocabulary/normalize_event.ts";

/**
 * Why the stream of run `runId` over `events` (a prefix of a stream, from
 * offset 0) cannot equal the run's message in `toUiMessages`, or undefined
 * when it must.
 */
export function knownDivergence(events: readonly unknown[], runId: string): string | undefined {
  const runOf = new Map<string, string | undefined>();
  const holderOf = new Map<string, string>();
  const dataNames = new Map<string, string>();
  const requests = new Map<string, string>();
  const order: string[] = [];
  const streamingUsers = new Map<string, number>();
  let started = false;
  let active = false;
  for (let offset = 0; offset < events.length; offset++) {
    const classified = classifyEvent(events[offset]);
    if (classified.kind !== "standard") continue;
    const original = classified.event;
    if (original.type === "llm.started") {
      requests.set(original.requestId, original.messageId ?? original.requestId);
    }
    for (const event of normalizeEvent(original, (id) => requests.get(id))) {
      const ours = event.runId === runId;
      switch (event.type) {
        case "run.started":
          if (ours) started = active = true;
          break;
        case "run.finished":
        case "run.error":
          if (!ours) break;
          active = false;
          for (const [id, at] of streamingUsers) {
            if (at !== order.length) return `user message ${id} ends after other parts began`;
          }
          break;
        case "messages.snapshot":
          if (started) return "a messages snapshot during or after the run";
          break;
        case "text.start":
        case "reasoning.start":
        case "text.message":
          runOf.set(event.messageId, event.runId);
          if (!ours || !active) break;
          if (event.type === "text.start" && event.role === "user") {
            streamingUsers.set(event.messageId, order.length);
          } else if (
            event.type === "reasoning.start" || (event.role ?? "assistant") === "assistant"
          ) {
            order.push(`m:${event.messageId}`);
          } else if (event.role === "user") order.push(`m:${event.messageId}`);
          break;
        case "text.end": {
          const at = streamingUsers.get(event.messageId);
          if (at === undefined) break;
          if (at !== order.length) {
            return `user message ${event.messageId} ends after other parts began`;
          }
          streamingUsers.delete(event.messageId);
          order.push(`m:${event.messageId}`);
          break;
        }
        case "tool.start": {
          const holder = event.parentMessageId ?? event.toolCallId;
          holderOf.set(event.toolCallId, holder);
          if (event.parentMessageId === undefined) runOf.set(holder, event.runId);
          if (runOf.get(holder) !== runId || !active) break;
          const last = order.at(-1);
          const mine = (item: string | undefined): boolean =>
            item === `m:${holder}` ||
            (item !== undefined && item.startsWith("c:") && holderOf.get(item.slice(2)) === holder);
          if (event.parentMessageId !== undefined && order.some(mine) && !mine(last)) {
            return `call ${event.toolCallId} starts after other parts followed its message`;
          }
          order.push(`c:${event.toolCallId}`);
          break;
        }
        case "custom.event": {
          if (event.transient === true) break;
          const id = event.dataId ?? `data:${offset}`;
          const name = dataNames.get(id);
          if (name === undefined) {
            dataNames.set(id, event.name);
            runOf.set(id, event.runId);
            if (ours && active) order.push(`m:${id}`);
          } else if (name !== event.name && runOf.get(id) === runId && active) {
            return `data message ${id} is renamed`;
          } else dataNames.set(id, event.name);
          break;
        }
      }
    }
  }
  return undefined;
}
