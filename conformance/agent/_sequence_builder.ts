// Reads intents against the model and emits the events they stand for; an
// intent that does not fit the stream as it is is dropped.
import type { Envelope } from "../../src/protocol/envelope.ts";
import type { JsonValue } from "../../src/projector/json_patch.ts";
import type { ConversationMessage, RunInterrupt, Usage } from "../../src/vocabulary/mod.ts";
import type { Features, Intent, Outcome, Step } from "./_sequence_intents.ts";
import { type CallModel, SequenceModel } from "./_sequence_model.ts";
import { patchFromSeeds } from "./_state_patch.ts";
import { agentEvent, taskEvent } from "./_family_events.ts";

/** How a run begins. */
export interface RunStart {
  readonly thread: boolean;
  readonly parent: number | null;
  readonly input: JsonValue | undefined;
  readonly dress: number;
}

/** How a run ends; `running` leaves it running. */
export type RunEnding =
  | {
    readonly kind: "success" | "interrupt" | "cancelled";
    readonly result: JsonValue | undefined;
    readonly usage: Usage | undefined;
    readonly interrupts: readonly { reason: string; message?: string; toolCall: boolean }[];
  }
  | {
    readonly kind: "error";
    readonly message: string;
    readonly code: string | undefined;
    readonly usage: Usage | undefined;
  }
  | { readonly kind: "running" };

/** One run and the run-less events before it. */
export interface RunPlan {
  readonly gap: readonly Step[];
  readonly start: RunStart;
  /** Whether the run describes model output with `llm.*` rather than core events (EVT-LLM-2). */
  readonly llm: boolean;
  readonly body: readonly Step[];
  readonly end: RunEnding;
}

/** A whole sequence: runs, then run-less events after the last one. */
export interface SequencePlan {
  readonly runs: readonly RunPlan[];
  readonly tail: readonly Step[];
}

const BASE_TIME = Date.UTC(2025, 0, 1);

const pickOf = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

const outcomeMembers = (outcome: Outcome): Outcome => ({ ...outcome });

/** How a tool call's arguments are streamed: the JSON text, and what `tool.end` carries. */
export interface CallPlan {
  readonly text: string;
  readonly deltas: boolean;
  readonly end: boolean;
  readonly input: JsonValue;
}

/** Emits the events of a plan, keeping the model in step. */
export class SequenceBuilder {
  readonly events: Envelope[] = [];
  readonly model: SequenceModel = new SequenceModel();
  readonly features: Features;
  /** What a `violate` step does. */
  readonly onViolate: ((builder: SequenceBuilder) => void) | undefined;
  readonly #plans = new Map<string, CallPlan>();
  readonly #thread: string;
  #llmRun = false;
  #stopped = false;

  constructor(features: Features, onViolate?: (builder: SequenceBuilder) => void) {
    this.features = features;
    this.onViolate = onViolate;
    this.#thread = this.model.fresh("thread");
  }

  /** Whether the active run describes model output with `llm.*` events. */
  get llmRun(): boolean {
    return this.#llmRun;
  }

  /** Builds the whole plan. */
  build(plan: SequencePlan): Envelope[] {
    for (const run of plan.runs) this.run(run);
    if (this.model.active === undefined) {
      for (const step of plan.tail) this.step(step);
    }
    return this.events;
  }

  /** Ends the sequence here: nothing after this is emitted. */
  stop(): void {
    this.#stopped = true;
  }

