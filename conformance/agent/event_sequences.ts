/**
 * Arbitraries (fast-check) of agent streams: event sequences that follow
 * every lifecycle rule of spec/v1/events.md, and sequences that break
 * exactly one. Producers, consumers, projections and views test against
 * them.
 *
 * A sequence is generated as a plan of intents ("start a text message",
 * "answer a pending tool call", …) read against a model of the stream; an
 * intent that does not fit when it is read is dropped. Shrinking removes or
 * simplifies intents, so a shrunk sequence is valid too.
 *
 * @module
 */
import fc from "fast-check";
import type { Envelope } from "../../src/protocol/envelope.ts";
import { SequenceBuilder } from "./_sequence_builder.ts";
import type { Features, Step } from "./_sequence_intents.ts";
import { type EndingKind, type PlanShape, sequencePlan } from "./_sequence_plan.ts";
import { VIOLATIONS } from "./_violations.ts";

/**
 * What {@linkcode validEventSequence} generates. `core` picks the defaults:
 * `"full"` (the default) uses the whole vocabulary; `"chat"` only what chat
 * views express: runs, steps, assistant text, reasoning, tool calls answered
 * in their own run, custom events, user messages between runs, one message
 * or tool call open at a time. Every other member overrides its default.
 *
 * @example
 * ```ts
 * import type { EventSequenceOptions } from "@agent-stream/agent-stream/conformance";
 * const options: EventSequenceOptions = { core: "chat", state: true, maxRuns: 2 };
 * ```
 */
export interface EventSequenceOptions {
  /** The defaults: the whole vocabulary, or what chat views express. */
  readonly core?: "full" | "chat";
  /** Fewest runs (default 0; at least 1 with `lastRun: "running"`). */
  readonly minRuns?: number;
  /** Most runs (default 4). */
  readonly maxRuns?: number;
  /** Most intents in one run (default 24); an intent is one to a few events. */
  readonly maxStepsPerRun?: number;
  /** Most intents before a run and after the last (default 3). */
  readonly maxStepsBetweenRuns?: number;
  /** Whether the last run ends, stays running, or either (default `"any"`). */
  readonly lastRun?: "ended" | "running" | "any";
  /** How runs may end (default all four). */
  readonly endings?: readonly ("success" | "interrupt" | "cancelled" | "error")[];
  /** `step.*` events. */
  readonly steps?: boolean;
  /** `reasoning.*` events. */
  readonly reasoning?: boolean;
  /** `tool.*` events. */
  readonly tools?: boolean;
  /** `state.snapshot` and `state.delta`. */
  readonly state?: boolean;
  /** `messages.snapshot`. */
  readonly messagesSnapshots?: boolean;
  /** `usage.reported` and the `usage` of run-ending events. */
  readonly usage?: boolean;
  /** `custom.event`, transient or not, with and without `dataId`. */
  readonly custom?: boolean;
  /** `raw.event`. */
  readonly raw?: boolean;
  /** Events of types outside the vocabulary (reverse-domain names). */
  readonly unknownTypes?: boolean;
  /** `task.*` and `agent.*`. */
  readonly families?: boolean;
  /** `llm.*`. */
  readonly llm?: boolean;
  /** `text.message`s without `runId` between runs (user, or with `roles`, system and developer). */
  readonly userMessages?: boolean;
  /** Run-less events other than messages between runs (state, custom, raw, families, …). */
  readonly betweenRuns?: boolean;
  /** Several messages and tool calls open at once. */
  readonly interleave?: boolean;
  /** Tool results in a later run than their call, and parents from earlier runs. */
  readonly crossRun?: boolean;
  /** Text of every role inside runs (not only assistant). */
  readonly roles?: boolean;
  /** Envelope members `id`, `time`, `meta` on some events, and run-less events inside runs. */
  readonly envelope?: boolean;
}

const CHAT: Features = {
  steps: true,
  reasoning: true,
  tools: true,
  state: false,
  messagesSnapshots: false,
  usage: false,
  custom: true,
  raw: false,
  unknownTypes: false,
  families: false,
  llm: false,
  userMessages: true,
  betweenRuns: false,
  interleave: false,
  crossRun: false,
  roles: false,
  envelope: false,
};

const FULL: Features = Object.fromEntries(
  Object.keys(CHAT).map((key) => [key, true]),
) as unknown as Features;

function features(options: EventSequenceOptions): Features {
  const defaults = options.core === "chat" ? CHAT : FULL;
  const resolved: Record<string, boolean> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) resolved[key] = Boolean(value);
  }
  return resolved as unknown as Features;
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/**
 * Sequences of events that satisfy every lifecycle rule (EVT-*) of
 * spec/v1/events.md and every event's schema: sequential runs, each started
 * and (unless the last is left running) ended by success, interrupt,
 * cancellation or error, with user messages and run-less events between
 * them. Inside runs: streamed and whole text, reasoning with signatures,
 * steps, tool calls whose deltas join to the JSON text of their input,
 * results, state snapshots and patches that apply, messages snapshots, usage
 * (a run-ending `usage` equals the sum of the run's reports), custom data
 * messages created and replaced, raw events, tasks and agent processes
 * through their status machines, LLM requests, and events of unknown types.
 *
 * @throws {RangeError} when a count option is not a non-negative integer.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { validEventSequence } from "@agent-stream/agent-stream/conformance";
 *
 * fc.assert(fc.property(validEventSequence({ core: "chat", maxRuns: 2 }), (events) => {
 *   const runs = events.filter((event) => event.type === "run.started").length;
 *   return runs <= 2;
 * }));
 * ```
 */
export function validEventSequence(options: EventSequenceOptions = {}): fc.Arbitrary<Envelope[]> {
  const f = features(options);
  return sequencePlan(f, planShape(options)).map((plan) => new SequenceBuilder(f).build(plan));
}

