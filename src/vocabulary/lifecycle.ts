import * as v from "valibot";
import type { JsonValue } from "../projector/json_patch.ts";
import { isJsonObject } from "../protocol/_common.ts";
import type { Envelope } from "../protocol/envelope.ts";
import { validate } from "../protocol/validate.ts";
import type { ConversationMessage } from "./conversation_message.ts";
import type { StandardEvent } from "./standard_events.ts";
import { definitionOf } from "./_definitions.ts";
import { LifecycleState, type Outcome, q, refuse } from "./_lifecycle_state.ts";
import { agent, runEnded, runStarted, state, step, task } from "./_lifecycle_runs.ts";
import { report } from "./_lifecycle_runs.ts";
import {
  beginText,
  custom,
  llm,
  messagesSnapshot,
  streamText,
  toolArguments,
  toolResult,
  toolStart,
} from "./_lifecycle_messages.ts";

/**
 * A lifecycle rule of spec/v1/events.md that an event breaks (`MUST`) or a
 * recommendation it ignores (`SHOULD`).
 *
 * @example
 * ```ts
 * import type { LifecycleViolation } from "@agent-stream/agent-stream/vocabulary";
 * const violation: LifecycleViolation = {
 *   requirement: "EVT-MSG-2",
 *   message: 'text.delta for "m9", no open text message',
 *   level: "MUST",
 * };
 * ```
 */
export interface LifecycleViolation {
  /** The requirement ID, such as `EVT-TOOL-2`. */
  requirement: string;
  /** What is wrong, for a person. */
  message: string;
  /** `MUST` for a broken rule (the event is refused), `SHOULD` for a recommendation. */
  level: "MUST" | "SHOULD";
}

/**
 * A violation found by {@linkcode checkLifecycle}, with the position of the
 * event that commits it.
 *
 * @example
 * ```ts
 * import type { LifecycleFinding } from "@agent-stream/agent-stream/vocabulary";
 * const finding: LifecycleFinding = {
 *   index: 3,
 *   requirement: "EVT-RUN-4",
 *   message: 'run.finished while text message "m1" begun in run "r1" is open',
 *   level: "MUST",
 * };
 * ```
 */
export interface LifecycleFinding extends LifecycleViolation {
  /** The 0-based position of the event in the list checked. */
  index: number;
}

/**
 * Checks the events of one stream against the lifecycle rules of
 * spec/v1/events.md, in order, and keeps track of what they opened.
 *
 * {@linkcode LifecycleTracker.admit} takes one event at a time: an event that
 * breaks a rule is refused and changes nothing, so consumers skip it and go
 * on (spec/v1/projection.md). Events of types outside the vocabulary, and
 * events that fail their type's schema, are admitted unchecked and change
 * nothing either; reporting a schema failure is the caller's business
 * ({@linkcode checkLifecycle} does it).
 *
 * @example
 * ```ts
 * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
 * const tracker = new LifecycleTracker();
 * tracker.admit({ type: "run.started", runId: "r1" });
 * tracker.admit({ type: "text.start", runId: "r1", messageId: "m1" });
 * const refused = tracker.admit({ type: "run.finished", runId: "r1", outcome: "success" });
 * console.log(refused?.requirement); // "EVT-RUN-4": m1 is still open
 * console.log(tracker.activeRunId, tracker.isMessageOpen("m1")); // "r1" true
 * ```
 */
export class LifecycleTracker {
  readonly #state: LifecycleState = new LifecycleState();
  #advisories: readonly LifecycleViolation[] = [];

