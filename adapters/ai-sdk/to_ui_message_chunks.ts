// Canonical events → UI message chunks (spec/v1/view-ai-sdk.md §3): each run
// becomes the stream of one assistant message, from `start` to `finish`,
// `error` or `abort`.

import type { StandardEvent } from "../../src/vocabulary/standard_events.ts";
import type { Usage } from "../../src/vocabulary/usage.ts";
import { classifyEvent } from "./_events.ts";
import { LifecycleTracker } from "../../src/vocabulary/lifecycle.ts";
import { normalizeEvent } from "../../src/vocabulary/normalize_event.ts";
import { StreamBook } from "./_stream_book.ts";
import { effectiveInput, INCOMPLETE } from "./_tool_input.ts";
import { addUsage } from "./_usage_totals.ts";
import type { UiRunMetadata } from "./ui_message.ts";
import type { UiMessageChunk } from "./ui_message_chunk.ts";

/**
 * The data name of the transient chunks that carry events the UI message has
 * no place for (`data-agent-stream`, spec/v1/view-ai-sdk.md §3.4).
 *
 * @example
 * ```ts
 * import { PASSTHROUGH_DATA_NAME } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(`data-${PASSTHROUGH_DATA_NAME}`); // "data-agent-stream"
 * ```
 */
export const PASSTHROUGH_DATA_NAME = "agent-stream";

/** Event types the view forwards as they are, inside a transient data chunk. */
const PASSTHROUGH = new Set([
  "step.started",
  "step.finished",
  "state.snapshot",
  "state.delta",
  "messages.snapshot",
  "usage.reported",
  "raw.event",
]);

function passes(type: string): boolean {
  return PASSTHROUGH.has(type) || type.startsWith("task.") || type.startsWith("agent.");
}

/**
 * Options of {@linkcode UiMessageChunkMapper}.
 *
 * @example
 * ```ts
 * import type { UiMessageChunkMapperOptions } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const options: UiMessageChunkMapperOptions = { passthrough: false };
 * ```
 */
export interface UiMessageChunkMapperOptions {
  /**
   * Forward the run's events that have no chunk of their own (steps, state,
   * usage, tasks, agents, raw and unknown events) as transient
   * `data-agent-stream` chunks. Default `true`.
   */
  readonly passthrough?: boolean;
}

/**
 * The chunks one event maps to, and the run whose stream they belong to.
 *
 * @example
 * ```ts
 * import type { RunChunks } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const mapped: RunChunks = { runId: "run_1", chunks: [{ type: "start", messageId: "run_1" }] };
 * ```
 */
export interface RunChunks {
  /** The run. */
  readonly runId: string;
  /** Its chunks, in order. */
  readonly chunks: readonly UiMessageChunk[];
}

// What the view knows of the run whose stream it is writing.
interface RunView {
  readonly record: UiRunMetadata;
  readonly texts: Set<string>;
  readonly reasonings: Set<string>;
  readonly calls: Set<string>;
  readonly data: Set<string>;
  readonly steering: Map<string, string>;
  reported: boolean;
}

/**
 * Maps the events of an agent stream, pushed one at a time from offset 0,
 * to the UI message streams of its runs. It keeps the lifecycle bookkeeping
 * of the whole stream: values that are not events, and events the lifecycle
 * rules refuse, map to nothing.
 *
 * @example
 * ```ts
 * import { UiMessageChunkMapper } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const mapper = new UiMessageChunkMapper();
 * mapper.push({ type: "run.started", runId: "run_1" });
 * const mapped = mapper.push({ type: "text.message", runId: "run_1", messageId: "m1", role: "assistant", content: "Hi" });
 * console.log(mapped?.chunks.map((chunk) => chunk.type)); // ["text-start", "text-delta", "text-end"]
 * ```
 */
export class UiMessageChunkMapper {
  readonly #tracker = new LifecycleTracker();
  readonly #book = new StreamBook();
  readonly #passthrough: boolean;
  #offset = 0;
  #run: RunView | undefined;

  /** Creates a mapper for a stream, before its first event. */
  constructor(options: UiMessageChunkMapperOptions = {}) {
    this.#passthrough = options.passthrough ?? true;
  }

  /** The run that is active after the events pushed so far. */
  get activeRunId(): string | undefined {
    return this.#tracker.activeRunId;
  }

