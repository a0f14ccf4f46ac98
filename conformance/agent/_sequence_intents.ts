// What a generated sequence means to do, step by step. An intent names its
// targets by number (`pick`), so it stays meaningful whatever the model holds
// when it is read; one that no longer fits is dropped. Shrinking an intent
// list therefore always yields another valid sequence.
import fc from "fast-check";
import type { JsonValue } from "../../src/projector/json_patch.ts";
import type { Usage } from "../../src/vocabulary/mod.ts";
import { jsonObject, jsonValue, text } from "./_json_values.ts";
import { type PatchSeed, patchSeeds } from "./_state_patch.ts";

/** The families and shapes a sequence may use (resolved options). */
export interface Features {
  readonly steps: boolean;
  readonly reasoning: boolean;
  readonly tools: boolean;
  readonly state: boolean;
  readonly messagesSnapshots: boolean;
  readonly usage: boolean;
  readonly custom: boolean;
  readonly raw: boolean;
  readonly unknownTypes: boolean;
  readonly families: boolean;
  readonly llm: boolean;
  readonly userMessages: boolean;
  readonly betweenRuns: boolean;
  readonly interleave: boolean;
  readonly crossRun: boolean;
  readonly roles: boolean;
  readonly envelope: boolean;
}

/** A result: an output or an error. */
export type Outcome = { output: JsonValue } | { error: string };

/** One step of a generated sequence. */
export type Intent =
  | { k: "textStart"; role: "assistant" | "user" | "system" | "developer" | undefined }
  | { k: "textMessage"; role: "assistant" | "user" | "system" | "developer"; content: string }
  | { k: "reasoningStart" }
  /** The next delta of an open message, request or tool call. */
  | { k: "advance"; pick: number; delta: string; size: number }
  /** Ends an open message, request or tool call. */
  | {
    k: "finish";
    pick: number;
    signature?: string;
    encryptedValue?: string;
    finishReason?: string;
    error: boolean;
  }
  | {
    k: "toolStart";
    name: string;
    parent: number | null;
    input: JsonValue;
    /** Whether arguments stream as deltas, and whether `tool.end` carries `input`. */
    deltas: boolean;
    endInput: boolean;
  }
  | { k: "toolResult"; pick: number; outcome: Outcome; messageId: boolean }
  | { k: "stepStart"; name: string }
  | { k: "stepEnd"; pick: number }
  | { k: "stateSnapshot"; snapshot: Record<string, JsonValue> }
  | { k: "stateDelta"; seeds: PatchSeed[] }
  | { k: "messagesSnapshot"; drop: number[]; add: string | null }
  | { k: "usage"; usage: Usage }
  | {
    k: "custom";
    name: string;
    value: JsonValue | undefined;
    transient: boolean;
    data: "none" | "new" | "reuse";
    pick: number;
  }
  | { k: "raw"; event: JsonValue; source: string | undefined }
  | { k: "unknown"; type: string; members: Record<string, JsonValue> }
  | { k: "task"; create: boolean; pick: number; action: number; detail: JsonValue }
  | { k: "agent"; create: boolean; pick: number; action: number; detail: string }
  | { k: "llmStart"; messageId: boolean; model: string | undefined }
  | { k: "llmToolCall"; pick: number; name: string; input: JsonValue }
  | { k: "llmToolResult"; pick: number; outcome: Outcome }
  | { k: "llmUsage"; pick: number; usage: Usage }
  /** Where a broken sequence breaks a rule. */
  | { k: "violate" };

/** An intent and how its main event is decorated with envelope members. */
export interface Step {
  readonly intent: Intent;
  /** Bit 0: an event `id`; bit 1: a `time`; bit 2: `meta`; bit 3: no `runId` where optional. */
  readonly dress: number;
}

const pick = fc.nat();
const nullable = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.option(arbitrary, { nil: null });
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined });

/** A usage report; costs are multiples of 1/64 so that sums are exact. */
export const usageReport: fc.Arbitrary<Usage> = fc.record({
  promptTokens: fc.nat(5000),
  completionTokens: fc.nat(2000),
  totalTokens: fc.nat(8000),
  reasoningTokens: fc.nat(500),
  cachedPromptTokens: fc.nat(500),
  costUsd: fc.nat(640).map((n) => n / 64),
  model: fc.constantFrom("small-1", "large-2"),
  provider: fc.constantFrom("example", "local"),
}, { requiredKeys: [], noNullPrototype: true });

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  { weight: 3, arbitrary: jsonValue.map((output) => ({ output })) },
  { weight: 1, arbitrary: text().map((error) => ({ error })) },
);

const toolName = fc.constantFrom("search", "get_weather", "run_code", "lookup");

function weighted(entries: [number, boolean, fc.Arbitrary<Intent>][]): fc.Arbitrary<Intent> {
  const usable = entries.filter(([, on]) => on).map(([weight, , arbitrary]) => ({
    weight,
    arbitrary,
  }));
  return fc.oneof(...usable);
}

