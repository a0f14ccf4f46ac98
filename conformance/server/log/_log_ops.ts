// Generated operation lists for the model property: which log operations,
// how often, and the requirements a difference they reveal can break.

import fc from "fast-check";
import { fcJsonText } from "./_log_json.ts";

/** The kinds of operation the engine runs. */
export type OpKind =
  | "create"
  | "append"
  | "close"
  | "concurrent"
  | "read"
  | "head"
  | "fork"
  | "delete";

/** How a producer request relates to the producer's state (log.md §7 table). */
export type ProducerIntent = "next" | "dup" | "gap" | "bump" | "bump-bad" | "stale";

/** A producer identity, resolved against the model when the operation runs. */
export interface ProducerPick {
  /** Which of two producer ids. */
  readonly id: number;
  /** How the request relates to the producer's state. */
  readonly intent: ProducerIntent;
  /** A number that picks among the values the intent allows. */
  readonly pick: number;
}

/** One generated operation; `target` picks a stream, values are message payload texts. */
export type Op =
  | { readonly kind: "create"; readonly target: number; readonly closed: boolean; values: string[] }
  | {
    readonly kind: "append";
    readonly target: number;
    readonly form: "batch" | "single" | "empty-array" | "empty-body";
    readonly values: string[];
    readonly producer?: ProducerPick;
    readonly seq?: string;
  }
  | {
    readonly kind: "close";
    readonly target: number;
    readonly values: string[];
    readonly producer?: ProducerPick;
  }
  | { readonly kind: "concurrent"; readonly target: number; readonly batches: string[][] }
  | {
    readonly kind: "read";
    readonly target: number;
    readonly offset: "-1" | "now" | number;
    readonly limit?: number;
  }
  | { readonly kind: "head"; readonly target: number }
  | { readonly kind: "fork"; readonly target: number; readonly offset?: number }
  | { readonly kind: "delete"; readonly target: number };

/** Which operations a property generates, and how often. */
export interface OpMix {
  /** Relative frequency of each kind of operation; absent kinds are not generated. */
  readonly weights: Partial<Record<OpKind, number>>;
  /** Producer headers on some (or all) appends and closes (feature `idempotent-producer`). */
  readonly producers?: boolean | "always";
  /** `Stream-Seq` on some plain appends (feature `stream-seq`). */
  readonly streamSeq?: boolean;
  /** The longest operation list (default 20). */
  readonly maxOps?: number;
}

/** The requirements a difference found by the engine can break, for an op mix. */
export function engineRequirements(mix: OpMix): string[] {
  const ids = new Set(["LOG-STREAM-2", "LOG-OFFSET-1", "LOG-READ-1", "LOG-DELETE-1"]);
  const add = (...more: string[]) => more.forEach((id) => ids.add(id));
  const w = mix.weights;
  if (w.create) add("LOG-STREAM-2");
  if (w.append || w.close) {
    add("LOG-APPEND-3", "LOG-APPEND-5", "LOG-CLOSE-1", "LOG-CLOSE-3");
    if (mix.producers) {
      add("LOG-PRODUCER-1", "LOG-PRODUCER-2", "LOG-PRODUCER-3", "LOG-PRODUCER-4", "LOG-PRODUCER-5");
    }
    if (mix.streamSeq) add("LOG-SEQ-1");
  }
  if (w.close) add("LOG-CLOSE-2");
  if (w.concurrent) add("LOG-APPEND-1", "LOG-APPEND-6", "LOG-READ-2", "LOG-MSG-1", "LOG-MSG-2");
  // The final read of every stream judges it like any read.
  add("LOG-READ-2", "LOG-READ-3", "LOG-READ-4", "LOG-OFFSET-2", "LOG-MSG-1", "LOG-MSG-2");
  if (w.close) add("LOG-CLOSE-4");
  if (w.read) add("LOG-READ-5", "LOG-OFFSET-4");
  if (w.head) add("LOG-STREAM-1");
  if (w.fork) add("LOG-FORK-1", "LOG-FORK-2", "LOG-FORK-4", "LOG-FORK-5", "LOG-DELETE-2");
  return [...ids].sort();
}

const fcPayload = fc.oneof(
  { weight: 3, arbitrary: fc.nat(999).map(String) },
  { weight: 1, arbitrary: fcJsonText({ rich: true }, 1) },
);
const fcValues = (min: number, max: number) =>
  fc.array(fcPayload, { minLength: min, maxLength: max });
const fcTarget = fc.nat(5);

function fcProducer(on: boolean | "always"): fc.Arbitrary<ProducerPick | undefined> {
  if (!on) return fc.constant(undefined);
  const pick = fc.record({
    id: fc.nat(1),
    intent: fc.constantFrom<ProducerIntent>(
      "next",
      "next",
      "next",
      "dup",
      "dup",
      "gap",
      "bump",
      "bump",
      "bump-bad",
      "stale",
      "stale",
    ),
    pick: fc.nat(9),
  });
  return on === "always" ? pick : fc.option(pick, { freq: 2, nil: undefined });
}

/** Operation lists of a mix. */
export function fcOps(mix: OpMix): fc.Arbitrary<Op[]> {
  const w = mix.weights;
  const kinds: { weight: number; arbitrary: fc.Arbitrary<Op> }[] = [];
  const add = (kind: OpKind, arbitrary: fc.Arbitrary<Op>) => {
    if (w[kind]) kinds.push({ weight: w[kind]!, arbitrary });
  };
  add(
    "create",
    fc.record({
      kind: fc.constant("create" as const),
      target: fcTarget,
      closed: fc.boolean(),
      values: fcValues(0, 3),
    }),
  );
  add(
    "append",
    fc.record({
      kind: fc.constant("append" as const),
      target: fcTarget,
      form: fc.oneof(
        { weight: 12, arbitrary: fc.constant("batch" as const) },
        { weight: 5, arbitrary: fc.constant("single" as const) },
        { weight: 1, arbitrary: fc.constantFrom("empty-array" as const, "empty-body" as const) },
      ),
      values: fcValues(1, 4),
      producer: fcProducer(mix.producers ?? false),
      seq: mix.streamSeq
        ? fc.option(fc.stringMatching(/^[a-d]{1,3}$/), { freq: 2, nil: undefined })
        : fc.constant(undefined),
    }),
  );
  add(
    "close",
    fc.record({
      kind: fc.constant("close" as const),
      target: fcTarget,
      values: fcValues(0, 3),
      producer: fcProducer(mix.producers ?? false),
    }),
  );
  add(
    "concurrent",
    fc.record({
      kind: fc.constant("concurrent" as const),
      target: fcTarget,
      batches: fc.array(fcValues(1, 4), { minLength: 2, maxLength: 4 }),
    }),
  );
  add(
    "read",
    fc.record({
      kind: fc.constant("read" as const),
      target: fcTarget,
      offset: fc.oneof(fc.constantFrom<"-1" | "now">("-1", "now"), fc.nat(999), fc.nat(999)),
      limit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    }),
  );
  add("head", fc.record({ kind: fc.constant("head" as const), target: fcTarget }));
  add(
    "fork",
    fc.record({
      kind: fc.constant("fork" as const),
      target: fcTarget,
      offset: fc.option(fc.nat(999), { nil: undefined }),
    }),
  );
  add("delete", fc.record({ kind: fc.constant("delete" as const), target: fcTarget }));
  return fc.array(fc.oneof(...kinds), { minLength: 4, maxLength: mix.maxOps ?? 20, size: "+1" });
}
