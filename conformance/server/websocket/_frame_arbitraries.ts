// Generated client frames for the frame checks of websocket.md §4: whole
// session scripts, text that is no frame at all, and frames of known types
// that break their schema in ways no later section gives a problem type of
// its own (so the answer is `invalid-frame`).

import fc from "fast-check";
import { fcToken, type Frame, isFrame, parses } from "./_connection_kit.ts";

/** How many UTF-8 bytes the padding characters of a sized frame take. */
export const SIZES: fc.Arbitrary<1 | 2 | 3 | 4> = fc.constantFrom(1, 2, 3, 4);

/** Values that are not tokens. */
const NOT_TOKENS: readonly unknown[] = ["", "a b", "a/b", "é", "x".repeat(129), 5, null, true];

/** An id member: a token, a value that is not one, or absent. */
function fcId(): fc.Arbitrary<{ valid: boolean; value?: unknown }> {
  return fc.oneof(
    fcToken().map((value) => ({ valid: true, value })),
    fc.constantFrom(...NOT_TOKENS).map((value) => ({ valid: false, value })),
    fc.constant({ valid: false }),
  );
}

/** A frame of a known type that its schema rejects, and the id the error must copy, if any. */
export interface InvalidKnownFrame {
  /** The frame. */
  readonly frame: Frame;
  /** The member WS-FRAME-6 has the error frame copy, when it holds a token. */
  readonly id?: { readonly member: "req" | "sub"; readonly value: string };
}

/** Frames of known types that break their schema; the answer is `invalid-frame`. */
export function fcInvalidKnownFrame(): fc.Arbitrary<InvalidKnownFrame> {
  const path = "conformance/frames/none";
  const withId = (
    member: "req" | "sub",
    id: { valid: boolean; value?: unknown },
    frame: Frame,
  ): InvalidKnownFrame => ({
    frame: "value" in id ? { ...frame, [member]: id.value } : frame,
    ...(id.valid ? { id: { member, value: id.value as string } } : {}),
  });
  return fc.oneof(
    fc.tuple(fcId(), fc.constantFrom(0, -1, 1.5, "5", null, true)).map(([id, window]) =>
      withId("sub", id, { type: "subscribe", path, offset: "-1", window })
    ),
    fc.constantFrom(...NOT_TOKENS, undefined).map((sub) =>
      sub === undefined ? { frame: { type: "unsubscribe" } } : {
        frame: { type: "unsubscribe", sub },
      }
    ),
    fc.tuple(fcId(), fc.constantFrom(5, null, "abc", "-1", "now", undefined)).map(
      ([id, offset]) =>
        withId("sub", id, offset === undefined ? { type: "ack" } : { type: "ack", offset }),
    ),
    fc.tuple(
      fcId(),
      fc.constantFrom<Frame>(
        { messages: 5 },
        { messages: "x" },
        { messages: {} },
        { messages: null },
        {},
        { messages: [1], close: "yes" },
      ),
    ).map(([id, defect]) => withId("req", id, { type: "append", path, ...defect })),
    fc.tuple(fc.constantFrom("ping", "pong"), fc.constantFrom(5, null, {}, [], true)).map((
      [type, nonce],
    ) => ({ frame: { type, nonce } })),
  );
}

/** Text that is not JSON, not an object, or has no string `type` (WS-FRAME-4). */
export function fcNotAFrame(): fc.Arbitrary<string> {
  const ids = fc.record({ req: fcToken(), sub: fcToken() }, { requiredKeys: [] });
  return fc.oneof(
    fc.string({ maxLength: 40 }).filter((text) => !parses(text)),
    fc.constantFrom("", "{", "ping", '{"type":"ping"', "{'type':'ping'}", '{"type":"ping"}x'),
    fc.jsonValue({ maxDepth: 2 }).filter((value) => !isFrame(value)).map((v) => JSON.stringify(v)),
    fc.constantFrom('[{"type":"ping"}]', '"ping"', "null", "42"),
    fc.tuple(ids, fc.oneof(fc.integer(), fc.constant(null), fc.constant(["ping"]), fc.boolean()))
      .map(([members, type]) => JSON.stringify({ ...members, type })),
    ids.map((members) => JSON.stringify({ ...members, nonce: "n" })),
  );
}

/** One step of a generated session. */
export type Step =
  | { readonly op: "ping"; readonly nonce?: string }
  | { readonly op: "subscribe"; readonly sub: string; readonly offset: string }
  | { readonly op: "unsubscribe"; readonly sub: string }
  | { readonly op: "ack"; readonly sub: string }
  | { readonly op: "append"; readonly req: string; readonly missing: boolean }
  | { readonly op: "junk"; readonly text: string };

/** Sessions of random frames, valid and not; {@linkcode sessionFrames} makes them frames. */
export function fcSessionScript(): fc.Arbitrary<Step[]> {
  const subs = fc.constantFrom("s1", "s2");
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.option(fc.string({ maxLength: 8 }), { nil: undefined }).map((nonce) =>
      nonce === undefined ? { op: "ping" as const } : { op: "ping" as const, nonce }
    ),
    fc.tuple(subs, fc.constantFrom("-1", "now", "0000000000000001", "bogus")).map((
      [sub, offset],
    ) => ({ op: "subscribe" as const, sub, offset })),
    subs.map((sub) => ({ op: "unsubscribe" as const, sub })),
    subs.map((sub) => ({ op: "ack" as const, sub })),
    fc.tuple(fcToken(), fc.boolean()).map(([req, missing]) => ({
      op: "append" as const,
      req,
      missing,
    })),
    fcNotAFrame().map((text) => ({ op: "junk" as const, text })),
  );
  return fc.array(step, { maxLength: 10 });
}

/** The frames of a generated session on stream `path`. */
export function sessionFrames(steps: readonly Step[], path: string): (Frame | string)[] {
  return steps.map((s): Frame | string => {
    switch (s.op) {
      case "ping":
        return s.nonce === undefined ? { type: "ping" } : { type: "ping", nonce: s.nonce };
      case "subscribe":
        return { type: "subscribe", sub: s.sub, path, offset: s.offset };
      case "unsubscribe":
        return { type: "unsubscribe", sub: s.sub };
      case "ack":
        return { type: "ack", sub: s.sub, offset: "0000000000000001" };
      case "append":
        return {
          type: "append",
          req: s.req,
          path: s.missing ? `${path}-missing` : path,
          messages: [{ req: s.req }],
        };
      default:
        return s.text;
    }
  });
}