  /** The run-less events before a run, the run, its body and its end. */
  run(plan: RunPlan): void {
    for (const step of plan.gap) this.step(step);
    if (this.#stopped) return;
    this.startRun(plan.start);
    this.#llmRun = plan.llm;
    for (const step of plan.body) this.step(step);
    if (!this.#stopped) this.endRun(plan.end);
  }

  /** Records how a call about to start streams its arguments. */
  planCall(toolCallId: string, plan: CallPlan): void {
    this.#plans.set(toolCallId, plan);
  }

  /** Emits a valid event: decorated, recorded and folded into the model. */
  emit(event: Envelope, dress = 0): void {
    const offset = this.model.offset;
    const decorated: Envelope = { ...event };
    for (const key of Object.keys(decorated)) {
      if (decorated[key] === undefined) delete decorated[key];
    }
    if (dress & 1) decorated.id = `evt_${offset}`;
    if (dress & 2) decorated.time = new Date(BASE_TIME + offset * 1000).toISOString();
    if (dress & 4) decorated.meta = { trace: `t${offset}` };
    this.events.push(decorated);
    this.model.apply(decorated);
  }

  /** Emits an event the lifecycle rules refuse: recorded, not folded. */
  emitRefused(event: Envelope): void {
    this.events.push(event);
    this.model.skip();
  }

  /** Starts a run with a new id. */
  startRun(start: RunStart): string {
    const runId = this.model.fresh("run");
    const parent = start.parent === null ? undefined : pickOf(this.model.runIds, start.parent);
    this.emit({
      type: "run.started",
      runId,
      threadId: start.thread ? this.#thread : undefined,
      parentRunId: parent,
      input: start.input,
    }, start.dress);
    return runId;
  }

  /** Ends the active run as planned (closing what is open, except on error). */
  endRun(end: RunEnding): void {
    const run = this.model.active;
    if (run === undefined || end.kind === "running") return;
    const usage = end.usage === undefined ? undefined : this.runUsage(end.usage);
    if (end.kind === "error") {
      this.emit({ type: "run.error", runId: run.id, message: end.message, code: end.code, usage });
      return;
    }
    this.closeAll();
    const pending = [...this.model.calls.values()].filter((c) =>
      c.status === "ended" && c.runId === run.id
    );
    const interrupts: RunInterrupt[] = end.kind !== "interrupt" ? [] : end.interrupts.map(
      (entry, i) => {
        const interrupt: RunInterrupt = { id: this.model.fresh("int"), reason: entry.reason };
        if (entry.message !== undefined) interrupt.message = entry.message;
        const call = entry.toolCall ? pending[i] : undefined;
        if (call !== undefined) interrupt.toolCallId = call.id;
        return interrupt;
      },
    );
    this.emit({
      type: "run.finished",
      runId: run.id,
      outcome: end.kind,
      result: end.result,
      interrupts: interrupts.length > 0 ? interrupts : undefined,
      usage,
    });
  }

  /**
   * The usage a run-ending event carries: as planned in a run without
   * reports, else the sums of the run's reports for the numbers planned
   * (EVT-USAGE-1).
   */
  runUsage(planned: Usage): Usage {
    const run = this.model.active!;
    if (run.reports === 0) return planned;
    const usage: Usage = { ...planned };
    for (const key of Object.keys(run.usage) as (keyof typeof run.usage)[]) {
      if (usage[key] !== undefined) usage[key] = run.usage[key];
    }
    return usage;
  }

  /** Closes every message, tool call, request and step of the active run. */
  closeAll(): void {
    const run = this.model.active!;
    for (const call of this.#openCalls()) this.#endCall(call);
    for (const [id, kind] of [...this.model.open]) {
      if (kind === "text") this.emit({ type: "text.end", runId: run.id, messageId: id });
      else if (kind === "reasoning") {
        this.emit({ type: "reasoning.end", runId: run.id, messageId: id });
      }
    }
    for (const [requestId, request] of this.model.requests) {
      if (request.open) this.emit({ type: "llm.completed", runId: run.id, requestId });
    }
    for (const stepName of [...run.steps].reverse()) {
      this.emit({ type: "step.finished", runId: run.id, stepName });
    }
  }

  #openCalls(): CallModel[] {
    return [...this.model.calls.values()].filter((c) => c.status === "open");
  }

  #canOpen(): boolean {
    return this.features.interleave || this.model.openCount() === 0;
  }

  #openOf(kind: "text" | "reasoning"): string[] {
    return [...this.model.open].filter(([, k]) => k === kind).map(([id]) => id);
  }

