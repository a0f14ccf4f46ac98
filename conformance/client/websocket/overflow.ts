// websocket.md §8: a client answers subscriber-overflow by subscribing again
// from resumeOffset.

import { formatOffset } from "../../../src/protocol/offset.ts";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import { isFor } from "./_streams.ts";

/** Checks of websocket.md §8 (slow subscribers), client side. */
export const wsOverflowChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.overflow.resubscribes",
    title:
      "after a subscriber-overflow error the client subscribes again from resumeOffset and misses nothing",
    section: "websocket.md §8",
    requirements: ["WS-OVERFLOW-5"],
    features: ["websocket"],
    async run(t) {
      const stream = await t.createStream({ messages: numbered(3) });
      let resumeOffset: string | undefined;
      let overflowAt = 0;
      // The ended subscription is unsubscribed on the server for the client;
      // its frames (and that unsubscribed) are kept from the client.
      const ended = new Set<string>();
      let frames = 0;
      t.script({
        wsOut(frame, link) {
          const sub = typeof frame.sub === "string" ? frame.sub : "";
          if (ended.has(sub)) {
            if (frame.type === "unsubscribed") ended.delete(sub);
            return "drop";
          }
          if (!isFor(frame, link, stream) || frame.type !== "data" || resumeOffset !== undefined) {
            return undefined;
          }
          if (frames++ === 0) return undefined;
          resumeOffset = formatOffset(t.server.trace(stream).written ?? 0);
          overflowAt = Date.now();
          ended.add(sub);
          link.toServer({ type: "unsubscribe", sub });
          return {
            frames: [{
              type: "error",
              sub,
              problem: {
                type: "https://agent-stream.dev/problems/subscriber-overflow",
                title: "Subscriber fell behind",
                status: 503,
                offset: resumeOffset,
              },
              resumeOffset,
            }],
          };
        },
      });
      const read = await t.read(stream, { live: "websocket" });
      await delivered(read, 3, t.timeoutMs);
      await t.append(stream, numbered(3, 3));
      const again = await t.waitUntil(
        () => t.server.trace(stream).starts.some((s) => s.at >= overflowAt && overflowAt > 0),
        t.timeoutMs,
      );
      t.expect(
        "WS-OVERFLOW-5",
        again,
        "the client did not subscribe again after subscriber-overflow",
      );
      const start = t.server.trace(stream).starts.find((s) => s.at >= overflowAt)!;
      t.expectEqual(
        "WS-OVERFLOW-5",
        start.requested,
        resumeOffset,
        "the new subscription's offset",
      );
      await delivered(read, 6, t.timeoutMs);
      await t.closeStream(stream);
      await read.settled(t.timeoutMs);
      expectExactly(t, "WS-OVERFLOW-5", read, numbered(6));
    },
  }),
];
