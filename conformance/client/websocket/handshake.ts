// websocket.md §3: the opening handshake offers the subprotocol agent-stream.v1.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { exerciseSession } from "./_streams.ts";

/** Checks of websocket.md §3 (endpoint and opening handshake), client side. */
export const wsHandshakeChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.handshake.subprotocol",
    title:
      "every opening handshake, reconnections included, offers the subprotocol agent-stream.v1",
    section: "websocket.md §3",
    requirements: ["WS-HANDSHAKE-1"],
    features: ["websocket"],
    async run(t) {
      await exerciseSession(t);
      t.expect("WS-HANDSHAKE-1", t.server.handshakes.length > 0, "the client opened no WebSocket");
      for (const handshake of t.server.handshakes) {
        const offered = (handshake.headers.get("sec-websocket-protocol") ?? "")
          .split(",").map((token) => token.trim());
        t.expect(
          "WS-HANDSHAKE-1",
          offered.includes("agent-stream.v1"),
          `handshake ${handshake.index + 1} offered ${JSON.stringify(offered)}`,
          { expected: "agent-stream.v1", actual: offered },
        );
      }
    },
  }),
];
