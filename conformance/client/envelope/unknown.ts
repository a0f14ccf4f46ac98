// envelope.md §3 and versioning.md §3: a consumer keeps going past events of
// types it does not know, and passes unknown types and members on unchanged.

import { isDeepStrictEqual } from "node:util";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { liveRead } from "../_delivery.ts";

const KNOWN_FIRST = { type: "run.started", id: "e0", runId: "r1" };
/** Types no version of the vocabulary defined when this client was built. */
const UNKNOWN_TYPES = [
  { type: "com.example.future.thing", id: "e1", payload: { a: [1, { b: 2 }] } },
  { type: "run.phase-changed", id: "e3", runId: "r1", phase: "tools" },
];
/** A known type with members a later vocabulary added. */
const UNKNOWN_MEMBERS = {
  type: "text.delta",
  id: "e2",
  runId: "r1",
  delta: "Hel",
  "x-later": { note: "unknown member", list: [1, 2] },
  meta: { trace: "t-1" },
};
const KNOWN_LAST = { type: "text.delta", id: "e4", runId: "r1", delta: "lo" };

/** Checks of envelope.md §3 (unknown types and members), consumer side. */
export const envelopeUnknownChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.envelope.unknown.consumer-passes-through",
    title:
      "a consumer delivers events of unknown types and unknown members unchanged, and the events after them",
    section: "envelope.md §3",
    requirements: ["ENV-UNKNOWN-2", "ENV-UNKNOWN-3", "VER-FWD-3"],
    async run(t) {
      if (t.modes.length === 0) return t.skip("the adapter reads with no live mode");
      for (const mode of t.modes) {
        const live = await liveRead(t, mode, {
          kind: "agent",
          batches: [
            [KNOWN_FIRST, UNKNOWN_TYPES[0], UNKNOWN_MEMBERS],
            [UNKNOWN_TYPES[1], KNOWN_LAST],
          ],
        });
        const got = live.read.messages;
        t.expect(
          "ENV-UNKNOWN-2",
          got.length === live.log.length && live.final?.event === "closed",
          `${mode}: the consumer delivered ${got.length} of ${live.log.length} events and ended with ${
            JSON.stringify(live.final) ?? "nothing"
          }`,
        );
        for (const [i, expected] of live.log.entries()) {
          const event = got.find((m) => m.offset === String(i).padStart(16, "0"))?.message;
          const requirement = UNKNOWN_TYPES.includes(expected as never)
            ? "VER-FWD-3"
            : expected === UNKNOWN_MEMBERS
            ? "ENV-UNKNOWN-3"
            : "ENV-UNKNOWN-2";
          t.expect(
            requirement,
            isDeepStrictEqual(event, expected),
            `${mode}: the event at offset ${i} was delivered as ${JSON.stringify(event)}; it is ${
              JSON.stringify(expected)
            }`,
          );
        }
      }
    },
  }),
];
