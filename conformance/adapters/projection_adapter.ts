/**
 * A consumer adapter (spec/v1/conformance.md §5) for the reference
 * projection (`reduceConversationProjection`, the fold of
 * `projectConversation`): it takes events in batches, and saves and resumes
 * its fold. A worked example of the protocol; run it as
 *
 * ```sh
 * deno run -A conformance/adapters/projection_adapter.ts
 * bun conformance/adapters/projection_adapter.ts
 * ```
 *
 * and hand that command line to the consumer suite:
 * `deno task conformance -- consumer --adapter "deno run -A conformance/adapters/projection_adapter.ts"`.
 *
 * @module
 */

import {
  type ConversationProjectionState,
  initialConversationProjection,
  reduceConversationProjection,
} from "../../src/conversation/project_conversation.ts";
import type { ConsumerReady } from "../agent/consumer_protocol.ts";
import {
  type ConsumerHandlers,
  type ProjectDelivery,
  runConsumerAdapter,
} from "./_consumer_lines.ts";

/**
 * A consumer that folds one event at a time, as an adapter drives it.
 *
 * @example
 * ```ts
 * import type { FoldingConsumer } from "./projection_adapter.ts";
 * const values: unknown[] = [];
 * const consumer: FoldingConsumer = {
 *   fold: (value) => void values.push(value),
 *   save: () => [...values],
 *   answer: () => ({ messages: [] }),
 * };
 * ```
 */
export interface FoldingConsumer {
  /** Folds the value at `offset`. */
  fold(value: unknown, offset: number): void;
  /** What it saves to resume from: a JSON value. */
  save(): unknown;
  /** Its projection, as JSON. */
  answer(): unknown;
}

/**
 * What {@linkcode projectionAdapter} drives: a way to start a consumer,
 * fresh or from what one saved, and what to say in `ready`.
 *
 * @example
 * ```ts
 * import type { ProjectionAdapterOptions } from "./projection_adapter.ts";
 * const options: ProjectionAdapterOptions = {
 *   start: () => ({ fold() {}, save: () => null, answer: () => ({}) }),
 *   ready: { consumer: { name: "stub" }, batches: true, resume: false },
 * };
 * ```
 */
export interface ProjectionAdapterOptions {
  /** A consumer: fresh, or resumed from `saved`. */
  start(saved?: unknown): FoldingConsumer;
  /** The `ready` line, but `event`. */
  readonly ready?: Omit<ConsumerReady, "event">;
}

/**
 * The handlers of a consumer adapter over any {@linkcode FoldingConsumer}:
 * a fresh consumer per `project`, fed the events batch by batch; with
 * `resume`, what it saved goes through JSON text to a new consumer between
 * batches.
 *
 * @example
 * ```ts ignore
 * import { runConsumerAdapter } from "./_consumer_lines.ts";
 * import { projectionAdapter, referenceConsumer } from "./projection_adapter.ts";
 * runConsumerAdapter(projectionAdapter({ start: referenceConsumer }));
 * ```
 */
export function projectionAdapter(options: ProjectionAdapterOptions): ConsumerHandlers {
  return {
    ready: { event: "ready", ...options.ready },
    project(events: readonly unknown[], delivery: ProjectDelivery): unknown {
      const sizes = delivery.batches ?? [events.length];
      if (
        sizes.some((size) => !Number.isInteger(size) || size < 0) ||
        sizes.reduce((a, b) => a + b, 0) !== events.length
      ) {
        throw new RangeError(
          `batches ${JSON.stringify(sizes)} do not add up to the ${events.length} events`,
        );
      }
      let consumer = options.start();
      let offset = 0;
      for (const [i, size] of sizes.entries()) {
        for (const value of events.slice(offset, offset + size)) consumer.fold(value, offset++);
        if (delivery.resume && i < sizes.length - 1) {
          consumer = options.start(JSON.parse(JSON.stringify(consumer.save())));
        }
      }
      return consumer.answer();
    },
  };
}

/**
 * The reference consumer: the fold of `reduceConversationProjection`, whose
 * state (the projection and its lifecycle bookkeeping) is plain JSON that it
 * saves whole and resumes from.
 *
 * @example
 * ```ts
 * import { referenceConsumer } from "./projection_adapter.ts";
 * const consumer = referenceConsumer();
 * consumer.fold({ type: "text.message", messageId: "u1", role: "user", content: "Hi" }, 0);
 * console.log((consumer.answer() as { messages: unknown[] }).messages.length); // 1
 * ```
 */
export function referenceConsumer(saved?: unknown): FoldingConsumer {
  let state = saved === undefined
    ? initialConversationProjection()
    : saved as ConversationProjectionState;
  return {
    fold(value, offset) {
      state = reduceConversationProjection(state, value, offset);
    },
    save: () => state,
    answer: () => state.conversation,
  };
}

if (import.meta.main) {
  runConsumerAdapter(projectionAdapter({
    start: referenceConsumer,
    ready: {
      consumer: { name: "agent-stream reduceConversationProjection", version: "0.1.0" },
      batches: true,
      resume: true,
    },
  }));
}
