// Values a consumer must skip, mixed into valid sequences: values that are
// not envelopes, events of types the vocabulary does not define (some
// dressed like known ones), events that fail their type's schema, and
// copies of earlier events put where the lifecycle rules refuse most of them.

import fc from "fast-check";

/** What is mixed in. */
export type NoiseKind = "invalid" | "unknown" | "schema" | "repeat";

/**
 * One value to insert: made from the event at `source` (in ten-thousandths
 * of the list), put `gap` events after it, so that what the event began is likely
 * still open.
 */
interface Insertion {
  readonly source: number;
  readonly gap: number;
  readonly kind: NoiseKind;
  readonly variant: number;
}

type Json = Record<string, unknown>;

const NOT_ENVELOPES: readonly unknown[] = [
  null,
  42,
  "text.delta",
  [],
  {},
  { type: "Text.Delta", messageId: "m", delta: "x" },
  { type: "text" },
  { type: "text.delta", runId: "", messageId: "m", delta: "x" },
  { type: "run.started", id: 7, runId: "r" },
  { type: "state.snapshot", meta: [], snapshot: { broken: true } },
];

// A member of a known event given a value of another kind, which its
// schema refuses: a string becomes a number, anything else a string.
function breakMember(event: Json, variant: number): Json {
  const members = Object.keys(event).filter((key) => key !== "type");
  if (members.length === 0) return { ...event, messageId: 17 };
  const key = members[variant % members.length];
  const value = event[key];
  return { ...event, [key]: typeof value === "string" ? value.length + 17 : JSON.stringify(value) };
}

// Types no version of the vocabulary defines, carrying the members of a
// known event, which a sloppy consumer might act on: the known type under a
// vendor's namespace, a later variant of it, a made-up one.
function unknownLike(event: Json, variant: number): Json {
  const { type, ...members } = event;
  const known = typeof type === "string" ? type : "text.delta";
  const types = [`com.example.${known}`, `${known}-v2`, "org.acme.audit.logged"];
  return { type: types[variant % types.length], ...members };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function insert(events: readonly unknown[], insertion: Insertion): unknown[] {
  const from = Math.min(events.length - 1, Math.floor(insertion.source / 10_000 * events.length));
  const original = from >= 0 ? events[from] : undefined;
  const source = isObject(original)
    ? original
    : { type: "text.delta", messageId: "m1", delta: "x" };
  const at = Math.min(events.length, from + 1 + insertion.gap);
  let value: unknown;
  switch (insertion.kind) {
    case "invalid":
      value = NOT_ENVELOPES[insertion.variant % NOT_ENVELOPES.length];
      break;
    case "unknown":
      value = unknownLike(source, insertion.variant);
      break;
    case "schema":
      value = breakMember(source, insertion.variant);
      break;
    case "repeat":
      value = structuredClone(source);
      break;
  }
  return [...events.slice(0, at), value, ...events.slice(at)];
}

/** `events` with values of the given kinds inserted at random places (up to `max`). */
export function withNoise(
  events: fc.Arbitrary<readonly unknown[]>,
  kinds: readonly NoiseKind[],
  max = 4,
): fc.Arbitrary<unknown[]> {
  const insertion = fc.record({
    source: fc.nat({ max: 9999 }),
    gap: fc.nat({ max: 3 }),
    kind: fc.constantFrom(...kinds),
    variant: fc.nat(),
  });
  return fc.tuple(events, fc.array(insertion, { minLength: 1, maxLength: max })).map((
    [list, insertions],
  ) => insertions.reduce<unknown[]>((acc, i) => insert(acc, i), [...list]));
}
