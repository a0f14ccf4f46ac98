// UI message chunks → canonical events (spec/v1/view-ai-sdk.md §5): the
// stream of an assistant message becomes a run of an agent stream.

import type { StandardEvent } from "../../src/vocabulary/standard_events.ts";
import type { RunInterrupt } from "../../src/vocabulary/run.ts";
import { parseJson, sameJson } from "./_stream_book.ts";
import { PASSTHROUGH_DATA_NAME } from "./to_ui_message_chunks.ts";
import {
  isRecord,
  mergeMetadata,
  optionalString,
  textOfParts,
  usageOf,
  withoutType,
} from "./_chunk_fields.ts";
import {
  INCOMPLETE_STREAM_ERROR,
  INCOMPLETE_TOOL_INPUT_ERROR,
  TOOL_DENIED_ERROR,
} from "./reader_errors.ts";

/**
 * Options of {@linkcode UiMessageChunkReader}.
 *
 * @example
 * ```ts
 * import type { UiMessageChunkReaderOptions } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * let n = 0;
 * const options: UiMessageChunkReaderOptions = { generateId: () => `run_${++n}` };
 * ```
 */
export interface UiMessageChunkReaderOptions {
  /** Makes a run id when a stream does not give one. Default `crypto.randomUUID()`. */
  readonly generateId?: () => string;
}

interface CallState {
  open: boolean;
  /** The deltas written so far, joined. */
  args: string;
  readonly text: boolean;
  quoted: boolean;
  answered: boolean;
}

/**
 * Reads the chunks of UI message streams, one at a time, as canonical
 * events: each `start` … `finish` / `error` / `abort` becomes one run. The
 * events it returns are lifecycle-valid as long as the chunks are a valid UI
 * message stream; chunks that are not chunks are ignored.
 *
 * @example
 * ```ts
 * import { UiMessageChunkReader } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const reader = new UiMessageChunkReader();
 * const events = [
 *   { type: "start", messageId: "run_1" },
 *   { type: "text-start", id: "t1" },
 *   { type: "text-delta", id: "t1", delta: "Hi" },
 *   { type: "text-end", id: "t1" },
 *   { type: "finish" },
 * ].flatMap((chunk) => reader.push(chunk));
 * console.log(events.map((event) => event.type));
 * // ["run.started", "text.start", "text.delta", "text.end", "run.finished"]
 * ```
 */
export class UiMessageChunkReader {
  readonly #generateId: () => string;
  #runId: string | undefined;
  #messageId: string | undefined;
  #metadata: unknown;
  readonly #usedIds = new Set<string>();
  #texts = new Map<string, string>();
  #reasonings = new Map<string, string>();
  readonly #calls = new Map<string, CallState>();
  #approvals = new Map<string, { toolCallId: string; reason?: string }>();
  #step: string | undefined;
  #steps = 0;

  /** Creates a reader, before the first chunk. */
  constructor(options: UiMessageChunkReaderOptions = {}) {
    this.#generateId = options.generateId ?? (() => crypto.randomUUID());
  }

  /** The run the chunks read so far leave active, if any. */
  get activeRunId(): string | undefined {
    return this.#runId;
  }

