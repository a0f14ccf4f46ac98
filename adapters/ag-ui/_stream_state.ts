// What the view remembers of the events it admitted: the active run, what is
// open and which run began it, and which messages the conversation holds.
// Which events are admitted is the lifecycle tracker's decision; this only
// keeps what the view needs to write them.

import type { Usage } from "../../src/vocabulary/usage.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";

type Event = { type: string; runId?: string; [key: string]: unknown };

/** The run being mapped: its `RUN_STARTED` and the usage to report when it ends. */
export interface ActiveRun {
  readonly runId: string;
  readonly threadId: string;
  readonly started: AgUiEvent;
  /** Reports carrying the run's `runId`. */
  readonly own: Usage[];
  /** Reports of no run that the run's end reports too. */
  readonly extra: Usage[];
}

/** The view's bookkeeping of a stream. */
export class StreamState {
  active: ActiveRun | undefined;
  /** Reports of no run read while no run was active. */
  pendingExtra: Usage[] = [];
  /** Open text and reasoning messages and tool calls, with the run that began each. */
  readonly texts = new Map<string, string | undefined>();
  readonly reasonings = new Map<string, string | undefined>();
  readonly calls = new Map<string, string | undefined>();
  /** The open steps of the active run. */
  readonly steps = new Set<string>();
  /** The ids of the conversation's messages. */
  readonly messages = new Set<string>();

  /** Records the effect of an admitted core event, the event at `offset`. */
  record(event: Event, offset: number): void {
    const runId = event.runId;
    switch (event.type) {
      case "run.finished":
        this.steps.clear();
        return;
      case "run.error":
        this.steps.clear();
        // What the run began and left open is closed with it (PROJ-RUN-4).
        for (const open of [this.texts, this.reasonings, this.calls]) {
          for (const [id, begun] of open) if (begun === runId) open.delete(id);
        }
        return;
      case "step.started":
        this.steps.add(event.stepName as string);
        return;
      case "step.finished":
        this.steps.delete(event.stepName as string);
        return;
      case "text.start":
        this.texts.set(event.messageId as string, runId);
        this.messages.add(event.messageId as string);
        return;
      case "text.message":
        this.messages.add(event.messageId as string);
        return;
      case "text.end":
        this.texts.delete(event.messageId as string);
        return;
      case "reasoning.start":
        this.reasonings.set(event.messageId as string, runId);
        this.messages.add(event.messageId as string);
        return;
      case "reasoning.end":
        this.reasonings.delete(event.messageId as string);
        return;
      case "tool.start":
        this.calls.set(event.toolCallId as string, runId);
        if (event.parentMessageId === undefined) this.messages.add(event.toolCallId as string);
        return;
      case "tool.end":
        this.calls.delete(event.toolCallId as string);
        return;
      case "tool.result":
        this.messages.add((event.messageId as string | undefined) ?? `${event.toolCallId}:result`);
        return;
      case "custom.event":
        if (event.transient !== true) {
          this.messages.add(typeof event.dataId === "string" ? event.dataId : `data:${offset}`);
        }
        return;
      case "messages.snapshot":
        this.messages.clear();
        for (const message of event.messages as { id: string }[]) this.messages.add(message.id);
        return;
      default:
        return;
    }
  }
}
