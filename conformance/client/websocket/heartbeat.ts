// websocket.md §11: the client answers pings, and takes a silent connection
// for dead after twice the heartbeat interval.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import { expectWsResumes, isFor } from "./_streams.ts";

/** The heartbeat interval of the scripted server's welcome. */
function heartbeatMs(t: ClientCheckContext): number {
  const welcome = t.server.connections.flatMap((c) => c.outgoing).find((e) =>
    e.frame?.type === "welcome"
  );
  const value = welcome?.frame?.heartbeatMs;
  return typeof value === "number" ? value : 200;
}

/** Checks of websocket.md §11 (heartbeats), client side. */
export const wsHeartbeatChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.heartbeat.pong",
    title: "each ping is answered with a pong carrying its nonce, or none when the ping had none",
    section: "websocket.md §11",
    requirements: ["WS-HEARTBEAT-2"],
    features: ["websocket"],
    async run(t) {
      const pings = [
        { type: "ping", nonce: "conformance-a" },
        { type: "ping" },
        { type: "ping", nonce: "conformance-b", "x-later": 1 },
      ];
      let sentAt = 0;
      const stream = await t.createStream({ messages: numbered(1) });
      t.script({
        wsOut(frame, link) {
          if (!isFor(frame, link, stream) || frame.type !== "subscribed" || sentAt > 0) {
            return undefined;
          }
          sentAt = Date.now();
          return { frames: [frame, ...pings] };
        },
        // The answers to these pings are the check's, not the session's.
        wsIn: (frame) =>
          frame.type === "pong" &&
            (frame.nonce === undefined || String(frame.nonce).startsWith("conformance-"))
            ? "drop"
            : undefined,
      });
      const read = await t.read(stream, { live: "websocket" });
      await delivered(read, 1, t.timeoutMs);
      const pongs = () =>
        t.server.connections.flatMap((c) => c.incoming).filter((e) =>
          e.frame?.type === "pong" && e.at >= sentAt
        )
          .map((e) => e.frame!);
      await t.waitUntil(() => pongs().length >= 3, 1_000);
      const got = pongs();
      for (const ping of pings) {
        const answered = got.some((pong) =>
          ping.nonce === undefined ? !("nonce" in pong) : pong.nonce === ping.nonce
        );
        t.expect(
          "WS-HEARTBEAT-2",
          answered,
          `no pong answered ${JSON.stringify(ping)}; pongs: ${JSON.stringify(got)}`,
        );
      }
    },
  }),
  defineClientCheck({
    id: "client.websocket.heartbeat.dead-connection",
    title:
      "a connection silent for twice the heartbeat interval is closed and replaced, and the subscription resumes",
    section: "websocket.md §11",
    requirements: ["WS-HEARTBEAT-4"],
    features: ["websocket"],
    async run(t) {
      const stream = await t.createStream({ messages: numbered(2) });
      let stalledAt = 0;
      t.script({
        wsOut(frame, link) {
          if (stalledAt > 0 || !isFor(frame, link, stream) || frame.type !== "data") {
            return undefined;
          }
          link.toClient(frame);
          link.stall();
          stalledAt = Date.now();
          return "drop";
        },
      });
      const read = await t.read(stream, { live: "websocket" });
      await delivered(read, 2, t.timeoutMs);
      const interval = heartbeatMs(t);
      t.needsWait(2 * interval, "twice the heartbeat interval");
      await t.append(stream, numbered(2, 2));
      const bound = 2 * interval + Math.max(1_000, 2 * interval);
      const resumed = await t.waitUntil(
        () => t.server.trace(stream).starts.some((s) => s.at > stalledAt),
        bound + 2_000,
      );
      const start = t.server.trace(stream).starts.find((s) => s.at > stalledAt);
      t.expect(
        "WS-HEARTBEAT-4",
        resumed && start !== undefined && start.at - stalledAt <= bound,
        resumed
          ? `the client resubscribed ${
            start!.at - stalledAt
          } ms after the connection fell silent; the heartbeat is ${interval} ms`
          : `the client did not give up a connection silent for ${
            bound + 2_000
          } ms (heartbeat ${interval} ms)`,
      );
      const stalled = t.server.connections[0];
      t.expect(
        "WS-HEARTBEAT-4",
        stalled?.closedAt !== undefined && stalled.closedBy === "client",
        "the client did not close the silent connection",
      );
      expectWsResumes(t, "WS-HEARTBEAT-4", stream);
      await t.closeStream(stream);
      await read.settled(t.timeoutMs);
      expectExactly(t, "WS-HEARTBEAT-4", read, numbered(4));
    },
  }),
];
