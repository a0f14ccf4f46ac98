// AG-UI events in, agent-stream events out (spec/v1/view-ag-ui.md §3): what
// an AG-UI producer says, written into an agent stream.

import type { AgUiEvent } from "./ag_ui_events.ts";
import type { AgUiMessage } from "./ag_ui_messages.ts";
import { conversationMessage, messageEvents } from "./_from_messages.ts";
import { usageFromTokenUsage } from "./_usage.ts";
import { Subagents } from "./_subagents.ts";
import { Activities } from "./_activities.ts";
import { AG_UI_METADATA_KEY } from "./to_ag_ui_events.ts";

/**
 * An agent-stream event as the reverse mapping writes it: an envelope with
 * the members of its type.
 *
 * @example
 * ```ts
 * import type { IngestedEvent } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const event: IngestedEvent = { type: "text.delta", runId: "r1", messageId: "m1", delta: "Hi" };
 * ```
 */
export interface IngestedEvent {
  /** The event type. */
  type: string;
  /** The run the event belongs to. */
  runId?: string;
  /** When it happened, from the AG-UI `timestamp`. */
  time?: string;
  /** From the AG-UI `metadata`. */
  meta?: Record<string, unknown>;
  /** The members of the type. */
  [member: string]: unknown;
}

type Chunk = { kind: "text" | "tool" | "reasoning"; id: string };

/** Types during which a chunked message or call stays open (AG-UI's chunk rules). */
const CHUNK_NEUTRAL = new Set([
  "RAW",
  "ACTIVITY_SNAPSHOT",
  "ACTIVITY_DELTA",
  "REASONING_ENCRYPTED_VALUE",
  "SUBAGENT_STARTED",
]);

/**
 * Turns the events of an AG-UI producer, in order, into agent-stream events:
 * runs, steps, text, reasoning, tool calls, state and messages snapshots map
 * to their counterparts, chunks are expanded, activity messages become data
 * messages, subagents become agent processes, usage becomes usage reports.
 * Events that an AG-UI client would ignore or refuse (a delta of nothing
 * open, a second start) are dropped. Call {@linkcode AgUiEventIngester.end}
 * after the last event.
 *
 * @example
 * ```ts
 * import { AgUiEventIngester } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const ingester = new AgUiEventIngester();
 * const out = [
 *   ...ingester.push({ type: "RUN_STARTED", threadId: "t1", runId: "r1" }),
 *   ...ingester.push({ type: "TEXT_MESSAGE_CHUNK", messageId: "m1", delta: "Hi" }),
 *   ...ingester.push({ type: "RUN_FINISHED", threadId: "t1", runId: "r1" }),
 *   ...ingester.end(),
 * ];
 * console.log(out.map((e) => e.type));
 * // ["run.started", "text.start", "text.delta", "text.end", "run.finished"]
 * ```
 */
