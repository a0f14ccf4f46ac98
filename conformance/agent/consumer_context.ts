/**
 * What a consumer check works with: the adapter that drives the consumer
 * under test, and the assertions and properties every check has.
 *
 * @module
 */

import type * as fc from "fast-check";
import type { Check, PropertyOptions } from "../check.ts";
import type { SuiteContext } from "../runner.ts";
import type { ProjectionOutcome } from "./consumer_process.ts";
import type { ConsumerReady } from "./consumer_protocol.ts";

/**
 * The context of a consumer check.
 *
 * @example
 * ```ts ignore
 * import type { ConsumerCheckContext } from "@agent-stream/agent-stream/conformance";
 * async function empty(t: ConsumerCheckContext): Promise<void> {
 *   const outcome = await t.project([]);
 *   t.expect("PROJ-FOLD-1", outcome.ok, "the consumer failed on no events");
 * }
 * ```
 */
export interface ConsumerCheckContext extends SuiteContext {
  /** What the adapter said of its consumer. */
  readonly consumer: ConsumerReady;
  /** The bound of one answer of the adapter. */
  readonly timeoutMs: number;
  /**
   * Has the consumer project `events` (offsets counting from 0), delivered
   * all at once or in `batches`, saved and resumed between them with
   * `resume`; recorded in the transcript.
   */
  project(
    events: readonly unknown[],
    delivery?: { readonly batches?: readonly number[]; readonly resume?: boolean },
  ): Promise<ProjectionOutcome>;
  /** Fails with `requirement` unless `condition` holds. */
  expect(
    requirement: string,
    condition: unknown,
    message: string,
    values?: { expected?: unknown; actual?: unknown },
  ): void;
  /** Fails with `requirement` unless `actual` deep-equals `expected`. */
  expectEqual(requirement: string, actual: unknown, expected: unknown, message: string): void;
  /** Skips the check with a reason. */
  skip(reason: string): never;
  /** Adds a note to the transcript. */
  note(text: string): void;
  /** Runs a fast-check property; each run gets a fresh context and transcript. */
  property<T>(
    arbitrary: fc.Arbitrary<T>,
    predicate: (value: T, t: ConsumerCheckContext) => Promise<void>,
    options?: PropertyOptions,
  ): Promise<void>;
}

/**
 * Declares a consumer check; identity at runtime, there for the types.
 *
 * @example
 * ```ts
 * import { defineConsumerCheck } from "@agent-stream/agent-stream/conformance";
 *
 * export const empty = defineConsumerCheck({
 *   id: "consumer.fold.empty",
 *   title: "no events project to the empty conversation",
 *   section: "projection.md §1",
 *   requirements: ["PROJ-FOLD-1"],
 *   async run(t) {
 *     const outcome = await t.project([]);
 *     t.expect("PROJ-FOLD-1", outcome.ok, "the consumer failed on no events");
 *   },
 * });
 * ```
 */
export function defineConsumerCheck(
  check: Check<ConsumerCheckContext>,
): Check<ConsumerCheckContext> {
  return check;
}
