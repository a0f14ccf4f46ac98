// WebSocket frames the server answers with an `error` frame (websocket.md
// §4–§10), one defect each, with the problem types the spec names for it.

import fc from "fast-check";
import type { ProblemSlug } from "../../../src/protocol/problem.ts";
import type { CheckContext } from "../../check.ts";
import type { WsProbe } from "../../ws_probe.ts";
import { fcMalformedOffset } from "./_bad_request_kit.ts";
import { fcEnvelopeBatch } from "./_envelopes.ts";
import { offset16, seedStream } from "./_setup.ts";

/** The answer to one defective frame. */
export interface FrameAnswer {
  readonly what: string;
  /** The frame answering it (an `error` frame when the server behaves), or `undefined`. */
  readonly frame: Record<string, unknown> | undefined;
  readonly slugs: readonly ProblemSlug[];
  /** For `invalid-envelope`: the `messages` sent and the invalid indexes. */
  readonly envelopes?: { readonly messages: unknown[]; readonly invalid: number[] };
  /** For `stream-closed`: the stream's final tail. */
  readonly tail?: string;
}

/** One kind of defective frame. */
export interface BadFrameKind<P = unknown> {
  readonly kind: string;
  readonly applies?: (t: CheckContext) => boolean;
  readonly params: (t: CheckContext) => fc.Arbitrary<P>;
  readonly send: (t: CheckContext, ws: WsProbe, params: P) => Promise<FrameAnswer>;
}

const ANSWER_MS = 2_000;

function frameKind<P>(definition: BadFrameKind<P>): BadFrameKind {
  return definition as BadFrameKind;
}

/** The first `error` frame, or the success frame that answers `id` instead. */
async function answer(
  ws: WsProbe,
  id?: { sub?: string; req?: string },
): Promise<Record<string, unknown> | undefined> {
  return await ws.nextMatching(
    (f) =>
      (f.type === "error" && (id === undefined || f.sub === id.sub && f.req === id.req)) ||
      (id?.sub !== undefined && f.type === "subscribed" && f.sub === id.sub) ||
      (id?.req !== undefined && f.type === "appended" && f.req === id.req),
    ANSWER_MS,
  );
}

async function subscribe(ws: WsProbe, path: string, offset?: string) {
  ws.send({ type: "subscribe", sub: "s1", path, ...(offset !== undefined ? { offset } : {}) });
  return await answer(ws, { sub: "s1" });
}

async function append(ws: WsProbe, path: string, messages: unknown[]) {
  ws.send({ type: "append", req: "r1", path, messages });
  return await answer(ws, { req: "r1" });
}

/** Every kind of defective frame. */
export const BAD_FRAMES: readonly BadFrameKind[] = [
  frameKind({
    kind: "subscribe-missing-stream",
    params: () => fc.constant(null),
    async send(t, ws) {
      return {
        what: "a subscribe to a missing stream",
        frame: await subscribe(ws, t.stream("missing")),
        slugs: ["stream-not-found"],
      };
    },
  }),
  frameKind({
    kind: "subscribe-malformed-offset",
    params: () => fcMalformedOffset(),
    async send(t, ws, offset) {
      const s = await seedStream(t, { messages: 1 });
      return {
        what: "a subscribe from a malformed offset",
        frame: await subscribe(ws, s.path, offset),
        slugs: ["invalid-offset"],
      };
    },
  }),
  frameKind({
    kind: "subscribe-beyond-tail",
    params: () => fc.record({ messages: fc.nat(3), beyond: fc.integer({ min: 1, max: 10_000 }) }),
    async send(t, ws, { messages, beyond }) {
      const s = await seedStream(t, { messages });
      return {
        what: "a subscribe from beyond the tail",
        frame: await subscribe(ws, s.path, offset16(messages + beyond)),
        slugs: ["offset-out-of-range"],
      };
    },
  }),
  frameKind({
    kind: "subscribe-invalid-path",
    params: () => fc.constantFrom("//x", "/", "/./x", "/../x", "/a\\b", "/a\u0001b"),
    async send(t, ws, defect) {
      return {
        what: `a subscribe to an invalid stream path (${JSON.stringify(defect)})`,
        frame: await subscribe(ws, t.stream() + defect),
        slugs: ["invalid-stream-name"],
      };
    },
  }),
  frameKind({
    kind: "unreadable-frame",
    params: () =>
      fc.constantFrom<unknown>("{", "hello", "[1,", 5, [], { x: 1 }, { type: 7 }, "binary"),
    async send(_t, ws, frame) {
      if (frame === "binary") ws.send(new Uint8Array([1, 2, 3]));
      else ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
      return {
        what: `the frame ${JSON.stringify(frame)}`,
        frame: await answer(ws),
        slugs: ["invalid-frame"],
      };
    },
  }),
  frameKind({
    kind: "second-hello",
    params: () => fc.constant(null),
    async send(_t, ws) {
      ws.send({ type: "hello", version: "1.0" });
      return { what: "a second hello", frame: await answer(ws), slugs: ["invalid-frame"] };
    },
  }),
  frameKind({
    kind: "append-missing-stream",
    params: () => fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
    async send(t, ws, messages) {
      return {
        what: "an append to a missing stream",
        frame: await append(ws, t.stream("missing"), messages),
        slugs: ["stream-not-found"],
      };
    },
  }),
  frameKind({
    kind: "append-empty",
    params: () => fc.constant(null),
    async send(t, ws) {
      const s = await seedStream(t);
      return {
        what: "an append of no messages",
        frame: await append(ws, s.path, []),
        slugs: ["empty-append"],
      };
    },
  }),
  frameKind({
    kind: "append-closed-stream",
    params: () => fc.nat(3),
    async send(t, ws, messages) {
      const s = await seedStream(t, { messages, closed: true });
      return {
        what: "an append to a closed stream",
        frame: await append(ws, s.path, [1]),
        slugs: ["stream-closed"],
        tail: offset16(messages),
      };
    },
  }),
  frameKind({
    kind: "append-invalid-envelope",
    applies: (t) => t.features.has("agent"),
    params: () => fcEnvelopeBatch(),
    async send(t, ws, envelopes) {
      const s = await seedStream(t, { agent: true });
      return {
        what: "an append of invalid envelopes",
        frame: await append(ws, s.path, envelopes.messages),
        slugs: ["invalid-envelope"],
        envelopes,
      };
    },
  }),
  frameKind({
    kind: "subscribe-beyond-connection-limit",
    applies: (t) => (t.discovery.bindings.websocket?.maxSubscriptions ?? Infinity) <= 64,
    params: () => fc.constant(null),
    async send(t, ws) {
      const s = await seedStream(t);
      const limit = t.discovery.bindings.websocket!.maxSubscriptions!;
      for (let i = 0; i <= limit; i++) {
        ws.send({ type: "subscribe", sub: `s${i}`, path: s.path, offset: "now" });
      }
      return {
        what: `subscription ${limit + 1} on a connection allowing ${limit}`,
        frame: await answer(ws, { sub: `s${limit}` }),
        slugs: ["subscriber-limit"],
      };
    },
  }),
];
