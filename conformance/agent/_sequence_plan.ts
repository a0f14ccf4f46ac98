// Arbitraries of whole plans: runs (gap, start, body, ending) and a tail.
import fc from "fast-check";
import { jsonValue, text } from "./_json_values.ts";
import type { RunEnding, RunPlan, RunStart, SequencePlan } from "./_sequence_builder.ts";
import {
  dress,
  type Features,
  gapIntent,
  runIntent,
  step,
  usageReport,
} from "./_sequence_intents.ts";

/** The ways a run can end. */
export type EndingKind = "success" | "interrupt" | "cancelled" | "error";

/** What a plan may contain besides the features. */
export interface PlanShape {
  readonly minRuns: number;
  readonly maxRuns: number;
  readonly maxStepsPerRun: number;
  readonly maxStepsBetweenRuns: number;
  readonly lastRun: "ended" | "running" | "any";
  readonly endings: readonly EndingKind[];
}

const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined });

function ending(kind: EndingKind, f: Features): fc.Arbitrary<RunEnding> {
  const usage = f.usage ? optional(usageReport) : fc.constant(undefined);
  if (kind === "error") {
    return fc.record({
      kind: fc.constant(kind),
      message: text(20),
      code: optional(fc.constantFrom("overloaded", "timeout")),
      usage,
    });
  }
  const interrupt = fc.record({
    reason: fc.constantFrom("approval", "input"),
    message: text(12),
    toolCall: fc.boolean(),
  }, { requiredKeys: ["reason", "toolCall"], noNullPrototype: true });
  return fc.record({
    kind: fc.constant(kind),
    result: optional(jsonValue),
    usage,
    interrupts: kind === "interrupt" ? fc.array(interrupt, { maxLength: 2 }) : fc.constant([]),
  });
}

/** Arbitrary plans of the given features and shape. */
export function sequencePlan(f: Features, shape: PlanShape): fc.Arbitrary<SequencePlan> {
  const gapStep = gapIntent(f);
  const gap = gapStep === undefined
    ? fc.constant([])
    : fc.array(step(gapStep, f), { maxLength: shape.maxStepsBetweenRuns });
  const start: fc.Arbitrary<RunStart> = fc.record({
    thread: fc.boolean(),
    parent: fc.option(fc.nat(), { nil: null }),
    input: optional(jsonValue),
    dress: dress(f),
  });
  const endings = shape.endings.length === 0 ? ["success" as const] : shape.endings;
  const run: fc.Arbitrary<RunPlan> = fc.record({
    gap,
    start,
    llm: f.llm ? fc.boolean() : fc.constant(false),
    body: fc.array(step(runIntent(f), f), { maxLength: shape.maxStepsPerRun, size: "max" }),
    end: fc.oneof(...endings.map((kind) => ending(kind, f))),
  });
  const minRuns = shape.lastRun === "running" ? Math.max(1, shape.minRuns) : shape.minRuns;
  const maxRuns = Math.max(minRuns, shape.maxRuns);
  const leaveRunning = shape.lastRun === "any"
    ? fc.boolean()
    : fc.constant(shape.lastRun === "running");
  return fc.record({
    runs: fc.array(run, { minLength: minRuns, maxLength: maxRuns }),
    tail: gap,
    leaveRunning,
  }).map(({ runs, tail, leaveRunning }) => {
    if (!leaveRunning || runs.length === 0) return { runs, tail };
    const last = { ...runs[runs.length - 1], end: { kind: "running" as const } };
    return { runs: [...runs.slice(0, -1), last], tail: [] };
  });
}
