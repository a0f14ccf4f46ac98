// What a generator needs to know about the stream so far to keep it
// lifecycle-valid: a small fold of the events it emitted (valid ones only).
import type { Envelope } from "../../src/protocol/envelope.ts";
import { applyJsonPatch, type JsonValue } from "../../src/projector/json_patch.ts";
import type { ConversationMessage, StandardEvent, Usage } from "../../src/vocabulary/mod.ts";

/** What an open message is. */
export type OpenKind = "text" | "reasoning" | "llm";

/** A tool call as the generator tracks it. */
export interface CallModel {
  readonly id: string;
  status: "open" | "ended" | "answered" | "dead";
  readonly runId: string | undefined;
  /** The assistant message holding the call. */
  readonly holder: string;
  /** The LLM request that made it, for `llm.tool-call`s. */
  readonly request: string | undefined;
  arguments: string;
}

/** The six usage numbers, summed. */
export interface UsageSum {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  reasoningTokens: number;
  cachedPromptTokens: number;
  costUsd: number;
}

/** The active run. */
export interface RunModel {
  readonly id: string;
  readonly steps: string[];
  reports: number;
  readonly usage: UsageSum;
}

/** Task phases; `ended` after completed, failed or cancelled. */
export type TaskPhase = "created" | "queued" | "assigned" | "running" | "ended";

/** Agent process statuses. */
export type AgentPhase = "spawned" | "running" | "paused" | "stopped";

const zeroUsage = (): UsageSum => ({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  reasoningTokens: 0,
  cachedPromptTokens: 0,
  costUsd: 0,
});

