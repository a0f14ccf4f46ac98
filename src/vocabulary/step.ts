// Steps: named phases within a run.
import * as v from "valibot";
import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";

/**
 * `step.started`: a named step of the run begins.
 *
 * @example
 * ```ts
 * import type { StepStartedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: StepStartedEvent = { type: "step.started", stepName: "plan" };
 * ```
 */
export interface StepStartedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "step.started";
  /** The step's name, unique among the run's open steps. */
  stepName: string;
}

/**
 * The definition of `step.started`.
 *
 * @example
 * ```ts
 * import { StepStarted } from "@agent-stream/agent-stream/vocabulary";
 * console.log(StepStarted.type); // "step.started"
 * ```
 */
export const StepStarted: EventDefinition<StepStartedEvent> = defineEvent("step.started", {
  stepName: v.string(),
});

/**
 * `step.finished`: a named step of the run ends.
 *
 * @example
 * ```ts
 * import type { StepFinishedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: StepFinishedEvent = { type: "step.finished", stepName: "plan" };
 * ```
 */
export interface StepFinishedEvent extends EnvelopeMembers {
  /** The event type. */
  type: "step.finished";
  /** The name the step started with. */
  stepName: string;
}

/**
 * The definition of `step.finished`.
 *
 * @example
 * ```ts
 * import { StepFinished } from "@agent-stream/agent-stream/vocabulary";
 * console.log(StepFinished.type); // "step.finished"
 * ```
 */
export const StepFinished: EventDefinition<StepFinishedEvent> = defineEvent("step.finished", {
  stepName: v.string(),
});
