// Members of AG-UI events the view writes that take more than a line:
// content pieces, custom events, interrupts, usage reports.

import type { Usage } from "../../src/vocabulary/usage.ts";
import type { AgUiEvent, AgUiEventOf } from "./ag_ui_events.ts";
import type { AgUiInterrupt } from "./ag_ui_messages.ts";

/** The key of `metadata` under which the view marks what AG-UI has no member for. */
export const MARK = "agent-stream";

/** AG-UI events whose metadata stays on the event: the envelope's `meta` goes there. */
export const META_TYPES = new Set<string>([
  "RUN_STARTED",
  "RUN_FINISHED",
  "RUN_ERROR",
  "STEP_STARTED",
  "STEP_FINISHED",
  "STATE_SNAPSHOT",
  "STATE_DELTA",
  "RAW",
  "CUSTOM",
]);

type Event = { type: string; runId?: string; time?: string; [key: string]: unknown };

export function content(
  e: Event,
  type: "TEXT_MESSAGE_CONTENT" | "REASONING_MESSAGE_CONTENT",
): AgUiEvent[] {
  // AG-UI content events carry text; an empty piece says nothing.
  if (e.delta === "") return [];
  return [{ type, messageId: e.messageId as string, delta: e.delta as string }];
}

export function customEvent(e: Event, offset: number): AgUiEvent {
  const event: AgUiEventOf<"CUSTOM"> = {
    type: "CUSTOM",
    name: e.name as string,
    value: e.value === undefined ? null : e.value,
  };
  if (e.transient !== true) {
    const dataId = typeof e.dataId === "string" ? e.dataId : `data:${offset}`;
    event.metadata = { [MARK]: { dataId } };
  }
  return event;
}

export function interruptsOf(e: Event, runId: string): AgUiInterrupt[] {
  const given = Array.isArray(e.interrupts) ? e.interrupts as Record<string, unknown>[] : [];
  const out = given.map((i) => {
    const interrupt: AgUiInterrupt = { id: i.id as string, reason: i.reason as string };
    if (typeof i.message === "string") interrupt.message = i.message;
    if (typeof i.toolCallId === "string") interrupt.toolCallId = i.toolCallId;
    return interrupt;
  });
  // AG-UI's interrupt outcome lists at least one.
  return out.length > 0 ? out : [{ id: runId, reason: "interrupt" }];
}

export function usageOf(e: Event): Usage {
  const { type: _t, id: _i, time: _time, runId: _r, meta: _m, ...usage } = e;
  return usage as Usage;
}

export function isWrapped(event: AgUiEvent): boolean {
  const marker = event.metadata?.[MARK] as { event?: unknown } | undefined;
  return marker?.event === true;
}