/** Adds a report to a sum; `totalTokens` defaults to prompt + completion. */
export function addUsage(sum: UsageSum, usage: Usage): void {
  sum.promptTokens += usage.promptTokens ?? 0;
  sum.completionTokens += usage.completionTokens ?? 0;
  sum.totalTokens += usage.totalTokens ??
    (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
  sum.reasoningTokens += usage.reasoningTokens ?? 0;
  sum.cachedPromptTokens += usage.cachedPromptTokens ?? 0;
  sum.costUsd += usage.costUsd ?? 0;
}

/** The generator's fold of the stream. */
export class SequenceModel {
  /** Position of the next event. */
  offset = 0;
  #next = 0;
  readonly runIds: string[] = [];
  active: RunModel | undefined = undefined;
  messages: ConversationMessage[] = [];
  readonly open: Map<string, OpenKind> = new Map();
  readonly llmMessages: Set<string> = new Set();
  readonly calls: Map<string, CallModel> = new Map();
  readonly requests: Map<string, { messageId: string; open: boolean }> = new Map();
  state: JsonValue = {};
  readonly tasks: Map<string, TaskPhase> = new Map();
  readonly agents: Map<string, AgentPhase> = new Map();

  /** A new identifier; one counter for every kind keeps them all distinct. */
  fresh(prefix: string): string {
    this.#next += 1;
    return `${prefix}_${this.#next}`;
  }

  /** The message with this id, if the conversation has one. */
  message(id: string): ConversationMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** Open messages and open tool calls. */
  openCount(): number {
    let calls = 0;
    for (const call of this.calls.values()) if (call.status === "open") calls++;
    return this.open.size + calls;
  }

  /** Counts an event that changes nothing (refused or unknown). */
  skip(): void {
    this.offset++;
  }

  /** Folds one valid event. */
  apply(envelope: Envelope): void {
    const event = envelope as StandardEvent;
    const run = this.active;
    switch (event.type) {
      case "run.started":
        this.runIds.push(event.runId!);
        this.active = { id: event.runId!, steps: [], reports: 0, usage: zeroUsage() };
        break;
      case "run.finished":
      case "run.error":
        this.#closeRun();
        break;
      case "step.started":
        run?.steps.push(event.stepName);
        break;
      case "step.finished":
        run?.steps.splice(run.steps.indexOf(event.stepName), 1);
        break;
      case "text.start":
      case "reasoning.start": {
        const role = event.type === "reasoning.start" ? "reasoning" : event.role ?? "assistant";
        this.#push(this.#newMessage(event.messageId, role, "", event.runId));
        this.open.set(event.messageId, event.type === "text.start" ? "text" : "reasoning");
        break;
      }
      case "text.delta":
      case "reasoning.delta":
      case "llm.token": {
        const id = event.type === "llm.token"
          ? this.requests.get(event.requestId)!.messageId
          : event.messageId;
        const message = this.message(id);
        if (message !== undefined && "content" in message) message.content += event.delta;
        break;
      }
      case "text.end":
        this.open.delete(event.messageId);
        break;
      case "reasoning.end": {
        this.open.delete(event.messageId);
        const message = this.message(event.messageId);
        if (message?.role === "reasoning") {
          if (event.signature !== undefined) message.signature = event.signature;
          if (event.encryptedValue !== undefined) message.encryptedValue = event.encryptedValue;
        }
        break;
      }
      case "text.message":
        this.#push(this.#newMessage(event.messageId, event.role, event.content, event.runId));
        break;
      case "tool.start": {
        const holder = event.parentMessageId ?? event.toolCallId;
        if (event.parentMessageId === undefined) {
          this.#push(this.#newMessage(event.toolCallId, "assistant", "", event.runId));
        }
        this.calls.set(event.toolCallId, {
          id: event.toolCallId,
          status: "open",
          runId: event.runId,
          holder,
          request: undefined,
          arguments: "",
        });
        this.#holderCalls(holder)?.push({
          id: event.toolCallId,
          name: event.toolName,
          arguments: "",
        });
        break;
      }
      case "tool.delta": {
        const call = this.calls.get(event.toolCallId)!;
        call.arguments += event.delta;
        const entry = this.#holderCalls(call.holder)?.find((c) => c.id === call.id);
        if (entry !== undefined) entry.arguments = call.arguments;
        break;
      }
      case "tool.end": {
        const call = this.calls.get(event.toolCallId)!;
        call.status = "ended";
        const entry = this.#holderCalls(call.holder)?.find((c) => c.id === call.id);
        const input = "input" in event
          ? event.input
          : call.arguments === ""
          ? undefined
          : JSON.parse(call.arguments);
        if (entry !== undefined && input !== undefined) entry.input = input;
        break;
      }
      case "tool.result":
      case "llm.tool-result": {
        const call = this.calls.get(event.toolCallId)!;
        call.status = "answered";
        const id = (event.type === "tool.result" ? event.messageId : undefined) ??
          `${event.toolCallId}:result`;
        const message: ConversationMessage = { id, role: "tool", toolCallId: event.toolCallId };
        if ("output" in event) message.output = event.output;
        if (event.error !== undefined) message.error = event.error;
        if (event.runId !== undefined) message.runId = event.runId;
        this.#insertResult(call.holder, message);
        break;
      }
      case "state.snapshot":
        this.state = event.snapshot as JsonValue;
        break;
      case "state.delta":
        this.state = applyJsonPatch(this.state, event.patch as never);
        break;
      case "messages.snapshot":
        this.messages = structuredClone(event.messages);
        break;
      case "usage.reported":
      case "llm.usage":
        if (run !== undefined && event.runId === run.id) {
          run.reports++;
          addUsage(run.usage, event);
        }
        break;
      case "custom.event": {
        if (event.transient === true) break;
        const existing = event.dataId === undefined ? undefined : this.message(event.dataId);
        if (existing?.role === "data") {
          existing.name = event.name;
          if ("value" in event) existing.value = event.value;
          else delete existing.value;
          break;
        }
        const data: ConversationMessage = {
          id: event.dataId ?? `data:${this.offset}`,
          role: "data",
          name: event.name,
        };
        if ("value" in event) data.value = event.value;
        if (event.runId !== undefined) data.runId = event.runId;
        this.#push(data);
        break;
      }
      case "task.created":
        this.tasks.set(event.taskId, "created");
        break;
      case "task.queued":
        this.tasks.set(event.taskId, "queued");
        break;
      case "task.assigned":
        this.tasks.set(event.taskId, "assigned");
        break;
      case "task.started":
        this.tasks.set(event.taskId, "running");
        break;
      case "task.completed":
      case "task.failed":
      case "task.cancelled":
        this.tasks.set(event.taskId, "ended");
        break;
      case "agent.spawned":
        this.agents.set(event.agentId, "spawned");
        break;
      case "agent.started":
      case "agent.resumed":
        this.agents.set(event.agentId, "running");
        break;
      case "agent.paused":
        this.agents.set(event.agentId, "paused");
        break;
      case "agent.stopped":
        this.agents.set(event.agentId, "stopped");
        break;
      case "llm.started": {
        const id = event.messageId ?? event.requestId;
        this.requests.set(event.requestId, { messageId: id, open: true });
        this.#push(this.#newMessage(id, "assistant", "", event.runId));
        this.open.set(id, "llm");
        this.llmMessages.add(id);
        break;
      }
      case "llm.tool-call": {
        const holder = this.requests.get(event.requestId)!.messageId;
        const args = JSON.stringify(event.input);
        this.calls.set(event.toolCallId, {
          id: event.toolCallId,
          status: "ended",
          runId: event.runId,
          holder,
          request: event.requestId,
          arguments: args,
        });
        this.#holderCalls(holder)?.push({
          id: event.toolCallId,
          name: event.toolName,
          arguments: args,
          input: event.input,
        });
        break;
      }
      case "llm.completed":
      case "llm.error": {
        const request = this.requests.get(event.requestId)!;
        request.open = false;
        this.open.delete(request.messageId);
        break;
      }
    }
    this.offset++;
  }

  #newMessage(
    id: string,
    role: ConversationMessage["role"],
    content: string,
    runId: string | undefined,
  ): ConversationMessage {
    const message =
      (role === "assistant"
        ? { id, role, content, toolCalls: [] }
        : { id, role, content }) as ConversationMessage;
    if (runId !== undefined) message.runId = runId;
    return message;
  }

  #push(message: ConversationMessage): void {
    this.messages.push(message);
  }

  #holderCalls(id: string) {
    const holder = this.message(id);
    return holder?.role === "assistant" ? holder.toolCalls : undefined;
  }

  // After the holder and the tool messages right behind it.
  #insertResult(holder: string, message: ConversationMessage): void {
    let at = this.messages.findIndex((m) => m.id === holder);
    if (at < 0) {
      this.messages.push(message);
      return;
    }
    at++;
    while (at < this.messages.length && this.messages[at].role === "tool") at++;
    this.messages.splice(at, 0, message);
  }

  // Whatever the run left open is closed (run.error) or was closed (run.finished).
  #closeRun(): void {
    this.open.clear();
    for (const call of this.calls.values()) if (call.status === "open") call.status = "dead";
    for (const request of this.requests.values()) request.open = false;
    this.active = undefined;
  }
}
