// Agent processes: the agents a platform runs, from spawn to stop, with their output, logs, metrics and health.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { anyObject, identifier } from "./_fields.ts";
import { metricsSchema } from "./_fields.ts";

/**
 * The severity of an agent's log line.
 *
 * @example
 * ```ts
 * import type { LogLevel } from "@agent-stream/agent-stream/vocabulary";
 * const level: LogLevel = "warn";
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * An agent's health as it reports it.
 *
 * @example
 * ```ts
 * import type { HealthStatus } from "@agent-stream/agent-stream/vocabulary";
 * const status: HealthStatus = "degraded";
 * ```
 */
export type HealthStatus = "healthy" | "degraded" | "unhealthy";

/**
 * `agent.spawned`: an agent process exists.
 *
 * @example
 * ```ts
 * import type { AgentSpawnedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentSpawnedEvent = { type: "agent.spawned", agentId: "agent_7", name: "researcher" };
 * ```
 */
export interface AgentSpawnedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.spawned";
  /** Identifies the agent; unique in the stream. */
  agentId: string;
  /** Text for a person. */
  name?: string;
  /** The agent that spawned it. */
  parentAgentId?: string;
  /** The command line it runs. */
  command?: string[];
}

/**
 * The definition of `agent.spawned`.
 *
 * @example
 * ```ts
 * import { AgentSpawned } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentSpawned.type); // "agent.spawned"
 * ```
 */
export const AgentSpawned: EventDefinition<AgentSpawnedEvent> = defineEvent("agent.spawned", {
  agentId: identifier(),
  name: v.optional(v.string()),
  parentAgentId: v.optional(identifier()),
  command: v.optional(v.array(v.string())),
});

/**
 * `agent.started`: the agent runs.
 *
 * @example
 * ```ts
 * import type { AgentStartedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentStartedEvent = { type: "agent.started", agentId: "agent_7" };
 * ```
 */
export interface AgentStartedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.started";
  /** The agent. */
  agentId: string;
}

/**
 * The definition of `agent.started`.
 *
 * @example
 * ```ts
 * import { AgentStarted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentStarted.type); // "agent.started"
 * ```
 */
export const AgentStarted: EventDefinition<AgentStartedEvent> = defineEvent("agent.started", {
  agentId: identifier(),
});

/**
 * `agent.paused`: the agent is paused.
 *
 * @example
 * ```ts
 * import type { AgentPausedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentPausedEvent = { type: "agent.paused", agentId: "agent_7", reason: "rate limit" };
 * ```
 */
export interface AgentPausedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.paused";
  /** The agent. */
  agentId: string;
  /** Why. */
  reason?: string;
}

/**
 * The definition of `agent.paused`.
 *
 * @example
 * ```ts
 * import { AgentPaused } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentPaused.type); // "agent.paused"
 * ```
 */
export const AgentPaused: EventDefinition<AgentPausedEvent> = defineEvent("agent.paused", {
  agentId: identifier(),
  reason: v.optional(v.string()),
});

/**
 * `agent.resumed`: a paused agent runs again.
 *
 * @example
 * ```ts
 * import type { AgentResumedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentResumedEvent = { type: "agent.resumed", agentId: "agent_7" };
 * ```
 */
export interface AgentResumedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.resumed";
  /** The agent. */
  agentId: string;
}

/**
 * The definition of `agent.resumed`.
 *
 * @example
 * ```ts
 * import { AgentResumed } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentResumed.type); // "agent.resumed"
 * ```
 */
export const AgentResumed: EventDefinition<AgentResumedEvent> = defineEvent("agent.resumed", {
  agentId: identifier(),
});

/**
 * `agent.stopped`: the agent process ended.
 *
 * @example
 * ```ts
 * import type { AgentStoppedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentStoppedEvent = { type: "agent.stopped", agentId: "agent_7", exitCode: 0 };
 * ```
 */
export interface AgentStoppedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.stopped";
  /** The agent. */
  agentId: string;
  /** The process's exit code. */
  exitCode?: number;
  /** Why. */
  reason?: string;
}

/**
 * The definition of `agent.stopped`.
 *
 * @example
 * ```ts
 * import { AgentStopped } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentStopped.type); // "agent.stopped"
 * ```
 */
export const AgentStopped: EventDefinition<AgentStoppedEvent> = defineEvent("agent.stopped", {
  agentId: identifier(),
  exitCode: v.optional(v.pipe(v.number(), v.integer())),
  reason: v.optional(v.string()),
});