  /** How many stream messages were pushed: the offset of the next one. */
  get offset(): number {
    return this.#offset;
  }

  /**
   * Takes the next stream message (a parsed JSON value) and returns the
   * chunks it adds to the stream of the active run, if any.
   */
  push(value: unknown): RunChunks | undefined {
    const offset = this.#offset++;
    const classified = classifyEvent(value);
    if (classified.kind === "invalid") return undefined;
    const run = this.#run;
    const runId = run?.record.runId;
    if (classified.kind === "unknown") {
      const event = classified.event;
      if (run === undefined || event.runId !== runId || event.type.startsWith("run.")) {
        return undefined;
      }
      return this.#result(runId!, this.#passthroughChunk(event));
    }
    const event = classified.event;
    const closing = event.type === "run.error" && runId !== undefined
      ? this.#tracker.openToolCallIds().filter((id) => this.#book.calls.get(id)?.runId === runId)
      : [];
    const dataId = event.type === "custom.event" && event.transient !== true
      ? event.dataId ?? `data:${offset}`
      : undefined;
    const existed = dataId !== undefined && this.#tracker.messageRole(dataId) !== undefined;
    if (this.#tracker.admit(event, offset) !== undefined) return undefined;
    const cores = normalizeEvent(event, (id) => this.#tracker.requestMessageId(id));
    const chunks: UiMessageChunk[] = [];
    for (const core of cores) {
      this.#book.record(core, offset);
      this.#map(core, chunks, closing, existed, dataId);
      if (run === undefined || core.runId !== runId) continue;
      const named = core.type === "custom.event" && core.transient === true &&
        core.name === PASSTHROUGH_DATA_NAME;
      if (passes(core.type) || named) chunks.push(...this.#passthroughChunk(core));
    }
    const owner = this.#run?.record.runId ?? runId;
    return owner === undefined ? undefined : this.#result(owner, chunks);
  }

  #result(runId: string, chunks: UiMessageChunk[]): RunChunks | undefined {
    return chunks.length === 0 ? undefined : { runId, chunks };
  }

  #passthroughChunk(event: object): UiMessageChunk[] {
    return this.#passthrough
      ? [{ type: `data-${PASSTHROUGH_DATA_NAME}`, data: event, transient: true }]
      : [];
  }

  // Whether the event begins something in the active run's message.
  #inRun(runId: string | undefined): RunView | undefined {
    const run = this.#run;
    return run !== undefined && runId === run.record.runId ? run : undefined;
  }

