// What the view remembers of the events it has read: the active run, what is
// open and who began it, and which messages the conversation holds. It
// refuses events that address nothing open or begin something twice, so
// that what the view writes always satisfies an AG-UI client's checks.

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

/** An open tool call: its tool and the assistant message AG-UI puts it in. */
export interface OpenCall {
  readonly name: string;
  readonly parent: string;
  readonly runId: string | undefined;
}

/** The view's bookkeeping of a stream. */
export class StreamState {
  active: ActiveRun | undefined;
  /** Reports of no run read while no run was active. */
  pendingExtra: Usage[] = [];
  readonly runIds = new Set<string>();
  readonly texts = new Map<string, string | undefined>();
  readonly reasonings = new Map<string, string | undefined>();
  readonly calls = new Map<string, OpenCall>();
  readonly steps = new Set<string>();
  readonly roles = new Map<string, string>();
  readonly endedCalls = new Set<string>();
  readonly answeredCalls = new Set<string>();
  readonly knownCalls = new Set<string>();

  /**
   * Whether the event may be folded given what came before (the event at
   * `offset` of the stream); records its effect if so.
   */
  admit(event: Event, offset: number): boolean {
    if (!this.#check(event)) return false;
    this.#record(event, offset);
    return true;
  }

  #check(event: Event): boolean {
    const runId = event.runId;
    if (event.type !== "run.started" && runId !== undefined && runId !== this.active?.runId) {
      return false;
    }
    switch (event.type) {
      case "run.started":
        return typeof runId === "string" && !this.active && !this.runIds.has(runId);
      case "run.finished":
      case "run.error":
        return runId !== undefined;
      case "step.started":
        if (runId === undefined || this.steps.has(event.stepName as string)) return false;
        this.steps.add(event.stepName as string);
        return true;
      case "step.finished":
        return runId !== undefined && this.steps.delete(event.stepName as string);
      case "text.start":
      case "text.message":
        return this.#begin(event.messageId, (event.role as string | undefined) ?? "assistant");
      case "text.delta":
        return this.texts.has(event.messageId as string);
      case "text.end":
        return this.texts.has(event.messageId as string);
      case "reasoning.start":
        return this.#begin(event.messageId, "reasoning");
      case "reasoning.delta":
      case "reasoning.end":
        return this.reasonings.has(event.messageId as string);
      case "tool.start":
        return this.#startCall(event);
      case "tool.delta":
      case "tool.end":
        return this.calls.has(event.toolCallId as string);
      case "tool.result": {
        const id = event.toolCallId as string;
        if (!this.endedCalls.has(id) || this.answeredCalls.has(id)) return false;
        return this.#begin(event.messageId ?? `${id}:result`, "tool");
      }
      case "custom.event": {
        if (event.transient === true || typeof event.dataId !== "string") return true;
        const role = this.roles.get(event.dataId);
        return role === undefined || role === "data";
      }
      case "messages.snapshot":
        return this.texts.size === 0 && this.reasonings.size === 0 && this.calls.size === 0;
      default:
        return true;
    }
  }

  #record(event: Event, offset: number): void {
    const runId = event.runId;
    switch (event.type) {
      case "run.started":
        this.runIds.add(runId as string);
        return;
      case "run.finished":
      case "run.error":
        this.steps.clear();
        if (event.type === "run.error") this.#closeBegunIn(runId);
        return;
      case "text.start":
        this.texts.set(event.messageId as string, runId);
        return;
      case "text.end":
        this.texts.delete(event.messageId as string);
        return;
      case "reasoning.start":
        this.reasonings.set(event.messageId as string, runId);
        return;
      case "reasoning.end":
        this.reasonings.delete(event.messageId as string);
        return;
      case "tool.end":
        this.calls.delete(event.toolCallId as string);
        this.endedCalls.add(event.toolCallId as string);
        return;
      case "tool.result":
        this.answeredCalls.add(event.toolCallId as string);
        return;
      case "custom.event":
        if (event.transient !== true) {
          this.roles.set(
            typeof event.dataId === "string" ? event.dataId : `data:${offset}`,
            "data",
          );
        }
        return;
      case "messages.snapshot":
        this.#replaceMessages(event.messages as { id: string; role: string }[]);
        return;
      default:
        return;
    }
  }

  #begin(id: unknown, role: string): boolean {
    if (typeof id !== "string" || this.roles.has(id)) return false;
    this.roles.set(id, role);
    return true;
  }

  #startCall(event: Event): boolean {
    const id = event.toolCallId as string;
    if (this.knownCalls.has(id)) return false;
    const parent = event.parentMessageId;
    if (parent !== undefined) {
      if (this.roles.get(parent as string) !== "assistant") return false;
    } else if (!this.#begin(id, "assistant")) return false;
    this.knownCalls.add(id);
    this.calls.set(id, {
      name: event.toolName as string,
      parent: (parent as string | undefined) ?? id,
      runId: event.runId,
    });
    return true;
  }

  #closeBegunIn(runId: string | undefined): void {
    for (const [id, begun] of this.texts) if (begun === runId) this.texts.delete(id);
    for (const [id, begun] of this.reasonings) if (begun === runId) this.reasonings.delete(id);
    for (const [id, call] of this.calls) if (call.runId === runId) this.calls.delete(id);
  }

  #replaceMessages(
    messages: { id: string; role: string; toolCalls?: { id: string }[]; toolCallId?: string }[],
  ): void {
    this.roles.clear();
    for (const message of messages) {
      this.roles.set(message.id, message.role);
      for (const call of message.toolCalls ?? []) {
        this.knownCalls.add(call.id);
        this.endedCalls.add(call.id);
      }
      if (message.toolCallId !== undefined) this.answeredCalls.add(message.toolCallId);
    }
  }
}
