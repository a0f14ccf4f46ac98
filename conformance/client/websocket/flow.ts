// websocket.md §7: a client with a window acknowledges what it consumed.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { liveRead, numbered } from "../_delivery.ts";

/** Checks of websocket.md §7 (flow control), client side. */
export const wsFlowChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.flow.acknowledges",
    title:
      "with a window of 3, the client acknowledges as it consumes, so that a stream of 18 messages is delivered",
    section: "websocket.md §7",
    requirements: ["WS-FLOW-6"],
    features: ["websocket"],
    async run(t) {
      const live = await liveRead(t, "websocket", {
        window: 3,
        batches: [numbered(12), numbered(6, 12)],
      });
      const got = live.read.messages.length;
      t.expect(
        "WS-FLOW-6",
        got === live.log.length && live.final?.event === "closed",
        `delivery stopped after ${got} of ${live.log.length} messages: the server may send no more than the window beyond the acknowledged offset`,
        { expected: live.log.length, actual: got },
      );
      const acks = t.server.connections.flatMap((c) => c.incoming).filter((e) =>
        e.frame?.type === "ack"
      );
      t.expect("WS-FLOW-6", acks.length > 0, "the client sent no ack");
    },
  }),
];