  #openRequests(): string[] {
    return [...this.model.requests].filter(([, r]) => r.open).map(([id]) => id);
  }

  #answerable(llm: boolean): CallModel[] {
    const run = this.model.active;
    return [...this.model.calls.values()].filter((c) =>
      c.status === "ended" && (c.request !== undefined) === llm &&
      (this.features.crossRun || (run !== undefined && c.runId === run.id))
    );
  }

  #endCall(call: CallModel): void {
    const plan = this.#plans.get(call.id)!;
    const runId = call.runId;
    const rest = plan.deltas ? plan.text.slice(call.arguments.length) : "";
    if (rest !== "") this.emit({ type: "tool.delta", runId, toolCallId: call.id, delta: rest });
    this.emit({
      type: "tool.end",
      runId,
      toolCallId: call.id,
      input: plan.end ? plan.input : undefined,
    });
  }

  /** Emits what one intent stands for, if it fits. */
  step({ intent, dress }: Step): void {
    if (this.#stopped) return;
    if (intent.k === "violate") return this.onViolate?.(this);
    const m = this.model;
    const runId = m.active?.id;
    // Run-less members: events that may leave out `runId` inside a run.
    const loose = runId !== undefined && (dress & 8) === 0 ? runId : undefined;
    const event = this.#event(intent, runId, loose);
    if (event !== undefined) this.emit(event, dress);
  }

  #event(
    intent: Intent,
    runId: string | undefined,
    loose: string | undefined,
  ): Envelope | undefined {
    const m = this.model;
    const f = this.features;
    const inRun = runId !== undefined;
    switch (intent.k) {
      case "textStart":
        if (
          !inRun || !this.#canOpen() ||
          (this.#llmRun && (intent.role ?? "assistant") === "assistant")
        ) return;
        return { type: "text.start", runId, messageId: m.fresh("msg"), role: intent.role };
      case "textMessage":
        if (inRun && (!this.#canOpen() || (this.#llmRun && intent.role === "assistant"))) return;
        return {
          type: "text.message",
          runId,
          messageId: m.fresh("msg"),
          role: intent.role,
          content: intent.content,
        };
      case "reasoningStart":
        if (!inRun || !this.#canOpen()) return;
        return { type: "reasoning.start", runId, messageId: m.fresh("msg") };
      case "advance":
        return this.#advance(intent);
      case "finish":
        this.#finish(intent);
        return;
      case "toolStart": {
        if (!inRun || !this.#canOpen() || this.#llmRun) return;
        const parents = m.messages.filter((message) =>
          message.role === "assistant" && !m.llmMessages.has(message.id) &&
          (f.crossRun || message.runId === runId)
        );
        const parent = intent.parent === null ? undefined : pickOf(parents, intent.parent);
        const toolCallId = m.fresh("call");
        this.#plans.set(toolCallId, {
          text: JSON.stringify(intent.input),
          deltas: intent.deltas,
          end: intent.endInput,
          input: intent.input,
        });
        return {
          type: "tool.start",
          runId,
          toolCallId,
          toolName: intent.name,
          parentMessageId: parent?.id,
        };
      }
      case "toolResult": {
        const call = pickOf(this.#answerable(false), intent.pick);
        if (call === undefined) return;
        return {
          type: "tool.result",
          runId,
          toolCallId: call.id,
          messageId: intent.messageId ? m.fresh("msg") : undefined,
          ...outcomeMembers(intent.outcome),
        };
      }
      case "stepStart":
        if (!inRun || m.active!.steps.includes(intent.name)) return;
        return { type: "step.started", runId, stepName: intent.name };
      case "stepEnd": {
        const stepName = inRun ? pickOf(m.active!.steps, intent.pick) : undefined;
        if (stepName === undefined) return;
        return { type: "step.finished", runId, stepName };
      }
      case "stateSnapshot":
        return { type: "state.snapshot", runId: loose, snapshot: intent.snapshot };
      case "stateDelta": {
        const { patch } = patchFromSeeds(m.state, intent.seeds);
        if (patch.length === 0) return;
        return { type: "state.delta", runId: loose, patch };
      }
      case "messagesSnapshot":
        if (m.openCount() > 0 || [...m.requests.values()].some((r) => r.open)) return;
        return {
          type: "messages.snapshot",
          runId,
          messages: this.#snapshot(intent.drop, intent.add),
        };
      case "usage":
        if (!inRun) return;
        return { type: "usage.reported", runId, ...intent.usage };
      case "custom":
        return this.#custom(intent, loose);
      case "raw":
        return { type: "raw.event", runId: loose, event: intent.event, source: intent.source };
      case "unknown":
        return { ...intent.members, type: intent.type, runId: loose };
      case "task":
        return taskEvent(this.model, intent, loose);
      case "agent":
        return agentEvent(this.model, intent, loose);
      default:
        return inRun && this.#llmRun ? this.#llm(intent, runId) : undefined;
    }
  }

  // Everything that takes deltas: open messages, open requests, streaming tool calls.
  #streams(): { kind: "text" | "reasoning" | "llm" | "tool"; id: string }[] {
    const m = this.model;
    const messages = [...m.open].filter(([, kind]) => kind !== "llm")
      .map(([id, kind]) => ({ kind, id }));
    const requests = this.#openRequests().map((id) => ({ kind: "llm" as const, id }));
    const calls = this.#openCalls().map((c) => ({ kind: "tool" as const, id: c.id }));
    return [...messages, ...requests, ...calls] as {
      kind: "text" | "reasoning" | "llm" | "tool";
      id: string;
    }[];
  }

  #advance(intent: Extract<Intent, { k: "advance" }>): Envelope | undefined {
    const runId = this.model.active?.id;
    const stream = pickOf(
      this.#streams().filter((s) => {
        if (s.kind !== "tool") return true;
        const plan = this.#plans.get(s.id)!;
        return plan.deltas && this.model.calls.get(s.id)!.arguments.length < plan.text.length;
      }),
      intent.pick,
    );
    if (stream === undefined) return;
    switch (stream.kind) {
      case "text":
        return { type: "text.delta", runId, messageId: stream.id, delta: intent.delta };
      case "reasoning":
        return { type: "reasoning.delta", runId, messageId: stream.id, delta: intent.delta };
      case "llm":
        return { type: "llm.token", runId, requestId: stream.id, delta: intent.delta };
      case "tool": {
        const call = this.model.calls.get(stream.id)!;
        const rest = Array.from(this.#plans.get(call.id)!.text.slice(call.arguments.length));
        const delta = rest.slice(0, intent.size + 1).join("");
        return { type: "tool.delta", runId, toolCallId: call.id, delta };
      }
    }
  }

  #finish(intent: Extract<Intent, { k: "finish" }>): void {
    const runId = this.model.active?.id;
    const stream = pickOf(this.#streams(), intent.pick);
    if (stream === undefined) return;
    switch (stream.kind) {
      case "text":
        return this.emit({ type: "text.end", runId, messageId: stream.id });
      case "reasoning":
        return this.emit({
          type: "reasoning.end",
          runId,
          messageId: stream.id,
          signature: intent.signature,
          encryptedValue: intent.encryptedValue,
        });
      case "llm":
        return this.emit(
          intent.error
            ? { type: "llm.error", runId, requestId: stream.id, message: "the model call failed" }
            : {
              type: "llm.completed",
              runId,
              requestId: stream.id,
              finishReason: intent.finishReason,
            },
        );
      case "tool":
        return this.#endCall(this.model.calls.get(stream.id)!);
    }
  }

  // The conversation's messages, less some that nothing still waits on, plus maybe a new one.
  #snapshot(drop: readonly number[], add: string | null): ConversationMessage[] {
    const m = this.model;
    const waiting = new Set(
      [...m.calls.values()].filter((c) => c.status === "ended").map((c) => c.holder),
    );
    const droppable = m.messages.filter((message) => !waiting.has(message.id));
    const dropped = new Set(drop.map((n) => pickOf(droppable, n)?.id));
    const messages = structuredClone(m.messages.filter((message) => !dropped.has(message.id)));
    if (add !== null) messages.push({ id: m.fresh("msg"), role: "user", content: add });
    return messages;
  }

  #custom(intent: Extract<Intent, { k: "custom" }>, runId: string | undefined): Envelope {
    const data = this.model.messages.filter((message) => message.role === "data");
    const reused = intent.data === "reuse" ? pickOf(data, intent.pick)?.id : undefined;
    const dataId = reused ??
      (intent.data === "new" && !intent.transient ? this.model.fresh("data") : undefined);
    return {
      type: "custom.event",
      runId,
      name: intent.name,
      value: intent.value,
      transient: intent.transient ? true : undefined,
      dataId,
    };
  }

  #llm(intent: Intent, runId: string): Envelope | undefined {
    const m = this.model;
    switch (intent.k) {
      case "llmStart":
        if (!this.#canOpen()) return;
        return {
          type: "llm.started",
          runId,
          requestId: m.fresh("req"),
          messageId: intent.messageId ? m.fresh("msg") : undefined,
          model: intent.model,
          provider: intent.model === undefined ? undefined : "example",
        };
      case "llmToolResult": {
        const call = pickOf(this.#answerable(true), intent.pick);
        if (call === undefined) return;
        return {
          type: "llm.tool-result",
          runId,
          requestId: call.request,
          toolCallId: call.id,
          ...outcomeMembers(intent.outcome),
        };
      }
      case "llmToolCall":
      case "llmUsage": {
        const requestId = pickOf(this.#openRequests(), intent.pick);
        if (requestId === undefined) return;
        if (intent.k === "llmUsage") {
          return { type: "llm.usage", runId, ...intent.usage, requestId };
        }
        return {
          type: "llm.tool-call",
          runId,
          requestId,
          toolCallId: m.fresh("call"),
          toolName: intent.name,
          input: intent.input,
        };
      }
    }
    return undefined;
  }
}
