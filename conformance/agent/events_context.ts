/**
 * What an events check works with: a producer's events, where each came
 * from, and what they break (computed once for every check of the run).
 *
 * @module
 */

import type { Check } from "../check.ts";
import type { SuiteContext } from "../runner.ts";
import type { ProducedEvent } from "./event_source.ts";

/**
 * One requirement one event breaks.
 *
 * @example
 * ```ts
 * import type { EventFinding } from "@agent-stream/agent-stream/conformance";
 * const finding: EventFinding = {
 *   index: 4, requirement: "EVT-MSG-2", message: "text.delta names no open message m9",
 * };
 * ```
 */
export interface EventFinding {
  /** The event's position in the list. */
  readonly index: number;
  /** The requirement it breaks. */
  readonly requirement: string;
  /** What is wrong, for people. */
  readonly message: string;
}

/**
 * The context of an events check.
 *
 * @example
 * ```ts ignore
 * import type { EventsCheckContext } from "@agent-stream/agent-stream/conformance";
 * function runs(t: EventsCheckContext): number {
 *   return t.events.filter((e) => (e.event as { type?: string })?.type === "run.started").length;
 * }
 * ```
 */
export interface EventsCheckContext extends SuiteContext {
  /** Where the events came from: a file, or a stream's URL. */
  readonly source: string;
  /** The events, in order. */
  readonly events: readonly ProducedEvent[];
  /** What the events break, in event order. */
  readonly findings: readonly EventFinding[];
  /**
   * Fails with the first finding of one of `requirements`, saying where the
   * event is, what rule it breaks, and showing the events around it.
   */
  expectNoFinding(requirements: readonly string[]): void;
  /** Skips the check with a reason. */
  skip(reason: string): never;
  /** Adds a note to the transcript. */
  note(text: string): void;
}

/**
 * Declares an events check; identity at runtime, there for the types.
 *
 * @example
 * ```ts
 * import { defineEventsCheck } from "@agent-stream/agent-stream/conformance";
 *
 * export const runIds = defineEventsCheck({
 *   id: "events.run.run-id",
 *   title: "every run.* event carries the envelope runId",
 *   section: "events.md §4",
 *   requirements: ["EVT-RUN-1"],
 *   run(t) {
 *     t.expectNoFinding(["EVT-RUN-1"]);
 *     return Promise.resolve();
 *   },
 * });
 * ```
 */
export function defineEventsCheck(check: Check<EventsCheckContext>): Check<EventsCheckContext> {
  return check;
}
