// The bookkeeping of the lifecycle rules (spec/v1/events.md): what the events
// admitted so far have begun, opened and ended. Rules read it freely and
// change it only in the commit step of an admitted event, so that a refused
// event changes nothing.

import type { JsonValue } from "../projector/json_patch.ts";
import type { ConversationMessage } from "./conversation_message.ts";
import type { Usage } from "./usage.ts";

/** A requirement the event breaks, or a recommendation it ignores. */
export interface Finding {
  requirement: string;
  message: string;
  level: "MUST" | "SHOULD";
}

/** A message of the conversation, as far as the rules care. */
export interface MessageEntry {
  readonly role: ConversationMessage["role"];
  /** Which deltas it takes while open. */
  open?: "text" | "reasoning";
  readonly runId?: string;
  /** Begun by `llm.started`. */
  readonly llm?: boolean;
}

/**
 * A tool call: `open` until `tool.end`, then `ended`, then `answered`;
 * `aborted` when a `run.error` closed it while open.
 */
export interface CallEntry {
  status: "open" | "ended" | "answered" | "aborted";
  arguments: string;
  readonly runId?: string;
  /** The request whose `llm.tool-call` made it. */
  readonly requestId?: string;
}

/** An LLM request. */
export interface RequestEntry {
  readonly messageId: string;
  active: boolean;
  readonly runId?: string;
}

/** Agent process statuses (events.md §13). */
export type AgentStatus = "spawned" | "running" | "paused" | "stopped";

/** The six numbers of a usage report, summed. */
export interface UsageSums {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  reasoningTokens: number;
  cachedPromptTokens: number;
  costUsd: number;
}

/** What a run, or the events of no run, did so far. */
export interface Scope {
  /** Has an `llm.started`. */
  llm: boolean;
  /** Has an assistant `text.start`/`text.message` or a `tool.start`. */
  core: boolean;
  reports: number;
  readonly usage: UsageSums;
}

/** The key of the scope of events without `runId`; no `runId` is empty. */
export const NO_RUN = "";

/** Everything the rules look at. */
export class LifecycleState {
  readonly startedRuns: Set<string> = new Set();
  active: { readonly runId: string; readonly steps: Set<string> } | undefined;
  /** The conversation's messages by id, in the order they began. */
  messages: Map<string, MessageEntry> = new Map();
  readonly openMessages: Set<string> = new Set();
  /** Every tool call the stream made or a snapshot held. */
  readonly calls: Map<string, CallEntry> = new Map();
  readonly openCalls: Set<string> = new Set();
  readonly requests: Map<string, RequestEntry> = new Map();
  state: JsonValue = {};
  /** Whether each created task has ended. */
  readonly tasks: Map<string, boolean> = new Map();
  readonly agents: Map<string, AgentStatus> = new Map();
  readonly scopes: Map<string, Scope> = new Map([[NO_RUN, newScope()]]);

  /** The scope of an event that passed the `runId` rules. */
  scope(runId: string | undefined): Scope {
    const key = runId ?? NO_RUN;
    let scope = this.scopes.get(key);
    if (scope === undefined) {
      scope = newScope();
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** Begins a message (commit step only). */
  beginMessage(id: string, entry: MessageEntry): void {
    this.messages.set(id, entry);
    if (entry.open !== undefined) this.openMessages.add(id);
  }

  /** Closes an open message (commit step only). */
  closeMessage(id: string): void {
    const entry = this.messages.get(id);
    if (entry !== undefined) delete entry.open;
    this.openMessages.delete(id);
  }

  /** Ends the active run; a failed run closes what it left open (commit step only). */
  endRun(failed: boolean): void {
    const runId = this.active?.runId;
    if (runId === undefined) return;
    if (failed) {
      for (const id of [...this.openMessages]) {
        if (this.messages.get(id)?.runId === runId) this.closeMessage(id);
      }
      for (const id of [...this.openCalls]) {
        const call = this.calls.get(id)!;
        if (call.runId === runId) {
          call.status = "aborted";
          this.openCalls.delete(id);
        }
      }
      for (const request of this.requests.values()) {
        if (request.runId === runId) request.active = false;
      }
    }
    this.active = undefined;
    this.scopes.delete(runId);
  }
}

function newScope(): Scope {
  return {
    llm: false,
    core: false,
    reports: 0,
    usage: {
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      reasoningTokens: 0,
      cachedPromptTokens: 0,
      costUsd: 0,
    },
  };
}

/** Adds a report to sums; a report without `totalTokens` counts prompt plus completion. */
export function addUsage(sums: UsageSums, usage: Usage): void {
  sums.promptTokens += usage.promptTokens ?? 0;
  sums.completionTokens += usage.completionTokens ?? 0;
  sums.totalTokens += usage.totalTokens ??
    (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
  sums.reasoningTokens += usage.reasoningTokens ?? 0;
  sums.cachedPromptTokens += usage.cachedPromptTokens ?? 0;
  sums.costUsd += usage.costUsd ?? 0;
}

/**
 * What a rule decides about an event: refused with the requirement it breaks,
 * or admitted with the change to commit and any recommendations it ignores.
 */
export type Outcome =
  | { readonly refused: Finding }
  | { readonly commit: () => void; readonly advisories: readonly Finding[] };

/** Refuses the event for breaking `requirement`. */
export function refuse(requirement: string, message: string): Outcome {
  return { refused: { requirement, message, level: "MUST" } };
}

/** Admits the event; `commit` applies its effect. */
export function accept(commit: () => void = () => {}, advisories: Finding[] = []): Outcome {
  return { commit, advisories };
}

/** A recommendation the event ignores. */
export function advise(requirement: string, message: string): Finding {
  return { requirement, message, level: "SHOULD" };
}

/** A value quoted for a message. */
export function q(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? text.slice(0, 79) + "…" : text;
}