  /** The events one chunk stands for. */
  push(chunk: unknown): StandardEvent[] {
    if (!isRecord(chunk) || typeof chunk.type !== "string") return [];
    const out: StandardEvent[] = [];
    const c = chunk as Record<string, unknown> & { type: string };
    switch (c.type) {
      case "start":
        this.#start(c, out);
        break;
      case "message-metadata":
        this.#metadata = mergeMetadata(this.#metadata, c.messageMetadata);
        break;
      case "finish":
      case "abort":
        this.#metadata = mergeMetadata(this.#metadata, c.messageMetadata);
        if (this.#runId !== undefined) this.#finish(out, c.type === "abort");
        break;
      case "error":
        if (typeof c.errorText === "string") this.#fail(out, c.errorText);
        break;
      case "text-start":
      case "reasoning-start":
        if (typeof c.id === "string") this.#open(c.type === "text-start", c.id, out);
        break;
      case "text-delta":
      case "reasoning-delta":
        this.#delta(c.type === "text-delta", c.id, c.delta, out);
        break;
      case "text-end":
      case "reasoning-end":
        this.#close(c.type === "text-end", c, out);
        break;
      case "tool-input-start":
        this.#toolStart(c, out);
        break;
      case "tool-input-delta":
        this.#toolDelta(c, out);
        break;
      case "tool-input-available":
      case "tool-input-error":
        this.#toolInput(c, out);
        break;
      case "tool-output-available":
      case "tool-output-error":
      case "tool-output-denied":
        this.#toolOutput(c, out);
        break;
      case "tool-approval-request":
        if (typeof c.approvalId === "string" && typeof c.toolCallId === "string") {
          this.#approvals.set(c.approvalId, {
            toolCallId: c.toolCallId,
            ...optionalString("reason", c.reason),
          });
        }
        break;
      case "tool-approval-response":
        if (typeof c.approvalId !== "string" || typeof c.approved !== "boolean") break;
        this.#approvals.delete(c.approvalId);
        this.#custom("ai-sdk.tool-approval-response", withoutType(c), out);
        break;
      case "steering-message":
        if (typeof c.id !== "string" || !Array.isArray(c.parts)) break;
        this.#ensureRun(out);
        out.push({
          ...this.#env(),
          type: "text.message",
          messageId: this.#fresh(c.id),
          role: "user",
          content: textOfParts(c.parts),
        });
        break;
      case "start-step":
        this.#ensureRun(out);
        this.#endStep(out);
        this.#step = `step-${++this.#steps}`;
        out.push({ ...this.#env(), type: "step.started", stepName: this.#step });
        break;
      case "finish-step":
        this.#endStep(out);
        break;
      case "source-url":
      case "source-document":
      case "file":
      case "reasoning-file":
      case "custom":
        this.#custom(`ai-sdk.${c.type}`, withoutType(c), out);
        break;
      default:
        if (c.type.startsWith("data-") && c.type.length > 5) this.#data(c, out);
    }
    return out;
  }

  /** Ends a run the chunks left active with `run.error` (an incomplete stream). */
  end(): StandardEvent[] {
    const out: StandardEvent[] = [];
    if (this.#runId !== undefined) {
      this.#fail(out, INCOMPLETE_STREAM_ERROR.message, INCOMPLETE_STREAM_ERROR.code);
    }
    return out;
  }

  #env(): { runId?: string } {
    return this.#runId === undefined ? {} : { runId: this.#runId };
  }

  #fresh(id: string): string {
    let fresh = id;
    for (let n = 2; this.#usedIds.has(fresh); n++) fresh = `${id}:${n}`;
    this.#usedIds.add(fresh);
    return fresh;
  }

  #ensureRun(out: StandardEvent[]): void {
    if (this.#runId === undefined) this.#begin(this.#generateId(), undefined, out);
  }

  #begin(runId: string, messageId: string | undefined, out: StandardEvent[]): void {
    this.#runId = runId;
    this.#messageId = messageId;
    const meta = isRecord(this.#metadata) ? this.#metadata : {};
    out.push({
      type: "run.started",
      runId,
      ...optionalString("threadId", meta.threadId),
      ...optionalString("parentRunId", meta.parentRunId),
    });
  }

  #start(c: Record<string, unknown>, out: StandardEvent[]): void {
    const messageId = typeof c.messageId === "string" ? c.messageId : undefined;
    if (this.#runId !== undefined) {
      if (messageId === undefined || messageId === this.#messageId) {
        this.#metadata = mergeMetadata(this.#metadata, c.messageMetadata);
        return;
      }
      this.#finish(out, false);
    }
    this.#metadata = mergeMetadata(undefined, c.messageMetadata);
    const meta = isRecord(this.#metadata) ? this.#metadata : {};
    const runId = typeof meta.runId === "string" && meta.runId !== ""
      ? meta.runId
      : messageId ?? this.#generateId();
    this.#begin(runId, messageId, out);
  }

