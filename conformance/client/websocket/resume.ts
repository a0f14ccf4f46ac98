// websocket.md §6.4: a client resumes a lost subscription from the nextOffset
// of the last data frame it received (or from its start offset).

import fc from "fast-check";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import type { FaultScript } from "../fault_script.ts";
import { expectWsResumes, isFor } from "./_streams.ts";

type Drop = "before-data" | "after-data" | "after-subscribed";

type Step =
  | { readonly op: "append"; readonly count: number }
  | { readonly op: "settle" }
  | { readonly op: "drop"; readonly where: Drop }
  | { readonly op: "restart" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 4 }).map((count) => ({ op: "append" as const, count })),
  },
  { weight: 2, arbitrary: fc.constant({ op: "settle" as const }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Drop>("before-data", "after-data", "after-subscribed")
      .map((where) => ({ op: "drop" as const, where })),
  },
  { weight: 1, arbitrary: fc.constant({ op: "restart" as const }) },
);

/** Closes the connection at the armed points: before or right after the next data frame, or after `subscribed`. */
function dropScript(stream: string, drops: Drop[]): FaultScript {
  return {
    wsOut(frame, link) {
      if (!isFor(frame, link, stream) || drops.length === 0) return undefined;
      const next = drops[0];
      if (frame.type === "data" && next !== "after-subscribed") {
        drops.shift();
        return {
          close: { code: 1012, reason: "dropped" },
          before: next === "after-data" ? [frame] : [],
        };
      }
      if (frame.type === "subscribed" && next === "after-subscribed") {
        drops.shift();
        return { close: { code: 1012, reason: "dropped" }, before: [frame] };
      }
      return undefined;
    },
  };
}

/** Checks of websocket.md §6.4 (resuming), client side. */
export const wsResumeChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.resume.fault-schedules",
    title:
      "across random dropped connections and restarts, a subscription delivers the log once each, in order, resubscribing from the last nextOffset",
    section: "websocket.md §6.4",
    requirements: ["WS-RESUME-1"],
    features: ["websocket"],
    async run(t) {
      await t.property(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps, run) => {
        const stream = await run.createStream();
        const drops: Drop[] = [];
        run.script(dropScript(stream, drops));
        const read = await run.read(stream, { live: "websocket" });
        const log: unknown[] = [];
        for (const step of steps) {
          if (step.op === "append") {
            const messages = numbered(step.count, log.length);
            await run.append(stream, messages);
            log.push(...messages);
          } else if (step.op === "settle") {
            await delivered(read, log.length, 3_000);
          } else if (step.op === "drop") {
            drops.push(step.where);
          } else {
            await run.restart(20);
          }
        }
        await run.closeStream(stream);
        const final = await read.settled(run.timeoutMs);
        expectWsResumes(run, "WS-RESUME-1", stream);
        expectExactly(run, "WS-RESUME-1", read, log);
        run.expect(
          "WS-RESUME-1",
          final?.event === "closed",
          `the subscription did not end with the stream's closure: ${
            final ? JSON.stringify(final) : "still running"
          }`,
        );
      });
    },
  }),
];
