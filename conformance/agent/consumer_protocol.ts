/**
 * The consumer adapter protocol (spec/v1/conformance.md §5): the JSON lines
 * a runner writes to a consumer adapter's stdin and reads from its stdout.
 * The adapter hands a list of events to the consumer under test and reports
 * the conversation the consumer projects from them.
 *
 * @module
 */

/**
 * `project`: project these events, in this order, from the empty
 * conversation. An event's offset is its position in the list.
 *
 * @example
 * ```ts
 * import type { ProjectCommand } from "@agent-stream/agent-stream/conformance";
 * const command: ProjectCommand = {
 *   id: 1,
 *   cmd: "project",
 *   events: [{ type: "text.message", messageId: "m1", role: "user", content: "Hi" }],
 * };
 * ```
 */
export interface ProjectCommand {
  /** Unique over the session; the answer carries it. */
  readonly id: number;
  /** Command name. */
  readonly cmd: "project";
  /** The events, each one message of a stream, offsets counting from 0. */
  readonly events: readonly unknown[];
  /**
   * Hand the events to the consumer in batches of these sizes (summing to
   * the number of events), one after the other; only when `ready` has `batches`.
   */
  readonly batches?: readonly number[];
  /**
   * Between two batches, save the projection and resume from what was saved
   * in a fresh consumer; only when `ready` has `resume`.
   */
  readonly resume?: boolean;
}

/**
 * `stop`: answer `done` and exit.
 *
 * @example
 * ```ts
 * import type { ConsumerStopCommand } from "@agent-stream/agent-stream/conformance";
 * const stop: ConsumerStopCommand = { id: 2, cmd: "stop" };
 * ```
 */
export interface ConsumerStopCommand {
  /** Unique over the session. */
  readonly id: number;
  /** Command name. */
  readonly cmd: "stop";
}

/**
 * Every command a runner sends to a consumer adapter.
 *
 * @example
 * ```ts
 * import type { ConsumerCommand } from "@agent-stream/agent-stream/conformance";
 * const line = (command: ConsumerCommand) => JSON.stringify(command) + "\n";
 * ```
 */
export type ConsumerCommand = ProjectCommand | ConsumerStopCommand;

/**
 * `ready`: the adapter's first line.
 *
 * @example
 * ```ts
 * import type { ConsumerReady } from "@agent-stream/agent-stream/conformance";
 * const ready: ConsumerReady = {
 *   event: "ready", consumer: { name: "my-ui", version: "1.0.0" }, batches: true, resume: false,
 * };
 * ```
 */
export interface ConsumerReady {
  /** Event name. */
  readonly event: "ready";
  /** The consumer under test, for reports. */
  readonly consumer?: { readonly name?: string; readonly version?: string };
  /** Whether the consumer takes events in batches (`project` with `batches`). */
  readonly batches?: boolean;
  /** Whether the consumer saves its projection and resumes from it (`project` with `resume`). */
  readonly resume?: boolean;
}

/**
 * `conversation`: the answer to `project`, the consumer's conversation.
 *
 * @example
 * ```ts
 * import type { ConsumerConversation } from "@agent-stream/agent-stream/conformance";
 * const answer: ConsumerConversation = { id: 1, event: "conversation", conversation: { messages: [] } };
 * ```
 */
export interface ConsumerConversation {
  /** The command answered. */
  readonly id: number;
  /** Event name. */
  readonly event: "conversation";
  /** The projected conversation, as JSON. */
  readonly conversation: unknown;
}

/**
 * `error`: the consumer failed on the command's events.
 *
 * @example
 * ```ts
 * import type { ConsumerFailed } from "@agent-stream/agent-stream/conformance";
 * const answer: ConsumerFailed = { id: 1, event: "error", message: "TypeError: x is undefined" };
 * ```
 */
export interface ConsumerFailed {
  /** The command answered. */
  readonly id: number;
  /** Event name. */
  readonly event: "error";
  /** What went wrong, for people. */
  readonly message?: string;
}

/**
 * `done`: the answer to `stop`.
 *
 * @example
 * ```ts
 * import type { ConsumerDone } from "@agent-stream/agent-stream/conformance";
 * const answer: ConsumerDone = { id: 2, event: "done" };
 * ```
 */
export interface ConsumerDone {
  /** The command answered. */
  readonly id: number;
  /** Event name. */
  readonly event: "done";
}

/**
 * Every event a consumer adapter writes.
 *
 * @example
 * ```ts
 * import type { ConsumerEvent } from "@agent-stream/agent-stream/conformance";
 * const answered = (e: ConsumerEvent) => e.event !== "ready";
 * ```
 */
export type ConsumerEvent = ConsumerReady | ConsumerConversation | ConsumerFailed | ConsumerDone;