export class AgUiEventIngester {
  #runId: string | undefined;
  readonly #roles = new Map<string, string>();
  readonly #open = {
    text: new Set<string>(),
    reasoning: new Set<string>(),
    tool: new Set<string>(),
  };
  readonly #calls = new Map<string, "open" | "ended" | "answered">();
  readonly #activities = new Activities();
  readonly #subagents = new Subagents();
  readonly #encrypted = new Map<string, string>();
  #chunk: Chunk | undefined;
  #pendingEnd: IngestedEvent | undefined;

  /** The agent-stream events for the next AG-UI event. */
  push(value: AgUiEvent | unknown): IngestedEvent[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
    const event = value as AgUiEvent;
    if (typeof event.type !== "string") return [];
    const out: IngestedEvent[] = [];
    const keepsReasoning = event.type === "REASONING_ENCRYPTED_VALUE" ||
      event.type === "REASONING_END";
    if (!keepsReasoning) out.push(...this.#flushEnd());
    if (!CHUNK_NEUTRAL.has(event.type) && !event.type.endsWith("_CHUNK")) {
      out.push(...this.#closeChunk());
    }
    const pending = this.#pendingEnd;
    const mapped = this.#decorate(event, this.#map(event));
    if (this.#pendingEnd !== undefined && this.#pendingEnd !== pending) {
      this.#pendingEnd = this.#decorate(event, [this.#pendingEnd])[0];
    }
    return [...this.#inRun(out), ...mapped];
  }

  /** The events still pending after the last AG-UI event: an open chunk, a reasoning end. */
  end(): IngestedEvent[] {
    return this.#inRun([...this.#flushEnd(), ...this.#closeChunk()]);
  }

  #map(e: AgUiEvent): IngestedEvent[] {
    switch (e.type) {
      case "RUN_STARTED": {
        if (this.#runId !== undefined || !validId(e.runId)) return [];
        this.#runId = e.runId;
        const started: IngestedEvent = { type: "run.started", runId: e.runId };
        if (validId(e.threadId)) started.threadId = e.threadId;
        if (validId(e.parentRunId)) started.parentRunId = e.parentRunId;
        if (e.input !== undefined) started.input = e.input;
        const added = (e.input?.messages ?? []).filter((m) => !this.#roles.has(m.id))
          .flatMap((m) => this.#addMessage(m));
        return [started, ...added];
      }
      case "RUN_FINISHED":
      case "RUN_ERROR":
        return this.#endRun(e);
      case "STEP_STARTED":
      case "STEP_FINISHED":
        if (this.#runId === undefined) return [];
        return [{
          type: e.type === "STEP_STARTED" ? "step.started" : "step.finished",
          stepName: e.stepName,
        }];
      case "TEXT_MESSAGE_START":
        return this.#startText(e.messageId, e.role);
      case "TEXT_MESSAGE_CONTENT":
        return this.#open.text.has(e.messageId)
          ? [{ type: "text.delta", messageId: e.messageId, delta: e.delta }]
          : [];
      case "TEXT_MESSAGE_END":
        return this.#endText(e.messageId);
      case "TEXT_MESSAGE_CHUNK":
        return this.#chunkEvents(
          "text",
          e.messageId,
          e.delta,
          () => this.#startText(e.messageId!, e.role),
        );
      case "TOOL_CALL_START":
        return this.#startCall(e.toolCallId, e.toolCallName, e.parentMessageId);
      case "TOOL_CALL_ARGS":
        return this.#open.tool.has(e.toolCallId)
          ? [{ type: "tool.delta", toolCallId: e.toolCallId, delta: e.delta }]
          : [];
      case "TOOL_CALL_END":
        return this.#endCall(e.toolCallId);
      case "TOOL_CALL_CHUNK":
        return this.#chunkEvents(
          "tool",
          e.toolCallId,
          e.delta,
          () =>
            e.toolCallName === undefined
              ? []
              : this.#startCall(e.toolCallId!, e.toolCallName, e.parentMessageId),
        );
      case "TOOL_CALL_RESULT":
        return this.#result(e);
      case "STATE_SNAPSHOT":
        return [{ type: "state.snapshot", snapshot: e.snapshot }];
      case "STATE_DELTA":
        return [{ type: "state.delta", patch: e.delta }];
      case "MESSAGES_SNAPSHOT":
        return this.#snapshot(e.messages);
      case "ACTIVITY_SNAPSHOT":
        return this.#activities.snapshot(e, this.#roles);
      case "ACTIVITY_DELTA":
        return this.#activities.delta(e);
      case "RAW":
        return [{
          type: "raw.event",
          event: e.event,
          ...(e.source !== undefined ? { source: e.source } : {}),
        }];
      case "CUSTOM":
        return [this.#custom(e)];
      case "REASONING_START":
      case "REASONING_END":
        return [];
      case "REASONING_MESSAGE_START":
        return this.#startReasoning(e.messageId);
      case "REASONING_MESSAGE_CONTENT":
        return this.#open.reasoning.has(e.messageId)
          ? [{ type: "reasoning.delta", messageId: e.messageId, delta: e.delta }]
          : [];
      case "REASONING_MESSAGE_END":
        return this.#endReasoning(e.messageId);
      case "REASONING_MESSAGE_CHUNK":
        return this.#chunkEvents(
          "reasoning",
          e.messageId,
          e.delta,
          () => this.#startReasoning(e.messageId!),
        );
      case "REASONING_ENCRYPTED_VALUE":
        if (e.subtype !== "message") return [];
        if (this.#pendingEnd?.messageId === e.entityId) {
          this.#pendingEnd.encryptedValue = e.encryptedValue;
        } else if (this.#open.reasoning.has(e.entityId)) {
          this.#encrypted.set(e.entityId, e.encryptedValue);
        }
        return [];
      case "SUBAGENT_STARTED":
        return this.#subagents.started(e);
      case "SUBAGENT_FINISHED":
      case "SUBAGENT_ERROR":
        return this.#subagents.ended(e);
      default:
        return [];
    }
  }

  #endRun(e: AgUiEvent & { type: "RUN_FINISHED" | "RUN_ERROR" }): IngestedEvent[] {
    if (this.#runId === undefined) return [];
    const out: IngestedEvent[] = (e.usage ?? []).map((entry) => ({
      type: "usage.reported",
      ...usageFromTokenUsage(entry),
    }));
    if (e.type === "RUN_ERROR") {
      out.push({
        type: "run.error",
        message: e.message,
        ...(e.code !== undefined ? { code: e.code } : {}),
      });
    } else {
      const finished: IngestedEvent = {
        type: "run.finished",
        outcome: e.outcome?.type ?? "success",
      };
      if (e.result !== undefined) finished.result = e.result;
      if (e.outcome?.type === "interrupt") {
        finished.interrupts = structuredClone(e.outcome.interrupts);
      }
      out.push(finished);
    }
    const decorated = out.map((event) => ({ ...event, runId: this.#runId }));
    this.#runId = undefined;
    return decorated;
  }

  #startText(messageId: string, role: string | undefined): IngestedEvent[] {
    if (!validId(messageId) || this.#roles.has(messageId)) return [];
    this.#roles.set(messageId, role ?? "assistant");
    this.#open.text.add(messageId);
    return [{ type: "text.start", messageId, ...(role !== undefined ? { role } : {}) }];
  }

  #endText(messageId: string): IngestedEvent[] {
    if (!this.#open.text.delete(messageId)) return [];
    return [{ type: "text.end", messageId }];
  }

  #startReasoning(messageId: string): IngestedEvent[] {
    if (!validId(messageId) || this.#roles.has(messageId)) return [];
    this.#roles.set(messageId, "reasoning");
    this.#open.reasoning.add(messageId);
    return [{ type: "reasoning.start", messageId }];
  }

  #endReasoning(messageId: string): IngestedEvent[] {
    if (!this.#open.reasoning.delete(messageId)) return [];
    // An encrypted value may follow the end: the end waits for the next event.
    const encryptedValue = this.#encrypted.get(messageId);
    this.#encrypted.delete(messageId);
    this.#pendingEnd = {
      type: "reasoning.end",
      messageId,
      ...(encryptedValue !== undefined ? { encryptedValue } : {}),
    };
    return [];
  }

  #flushEnd(): IngestedEvent[] {
    const pending = this.#pendingEnd;
    this.#pendingEnd = undefined;
    return pending === undefined ? [] : [pending];
  }

  #startCall(toolCallId: string, name: string, parentMessageId?: string): IngestedEvent[] {
    if (!validId(toolCallId) || this.#calls.has(toolCallId)) return [];
    const out: IngestedEvent[] = [];
    let parent = parentMessageId;
    // AG-UI clients file a call under a message they make when its parent is
    // not an assistant message: one of the parent's id, or of the call's.
    if (parent !== undefined && this.#roles.get(parent) !== "assistant") {
      if (this.#roles.has(parent) || !validId(parent)) parent = undefined;
      else {
        this.#roles.set(parent, "assistant");
        out.push({ type: "text.start", messageId: parent, role: "assistant" }, {
          type: "text.end",
          messageId: parent,
        });
      }
    }
    if (parent === undefined) {
      if (this.#roles.has(toolCallId)) return [];
      this.#roles.set(toolCallId, "assistant");
    }
    this.#calls.set(toolCallId, "open");
    this.#open.tool.add(toolCallId);
    out.push({
      type: "tool.start",
      toolCallId,
      toolName: name,
      ...(parent !== undefined ? { parentMessageId: parent } : {}),
    });
    return out;
  }

  #endCall(toolCallId: string): IngestedEvent[] {
    if (!this.#open.tool.delete(toolCallId)) return [];
    this.#calls.set(toolCallId, "ended");
    return [{ type: "tool.end", toolCallId }];
  }

  #result(e: AgUiEvent & { type: "TOOL_CALL_RESULT" }): IngestedEvent[] {
    if (this.#calls.get(e.toolCallId) !== "ended") return [];
    const fallback = `${e.toolCallId}:result`;
    if (!validId(e.messageId) || this.#roles.has(e.messageId)) return [];
    this.#roles.set(e.messageId, "tool");
    this.#calls.set(e.toolCallId, "answered");
    return [{
      type: "tool.result",
      toolCallId: e.toolCallId,
      ...(e.messageId !== fallback ? { messageId: e.messageId } : {}),
      output: structuredClone(e.content),
    }];
  }

  /** Opens or continues a chunked message or call, closing another one first. */
  #chunkEvents(
    kind: Chunk["kind"],
    given: string | undefined,
    delta: string | undefined,
    open: () => IngestedEvent[],
  ): IngestedEvent[] {
    const out: IngestedEvent[] = [];
    const current = this.#chunk;
    const id = given ?? (current?.kind === kind ? current.id : undefined);
    if (current !== undefined && (current.kind !== kind || current.id !== id)) {
      out.push(...this.#closeChunk());
    }
    if (id === undefined) return out;
    if (this.#chunk === undefined) {
      const opened = open();
      if (opened.length === 0) return out;
      out.push(...opened);
      this.#chunk = { kind, id };
    }
    if (delta !== undefined) {
      out.push(
        kind === "tool"
          ? { type: "tool.delta", toolCallId: id, delta }
          : { type: kind === "text" ? "text.delta" : "reasoning.delta", messageId: id, delta },
      );
    }
    return out;
  }

  #closeChunk(): IngestedEvent[] {
    const chunk = this.#chunk;
    this.#chunk = undefined;
    if (chunk === undefined) return [];
    if (chunk.kind === "text") return this.#endText(chunk.id);
    if (chunk.kind === "tool") return this.#endCall(chunk.id);
    return [...this.#endReasoning(chunk.id), ...this.#flushEnd()];
  }

  #snapshot(messages: AgUiMessage[]): IngestedEvent[] {
    const converted = messages.map(conversationMessage);
    this.#roles.clear();
    this.#activities.replace(messages);
    for (const message of messages) {
      this.#roles.set(message.id, message.role === "activity" ? "data" : message.role);
      for (const call of message.role === "assistant" ? message.toolCalls ?? [] : []) {
        if (!this.#calls.has(call.id)) this.#calls.set(call.id, "ended");
      }
      if (message.role === "tool") this.#calls.set(message.toolCallId, "answered");
    }
    return [{ type: "messages.snapshot", messages: converted }];
  }

  #custom(e: AgUiEvent & { type: "CUSTOM" }): IngestedEvent {
    const marker = e.metadata?.[AG_UI_METADATA_KEY] as
      | { event?: unknown; dataId?: unknown }
      | undefined;
    const value = e.value as IngestedEvent | undefined;
    if (
      marker?.event === true && typeof value === "object" && value !== null &&
      typeof value.type === "string"
    ) {
      return structuredClone(value);
    }
    if (typeof marker?.dataId === "string") {
      return { type: "custom.event", name: e.name, value: e.value, dataId: marker.dataId };
    }
    return { type: "custom.event", name: e.name, value: e.value, transient: true };
  }

  #addMessage(message: AgUiMessage): IngestedEvent[] {
    if (!validId(message.id)) return [];
    const events = messageEvents(message, (id) => this.#calls.get(id) === "ended");
    for (const event of events) this.#note(event);
    return events;
  }

  /** Updates what is known for events made from a whole message. */
  #note(event: IngestedEvent): void {
    const id = (event.messageId ?? event.dataId) as string | undefined;
    if (event.type === "tool.start") {
      this.#calls.set(event.toolCallId as string, "ended");
    } else if (event.type === "tool.result") {
      this.#calls.set(event.toolCallId as string, "answered");
      this.#roles.set(id ?? `${event.toolCallId}:result`, "tool");
    } else if (id !== undefined && event.type !== "tool.delta") {
      this.#roles.set(
        id,
        event.type === "custom.event" ? "data" : (event.role as string) ?? "reasoning",
      );
    }
  }

  /** Gives events the active run's id. */
  #inRun(events: IngestedEvent[]): IngestedEvent[] {
    const runId = this.#runId;
    return runId === undefined
      ? events
      : events.map((e) => e.runId === undefined ? { ...e, runId } : e);
  }

  /** Adds the run, the time and the metadata of the AG-UI event. */
  #decorate(source: AgUiEvent, events: IngestedEvent[]): IngestedEvent[] {
    const wrapped = source.type === "CUSTOM" &&
      (source.metadata?.[AG_UI_METADATA_KEY] as { event?: unknown } | undefined)?.event === true;
    if (wrapped) return events;
    const time = typeof source.timestamp === "number" && Number.isFinite(source.timestamp)
      ? new Date(source.timestamp).toISOString()
      : undefined;
    const { [AG_UI_METADATA_KEY]: _marker, ...meta } = source.metadata ?? {};
    return events.map((event) => {
      const out: IngestedEvent = { ...event };
      if (this.#runId !== undefined && out.runId === undefined) out.runId = this.#runId;
      if (time !== undefined) out.time = time;
      if (Object.keys(meta).length > 0) out.meta = structuredClone(meta);
      return out;
    });
  }
}

/**
 * Turns a sequence of AG-UI events into agent-stream events.
 *
 * @example
 * ```ts
 * import { fromAgUiEvents } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const events = [...fromAgUiEvents([
 *   { type: "RUN_STARTED", threadId: "t1", runId: "r1" },
 *   { type: "STATE_SNAPSHOT", snapshot: { step: 1 } },
 *   { type: "RUN_FINISHED", threadId: "t1", runId: "r1" },
 * ])];
 * console.log(events[1]); // { type: "state.snapshot", snapshot: { step: 1 }, runId: "r1" }
 * ```
 */
export function* fromAgUiEvents(
  events: Iterable<AgUiEvent | unknown>,
): Generator<IngestedEvent, void, undefined> {
  const ingester = new AgUiEventIngester();
  for (const event of events) yield* ingester.push(event);
  yield* ingester.end();
}

function validId(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 256;
}