/**
 * `agent.error`: the agent reports an error; it may go on.
 *
 * @example
 * ```ts
 * import type { AgentErrorEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentErrorEvent = { type: "agent.error", agentId: "agent_7", message: "tool timed out" };
 * ```
 */
export interface AgentErrorEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.error";
  /** The agent. */
  agentId: string;
  /** Text for a person. */
  message: string;
  /** A machine-readable code. */
  code?: string;
}

/**
 * The definition of `agent.error`.
 *
 * @example
 * ```ts
 * import { AgentError } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentError.type); // "agent.error"
 * ```
 */
export const AgentError: EventDefinition<AgentErrorEvent> = defineEvent("agent.error", {
  agentId: identifier(),
  message: v.string(),
  code: v.optional(v.string()),
});

/**
 * `agent.output`: text the agent wrote to its standard output or error.
 *
 * @example
 * ```ts
 * import type { AgentOutputEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentOutputEvent = { type: "agent.output", agentId: "agent_7", stream: "stdout", text: "fetching 3 pages\n" };
 * ```
 */
export interface AgentOutputEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.output";
  /** The agent. */
  agentId: string;
  /** Which stream. */
  stream: "stdout" | "stderr";
  /** The text, as written. */
  text: string;
}

/**
 * The definition of `agent.output`.
 *
 * @example
 * ```ts
 * import { AgentOutput } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentOutput.type); // "agent.output"
 * ```
 */
export const AgentOutput: EventDefinition<AgentOutputEvent> = defineEvent("agent.output", {
  agentId: identifier(),
  stream: v.picklist(["stdout", "stderr"]),
  text: v.string(),
});

/**
 * `agent.log`: a log line of the agent.
 *
 * @example
 * ```ts
 * import type { AgentLogEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentLogEvent = { type: "agent.log", agentId: "agent_7", level: "info", message: "page fetched", fields: {page: 3} };
 * ```
 */
export interface AgentLogEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.log";
  /** The agent. */
  agentId: string;
  /** The severity. */
  level: LogLevel;
  /** The line. */
  message: string;
  /** Structured context. */
  fields?: Record<string, unknown>;
}

/**
 * The definition of `agent.log`.
 *
 * @example
 * ```ts
 * import { AgentLog } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentLog.type); // "agent.log"
 * ```
 */
export const AgentLog: EventDefinition<AgentLogEvent> = defineEvent("agent.log", {
  agentId: identifier(),
  level: v.picklist(["debug", "info", "warn", "error"]),
  message: v.string(),
  fields: v.optional(anyObject()),
});

/**
 * `agent.metrics`: measurements of the agent, by name.
 *
 * @example
 * ```ts
 * import type { AgentMetricsEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentMetricsEvent = { type: "agent.metrics", agentId: "agent_7", metrics: {rssBytes: 52428800} };
 * ```
 */
export interface AgentMetricsEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.metrics";
  /** The agent. */
  agentId: string;
  /** Numbers by name. */
  metrics: Record<string, number>;
}

/**
 * The definition of `agent.metrics`.
 *
 * @example
 * ```ts
 * import { AgentMetrics } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentMetrics.type); // "agent.metrics"
 * ```
 */
export const AgentMetrics: EventDefinition<AgentMetricsEvent> = defineEvent("agent.metrics", {
  agentId: identifier(),
  metrics: metricsSchema,
});

/**
 * `agent.health`: the agent's health.
 *
 * @example
 * ```ts
 * import type { AgentHealthEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: AgentHealthEvent = { type: "agent.health", agentId: "agent_7", status: "healthy" };
 * ```
 */
export interface AgentHealthEvent extends EnvelopeMembers {
  /** The event type. */
  type: "agent.health";
  /** The agent. */
  agentId: string;
  /** The health. */
  status: HealthStatus;
  /** Text for a person. */
  detail?: string;
}

/**
 * The definition of `agent.health`.
 *
 * @example
 * ```ts
 * import { AgentHealth } from "@agent-stream/agent-stream/vocabulary";
 * console.log(AgentHealth.type); // "agent.health"
 * ```
 */
export const AgentHealth: EventDefinition<AgentHealthEvent> = defineEvent("agent.health", {
  agentId: identifier(),
  status: v.picklist(["healthy", "degraded", "unhealthy"]),
  detail: v.optional(v.string()),
});
