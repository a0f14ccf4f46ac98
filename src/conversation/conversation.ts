import type { ConversationMessage } from "../vocabulary/conversation_message.ts";
import type { RunInterrupt } from "../vocabulary/run.ts";
import type { HealthStatus } from "../vocabulary/agent_process.ts";

/**
 * Where a run stands: `running` until `run.finished` gives its outcome or
 * `run.error` ends it with `error`.
 *
 * @example
 * ```ts
 * import type { RunStatus } from "@agent-stream/agent-stream/conversation";
 * const status: RunStatus = "running";
 * ```
 */
export type RunStatus = "running" | "success" | "interrupt" | "cancelled" | "error";

/**
 * A run as the projection keeps it.
 *
 * @example
 * ```ts
 * import type { ConversationRun } from "@agent-stream/agent-stream/conversation";
 * const run: ConversationRun = { runId: "run_1", status: "success" };
 * ```
 */
export interface ConversationRun {
  /** The run's id. */
  runId: string;
  /** Where it stands. */
  status: RunStatus;
  /** From `run.started`. */
  threadId?: string;
  /** From `run.started`. */
  parentRunId?: string;
  /** From `run.finished`. */
  result?: unknown;
  /** From `run.finished` with outcome `interrupt`. */
  interrupts?: RunInterrupt[];
  /** From `run.error`. */
  error?: { message: string; code?: string };
  /**
   * The run's usage: the sum of the usage reports carrying its `runId`, or,
   * when there were none, the `usage` of the event that ended it. Absent
   * until one of them comes.
   */
  usage?: UsageTotals;
}

/**
 * Usage summed over the conversation; every member starts at 0.
 *
 * @example
 * ```ts
 * import type { UsageTotals } from "@agent-stream/agent-stream/conversation";
 * const totals: UsageTotals = {
 *   promptTokens: 10, completionTokens: 5, totalTokens: 15,
 *   reasoningTokens: 0, cachedPromptTokens: 0, costUsd: 0,
 * };
 * ```
 */
export interface UsageTotals {
  /** Sum of `promptTokens`. */
  promptTokens: number;
  /** Sum of `completionTokens`. */
  completionTokens: number;
  /** Sum of `totalTokens` (each report's prompt + completion when it gives no total). */
  totalTokens: number;
  /** Sum of `reasoningTokens`. */
  reasoningTokens: number;
  /** Sum of `cachedPromptTokens`. */
  cachedPromptTokens: number;
  /** Sum of `costUsd`. */
  costUsd: number;
}

/**
 * Where a task stands.
 *
 * @example
 * ```ts
 * import type { TaskStatus } from "@agent-stream/agent-stream/conversation";
 * const status: TaskStatus = "running";
 * ```
 */
export type TaskStatus =
  | "created"
  | "queued"
  | "assigned"
  | "running"
  | "completed"
  | "failed"
  | "cancelled";

/**
 * A task as the projection keeps it.
 *
 * @example
 * ```ts
 * import type { ConversationTask } from "@agent-stream/agent-stream/conversation";
 * const task: ConversationTask = { taskId: "task_1", status: "running", results: [], metrics: {} };
 * ```
 */
export interface ConversationTask {
  /** The task's id. */
  taskId: string;
  /** Where it stands. */
  status: TaskStatus;
  /** From `task.created`. */
  title?: string;
  /** From `task.created`. */
  input?: unknown;
  /** From the last `task.queued`. */
  queue?: string;
  /** From the last `task.assigned`. */
  assignee?: string;
  /** From the last `task.progress`: its members other than `taskId` and the envelope. */
  progress?: { progress?: number; message?: string; current?: number; total?: number };
  /** Every `task.result` value, in order. */
  results: unknown[];
  /** From `task.completed`. */
  output?: unknown;
  /** From `task.failed`. */
  error?: { message: string; code?: string };
  /** From `task.cancelled`. */
  cancelReason?: string;
  /** Every `task.metrics`, merged: a later value of a name replaces an earlier one. */
  metrics: Record<string, number>;
}

/**
 * Where an agent process stands.
 *
 * @example
 * ```ts
 * import type { AgentStatus } from "@agent-stream/agent-stream/conversation";
 * const status: AgentStatus = "paused";
 * ```
 */
export type AgentStatus = "spawned" | "running" | "paused" | "stopped";

/**
 * An agent process as the projection keeps it. Output and log lines are for
 * live readers and are not kept.
 *
 * @example
 * ```ts
 * import type { ConversationAgent } from "@agent-stream/agent-stream/conversation";
 * const agent: ConversationAgent = { agentId: "agent_7", status: "running", errors: [], metrics: {} };
 * ```
 */
export interface ConversationAgent {
  /** The agent's id. */
  agentId: string;
  /** Where it stands. */
  status: AgentStatus;
  /** From `agent.spawned`. */
  name?: string;
  /** From `agent.spawned`. */
  parentAgentId?: string;
  /** From the last `agent.health`. */
  health?: { status: HealthStatus; detail?: string };
  /** From `agent.stopped`. */
  exitCode?: number;
  /** From `agent.stopped`. */
  stopReason?: string;
  /** Every `agent.error`, in order. */
  errors: { message: string; code?: string }[];
  /** Every `agent.metrics`, merged: a later value of a name replaces an earlier one. */
  metrics: Record<string, number>;
}

/**
 * The conversation projection (spec/v1/projection.md): what an agent stream
 * says, folded into one value that every conforming consumer computes
 * alike.
 *
 * @example
 * ```ts
 * import type { Conversation } from "@agent-stream/agent-stream/conversation";
 * const empty: Conversation = {
 *   messages: [], runs: [], state: {},
 *   usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, reasoningTokens: 0, cachedPromptTokens: 0, costUsd: 0 },
 *   tasks: [], agents: [], open: { messages: [], toolCalls: [] },
 * };
 * ```
 */
export interface Conversation {
  /** The messages, in the order they began. */
  messages: ConversationMessage[];
  /** The runs, in the order they started. */
  runs: ConversationRun[];
  /** The shared state after every snapshot and patch; `{}` at first. */
  state: unknown;
  /** Usage totals. */
  usage: UsageTotals;
  /** The tasks, in the order they were created. */
  tasks: ConversationTask[];
  /** The agent processes, in the order they were spawned. */
  agents: ConversationAgent[];
  /** What is still streaming: ids of open text and reasoning messages, and of open tool calls. */
  open: { messages: string[]; toolCalls: string[] };
}