  #map(
    event: StandardEvent,
    out: UiMessageChunk[],
    closingCalls: readonly string[],
    existed: boolean,
    dataId: string | undefined,
  ): void {
    const run = this.#run;
    switch (event.type) {
      case "run.started": {
        const record: UiRunMetadata = { runId: event.runId!, status: "running" };
        if (event.threadId !== undefined) record.threadId = event.threadId;
        if (event.parentRunId !== undefined) record.parentRunId = event.parentRunId;
        this.#run = {
          record,
          texts: new Set(),
          reasonings: new Set(),
          calls: new Set(),
          data: new Set(),
          steering: new Map(),
          reported: false,
        };
        out.push({ type: "start", messageId: record.runId, messageMetadata: { ...record } });
        return;
      }
      case "run.finished":
        if (run === undefined) return;
        this.#finish(run, event, out);
        return;
      case "run.error":
        if (run === undefined) return;
        this.#fail(run, event, closingCalls, out);
        return;
      case "text.start": {
        const target = this.#inRun(event.runId);
        if (target === undefined) return;
        const role = event.role ?? "assistant";
        if (role === "assistant") {
          target.texts.add(event.messageId);
          out.push({ type: "text-start", id: event.messageId });
        } else if (role === "user") target.steering.set(event.messageId, "");
        return;
      }
      case "text.delta":
        if (run?.texts.has(event.messageId)) {
          if (event.delta !== "") {
            out.push({ type: "text-delta", id: event.messageId, delta: event.delta });
          }
        } else if (run?.steering.has(event.messageId)) {
          run.steering.set(event.messageId, run.steering.get(event.messageId) + event.delta);
        }
        return;
      case "text.end":
        if (run?.texts.delete(event.messageId)) {
          out.push({ type: "text-end", id: event.messageId });
        } else if (run?.steering.has(event.messageId)) {
          out.push(steering(event.messageId, run.steering.get(event.messageId)!));
          run.steering.delete(event.messageId);
        }
        return;
      case "text.message": {
        const target = this.#inRun(event.runId);
        if (target === undefined) return;
        const id = event.messageId;
        if (event.role === "assistant") {
          out.push({ type: "text-start", id });
          if (event.content !== "") out.push({ type: "text-delta", id, delta: event.content });
          out.push({ type: "text-end", id });
        } else if (event.role === "user") out.push(steering(id, event.content));
        return;
      }
      case "reasoning.start": {
        const target = this.#inRun(event.runId);
        if (target === undefined) return;
        target.reasonings.add(event.messageId);
        out.push({ type: "reasoning-start", id: event.messageId });
        return;
      }
      case "reasoning.delta":
        if (run?.reasonings.has(event.messageId) && event.delta !== "") {
          out.push({ type: "reasoning-delta", id: event.messageId, delta: event.delta });
        }
        return;
      case "reasoning.end": {
        if (!run?.reasonings.delete(event.messageId)) return;
        const extra: Record<string, string> = {};
        if (event.signature !== undefined) extra.signature = event.signature;
        if (event.encryptedValue !== undefined) extra.encryptedValue = event.encryptedValue;
        out.push(
          Object.keys(extra).length === 0 ? { type: "reasoning-end", id: event.messageId } : {
            type: "reasoning-end",
            id: event.messageId,
            providerMetadata: { agentStream: extra },
          },
        );
        return;
      }
      case "tool.start": {
        const call = this.#book.calls.get(event.toolCallId)!;
        const target = this.#inRun(this.#book.runOf(call.holder));
        if (target === undefined) return;
        target.calls.add(event.toolCallId);
        out.push({ type: "tool-input-start", toolCallId: event.toolCallId, toolName: call.name });
        return;
      }
      case "tool.delta":
        if (run?.calls.has(event.toolCallId) && event.delta !== "") {
          out.push({
            type: "tool-input-delta",
            toolCallId: event.toolCallId,
            inputTextDelta: event.delta,
          });
        }
        return;
      case "tool.end": {
        if (!run?.calls.has(event.toolCallId)) return;
        const call = this.#book.calls.get(event.toolCallId)!;
        const input = effectiveInput(event.input, call.arguments);
        out.push(inputAvailable(event.toolCallId, call.name, input === INCOMPLETE ? null : input));
        return;
      }
      case "tool.result":
        if (!run?.calls.has(event.toolCallId)) return;
        out.push(
          event.error !== undefined
            ? { type: "tool-output-error", toolCallId: event.toolCallId, errorText: event.error }
            : {
              type: "tool-output-available",
              toolCallId: event.toolCallId,
              output: event.output ?? null,
            },
        );
        return;
      case "custom.event":
        this.#custom(event, out, existed, dataId);
        return;
      case "usage.reported": {
        const target = this.#inRun(event.runId);
        if (target === undefined) return;
        target.reported = true;
        target.record.usage = addUsage(target.record.usage, event);
        out.push({ type: "message-metadata", messageMetadata: { usage: target.record.usage } });
        return;
      }
      default:
        return;
    }
  }

  #custom(
    event: Extract<StandardEvent, { type: "custom.event" }>,
    out: UiMessageChunk[],
    existed: boolean,
    dataId: string | undefined,
  ): void {
    const type = `data-${event.name}` as const;
    if (dataId === undefined) {
      const target = this.#inRun(event.runId);
      if (target === undefined || event.name === PASSTHROUGH_DATA_NAME) return;
      out.push({
        type,
        ...(event.dataId !== undefined ? { id: event.dataId } : {}),
        data: event.value ?? null,
        transient: true,
      });
      return;
    }
    const run = this.#run;
    if (existed) {
      if (run?.data.has(dataId)) out.push({ type, id: dataId, data: event.value ?? null });
      return;
    }
    const target = this.#inRun(event.runId);
    if (target === undefined) return;
    target.data.add(dataId);
    out.push({ type, id: dataId, data: event.value ?? null });
  }

  #end(run: RunView, usage: Usage | undefined): void {
    if (!run.reported && usage !== undefined) run.record.usage = addUsage(undefined, usage);
    this.#run = undefined;
  }

  #finish(
    run: RunView,
    event: Extract<StandardEvent, { type: "run.finished" }>,
    out: UiMessageChunk[],
  ): void {
    const record = run.record;
    record.status = event.outcome;
    if (event.result !== undefined) record.result = event.result;
    if (event.interrupts !== undefined) record.interrupts = event.interrupts;
    this.#end(run, event.usage);
    for (const interrupt of event.interrupts ?? []) {
      const id = interrupt.toolCallId;
      const call = id === undefined ? undefined : this.#book.calls.get(id);
      if (id === undefined || call === undefined || !run.calls.has(id) || call.answered) continue;
      out.push({
        type: "tool-approval-request",
        approvalId: interrupt.id,
        toolCallId: id,
        ...(interrupt.message !== undefined ? { reason: interrupt.message } : {}),
      });
    }
    const messageMetadata = { ...record };
    if (event.outcome === "cancelled") {
      out.push({ type: "message-metadata", messageMetadata }, {
        type: "abort",
        reason: "cancelled",
      });
    } else {
      const finishReason = event.outcome === "success" ? "stop" : "other";
      out.push({ type: "finish", finishReason, messageMetadata });
    }
  }

  #fail(
    run: RunView,
    event: Extract<StandardEvent, { type: "run.error" }>,
    closingCalls: readonly string[],
    out: UiMessageChunk[],
  ): void {
    for (const id of run.texts) out.push({ type: "text-end", id });
    for (const id of run.reasonings) out.push({ type: "reasoning-end", id });
    for (const [id, text] of run.steering) out.push(steering(id, text));
    for (const id of closingCalls) {
      const call = this.#book.calls.get(id)!;
      const input = effectiveInput(undefined, call.arguments);
      // Arguments that are not JSON text stay streaming: the call never completed.
      if (run.calls.has(id) && input !== INCOMPLETE) out.push(inputAvailable(id, call.name, input));
    }
    const record = run.record;
    record.status = "error";
    record.error = event.code === undefined
      ? { message: event.message }
      : { message: event.message, code: event.code };
    this.#end(run, event.usage);
    out.push(
      { type: "message-metadata", messageMetadata: { ...record } },
      { type: "error", errorText: event.message },
    );
  }
}

