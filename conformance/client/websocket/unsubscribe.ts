// websocket.md §6.3: after sending unsubscribe, a client keeps accepting data
// frames for the subscription until unsubscribed (or an error) arrives.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import type { WsFrame, WsLink } from "../fault_script.ts";

/** Checks of websocket.md §6.3 (end of a subscription), client side. */
export const wsUnsubscribeChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.unsubscribe.data-in-flight",
    title:
      "data frames that arrive between unsubscribe and unsubscribed are accepted: the connection and the other subscriptions carry on",
    section: "websocket.md §6.3",
    requirements: ["WS-UNSUB-5"],
    features: ["websocket"],
    async run(t) {
      const leaving = await t.createStream({ messages: numbered(2) });
      const staying = await t.createStream({ messages: numbered(2) });
      // The unsubscribe is held back while the server sends two more data frames.
      let held: { frame: WsFrame; link: WsLink } | undefined;
      t.script({
        wsIn(frame, link) {
          if (
            frame.type !== "unsubscribe" || link.subscriptions.get(String(frame.sub)) !== leaving
          ) {
            return undefined;
          }
          held = { frame, link };
          return "drop";
        },
      });
      const first = await t.read(leaving, { live: "websocket" });
      const second = await t.read(staying, { live: "websocket" });
      t.expect(
        "WS-UNSUB-5",
        await delivered(first, 2, t.timeoutMs),
        "the first read delivered nothing",
      );
      t.expect(
        "WS-UNSUB-5",
        await delivered(second, 2, t.timeoutMs),
        "the second read delivered nothing",
      );
      const closing = t.closeRead(first);
      const gotUnsubscribe = await t.waitUntil(() => held !== undefined, t.timeoutMs);
      if (!gotUnsubscribe) return t.skip("the client ended the read without sending unsubscribe");
      const connections = t.server.connections.length;
      await t.append(leaving, numbered(2, 2, "late"));
      await t.sleep(150);
      held!.link.toServer(held!.frame);
      await closing;
      // The other subscription still works, on the same connection.
      await t.append(staying, numbered(2, 2));
      await t.closeStream(staying);
      await second.settled(t.timeoutMs);
      expectExactly(t, "WS-UNSUB-5", second, numbered(4));
      const dropped = t.server.connections.filter((c) => c.closedBy === "client");
      t.expect(
        "WS-UNSUB-5",
        dropped.length === 0 && t.server.connections.length === connections,
        "the client closed its connection when data frames came after its unsubscribe",
      );
    },
  }),
];
