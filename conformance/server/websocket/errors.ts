// websocket.md §10: error frames.

import fc from "fast-check";
import * as v from "valibot";
import { formatOffset, parseOffset } from "../../../src/protocol/offset.ts";
import { PROBLEM_TYPES, ProblemSchema, problemSlug } from "../../../src/protocol/problem.ts";
import { type Check, defineCheck } from "../../check.ts";
import {
  describe,
  type Frame,
  framesOf,
  isError,
  isFrame,
  nextReply,
  openSession,
  roundTrip,
} from "./_connection_kit.ts";
import { fcInvalidKnownFrame, fcNotAFrame } from "./_frame_arbitraries.ts";

/** A frame whose answer is an error that ends no subscription (none is active). */
type Provocation =
  | { readonly kind: "raw"; readonly data: string | Uint8Array | Frame }
  | { readonly kind: "append-to-missing" }
  | { readonly kind: "empty-append" }
  | { readonly kind: "subscribe"; readonly suffix: string; readonly offset: string };

function fcProvocation(): fc.Arbitrary<Provocation> {
  const raw = (data: string | Uint8Array | Frame) => ({ kind: "raw" as const, data });
  return fc.oneof(
    fcNotAFrame().map(raw),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map(raw),
    fc.constant(raw({ type: "hello", version: "1.0" })),
    fcInvalidKnownFrame().map(({ frame }) => raw(frame)),
    fc.constantFrom<Provocation>({ kind: "append-to-missing" }, { kind: "empty-append" }),
    fc.constantFrom<Provocation>(
      { kind: "subscribe", suffix: "-missing", offset: "-1" },
      { kind: "subscribe", suffix: "", offset: "abc" },
      { kind: "subscribe", suffix: "", offset: "9999999999999999" },
      { kind: "subscribe", suffix: "//x", offset: "-1" },
    ),
  );
}

/** What to send for provocation number `i` on a connection that reads stream `path`. */
function provoke(p: Provocation, path: string, i: number): string | Uint8Array | Frame {
  switch (p.kind) {
    case "raw":
      return p.data;
    case "append-to-missing":
      return { type: "append", req: `r${i}`, path: `${path}-missing`, messages: [1] };
    case "empty-append":
      return { type: "append", req: `r${i}`, path, messages: [] };
    default:
      return { type: "subscribe", sub: `s${i}`, path: path + p.suffix, offset: p.offset };
  }
}

type Trigger = "invalid-window" | "ack-beyond" | "duplicate";

/** The requirement that makes each trigger end the subscription with an error carrying its sub. */
const TRIGGER_RULE: Readonly<Record<Trigger, string>> = {
  "invalid-window": "WS-FRAME-6",
  "ack-beyond": "WS-FLOW-4",
  "duplicate": "WS-SUB-9",
};