function steering(id: string, text: string): UiMessageChunk {
  return { type: "steering-message", id, parts: [{ type: "text", text }] };
}

// The protocol requires `input`; a call without one sends null.
function inputAvailable(toolCallId: string, toolName: string, input: unknown): UiMessageChunk {
  return { type: "tool-input-available", toolCallId, toolName, input };
}

/**
 * Options of {@linkcode toUiMessageChunks}.
 *
 * @example
 * ```ts
 * import type { ToUiMessageChunksOptions } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const options: ToUiMessageChunksOptions = { runId: "run_2" };
 * ```
 */
export interface ToUiMessageChunksOptions extends UiMessageChunkMapperOptions {
  /** Only the stream of this run; default every run's, one after another. */
  readonly runId?: string;
}

/**
 * The UI message streams of the runs of a stream's events (from offset 0),
 * one after another, or the stream of one run.
 *
 * @example
 * ```ts
 * import { toUiMessageChunks } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const chunks = toUiMessageChunks([
 *   { type: "text.message", messageId: "u1", role: "user", content: "Hi" },
 *   { type: "run.started", runId: "run_1" },
 *   { type: "text.message", runId: "run_1", messageId: "a1", role: "assistant", content: "Hello" },
 *   { type: "run.finished", runId: "run_1", outcome: "success" },
 * ]);
 * console.log(chunks.map((chunk) => chunk.type));
 * // ["start", "text-start", "text-delta", "text-end", "finish"]
 * ```
 */
export function toUiMessageChunks(
  events: Iterable<unknown>,
  options: ToUiMessageChunksOptions = {},
): UiMessageChunk[] {
  const mapper = new UiMessageChunkMapper(options);
  const chunks: UiMessageChunk[] = [];
  for (const event of events) {
    const mapped = mapper.push(event);
    if (mapped !== undefined && (options.runId === undefined || mapped.runId === options.runId)) {
      chunks.push(...mapped.chunks);
    }
  }
  return chunks;
}
