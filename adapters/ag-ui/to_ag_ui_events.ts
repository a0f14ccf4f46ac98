// The AG-UI view of an agent stream: canonical events in, AG-UI events out
// (spec/v1/view-ag-ui.md §2). Stateful: AG-UI has no events outside runs, so
// what comes between runs waits for the next run; usage waits for the end of
// its run; messages snapshots and late readers need what a reader holds.

import * as v from "valibot";
import { type Envelope, EnvelopeSchema } from "../../src/protocol/envelope.ts";
import { LifecycleTracker } from "../../src/vocabulary/lifecycle.ts";
import { normalizeEvent } from "../../src/vocabulary/normalize_event.ts";
import { STANDARD_EVENT_DEFINITIONS } from "../../src/vocabulary/standard_events.ts";
import type { Usage } from "../../src/vocabulary/usage.ts";
import type { ConversationMessage } from "../../src/vocabulary/conversation_message.ts";
import type { AgUiEvent, AgUiEventOf } from "./ag_ui_events.ts";
import type { AgUiMessage } from "./ag_ui_messages.ts";
import { AgUiClientModel } from "./ag_ui_client_model.ts";
import { toolResultContent } from "./_content.ts";
import { snapshotEvents } from "./_snapshot.ts";
import { type ActiveRun, StreamState } from "./_stream_state.ts";
import { UsageTally } from "./_usage.ts";
import {
  content,
  customEvent,
  interruptsOf,
  isWrapped,
  MARK,
  META_TYPES,
  usageOf,
} from "./_members.ts";
import { toAgUiMessage } from "./to_ag_ui_messages.ts";

type Event = { type: string; runId?: string; time?: string; [key: string]: unknown };

const DEFINITIONS = new Map(STANDARD_EVENT_DEFINITIONS.map((d) => [d.type as string, d]));

/**
 * The key of `metadata` under which the view marks what AG-UI has no member
 * for: the data message of a `CUSTOM` event (`{dataId}`), or a `CUSTOM`
 * event that carries a whole agent-stream event (`{event: true}`).
 *
 * @example
 * ```ts
 * import { AG_UI_METADATA_KEY } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const custom = { type: "CUSTOM", name: "card", value: 1, metadata: { [AG_UI_METADATA_KEY]: { dataId: "d1" } } };
 * console.log(custom.metadata["agent-stream"].dataId); // "d1"
 * ```
 */
export const AG_UI_METADATA_KEY: "agent-stream" = MARK;

/**
 * Options of {@linkcode AgUiEventMapper}.
 *
 * @example
 * ```ts
 * import type { AgUiMapperOptions } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const options: AgUiMapperOptions = { threadId: "chats/42" };
 * ```
 */
export interface AgUiMapperOptions {
  /** The `threadId` of runs whose `run.started` names none; `"default"` when not given. */
  readonly threadId?: string;
}

/**
 * What a reader holds when it starts reading somewhere other than at the
 * start of the stream: its messages and state.
 *
 * @example
 * ```ts
 * import type { AgUiReader } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const reader: AgUiReader = { messages: [{ id: "u1", role: "user", content: "Hi" }], state: {} };
 * ```
 */
export interface AgUiReader {
  /** The reader's messages; none when absent. */
  readonly messages?: readonly AgUiMessage[];
  /** The reader's state; `{}` when absent. */
  readonly state?: unknown;
}

/**
 * Maps the events of an agent stream, in stream order, to AG-UI events. Feed
 * it every event from offset 0; it skips what the conversation projection
 * skips (no envelope, a schema failure, a lifecycle refusal), carries events
 * of types the vocabulary does not define in `CUSTOM`, holds events that come
 * while no run is active until the next `run.started`, reports a run's usage
 * when the run ends, and keeps what a reader holds, which
 * {@linkcode AgUiEventMapper.beginReader} uses to bring a reader that starts
 * late to the same point.
 *
 * @example
 * ```ts
 * import { AgUiEventMapper } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const mapper = new AgUiEventMapper({ threadId: "t1" });
 * console.log(mapper.push({ type: "text.message", messageId: "u1", role: "user", content: "Hi" }));
 * // [] (held: no run is active)
 * console.log(mapper.push({ type: "run.started", runId: "r1" }).map((e) => e.type));
 * // ["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END"]
 * console.log(mapper.messages); // [{ id: "u1", role: "user", content: "Hi" }]
 * ```
 */