/** Intents for inside a run. */
export function runIntent(f: Features): fc.Arbitrary<Intent> {
  const roles = f.roles
    ? fc.constantFrom("assistant", "assistant", "user", "system", "developer" as const)
    : fc.constant("assistant" as const);
  return weighted([
    [4, true, fc.record({ k: fc.constant("textStart"), role: optional(roles) })],
    [1, true, fc.record({ k: fc.constant("textMessage"), role: roles, content: text(20) })],
    [1, f.reasoning, fc.constant({ k: "reasoningStart" })],
    [12, true, fc.record({ k: fc.constant("advance"), pick, delta: text(), size: fc.nat(12) })],
    [
      5,
      true,
      fc.record({
        k: fc.constant("finish"),
        pick,
        signature: text(16),
        encryptedValue: text(16),
        finishReason: fc.constantFrom("stop", "length", "tool-calls"),
        error: fc.boolean(),
      }, { requiredKeys: ["k", "pick", "error"] }),
    ],
    [
      3,
      f.tools,
      fc.record({
        k: fc.constant("toolStart"),
        name: toolName,
        parent: nullable(pick),
        input: jsonValue,
        deltas: fc.boolean(),
        endInput: fc.boolean(),
      }),
    ],
    [
      3,
      f.tools,
      fc.record({ k: fc.constant("toolResult"), pick, outcome, messageId: fc.boolean() }),
    ],
    [
      2,
      f.steps,
      fc.record({ k: fc.constant("stepStart"), name: fc.constantFrom("plan", "act", "answer") }),
    ],
    [2, f.steps, fc.record({ k: fc.constant("stepEnd"), pick })],
    ...sharedIntents(f),
    [1, f.usage, fc.record({ k: fc.constant("usage"), usage: usageReport })],
    [
      1,
      f.messagesSnapshots,
      fc.record({
        k: fc.constant("messagesSnapshot"),
        drop: fc.array(pick, { maxLength: 2 }),
        add: nullable(text(12)),
      }),
    ],
    [
      2,
      f.llm,
      fc.record({
        k: fc.constant("llmStart"),
        messageId: fc.boolean(),
        model: optional(fc.constantFrom("small-1", "large-2")),
      }),
    ],
    [
      1,
      f.llm,
      fc.record({ k: fc.constant("llmToolCall"), pick, name: toolName, input: jsonValue }),
    ],
    [2, f.llm, fc.record({ k: fc.constant("llmToolResult"), pick, outcome })],
    [1, f.llm, fc.record({ k: fc.constant("llmUsage"), pick, usage: usageReport })],
  ]);
}

// Unbiased, so that status machines get past their first states.
const action = fc.noBias(fc.nat(59));
const create = fc.noBias(fc.nat(5)).map((n) => n === 0);

function sharedIntents(f: Features): [number, boolean, fc.Arbitrary<Intent>][] {
  return [
    [1, f.state, fc.record({ k: fc.constant("stateSnapshot"), snapshot: jsonObject })],
    [2, f.state, fc.record({ k: fc.constant("stateDelta"), seeds: patchSeeds })],
    [
      2,
      f.custom,
      fc.record({
        k: fc.constant("custom"),
        name: fc.constantFrom("weather-card", "citation", "progress"),
        value: optional(jsonValue),
        transient: fc.boolean(),
        data: fc.constantFrom("none", "new", "reuse"),
        pick,
      }),
    ],
    [
      1,
      f.raw,
      fc.record({
        k: fc.constant("raw"),
        event: jsonValue,
        source: optional(fc.constantFrom("provider", "tool-host")),
      }),
    ],
    [
      1,
      f.unknownTypes,
      fc.record({
        k: fc.constant("unknown"),
        type: fc.constantFrom(
          "com.example.widget.updated",
          "dev.acme.trace.span-ended",
          "org.sample.note_added.v2",
        ),
        members: fc.dictionary(fc.constantFrom("payload", "count", "label"), jsonValue, {
          maxKeys: 2,
          noNullPrototype: true,
        }),
      }),
    ],
    [3, f.families, fc.record({ k: fc.constant("task"), create, pick, action, detail: jsonValue })],
    [3, f.families, fc.record({ k: fc.constant("agent"), create, pick, action, detail: text() })],
  ];
}

/** Intents for between runs: messages from the user, and run-less events. */
export function gapIntent(f: Features): fc.Arbitrary<Intent> | undefined {
  const entries: [number, boolean, fc.Arbitrary<Intent>][] = [
    [
      4,
      f.userMessages,
      fc.record({
        k: fc.constant("textMessage"),
        role: f.roles
          ? fc.constantFrom("user", "user", "system", "developer" as const)
          : fc.constant("user" as const),
        content: text(20),
      }),
    ],
    ...(f.betweenRuns ? sharedIntents(f) : []),
    [
      1,
      f.betweenRuns && f.tools && f.crossRun,
      fc.record({ k: fc.constant("toolResult"), pick, outcome, messageId: fc.boolean() }),
    ],
    [
      1,
      f.betweenRuns && f.messagesSnapshots,
      fc.record({
        k: fc.constant("messagesSnapshot"),
        drop: fc.array(pick, { maxLength: 2 }),
        add: nullable(text(12)),
      }),
    ],
  ];
  return entries.some(([, on]) => on) ? weighted(entries) : undefined;
}

/** Envelope decoration: mostly none. */
export function dress(f: Features): fc.Arbitrary<number> {
  return f.envelope
    ? fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(15) })
    : fc.constant(0);
}

/** A step of the given kind of intent. */
export function step(intent: fc.Arbitrary<Intent>, f: Features): fc.Arbitrary<Step> {
  return fc.record({ intent, dress: dress(f) });
}