function planShape(options: EventSequenceOptions): PlanShape {
  return {
    minRuns: count("minRuns", options.minRuns, 0),
    maxRuns: count("maxRuns", options.maxRuns, 4),
    maxStepsPerRun: count("maxStepsPerRun", options.maxStepsPerRun, 24),
    maxStepsBetweenRuns: count("maxStepsBetweenRuns", options.maxStepsBetweenRuns, 3),
    lastRun: options.lastRun ?? "any",
    endings: (options.endings ?? ["success", "interrupt", "cancelled", "error"]) as EndingKind[],
  };
}

/**
 * The requirements {@linkcode brokenEventSequence} can break: every
 * lifecycle rule of spec/v1/events.md, and EVT-SHAPE-1 (an event of the
 * vocabulary that fails its schema).
 *
 * @example
 * ```ts
 * import { BROKEN_EVENT_REQUIREMENTS } from "@agent-stream/agent-stream/conformance";
 * console.log(BROKEN_EVENT_REQUIREMENTS.includes("EVT-TOOL-3")); // true
 * ```
 */
export const BROKEN_EVENT_REQUIREMENTS: readonly string[] = Object.freeze(Object.keys(VIOLATIONS));

/**
 * A sequence with one broken rule: the events, the position of the event
 * that breaks it, and the requirement it breaks.
 *
 * @example
 * ```ts
 * import type { BrokenEventSequence } from "@agent-stream/agent-stream/conformance";
 * const broken: BrokenEventSequence = {
 *   requirement: "EVT-RUN-1",
 *   index: 0,
 *   events: [{ type: "run.started" }],
 * };
 * ```
 */
export interface BrokenEventSequence {
  /** The requirement the sequence breaks. */
  readonly requirement: string;
  /** The position of the one event that breaks it. */
  readonly index: number;
  /** The events. */
  readonly events: Envelope[];
}

/**
 * Sequences that break `requirement` exactly once, with the position of the
 * event that breaks it: a valid sequence (as {@linkcode validEventSequence}
 * makes with `options`, with at least two runs) into which one violation is
 * put, inside a run or between runs. The events before the violation make
 * it possible (an open message, a call that has its result, …); the events
 * after it are valid as if it had not been sent, because a consumer refuses
 * it and changes nothing. Events that break a SHOULD rule are not refused:
 * after an EVT-USAGE-1 violation (a run-ending event) the stream goes on as
 * if it were valid, and an EVT-LLM-2 violation is the last event.
 *
 * @throws {RangeError} for a requirement not in {@linkcode BROKEN_EVENT_REQUIREMENTS},
 * or a bad count option.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { brokenEventSequenceWithIndex } from "@agent-stream/agent-stream/conformance";
 *
 * const [broken] = fc.sample(brokenEventSequenceWithIndex("EVT-RUN-4"), 1);
 * console.log(broken.events[broken.index].type); // "run.finished"
 * ```
 */
export function brokenEventSequenceWithIndex(
  requirement: string,
  options: EventSequenceOptions = {},
): fc.Arbitrary<BrokenEventSequence> {
  const variants = VIOLATIONS[requirement];
  if (variants === undefined || !Object.hasOwn(VIOLATIONS, requirement)) {
    throw new RangeError(
      `No broken sequences for ${JSON.stringify(requirement)}; supported: ${
        BROKEN_EVENT_REQUIREMENTS.join(", ")
      }`,
    );
  }
  const f = features(options);
  const shape = planShape(options);
  const runs = Math.max(2, shape.minRuns);
  const plans = sequencePlan(f, {
    ...shape,
    minRuns: runs,
    maxRuns: Math.max(runs, shape.maxRuns),
  });
  return fc.record({
    plan: plans,
    variant: fc.nat(variants.length - 1),
    run: fc.nat(),
    at: fc.nat(),
  })
    .map(({ plan, variant, run, at }) => {
      const chosen = variants[variant];
      const gap = chosen.where === "gap";
      // Between runs: before any run but the first, so that a run has ended.
      const target = gap ? 1 + run % (plan.runs.length - 1) : run % plan.runs.length;
      const violate: Step = { intent: { k: "violate" }, dress: 0 };
      const runs = plan.runs.map((r, i) => {
        if (i !== target) return r;
        const steps = gap ? r.gap : r.body;
        const placed = [...steps.slice(0, at % (steps.length + 1)), violate];
        placed.push(...steps.slice(at % (steps.length + 1)));
        return gap
          ? { ...r, gap: placed }
          : { ...r, body: placed, llm: chosen.mode === undefined ? r.llm : chosen.mode === "llm" };
      });
      let index = -1;
      const events = new SequenceBuilder(f, (b) => {
        chosen.make(b);
        index = b.events.length - 1;
        if (chosen.last === true) b.stop();
      }).build({ ...plan, runs });
      return { requirement, index, events };
    });
}

/**
 * Sequences that break `requirement` exactly once; see
 * {@linkcode brokenEventSequenceWithIndex}, which also gives the position
 * of the event that breaks it.
 *
 * @throws {RangeError} for a requirement not in {@linkcode BROKEN_EVENT_REQUIREMENTS}.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { brokenEventSequence } from "@agent-stream/agent-stream/conformance";
 *
 * const [events] = fc.sample(brokenEventSequence("EVT-TOOL-2"), 1);
 * console.log(events.some((event) => event.type === "tool.delta" || event.type === "tool.end")); // true
 * ```
 */
export function brokenEventSequence(
  requirement: string,
  options: EventSequenceOptions = {},
): fc.Arbitrary<Envelope[]> {
  return brokenEventSequenceWithIndex(requirement, options).map((broken) => broken.events);
}