export class AgUiEventMapper {
  readonly #threadId: string;
  readonly #stream = new StreamState();
  readonly #tracker = new LifecycleTracker();
  readonly #replica = new AgUiClientModel();
  #held: { event: Event; offset: number }[] = [];
  #next = 0;
  /** What a reader that starts at the next run holds. */
  #reader: AgUiReader | undefined;
  // What the current AG-UI run has open; a client checks it, run by run.
  readonly #openText = new Set<string>();
  readonly #openReasoning = new Set<string>();
  readonly #openCalls = new Set<string>();
  readonly #openSteps = new Set<string>();
  // What the view has written about messages and calls, for opening them again.
  readonly #textRoles = new Map<string, string>();
  readonly #calls = new Map<string, { name: string; parent: string }>();
  readonly #streamed = new Set<string>();

  /** A mapper for one stream (one reader). */
  constructor(options: AgUiMapperOptions = {}) {
    this.#threadId = options.threadId ?? "default";
  }

  /** The active run's id. */
  get activeRunId(): string | undefined {
    return this.#stream.active?.runId;
  }

  /** Whether events wait for the next run. */
  get holding(): boolean {
    return this.#held.length > 0;
  }

  /** The messages a reader of every event pushed so far holds. */
  get messages(): AgUiMessage[] {
    return structuredClone(this.#replica.messages);
  }

  /** The state a reader of every event pushed so far holds. */
  get state(): unknown {
    return structuredClone(this.#replica.state);
  }

  /** Whether the conversation holds a message with this id (one still held included). */
  hasMessage(id: string): boolean {
    return this.#stream.messages.has(id);
  }

  /**
   * Maps the next event of the stream.
   *
   * @param event The event, as parsed from the stream.
   * @param offset Its offset; by default one more than the last one pushed.
   * @returns The AG-UI events to send now, possibly none.
   */
  push(event: unknown, offset: number = this.#next): AgUiEvent[] {
    this.#next = offset + 1;
    const core = this.#admit(event, offset);
    const out: AgUiEvent[] = [];
    for (const c of core) {
      this.#stream.record(c, offset);
      if (c.type === "run.started") out.push(...this.#startRun(c));
      else if (this.#stream.active === undefined) this.#hold(c, offset);
      else out.push(...this.#emit(c, offset));
    }
    return out;
  }

  /**
   * The events the projection folds for `event` (llm.* normalised), or the
   * event itself when its type is not the vocabulary's; none for what the
   * projection skips: no envelope, a schema failure, a lifecycle refusal.
   */
  #admit(event: unknown, offset: number): Event[] {
    if (!v.is(EnvelopeSchema, event)) return [];
    // The events written share nothing with the event read.
    const e = structuredClone(event) as Event;
    const definition = DEFINITIONS.get(e.type);
    if (definition === undefined) return [e];
    if (!v.is(definition.schema, e)) return [];
    if (this.#tracker.admit(e as Envelope, offset) !== undefined) return [];
    return normalizeEvent(e as Envelope, (id) => this.#tracker.requestMessageId(id)) as Event[];
  }

  /**
   * Starts a reader here that holds `reader`'s messages and state: returns
   * the events that bring it to what a reader of every event so far holds,
   * opened by a `RUN_STARTED` of the active run, when one is active; else
   * they follow the next `RUN_STARTED`.
   */
  beginReader(reader: AgUiReader = {}): AgUiEvent[] {
    this.#openText.clear();
    this.#openReasoning.clear();
    this.#openCalls.clear();
    this.#openSteps.clear();
    const active = this.#stream.active;
    if (active === undefined) {
      this.#reader = reader;
      return [];
    }
    const out = [structuredClone(active.started), ...this.#prelude(reader)];
    for (const step of this.#stream.steps) out.push(this.#open("STEP_STARTED", step));
    for (const id of this.#stream.texts.keys()) out.push(...this.#ensureText(id));
    for (const id of this.#stream.reasonings.keys()) out.push(...this.#ensureReasoning(id));
    for (const id of this.#stream.calls.keys()) out.push(...this.#ensureCall(id));
    return out;
  }

  #prelude(reader: AgUiReader): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    const held = structuredClone((reader.messages ?? []) as AgUiMessage[]);
    if (JSON.stringify(held) !== JSON.stringify(this.#replica.messages)) {
      out.push(...snapshotEvents(held, this.messages));
    }
    if (JSON.stringify(reader.state ?? {}) !== JSON.stringify(this.#replica.state)) {
      out.push({ type: "STATE_SNAPSHOT", snapshot: this.state });
    }
    return out;
  }

  #hold(event: Event, offset: number): void {
    if (event.type === "usage.reported") this.#stream.pendingExtra.push(usageOf(event));
    else this.#held.push({ event, offset });
  }

  #startRun(event: Event): AgUiEvent[] {
    const runId = event.runId as string;
    const threadId = typeof event.threadId === "string" ? event.threadId : this.#threadId;
    const started: AgUiEvent = { type: "RUN_STARTED", threadId, runId };
    if (typeof event.parentRunId === "string") started.parentRunId = event.parentRunId;
    const decorated = this.#decorate(event, [started])[0];
    this.#stream.active = {
      runId,
      threadId,
      started: structuredClone(decorated),
      own: [],
      extra: this.#stream.pendingExtra,
    };
    this.#stream.pendingExtra = [];
    this.#openText.clear();
    this.#openReasoning.clear();
    this.#openCalls.clear();
    this.#openSteps.clear();
    const out = this.#apply([decorated]);
    if (this.#reader !== undefined) {
      out.push(...this.#prelude(this.#reader));
      this.#reader = undefined;
    }
    const held = this.#held;
    this.#held = [];
    for (const { event: h, offset } of held) out.push(...this.#emit(h, offset));
    return out;
  }

  /** The AG-UI events for an admitted event while a run is active. */
  #emit(event: Event, offset: number): AgUiEvent[] {
    return this.#apply(this.#decorate(event, this.#map(event, offset)));
  }

  #map(e: Event, offset: number): AgUiEvent[] {
    const active = this.#stream.active as ActiveRun;
    switch (e.type) {
      case "run.finished":
        return [...this.#closeAll(), this.#finishRun(e, active)];
      case "run.error":
        return [this.#failRun(e, active)];
      case "step.started":
        return [this.#open("STEP_STARTED", e.stepName as string)];
      case "step.finished":
        this.#openSteps.delete(e.stepName as string);
        return [{ type: "STEP_FINISHED", stepName: e.stepName as string }];
      case "text.start":
        this.#textRoles.set(e.messageId as string, (e.role as string | undefined) ?? "assistant");
        return this.#ensureText(e.messageId as string);
      case "text.delta":
        return [...this.#ensureText(e.messageId as string), ...content(e, "TEXT_MESSAGE_CONTENT")];
      case "text.end":
        return [...this.#ensureText(e.messageId as string), this.#endText(e.messageId as string)];
      case "text.message": {
        const messageId = e.messageId as string;
        return [
          { type: "TEXT_MESSAGE_START", messageId, role: e.role as "user" },
          ...content({ ...e, delta: e.content }, "TEXT_MESSAGE_CONTENT"),
          { type: "TEXT_MESSAGE_END", messageId },
        ];
      }
      case "reasoning.start":
        return this.#ensureReasoning(e.messageId as string);
      case "reasoning.delta":
        return [
          ...this.#ensureReasoning(e.messageId as string),
          ...content(e, "REASONING_MESSAGE_CONTENT"),
        ];
      case "reasoning.end":
        return [...this.#ensureReasoning(e.messageId as string), ...this.#endReasoning(e)];
      case "tool.start": {
        const toolCallId = e.toolCallId as string;
        const parent = e.parentMessageId as string | undefined;
        this.#calls.set(toolCallId, { name: e.toolName as string, parent: parent ?? toolCallId });
        // A call of no message makes an assistant message of its own, with text.
        const own: AgUiEvent[] = parent !== undefined ? [] : [
          { type: "TEXT_MESSAGE_START", messageId: toolCallId, role: "assistant" },
          { type: "TEXT_MESSAGE_END", messageId: toolCallId },
        ];
        return [...own, ...this.#ensureCall(toolCallId)];
      }
      case "tool.delta": {
        const toolCallId = e.toolCallId as string;
        const out = this.#ensureCall(toolCallId);
        if (e.delta === "") return out;
        this.#streamed.add(toolCallId);
        return [...out, { type: "TOOL_CALL_ARGS", toolCallId, delta: e.delta as string }];
      }
      case "tool.end":
        return this.#endCall(e);
      case "tool.result":
        return [{
          type: "TOOL_CALL_RESULT",
          messageId: (e.messageId as string | undefined) ?? `${e.toolCallId}:result`,
          toolCallId: e.toolCallId as string,
          content: toolResultContent(e.output, e.error as string | undefined),
          role: "tool",
        }];
      case "state.snapshot":
        return [{ type: "STATE_SNAPSHOT", snapshot: e.snapshot }];
      case "state.delta":
        return [{ type: "STATE_DELTA", delta: e.patch as AgUiEventOf<"STATE_DELTA">["delta"] }];
      case "messages.snapshot":
        return snapshotEvents(
          this.#replica.messages,
          (e.messages as ConversationMessage[]).flatMap((m) => toAgUiMessage(m) ?? []),
        );
      case "usage.reported":
        (e.runId === active.runId ? active.own : active.extra).push(usageOf(e));
        return [];
      case "custom.event":
        return [customEvent(e, offset)];
      case "raw.event":
        return [{
          type: "RAW",
          event: e.event ?? null,
          ...(typeof e.source === "string" ? { source: e.source } : {}),
        }];
      default:
        return [{
          type: "CUSTOM",
          name: e.type,
          value: e,
          metadata: { [AG_UI_METADATA_KEY]: { event: true } },
        }];
    }
  }

  #finishRun(e: Event, active: ActiveRun): AgUiEvent {
    const finished: AgUiEventOf<"RUN_FINISHED"> = {
      type: "RUN_FINISHED",
      threadId: active.threadId,
      runId: active.runId,
    };
    // AG-UI's result is never null.
    if (e.result !== undefined && e.result !== null) finished.result = e.result;
    if (e.outcome === "interrupt") {
      finished.outcome = { type: "interrupt", interrupts: interruptsOf(e, active.runId) };
    } else finished.outcome = { type: e.outcome === "cancelled" ? "cancelled" : "success" };
    const usage = this.#endUsage(e, active);
    if (usage !== undefined) finished.usage = usage;
    return finished;
  }

  #failRun(e: Event, active: ActiveRun): AgUiEvent {
    const failed: AgUiEventOf<"RUN_ERROR"> = { type: "RUN_ERROR", message: e.message as string };
    if (typeof e.code === "string") failed.code = e.code;
    const usage = this.#endUsage(e, active);
    if (usage !== undefined) failed.usage = usage;
    // A client forgets what a run left open once the next run starts.
    this.#openText.clear();
    this.#openReasoning.clear();
    this.#openCalls.clear();
    this.#openSteps.clear();
    return failed;
  }

  #endUsage(e: Event, active: ActiveRun): ReturnType<UsageTally["entries"]> {
    this.#stream.active = undefined;
    const tally = new UsageTally();
    for (const usage of active.extra) tally.add(usage);
    if (active.own.length > 0) { for (const usage of active.own) tally.add(usage); }
    else if (typeof e.usage === "object" && e.usage !== null) tally.add(e.usage as Usage);
    return tally.entries();
  }

  /** Closes what the AG-UI run has open; a client refuses to end a run with anything open. */
  #closeAll(): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    for (const id of this.#openText) out.push({ type: "TEXT_MESSAGE_END", messageId: id });
    for (const id of this.#openReasoning) {
      out.push({ type: "REASONING_MESSAGE_END", messageId: id }, {
        type: "REASONING_END",
        messageId: id,
      });
    }
    for (const id of this.#openCalls) out.push({ type: "TOOL_CALL_END", toolCallId: id });
    for (const name of this.#openSteps) out.push({ type: "STEP_FINISHED", stepName: name });
    this.#openText.clear();
    this.#openReasoning.clear();
    this.#openCalls.clear();
    this.#openSteps.clear();
    return out;
  }

  #open(type: "STEP_STARTED", stepName: string): AgUiEvent {
    this.#openSteps.add(stepName);
    return { type, stepName };
  }

  #ensureText(messageId: string): AgUiEvent[] {
    if (this.#openText.has(messageId)) return [];
    this.#openText.add(messageId);
    const role = (this.#textRoles.get(messageId) ?? "assistant") as "assistant";
    return [{ type: "TEXT_MESSAGE_START", messageId, role }];
  }

  #endText(messageId: string): AgUiEvent {
    this.#openText.delete(messageId);
    return { type: "TEXT_MESSAGE_END", messageId };
  }

  #ensureReasoning(messageId: string): AgUiEvent[] {
    if (this.#openReasoning.has(messageId)) return [];
    this.#openReasoning.add(messageId);
    return [
      { type: "REASONING_START", messageId },
      { type: "REASONING_MESSAGE_START", messageId, role: "reasoning" },
    ];
  }

  #endReasoning(e: Event): AgUiEvent[] {
    const messageId = e.messageId as string;
    this.#openReasoning.delete(messageId);
    const out: AgUiEvent[] = [{ type: "REASONING_MESSAGE_END", messageId }];
    if (typeof e.encryptedValue === "string") {
      out.push({
        type: "REASONING_ENCRYPTED_VALUE",
        subtype: "message",
        entityId: messageId,
        encryptedValue: e.encryptedValue,
      });
    }
    out.push({ type: "REASONING_END", messageId });
    return out;
  }

  /** Opens a call in the AG-UI run, again if an earlier run ended while it was open. */
  #ensureCall(toolCallId: string): AgUiEvent[] {
    const call = this.#calls.get(toolCallId);
    if (this.#openCalls.has(toolCallId) || call === undefined) return [];
    this.#openCalls.add(toolCallId);
    return [{
      type: "TOOL_CALL_START",
      toolCallId,
      toolCallName: call.name,
      parentMessageId: call.parent,
    }];
  }

  #endCall(e: Event): AgUiEvent[] {
    const toolCallId = e.toolCallId as string;
    const out = this.#ensureCall(toolCallId);
    this.#openCalls.delete(toolCallId);
    if (!this.#streamed.has(toolCallId) && e.input !== undefined) {
      out.push({ type: "TOOL_CALL_ARGS", toolCallId, delta: JSON.stringify(e.input) });
    }
    out.push({ type: "TOOL_CALL_END", toolCallId });
    return out;
  }

  /** Adds `timestamp` (and `meta`, where it stays on the event) from the canonical event. */
  #decorate(e: Event, events: AgUiEvent[]): AgUiEvent[] {
    const time = typeof e.time === "string" ? Date.parse(e.time) : NaN;
    const meta = typeof e.meta === "object" && e.meta !== null ? e.meta : undefined;
    for (const out of events) {
      if (Number.isInteger(time)) out.timestamp = time;
      if (meta !== undefined && META_TYPES.has(out.type) && !isWrapped(out)) {
        out.metadata = { ...structuredClone(meta), ...out.metadata };
      }
    }
    return events;
  }

  #apply(events: AgUiEvent[]): AgUiEvent[] {
    for (const event of events) this.#replica.apply(event);
    return events;
  }
}

/**
 * Maps a sequence of agent-stream events, from offset 0, to AG-UI events.
 *
 * @example
 * ```ts
 * import { toAgUiEvents } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const events = [...toAgUiEvents([
 *   { type: "run.started", runId: "r1", threadId: "t1" },
 *   { type: "text.message", runId: "r1", messageId: "a1", role: "assistant", content: "Hi" },
 *   { type: "run.finished", runId: "r1", outcome: "success" },
 * ])];
 * console.log(events.map((e) => e.type));
 * // ["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"]
 * ```
 */
export function* toAgUiEvents(
  events: Iterable<unknown>,
  options?: AgUiMapperOptions,
): Generator<AgUiEvent, void, undefined> {
  const mapper = new AgUiEventMapper(options);
  for (const event of events) yield* mapper.push(event);
}
