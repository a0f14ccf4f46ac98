// The steps of the multiplexed-subscription property, as fast-check
// arbitraries: appends (with producer and Stream-Seq moves), subscribes,
// refused subscribes, acks, drains, dropped connections, unsubscribes,
// closes and deletes.

import fc from "fast-check";

/** A JSON value as it comes back from the wire. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -9, max: 9 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("a", "b", "ü", ""), fc.integer(), { maxKeys: 2 }),
).map((v) => JSON.parse(JSON.stringify(v)));

const values = (min: number, max: number) => fc.array(value, { minLength: min, maxLength: max });
const stream = fc.nat(1);
const reader = fc.nat(3);
const frac = fc.double({ min: 0, max: 1, noNaN: true });

/** How a producer append relates to the producer's state on the stream. */
export type ProducerMove = "next" | "retry" | "gap" | "stale" | "bump" | "bump-bad";

/** One step of the property. */
export type Op =
  | {
    op: "append";
    via: "http" | "ws";
    s: number;
    values: unknown[];
    producer?: { id: string; move: ProducerMove };
    streamSeq?: "up" | "same";
  }
  | { op: "burst"; s: number; count: number; chain: boolean }
  | {
    op: "subscribe";
    r: number;
    s: number;
    from: "-1" | "absent" | "now" | "mid";
    frac: number;
    window?: number;
    wait: boolean;
  }
  | { op: "refused"; kind: "missing" | "bad-offset" | "beyond" | "bad-path"; pick: number }
  | { op: "ack"; r: number; how: "all" | "part" | "lower" | "beyond"; frac: number }
  | { op: "drain" | "drop" }
  | { op: "unsubscribe"; r: number }
  | { op: "close"; s: number; via: "http" | "ws"; values: unknown[] }
  | { op: "delete"; s: number };

/** Arbitraries of each kind of step, for properties that use some of them. */
export const steps = {
  /** An append of 1–3 messages over HTTP or WebSocket; `producers` adds producer and Stream-Seq moves. */
  append(producers = true): fc.Arbitrary<Op> {
    return fc.record({
      op: fc.constant("append" as const),
      via: fc.constantFrom("http" as const, "ws" as const),
      s: stream,
      values: values(1, 3),
      producer: producers
        ? fc.option(
          fc.record({
            id: fc.constantFrom("p0", "p1"),
            move: fc.constantFrom<ProducerMove>(
              "next",
              "next",
              "retry",
              "gap",
              "stale",
              "bump",
              "bump-bad",
            ),
          }),
          { nil: undefined },
        )
        : fc.constant(undefined),
      streamSeq: producers
        ? fc.option(fc.constantFrom("up" as const, "same" as const), { nil: undefined, freq: 4 })
        : fc.constant(undefined),
    }, { requiredKeys: ["op", "via", "s", "values"] });
  },
  /** Appends over WebSocket sent without waiting for answers in between. */
  burst(): fc.Arbitrary<Op> {
    return fc.record({
      op: fc.constant("burst" as const),
      s: stream,
      count: fc.integer({ min: 2, max: 4 }),
      chain: fc.boolean(),
    });
  },
  /** A subscribe (or, for an active slot, a repeated one); `windowed` always sets a window. */
  subscribe(windowed = false): fc.Arbitrary<Op> {
    const window = fc.integer({ min: 1, max: 6 });
    return fc.record({
      op: fc.constant("subscribe" as const),
      r: reader,
      s: stream,
      from: fc.constantFrom("-1" as const, "absent" as const, "now" as const, "mid" as const),
      frac,
      window: windowed ? window : fc.option(window, { nil: undefined }),
      wait: fc.boolean(),
    }, { requiredKeys: ["op", "r", "s", "from", "frac", "wait"] });
  },
  /** A subscribe the server has to refuse. */
  refused(): fc.Arbitrary<Op> {
    return fc.record({
      op: fc.constant("refused" as const),
      kind: fc.constantFrom(
        "missing" as const,
        "bad-offset" as const,
        "beyond" as const,
        "bad-path" as const,
      ),
      pick: fc.nat(99),
    });
  },
  /** An ack: of everything delivered, of part, lower than before, or beyond the delivered offset. */
  ack(beyond = true): fc.Arbitrary<Op> {
    type How = Extract<Op, { op: "ack" }>["how"];
    const hows: How[] = ["all", "all", "part", "lower", ...(beyond ? ["beyond" as const] : [])];
    return fc.record({
      op: fc.constant("ack" as const),
      r: reader,
      how: fc.constantFrom(...hows),
      frac,
    });
  },
  drain(): fc.Arbitrary<Op> {
    return fc.constant({ op: "drain" as const });
  },
  /** The connection drops; every subscription resumes on a new one. */
  drop(): fc.Arbitrary<Op> {
    return fc.constant({ op: "drop" as const });
  },
  unsubscribe(): fc.Arbitrary<Op> {
    return fc.record({ op: fc.constant("unsubscribe" as const), r: reader });
  },
  close(): fc.Arbitrary<Op> {
    return fc.record({
      op: fc.constant("close" as const),
      s: stream,
      via: fc.constantFrom("http" as const, "ws" as const),
      values: values(0, 2),
    });
  },
  delete(): fc.Arbitrary<Op> {
    return fc.record({ op: fc.constant("delete" as const), s: stream });
  },
};

/** Random steps of every kind, weighted towards appends, subscribes and acks. */
export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: steps.append() },
  { weight: 1, arbitrary: steps.burst() },
  { weight: 4, arbitrary: steps.subscribe() },
  { weight: 1, arbitrary: steps.refused() },
  { weight: 3, arbitrary: steps.ack() },
  { weight: 1, arbitrary: steps.drain() },
  { weight: 1, arbitrary: steps.drop() },
  { weight: 1, arbitrary: steps.unsubscribe() },
  { weight: 1, arbitrary: steps.close() },
  { weight: 1, arbitrary: steps.delete() },
);

/** Request offsets that are not request offsets (WS-SUB-6). */
export const BAD_OFFSETS: readonly string[] = [
  "",
  "abc",
  "-2",
  "1",
  "NOW",
  "-1 ",
  " 0000000000000000",
  "000000000000000x",
  "00000000000000001",
  "000000000000000",
  "+000000000000001",
  "0x00000000000001",
];

/** Stream paths that break the naming rules (WS-SUB-8). */
export function badPaths(maxBytes: number | undefined): string[] {
  return [
    "",
    "a//b",
    "/a",
    "a/",
    "a/./b",
    "a/../b",
    "..",
    "a\\b",
    "a\u0001b",
    "a\u007fb",
    "x".repeat(Math.max(1025, (maxBytes ?? 1024) + 1)),
  ];
}
