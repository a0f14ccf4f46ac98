// websocket.md §12: after goodbye, the client reconnects no sooner than
// retryAfterMs when told to, and not at all when told not to.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import { expectWsResumes, isFor } from "./_streams.ts";

const RETRY_AFTER_MS = 300;

/** Checks of websocket.md §12 (closing), client side. */
export const wsCloseChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.close.goodbye-reconnect",
    title:
      "after goodbye with reconnect: true and retryAfterMs, the client waits that long, reconnects and resumes",
    section: "websocket.md §12.1",
    requirements: ["WS-CLOSE-5"],
    features: ["websocket"],
    async run(t) {
      const stream = await t.createStream({ messages: numbered(2) });
      let goodbyeAt = 0;
      t.script({
        wsOut(frame, link) {
          if (goodbyeAt > 0 || !isFor(frame, link, stream) || frame.type !== "data") {
            return undefined;
          }
          goodbyeAt = Date.now();
          return {
            close: { code: 1012, reason: "restart" },
            before: [frame, { type: "goodbye", reconnect: true, retryAfterMs: RETRY_AFTER_MS }],
          };
        },
      });
      const read = await t.read(stream, { live: "websocket" });
      await delivered(read, 2, t.timeoutMs);
      await t.append(stream, numbered(2, 2));
      const back = await t.waitUntil(
        () => t.server.handshakes.some((h) => goodbyeAt > 0 && h.at > goodbyeAt),
        RETRY_AFTER_MS + 3_000,
      );
      t.expect(
        "WS-CLOSE-5",
        back,
        "the client did not reconnect after goodbye with reconnect: true",
      );
      const handshake = t.server.handshakes.find((h) => h.at > goodbyeAt)!;
      t.expect(
        "WS-CLOSE-5",
        handshake.at - goodbyeAt >= RETRY_AFTER_MS - 5,
        `the client reconnected ${
          handshake.at - goodbyeAt
        } ms after a goodbye asking for ${RETRY_AFTER_MS}`,
      );
      await delivered(read, 4, t.timeoutMs);
      expectWsResumes(t, "WS-CLOSE-5", stream);
      await t.closeStream(stream);
      await read.settled(t.timeoutMs);
      expectExactly(t, "WS-CLOSE-5", read, numbered(4));
    },
  }),
  defineClientCheck({
    id: "client.websocket.close.goodbye-final",
    title: "after goodbye with reconnect: false the client does not reconnect on its own",
    section: "websocket.md §12.1",
    requirements: ["WS-CLOSE-6"],
    features: ["websocket"],
    async run(t) {
      const stream = await t.createStream({ messages: numbered(2) });
      let goodbyeAt = 0;
      t.script({
        wsOut(frame, link) {
          if (goodbyeAt > 0 || !isFor(frame, link, stream) || frame.type !== "data") {
            return undefined;
          }
          goodbyeAt = Date.now();
          return {
            close: { code: 1001, reason: "shutdown" },
            before: [frame, { type: "goodbye", reconnect: false }],
          };
        },
      });
      const read = await t.read(stream, { live: "websocket" });
      await delivered(read, 2, t.timeoutMs);
      await read.settled(1_000);
      await t.sleep(800);
      const later = t.server.handshakes.filter((h) => goodbyeAt > 0 && h.at > goodbyeAt);
      t.expect(
        "WS-CLOSE-6",
        later.length === 0,
        `the client reconnected ${later.length} time(s) after goodbye with reconnect: false`,
      );
    },
  }),
];
