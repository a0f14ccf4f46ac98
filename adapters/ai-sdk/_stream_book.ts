// What the view records of a stream besides the lifecycle bookkeeping: the
// run each message began in, and where each tool call lives, what it was
// called with and whether it was answered. Only admitted core events are
// recorded (the lifecycle tracker decides), so the records follow the
// projection (spec/v1/projection.md §3, §4).

import type { StandardEvent } from "../../src/vocabulary/standard_events.ts";
import type { ConversationMessage } from "../../src/vocabulary/conversation_message.ts";

/** What the view knows of a message. */
export interface MessageEntry {
  readonly role: ConversationMessage["role"];
  readonly runId: string | undefined;
}

/** What the view knows of a tool call. */
export interface CallEntry {
  /** The assistant message that holds it. */
  readonly holder: string;
  readonly name: string;
  /** The run its `tool.start` named: the run it was begun in. */
  readonly runId: string | undefined;
  arguments: string;
  answered: boolean;
}

/** The value of a JSON text, or that it is not JSON text. */
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

/** Records of the messages and calls of one stream. */
export class StreamBook {
  readonly messages: Map<string, MessageEntry> = new Map();
  readonly calls: Map<string, CallEntry> = new Map();

  /** The run of the message `id`, if it is of one. */
  runOf(id: string): string | undefined {
    return this.messages.get(id)?.runId;
  }

  /** Records an admitted core event at `offset`. */
  record(event: StandardEvent, offset: number): void {
    const runId = event.runId;
    switch (event.type) {
      case "text.start":
      case "text.message":
        this.#begin(event.messageId, { role: event.role ?? "assistant", runId });
        return;
      case "reasoning.start":
        this.#begin(event.messageId, { role: "reasoning", runId });
        return;
      case "tool.start":
        if (event.parentMessageId === undefined) {
          this.#begin(event.toolCallId, { role: "assistant", runId });
        }
        this.calls.set(event.toolCallId, {
          holder: event.parentMessageId ?? event.toolCallId,
          name: event.toolName,
          runId,
          arguments: "",
          answered: false,
        });
        return;
      case "tool.delta": {
        const call = this.calls.get(event.toolCallId);
        if (call !== undefined) call.arguments += event.delta;
        return;
      }
      case "tool.result": {
        const call = this.calls.get(event.toolCallId);
        if (call !== undefined) call.answered = true;
        this.#begin(event.messageId ?? `${event.toolCallId}:result`, { role: "tool", runId });
        return;
      }
      case "custom.event":
        if (event.transient !== true) {
          this.#begin(event.dataId ?? `data:${offset}`, { role: "data", runId });
        }
        return;
      case "messages.snapshot":
        this.#replace(event.messages);
        return;
    }
  }

  // "The message X" is the first with that id (projection.md §3).
  #begin(id: string, entry: MessageEntry): void {
    if (!this.messages.has(id)) this.messages.set(id, entry);
  }

  #replace(messages: readonly ConversationMessage[]): void {
    const before = new Map(this.calls);
    this.messages.clear();
    this.calls.clear();
    const answered = new Set(
      messages.flatMap((message) => message.role === "tool" ? [message.toolCallId] : []),
    );
    for (const message of messages) {
      this.#begin(message.id, { role: message.role, runId: message.runId });
      if (message.role !== "assistant") continue;
      for (const call of message.toolCalls) {
        if (this.calls.has(call.id)) continue;
        this.calls.set(call.id, {
          holder: message.id,
          name: call.name,
          runId: before.get(call.id)?.runId ?? message.runId,
          arguments: call.arguments,
          answered: answered.has(call.id) || (before.get(call.id)?.answered ?? false),
        });
      }
    }
  }
}
