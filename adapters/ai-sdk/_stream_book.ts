// The bookkeeping the view keeps over a whole stream: which runs, messages,
// tool calls, steps and LLM requests exist and which are open. It admits an
// event when the lifecycle rules of spec/v1/events.md allow it, and refuses
// it otherwise, as the projection does (spec/v1/projection.md §1, step 4).

import { applyJsonPatch, type JsonValue } from "../../src/projector/json_patch.ts";
import type { StandardEvent } from "../../src/vocabulary/standard_events.ts";
import type { ConversationMessage } from "../../src/vocabulary/conversation_message.ts";

/** Who wrote a message of the conversation. */
export type MessageRole = ConversationMessage["role"];

/** What the book knows of a message. */
export interface MessageEntry {
  readonly role: MessageRole;
  readonly runId: string | undefined;
}

/** What the book knows of a tool call. */
export interface CallEntry {
  /** The assistant message that holds it. */
  readonly holder: string;
  readonly name: string;
  /** The run its `tool.start` named. */
  readonly runId: string | undefined;
  arguments: string;
  open: boolean;
  answered: boolean;
}

interface RequestEntry {
  readonly message: string;
  open: boolean;
  readonly calls: Set<string>;
}

/** The core events that a `llm.*` event folds as, or the event itself. */
export type CoreEvents = readonly StandardEvent[];

/** The value of a JSON text, or undefined when it is not JSON text. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Whether two JSON values are equal (members in any order). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record).sort().map((key) => [key, canonical(record[key])]),
    );
  }
  return value;
}

/** Lifecycle bookkeeping of one stream. */
export class StreamBook {
  readonly messages: Map<string, MessageEntry> = new Map();
  /** Open text and reasoning messages: id → whether it is reasoning. */
  readonly openMessages: Map<string, "text" | "reasoning"> = new Map();
  readonly calls: Map<string, CallEntry> = new Map();
  // Calls a messages snapshot left out: their ids stay taken (EVT-TOOL-1).
  readonly #gone = new Map<string, CallEntry>();
  readonly #runs = new Set<string>();
  #activeRun: string | undefined;
  readonly #steps = new Set<string>();
  readonly #requests = new Map<string, RequestEntry>();
  #state: unknown = {};

  /** The run that is active, if any. */
  get activeRunId(): string | undefined {
    return this.#activeRun;
  }

  /** The message id a request's text goes to, while the request is known. */
  requestMessage(requestId: string): string | undefined {
    return this.#requests.get(requestId)?.message;
  }