/** Checks of websocket.md §10 (errors). */
export const websocketErrorsChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.errors.problem",
    title: "error frames carry a valid problem with the catalogue's status, and no resumeOffset",
    section: "websocket.md §10",
    requirements: ["WS-ERROR-1", "WS-ERROR-4"],
    features: ["websocket"],
    async run(t) {
      const provocations = fc.array(fcProvocation(), { minLength: 1, maxLength: 5 });
      await t.property(provocations, async (frames, run) => {
        const path = run.stream("errors");
        await run.createStream(path);
        const { ws } = await openSession(run);
        frames.forEach((frame, i) => ws.send(provoke(frame, path, i)));
        const trip = await roundTrip(ws, run.timeoutMs);
        for (const error of framesOf(trip.items).filter((f) => isError(f))) {
          const parsed = v.safeParse(ProblemSchema, error.problem);
          run.expect(
            "WS-ERROR-1",
            parsed.success,
            `the problem of ${JSON.stringify(error)} is not valid: ${
              parsed.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`).join("; ")
            }`,
          );
          const problem = error.problem as { type: string; status: number };
          const slug = problemSlug(problem.type);
          if (slug !== undefined) {
            run.expectEqual(
              "WS-ERROR-1",
              problem.status,
              PROBLEM_TYPES[slug].status,
              `the status of the ${slug} problem`,
            );
          }
          run.expect(
            "WS-ERROR-4",
            !("resumeOffset" in error),
            `an error that ends no subscription carries resumeOffset: ${JSON.stringify(error)}`,
          );
        }
      });
    },
  }),
  defineCheck({
    id: "websocket.errors.sub-ends",
    title:
      "an error carrying sub ends that subscription, with resumeOffset at the delivered offset",
    section: "websocket.md §10",
    requirements: ["WS-ERROR-2", "WS-ERROR-3", "WS-FRAME-6", "WS-FLOW-4", "WS-SUB-9"],
    features: ["websocket"],
    async run(t) {
      const triggers = fc.constantFrom<Trigger>("invalid-window", "ack-beyond", "duplicate");
      await t.property(fc.tuple(triggers, fc.nat({ max: 4 })), async ([trigger, n], run) => {
        const path = run.stream("ends");
        const url = await run.createStream(path);
        if (n > 0) {
          const reply = await run.http.request("POST", url, {
            body: { json: Array.from({ length: n }, (_, i) => i) },
          });
          if (reply.status >= 300) throw new Error(`append failed with ${reply.status}`);
        }
        const { ws } = await openSession(run);
        ws.send({ type: "subscribe", sub: "s", path, offset: "-1" });
        let delivered: number | undefined;
        while (delivered === undefined || delivered < n) {
          const next = await nextReply(ws, run.timeoutMs);
          if (next.kind !== "frame" || !isFrame(next.frame) || next.frame.sub !== "s") {
            if (next.kind === "frame") continue;
            throw new Error(`the subscription did not deliver ${n} messages (${describe(next)})`);
          }
          const f = next.frame;
          if (f.type === "subscribed") delivered = parseOffset(f.offset as string);
          else if (f.type === "data") delivered = parseOffset(f.nextOffset as string);
          else throw new Error(`the subscription failed: ${describe(next)}`);
        }
        ws.send(
          trigger === "invalid-window"
            ? { type: "subscribe", sub: "s", path, window: 0 }
            : trigger === "ack-beyond"
            ? { type: "ack", sub: "s", offset: formatOffset(delivered + 1) }
            : { type: "subscribe", sub: "s", path, offset: "-1" },
        );
        let error: Frame | undefined;
        while (error === undefined) {
          const next = await nextReply(ws, run.timeoutMs);
          run.expect(
            TRIGGER_RULE[trigger],
            next.kind === "frame",
            `no error carrying sub s (got ${describe(next)})`,
          );
          if (next.kind === "frame" && isFrame(next.frame) && isError(next.frame)) {
            run.expectEqual(TRIGGER_RULE[trigger], next.frame.sub, "s", "the error's sub");
            error = next.frame;
          }
        }
        await run.http.request("POST", url, { body: { json: ["after"] } });
        const trip = await roundTrip(ws, run.timeoutMs);
        ws.send({ type: "subscribe", sub: "s", path, offset: "now" });
        const later = [...trip.items];
        while (true) {
          const next = await nextReply(ws, run.timeoutMs);
          later.push(next);
          if (next.kind !== "frame") break;
          const f = next.frame;
          if (isFrame(f) && f.sub === "s" && f.type !== "data") break;
        }
        const frames = framesOf(later).filter((f) => f.sub === "s");
        // Reading stopped at the answer to the new subscribe: every data frame before it is stale.
        const stale = frames.findIndex((f) => f.type === "data");
        const answer = frames.findIndex((f) => f.type !== "data");
        run.expect(
          "WS-ERROR-2",
          stale === -1,
          `a data frame for s after the error that ended it: ${JSON.stringify(frames[stale])}`,
        );
        run.expect(
          "WS-ERROR-2",
          frames[answer]?.type === "subscribed",
          `subscribing again with the ended id s was answered with ${
            JSON.stringify(frames[answer]) ?? describe(later.at(-1))
          }`,
        );
        run.expectEqual(
          "WS-ERROR-3",
          error.resumeOffset,
          formatOffset(delivered),
          "resumeOffset of the error that ended s",
        );
      });
    },
  }),
];