  #finish(out: StandardEvent[], aborted: boolean): void {
    const complete = this.#closeAll(out);
    const meta = isRecord(this.#metadata) ? this.#metadata : {};
    const error = isRecord(meta.error) ? meta.error : undefined;
    if (!complete) {
      this.#fail(out, INCOMPLETE_TOOL_INPUT_ERROR.message, INCOMPLETE_TOOL_INPUT_ERROR.code);
      return;
    }
    if (!aborted && meta.status === "error" && typeof error?.message === "string") {
      this.#fail(out, error.message);
      return;
    }
    const pending: RunInterrupt[] = [...this.#approvals].map(([id, approval]) => ({
      id,
      reason: "approval",
      toolCallId: approval.toolCallId,
      ...optionalString("message", approval.reason),
    }));
    const status = meta.status;
    const outcome = aborted
      ? "cancelled"
      : status === "success" || status === "interrupt" || status === "cancelled"
      ? status
      : pending.length > 0
      ? "interrupt"
      : "success";
    const interrupts = outcome !== "interrupt"
      ? undefined
      : Array.isArray(meta.interrupts)
      ? meta.interrupts as RunInterrupt[]
      : pending.length > 0
      ? pending
      : undefined;
    out.push({
      ...this.#env(),
      type: "run.finished",
      outcome,
      ...(meta.result !== undefined ? { result: meta.result } : {}),
      ...(interrupts !== undefined ? { interrupts } : {}),
      ...usageOf(meta.usage),
    });
    this.#reset();
  }

  #fail(out: StandardEvent[], message: string, code?: string): void {
    this.#ensureRun(out);
    const meta = isRecord(this.#metadata) ? this.#metadata : {};
    const error = isRecord(meta.error) ? meta.error : {};
    out.push({
      ...this.#env(),
      type: "run.error",
      message,
      ...optionalString("code", code ?? error.code),
      ...usageOf(meta.usage),
    });
    this.#reset();
  }

  #reset(): void {
    this.#runId = undefined;
    this.#messageId = undefined;
    this.#metadata = undefined;
    this.#texts = new Map();
    this.#reasonings = new Map();
    this.#approvals = new Map();
    this.#step = undefined;
    this.#steps = 0;
    for (const call of this.#calls.values()) call.open = false;
  }

  /** Closes what is open; false when a call's deltas are not JSON text and stay open. */
  #closeAll(out: StandardEvent[]): boolean {
    const env = this.#env();
    for (const messageId of this.#texts.values()) out.push({ ...env, type: "text.end", messageId });
    for (const messageId of this.#reasonings.values()) {
      out.push({ ...env, type: "reasoning.end", messageId });
    }
    this.#texts.clear();
    this.#reasonings.clear();
    let complete = true;
    for (const [toolCallId, call] of this.#calls) {
      if (call.open && !this.#endCall(toolCallId, call, undefined, out)) complete = false;
    }
    this.#endStep(out);
    return complete;
  }

  #endStep(out: StandardEvent[]): void {
    if (this.#step === undefined) return;
    out.push({ ...this.#env(), type: "step.finished", stepName: this.#step });
    this.#step = undefined;
  }

  #open(text: boolean, id: string, out: StandardEvent[]): void {
    this.#ensureRun(out);
    const messageId = this.#fresh(id);
    if (text) {
      this.#texts.set(id, messageId);
      out.push({ ...this.#env(), type: "text.start", messageId, role: "assistant" });
    } else {
      this.#reasonings.set(id, messageId);
      out.push({ ...this.#env(), type: "reasoning.start", messageId });
    }
  }

  #delta(text: boolean, id: unknown, delta: unknown, out: StandardEvent[]): void {
    if (typeof id !== "string" || typeof delta !== "string") return;
    const messageId = (text ? this.#texts : this.#reasonings).get(id);
    if (messageId === undefined) return;
    out.push({ ...this.#env(), type: text ? "text.delta" : "reasoning.delta", messageId, delta });
  }

  #close(text: boolean, c: Record<string, unknown>, out: StandardEvent[]): void {
    if (typeof c.id !== "string") return;
    const open = text ? this.#texts : this.#reasonings;
    const messageId = open.get(c.id);
    if (messageId === undefined) return;
    open.delete(c.id);
    if (text) {
      out.push({ ...this.#env(), type: "text.end", messageId });
      return;
    }
    const metadata = isRecord(c.providerMetadata) && isRecord(c.providerMetadata.agentStream)
      ? c.providerMetadata.agentStream
      : {};
    out.push({
      ...this.#env(),
      type: "reasoning.end",
      messageId,
      ...optionalString("signature", metadata.signature),
      ...optionalString("encryptedValue", metadata.encryptedValue),
    });
  }

  #toolStart(c: Record<string, unknown>, out: StandardEvent[]): boolean {
    const { toolCallId, toolName } = c;
    if (typeof toolCallId !== "string" || typeof toolName !== "string") return false;
    if (this.#calls.has(toolCallId)) return false;
    this.#ensureRun(out);
    this.#calls.set(toolCallId, {
      open: true,
      args: "",
      text: c.inputEncoding === "text",
      quoted: false,
      answered: false,
    });
    out.push({ ...this.#env(), type: "tool.start", toolCallId, toolName });
    return true;
  }

  #toolDelta(c: Record<string, unknown>, out: StandardEvent[]): void {
    const { toolCallId, inputTextDelta } = c;
    if (typeof toolCallId !== "string" || typeof inputTextDelta !== "string") return;
    const call = this.#calls.get(toolCallId);
    if (call === undefined || !call.open) return;
    let delta = inputTextDelta;
    if (call.text) {
      // Text input streams as the JSON text of one string: open the quote once, escape each piece.
      delta = (call.quoted ? "" : '"') + JSON.stringify(inputTextDelta).slice(1, -1);
      call.quoted = true;
    }
    call.args += delta;
    out.push({ ...this.#env(), type: "tool.delta", toolCallId, delta });
  }

  #toolInput(c: Record<string, unknown>, out: StandardEvent[]): void {
    const toolCallId = c.toolCallId;
    if (typeof toolCallId !== "string") return;
    let call = this.#calls.get(toolCallId);
    if (call === undefined) {
      if (!this.#toolStart(c, out)) return;
      call = this.#calls.get(toolCallId)!;
      const text = JSON.stringify(c.input);
      if (text !== undefined) {
        call.args = text;
        out.push({ ...this.#env(), type: "tool.delta", toolCallId, delta: text });
      }
    }
    if (!call.open || !this.#endCall(toolCallId, call, c.input, out)) return;
    if (c.type === "tool-input-error" && typeof c.errorText === "string") {
      call.answered = true;
      out.push({ ...this.#env(), type: "tool.result", toolCallId, error: c.errorText });
    }
  }

  /**
   * Ends an open call so that its deltas and input agree (EVT-TOOL-3): the
   * input is kept when it is the value of the deltas or there were none, and
   * left to the deltas otherwise. False when the deltas are not JSON text.
   */
  #endCall(toolCallId: string, call: CallState, input: unknown, out: StandardEvent[]): boolean {
    if (call.quoted) {
      call.args += '"';
      call.quoted = false;
      out.push({ ...this.#env(), type: "tool.delta", toolCallId, delta: '"' });
    }
    let keep = input !== undefined;
    if (call.args !== "") {
      const parsed = parseJson(call.args);
      if (!parsed.ok) return false;
      keep &&= sameJson(parsed.value, input);
    }
    call.open = false;
    out.push({ ...this.#env(), type: "tool.end", toolCallId, ...(keep ? { input } : {}) });
    return true;
  }

  #toolOutput(c: Record<string, unknown>, out: StandardEvent[]): void {
    const toolCallId = c.toolCallId;
    if (typeof toolCallId !== "string" || c.preliminary === true) return;
    const call = this.#calls.get(toolCallId);
    if (call?.answered) return;
    let result: StandardEvent;
    if (c.type === "tool-output-available") {
      if (!("output" in c)) return;
      result = { ...this.#env(), type: "tool.result", toolCallId, output: c.output };
    } else {
      const error = c.type === "tool-output-denied" ? TOOL_DENIED_ERROR : c.errorText;
      if (typeof error !== "string") return;
      result = { ...this.#env(), type: "tool.result", toolCallId, error };
    }
    if (call?.open && !this.#endCall(toolCallId, call, undefined, out)) return;
    if (call !== undefined) call.answered = true;
    for (const [id, approval] of this.#approvals) {
      if (approval.toolCallId === toolCallId) this.#approvals.delete(id);
    }
    out.push(result);
  }

  #custom(name: string, value: unknown, out: StandardEvent[]): void {
    this.#ensureRun(out);
    out.push({ ...this.#env(), type: "custom.event", name, value });
  }

  #data(c: Record<string, unknown> & { type: string }, out: StandardEvent[]): void {
    const name = c.type.slice(5);
    const transient = c.transient === true;
    const data = c.data;
    if (
      name === PASSTHROUGH_DATA_NAME && transient && isRecord(data) && typeof data.type === "string"
    ) {
      out.push(data as unknown as StandardEvent);
      return;
    }
    this.#ensureRun(out);
    out.push({
      ...this.#env(),
      type: "custom.event",
      name,
      value: data,
      ...(typeof c.id === "string" ? { dataId: c.id } : {}),
      ...(transient ? { transient: true } : {}),
    });
  }
}

/**
 * The canonical events of a sequence of UI message chunks: what a
 * {@linkcode UiMessageChunkReader} returns for each, then what its `end()`
 * returns.
 *
 * @example
 * ```ts
 * import { fromUiMessageChunks } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const events = fromUiMessageChunks([
 *   { type: "start", messageId: "run_1" },
 *   { type: "error", errorText: "Model overloaded" },
 * ]);
 * console.log(events); // [{ type: "run.started", runId: "run_1" }, { type: "run.error", runId: "run_1", message: "Model overloaded" }]
 * ```
 */
export function fromUiMessageChunks(
  chunks: Iterable<unknown>,
  options: UiMessageChunkReaderOptions = {},
): StandardEvent[] {
  const reader = new UiMessageChunkReader(options);
  const events: StandardEvent[] = [];
  for (const chunk of chunks) events.push(...reader.push(chunk));
  events.push(...reader.end());
  return events;
}