  /**
   * Checks `event` against the rules, given every event admitted so far. If it
   * breaks none, admits it (its effect on what is open is recorded) and
   * returns `undefined`; otherwise returns the rule it breaks and changes
   * nothing. `offset`, the event's 0-based position in the stream, names the
   * data message a `custom.event` without `dataId` begins; without it that
   * message's id is not checked.
   *
   * @throws {RangeError} when `offset` is given but is not a non-negative integer.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * const violation = tracker.admit({ type: "text.delta", messageId: "m1", delta: "Hi" });
   * console.log(violation?.requirement); // "EVT-MSG-2"
   * ```
   */
  admit(event: Envelope | StandardEvent, offset?: number): LifecycleViolation | undefined {
    if (offset !== undefined && !(Number.isSafeInteger(offset) && offset >= 0)) {
      throw new RangeError(`Expected the offset to be a non-negative integer, got ${offset}`);
    }
    this.#advisories = [];
    const known = standardEvent(event);
    if (known === undefined) return undefined;
    const outcome = decide(this.#state, known, offset);
    if ("refused" in outcome) return { ...outcome.refused };
    outcome.commit();
    this.#advisories = outcome.advisories.map((finding) => ({ ...finding }));
    return undefined;
  }

  /**
   * The recommendations (`SHOULD` rules, such as `EVT-USAGE-1`) that the event
   * last admitted ignores; empty after a refused event.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "run.started", runId: "r1" });
   * tracker.admit({ type: "usage.reported", runId: "r1", promptTokens: 10 });
   * tracker.admit({ type: "run.finished", runId: "r1", outcome: "success", usage: { promptTokens: 9 } });
   * console.log(tracker.advisories[0]?.requirement); // "EVT-USAGE-1"
   * ```
   */
  get advisories(): readonly LifecycleViolation[] {
    return this.#advisories;
  }

  /**
   * The `runId` of the active run, if one is.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "run.started", runId: "r1" });
   * console.log(tracker.activeRunId); // "r1"
   * ```
   */
  get activeRunId(): string | undefined {
    return this.#state.active?.runId;
  }

  /**
   * Whether `id` names an open text or reasoning message (including the
   * message of an active LLM request).
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "reasoning.start", messageId: "t1" });
   * console.log(tracker.isMessageOpen("t1")); // true
   * ```
   */
  isMessageOpen(id: string): boolean {
    return this.#state.openMessages.has(id);
  }

  /**
   * Whether `id` names an open tool call: started, arguments not yet ended.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "tool.start", toolCallId: "c1", toolName: "search" });
   * console.log(tracker.isToolCallOpen("c1")); // true
   * ```
   */
  isToolCallOpen(id: string): boolean {
    return this.#state.openCalls.has(id);
  }

  /**
   * The ids of the open messages, in the order they began.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "text.start", messageId: "m1" });
   * tracker.admit({ type: "llm.started", requestId: "q1" });
   * console.log(tracker.openMessageIds()); // ["m1", "q1"]
   * ```
   */
  openMessageIds(): string[] {
    return [...this.#state.openMessages];
  }

  /**
   * The ids of the open tool calls, in the order they began.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "tool.start", toolCallId: "c1", toolName: "search" });
   * console.log(tracker.openToolCallIds()); // ["c1"]
   * ```
   */
  openToolCallIds(): string[] {
    return [...this.#state.openCalls];
  }

  /**
   * The names of the open steps of the active run.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "run.started", runId: "r1" });
   * tracker.admit({ type: "step.started", runId: "r1", stepName: "plan" });
   * console.log(tracker.openStepNames()); // ["plan"]
   * ```
   */
  openStepNames(): string[] {
    return [...this.#state.active?.steps ?? []];
  }

  /**
   * The role of the conversation's message `id`, or `undefined` when the
   * conversation holds no such message.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "tool.start", toolCallId: "c1", toolName: "search" });
   * console.log(tracker.messageRole("c1")); // "assistant": the call's own message
   * ```
   */
  messageRole(id: string): ConversationMessage["role"] | undefined {
    return this.#state.messages.get(id)?.role;
  }

  /**
   * The id of the message an LLM request streams into (its `llm.started`'s
   * `messageId`, else its `requestId`), for requests that started, ended or
   * not; `undefined` for a request that never started. Fits the second
   * parameter of `normalizeEvent`.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "llm.started", requestId: "q1", messageId: "m7" });
   * console.log(tracker.requestMessageId("q1")); // "m7"
   * ```
   */
  requestMessageId(requestId: string): string | undefined {
    return this.#state.requests.get(requestId)?.messageId;
  }

  /**
   * Whether the LLM request started and has not ended.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "llm.started", requestId: "q1" });
   * tracker.admit({ type: "llm.completed", requestId: "q1" });
   * console.log(tracker.isRequestActive("q1")); // false
   * ```
   */
  isRequestActive(requestId: string): boolean {
    return this.#state.requests.get(requestId)?.active === true;
  }

  /**
   * The shared state as the admitted events leave it (`{}` at first); do not
   * change it.
   *
   * @example
   * ```ts
   * import { LifecycleTracker } from "@agent-stream/agent-stream/vocabulary";
   * const tracker = new LifecycleTracker();
   * tracker.admit({ type: "state.delta", patch: [{ op: "add", path: "/n", value: 1 }] });
   * console.log(tracker.state); // { n: 1 }
   * ```
   */
  get state(): JsonValue {
    return this.#state.state;
  }
}

/**
 * Checks a whole list of events: every event of a vocabulary type that fails
 * its type's schema (`EVT-SHAPE-1`), every event a {@linkcode LifecycleTracker}
 * refuses (one finding, the first rule it breaks), and every recommendation an
 * admitted event ignores (`level: "SHOULD"`), in order. An event's position in
 * the list is taken as its offset. Values that are not events of the
 * vocabulary are passed over.
 *
 * @throws {TypeError} when `events` is not an array.
 *
 * @example
 * ```ts
 * import { checkLifecycle } from "@agent-stream/agent-stream/vocabulary";
 * const findings = checkLifecycle([
 *   { type: "run.started", runId: "r1" },
 *   { type: "tool.start", runId: "r1", toolCallId: "c1", toolName: "search" },
 *   { type: "tool.delta", runId: "r1", toolCallId: "c1", delta: "{\"q\":" },
 *   { type: "tool.end", runId: "r1", toolCallId: "c1" },
 *   { type: "run.finished", runId: "r1", outcome: "success" },
 * ]);
 * console.log(findings.map((f) => `${f.index} ${f.requirement}`)); // ["3 EVT-TOOL-3", "4 EVT-RUN-4"]
 * ```
 */
export function checkLifecycle(events: readonly unknown[]): LifecycleFinding[] {
  if (!Array.isArray(events)) {
    throw new TypeError("checkLifecycle expects an array of events");
  }
  const tracker = new LifecycleTracker();
  const findings: LifecycleFinding[] = [];
  events.forEach((event: unknown, index) => {
    const type = isJsonObject(event) ? event.type : undefined;
    const definition = definitionOf(type);
    if (definition === undefined) return;
    const shape = validate(definition.schema, event);
    if (!shape.ok) {
      const problems = shape.errors.map((error) => `${error.path || "/"}: ${error.message}`);
      findings.push({
        index,
        requirement: "EVT-SHAPE-1",
        message: `${q(type)} does not satisfy its schema: ${problems.join("; ")}`,
        level: "MUST",
      });
      return;
    }
    const violation = tracker.admit(event as Envelope, index);
    if (violation !== undefined) findings.push({ index, ...violation });
    for (const advisory of tracker.advisories) findings.push({ index, ...advisory });
  });
  return findings;
}

/** The event as a valid event of the vocabulary, or `undefined`. */
function standardEvent(event: unknown): StandardEvent | undefined {
  if (!isJsonObject(event)) return undefined;
  const definition = definitionOf(event.type);
  return definition !== undefined && v.is(definition.schema, event) ? event : undefined;
}

const RUN_LESS = "EVT-RUN-5";

/** The outcome of one valid event of the vocabulary. */
function decide(s: LifecycleState, e: StandardEvent, offset: number | undefined): Outcome {
  switch (e.type) {
    case "run.started":
      return runStarted(s, e);
    case "run.finished":
    case "run.error":
      return runEnded(s, e);
    case "step.started":
    case "step.finished":
      return step(s, e);
  }
  if (e.runId !== undefined && e.runId !== s.active?.runId) {
    return refuse(
      RUN_LESS,
      `${e.type} names run ${q(e.runId)}, which is not active` +
        (s.active === undefined ? "" : ` (run ${q(s.active.runId)} is)`),
    );
  }
  switch (e.type) {
    case "text.start":
    case "text.message":
    case "reasoning.start":
      return beginText(s, e);
    case "text.delta":
    case "text.end":
    case "reasoning.delta":
    case "reasoning.end":
      return streamText(s, e);
    case "tool.start":
      return toolStart(s, e);
    case "tool.delta":
    case "tool.end":
      return toolArguments(s, e);
    case "tool.result":
    case "llm.tool-result":
      return toolResult(s, e);
    case "state.snapshot":
    case "state.delta":
      return state(s, e);
    case "messages.snapshot":
      return messagesSnapshot(s, e);
    case "usage.reported":
      return { commit: () => report(s, e), advisories: [] };
    case "custom.event":
      return custom(s, e, offset);
    case "raw.event":
      return { commit: () => {}, advisories: [] };
    case "llm.started":
    case "llm.token":
    case "llm.tool-call":
    case "llm.usage":
    case "llm.completed":
    case "llm.error":
      return llm(s, e);
  }
  return e.type.startsWith("task.")
    ? task(s, e as StandardEvent & { taskId: string })
    : agent(s, e as StandardEvent & { agentId: string });
}