  /**
   * Checks an event against the rules given everything admitted so far and,
   * when it passes, admits it. A `llm.*` event is checked with its core
   * events; `cores` are those, or the event itself.
   */
  admit(event: StandardEvent, cores: CoreEvents, offset: number): boolean {
    const runId = event.runId;
    if (event.type.startsWith("run.")) {
      if (runId === undefined) return false;
    } else if (runId !== undefined && runId !== this.#activeRun) return false;
    if (!this.#admitLlm(event)) return false;
    for (const core of cores) {
      if (!this.#admitCore(core, offset)) return false;
    }
    if (event !== cores[0]) this.#applyLlm(event);
    return true;
  }

  #admitLlm(event: StandardEvent): boolean {
    if (!event.type.startsWith("llm.")) return true;
    const request = "requestId" in event ? this.#requests.get(event.requestId) : undefined;
    if (event.type === "llm.started") return request === undefined;
    if (request === undefined || (!request.open && event.type !== "llm.tool-result")) return false;
    if (event.type === "llm.tool-result") return request.calls.has(event.toolCallId);
    return true;
  }

  #applyLlm(event: StandardEvent): void {
    switch (event.type) {
      case "llm.started":
        this.#requests.set(event.requestId, {
          message: event.messageId ?? event.requestId,
          open: true,
          calls: new Set(),
        });
        break;
      case "llm.tool-call":
        this.#requests.get(event.requestId)?.calls.add(event.toolCallId);
        break;
      case "llm.completed":
      case "llm.error": {
        const request = this.#requests.get(event.requestId);
        if (request !== undefined) request.open = false;
        break;
      }
    }
  }

  #newMessage(id: string): boolean {
    return !this.messages.has(id);
  }

  #admitCore(event: StandardEvent, offset: number): boolean {
    const runId = event.runId;
    switch (event.type) {
      case "run.started":
        if (this.#activeRun !== undefined || this.#runs.has(runId!)) return false;
        this.#runs.add(runId!);
        this.#activeRun = runId;
        return true;
      case "run.finished":
        if (runId !== this.#activeRun || this.#hasOpen(runId!)) return false;
        if (event.interrupts !== undefined && event.outcome !== "interrupt") return false;
        this.#endRun();
        return true;
      case "run.error":
        if (runId !== this.#activeRun) return false;
        this.closeRun(runId!);
        this.#endRun();
        return true;
      case "step.started":
        if (runId === undefined || this.#steps.has(event.stepName)) return false;
        this.#steps.add(event.stepName);
        return true;
      case "step.finished":
        if (runId === undefined) return false;
        return this.#steps.delete(event.stepName);
      case "text.start":
      case "reasoning.start":
        if (!this.#newMessage(event.messageId)) return false;
        this.messages.set(event.messageId, {
          role: event.type === "reasoning.start" ? "reasoning" : event.role ?? "assistant",
          runId,
        });
        this.openMessages.set(event.messageId, event.type === "text.start" ? "text" : "reasoning");
        return true;
      case "text.message":
        if (!this.#newMessage(event.messageId)) return false;
        this.messages.set(event.messageId, { role: event.role, runId });
        return true;
      case "text.delta":
        return this.openMessages.get(event.messageId) === "text";
      case "reasoning.delta":
        return this.openMessages.get(event.messageId) === "reasoning";
      case "text.end":
      case "reasoning.end": {
        const kind = event.type === "text.end" ? "text" : "reasoning";
        if (this.openMessages.get(event.messageId) !== kind) return false;
        this.openMessages.delete(event.messageId);
        return true;
      }
      case "tool.start":
        return this.#startTool(event.toolCallId, event.toolName, event.parentMessageId, runId);
      case "tool.delta": {
        const call = this.calls.get(event.toolCallId);
        if (call === undefined || !call.open) return false;
        call.arguments += event.delta;
        return true;
      }
      case "tool.end": {
        const call = this.calls.get(event.toolCallId);
        if (call === undefined || !call.open) return false;
        if (call.arguments !== "") {
          const parsed = parseJson(call.arguments);
          if (!parsed.ok) return false;
          if (
            "input" in event && event.input !== undefined && !sameJson(parsed.value, event.input)
          ) {
            return false;
          }
        }
        call.open = false;
        return true;
      }
      case "tool.result": {
        const call = this.calls.get(event.toolCallId);
        if (call === undefined || call.open || call.answered) return false;
        if ((event.output !== undefined) === (event.error !== undefined)) return false;
        const id = event.messageId ?? `${event.toolCallId}:result`;
        if (event.messageId !== undefined && !this.#newMessage(id)) return false;
        call.answered = true;
        if (!this.messages.has(id)) this.messages.set(id, { role: "tool", runId });
        return true;
      }
      case "custom.event": {
        if (event.transient === true) return true;
        const id = event.dataId ?? `data:${offset}`;
        const existing = event.dataId === undefined ? undefined : this.messages.get(id);
        if (existing !== undefined) return existing.role === "data";
        if (!this.messages.has(id)) this.messages.set(id, { role: "data", runId });
        return true;
      }
      case "messages.snapshot":
        return this.#replaceMessages(event.messages);
      case "state.snapshot":
        if (event.snapshot !== undefined) this.#state = event.snapshot;
        return true;
      case "state.delta":
        try {
          this.#state = applyJsonPatch(this.#state as JsonValue, event.patch);
          return true;
        } catch {
          return false;
        }
      default:
        return true;
    }
  }

  #startTool(
    id: string,
    name: string,
    parent: string | undefined,
    runId: string | undefined,
  ): boolean {
    if (this.calls.has(id) || this.#gone.has(id)) return false;
    if (parent !== undefined) {
      if (this.messages.get(parent)?.role !== "assistant") return false;
    } else {
      if (!this.#newMessage(id)) return false;
      this.messages.set(id, { role: "assistant", runId });
    }
    this.calls.set(id, {
      holder: parent ?? id,
      name,
      runId,
      arguments: "",
      open: true,
      answered: false,
    });
    return true;
  }

  #replaceMessages(messages: readonly ConversationMessage[]): boolean {
    if (this.openMessages.size > 0 || [...this.calls.values()].some((call) => call.open)) {
      return false;
    }
    const ids = new Set(messages.map((message) => message.id));
    if (ids.size !== messages.length) return false;
    this.messages.clear();
    const answered = new Set<string>();
    for (const message of messages) {
      this.messages.set(message.id, { role: message.role, runId: message.runId });
      if (message.role === "tool") answered.add(message.toolCallId);
    }
    // The snapshot's calls have ended; each now lives where the snapshot puts it.
    const kept = new Map(this.calls);
    this.calls.clear();
    for (const message of messages) {
      if (message.role !== "assistant") continue;
      for (const call of message.toolCalls) {
        const before = kept.get(call.id);
        this.calls.set(call.id, {
          holder: message.id,
          name: call.name,
          runId: before?.runId ?? message.runId,
          arguments: call.arguments,
          open: false,
          answered: answered.has(call.id) || (before?.answered ?? false),
        });
      }
    }
    for (const [id, call] of kept) if (!this.calls.has(id)) this.#gone.set(id, call);
    return true;
  }

  #hasOpen(runId: string): boolean {
    for (const id of this.openMessages.keys()) {
      if (this.messages.get(id)?.runId === runId) return true;
    }
    for (const call of this.calls.values()) {
      if (call.open && call.runId === runId) return true;
    }
    return this.#steps.size > 0;
  }

  /** What `run.error` closes: the open messages and calls begun in the run. */
  openOfRun(runId: string): { messages: string[]; calls: string[] } {
    const messages = [...this.openMessages.keys()].filter((id) =>
      this.messages.get(id)?.runId === runId
    );
    const calls = [...this.calls].filter(([, call]) => call.open && call.runId === runId)
      .map(([id]) => id);
    return { messages, calls };
  }

  /** Closes the open messages and calls begun in the run (PROJ-RUN-4). */
  closeRun(runId: string): void {
    const open = this.openOfRun(runId);
    for (const id of open.messages) this.openMessages.delete(id);
    for (const id of open.calls) this.calls.get(id)!.open = false;
    for (const request of this.#requests.values()) {
      if (open.messages.includes(request.message)) request.open = false;
    }
  }

  #endRun(): void {
    this.#activeRun = undefined;
    this.#steps.clear();
  }
}
