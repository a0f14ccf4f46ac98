// websocket.md §6–9 together: a model-based property of several
// subscriptions multiplexed on one connection, under random appends over
// HTTP and WebSocket, acks and windows, dropped connections and resumes.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { opArbitrary } from "./_subscription_steps.ts";
import { MODEL_REQUIREMENTS, runModel } from "./_subscription_run.ts";

/** The multiplexed-subscription property of websocket.md §6–9. */
export const websocketModelChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.subscriptions.model",
    title:
      "subscriptions multiplexed on one connection get every stream's messages exactly once, in order, through random appends, acks, windows, drops and resumes",
    section: "websocket.md §6–9",
    features: ["websocket"],
    requirements: MODEL_REQUIREMENTS,
    async run(t) {
      await t.property(
        fc.array(opArbitrary, { minLength: 4, maxLength: 16 }),
        async (ops, run) => await runModel(run, ops),
      );
    },
  }),
];
