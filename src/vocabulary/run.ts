import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { jsonObject } from "../protocol/_common.ts";
import { identifier, usageSchema } from "./_fields.ts";
import type { Usage } from "./usage.ts";

/**
 * How a run ended without error: it completed (`success`), it stopped to
 * wait for input (`interrupt`), or it was stopped (`cancelled`).
 *
 * @example
 * ```ts
 * import type { RunOutcome } from "@agent-stream/agent-stream/vocabulary";
 * const outcome: RunOutcome = "interrupt";
 * ```
 */
export type RunOutcome = "success" | "interrupt" | "cancelled";

/**
 * Why a run was interrupted: what it waits for.
 *
 * @example
 * ```ts
 * import type { RunInterrupt } from "@agent-stream/agent-stream/vocabulary";
 * const wait: RunInterrupt = { id: "int_1", reason: "approval", toolCallId: "call_7" };
 * ```
 */
export interface RunInterrupt {
  /** Identifies the interrupt, so that a later run can answer it. */
  id: string;
  /** A short machine-readable reason, e.g. `"approval"`. */
  reason: string;
  /** Text for a person. */
  message?: string;
  /** The tool call that waits, when one does. */
  toolCallId?: string;
}

/**
 * `run.started`: a run begins. The envelope's `runId` names it.
 *
 * @example
 * ```ts
 * import type { RunStartedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: RunStartedEvent = { type: "run.started", runId: "run_1", threadId: "chats/42" };
 * ```
 */
export interface RunStartedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "run.started";
  /** The conversation the run belongs to, when the producer names one. */
  threadId?: string;
  /** The run that started this one, for nested agents. */
  parentRunId?: string;
  /** What the run was asked to do, free-form. */
  input?: unknown;
}

/**
 * `run.finished`: a run ended without error, with an outcome.
 *
 * @example
 * ```ts
 * import type { RunFinishedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: RunFinishedEvent = { type: "run.finished", runId: "run_1", outcome: "success" };
 * ```
 */
export interface RunFinishedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "run.finished";
  /** How the run ended. */
  outcome: RunOutcome;
  /** The run's result, free-form. */
  result?: unknown;
  /** With outcome `interrupt`: what the run waits for. */
  interrupts?: RunInterrupt[];
  /** The run's total usage, when no `usage.reported` event of the run gave it. */
  usage?: Usage;
}

/**
 * `run.error`: a run ended with an error.
 *
 * @example
 * ```ts
 * import type { RunErrorEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: RunErrorEvent = { type: "run.error", runId: "run_1", message: "model overloaded", code: "overloaded" };
 * ```
 */
export interface RunErrorEvent extends EnvelopeMembers {
  /** The event type. */
  type: "run.error";
  /** Text for a person. */
  message: string;
  /** A machine-readable code. */
  code?: string;
  /** The run's total usage, when no `usage.reported` event of the run gave it. */
  usage?: Usage;
}

const interruptSchema = jsonObject({
  id: identifier(),
  reason: v.string(),
  message: v.optional(v.string()),
  toolCallId: v.optional(identifier()),
});

/**
 * The definition of `run.started`.
 *
 * @example
 * ```ts
 * import { RunStarted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(RunStarted.type); // "run.started"
 * ```
 */
export const RunStarted: EventDefinition<RunStartedEvent> = defineEvent("run.started", {
  threadId: v.optional(identifier()),
  parentRunId: v.optional(identifier()),
  input: v.optional(v.unknown()),
});

/**
 * The definition of `run.finished`.
 *
 * @example
 * ```ts
 * import { RunFinished } from "@agent-stream/agent-stream/vocabulary";
 * console.log(RunFinished.type); // "run.finished"
 * ```
 */
export const RunFinished: EventDefinition<RunFinishedEvent> = defineEvent("run.finished", {
  outcome: v.picklist(["success", "interrupt", "cancelled"]),
  result: v.optional(v.unknown()),
  interrupts: v.optional(v.array(interruptSchema)),
  usage: v.optional(usageSchema),
});

/**
 * The definition of `run.error`.
 *
 * @example
 * ```ts
 * import { RunError } from "@agent-stream/agent-stream/vocabulary";
 * console.log(RunError.type); // "run.error"
 * ```
 */
export const RunError: EventDefinition<RunErrorEvent> = defineEvent("run.error", {
  message: v.string(),
  code: v.optional(v.string()),
  usage: v.optional(usageSchema),
});
