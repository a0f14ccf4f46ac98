// websocket.md §11: heartbeats.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  describe,
  type Frame,
  isFrame,
  nextReply,
  openSession,
  untilClose,
} from "./_connection_kit.ts";

/** welcome.heartbeatMs; a welcome without it is broken beyond what these checks test. */
function heartbeatOf(welcome: Frame): number {
  const ms = welcome.heartbeatMs;
  if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 1) {
    throw new Error(`welcome.heartbeatMs is ${JSON.stringify(ms)}, not an integer ≥ 1`);
  }
  return ms;
}

/** Leeway for timers, the network and the event loop: a ping is late only beyond it. */
function leewayOf(heartbeatMs: number): number {
  return Math.max(300, Math.ceil(heartbeatMs / 4));
}

/** Checks of websocket.md §11 (heartbeats). */
export const websocketHeartbeatsChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.heartbeats.ping-on-silence",
    title: "the server pings after heartbeatMs of its own silence, counted from its last frame",
    section: "websocket.md §11",
    requirements: ["WS-HEARTBEAT-1"],
    features: ["websocket"],
    async run(t) {
      const hb = t.discovery.bindings.websocket?.heartbeatMs;
      if (hb !== undefined) t.needsWait(hb + leewayOf(hb), "a heartbeat interval");
      const { ws, welcome } = await openSession(t);
      const heartbeatMs = heartbeatOf(welcome);
      const wait = heartbeatMs + leewayOf(heartbeatMs);
      t.needsWait(wait, "a heartbeat interval");
      const first = await ws.next(wait);
      t.expect(
        "WS-HEARTBEAT-1",
        first.kind === "frame" && isFrame(first.frame) && first.frame.type === "ping",
        `${describe(first)} within ${wait} ms after welcome, not a ping`,
      );
      const nonce = (first as { frame: Frame }).frame.nonce;
      ws.send(nonce === undefined ? { type: "pong" } : { type: "pong", nonce });
      if (2 * wait > t.maxWaitMs) {
        t.note(`a second heartbeat interval is beyond the wait budget of ${t.maxWaitMs} ms`);
        return;
      }
      // The server's pong restarts its silence; the next ping is due heartbeatMs after it.
      ws.send({ type: "ping", nonce: "restart" });
      const pong = await nextReply(ws, t.timeoutMs);
      if (pong.kind !== "frame" || !isFrame(pong.frame) || pong.frame.type !== "pong") {
        throw new Error(`no pong to the client's ping (${describe(pong)})`);
      }
      const second = await ws.next(wait);
      t.expect(
        "WS-HEARTBEAT-1",
        second.kind === "frame" && isFrame(second.frame) && second.frame.type === "ping",
        `${describe(second)} within ${wait} ms after the server's pong, not a ping`,
      );
    },
  }),
  defineCheck({
    id: "websocket.heartbeats.pong",
    title: "a ping after welcome is answered with a pong carrying its nonce, or none",
    section: "websocket.md §11",
    requirements: ["WS-HEARTBEAT-3"],
    features: ["websocket"],
    async run(t) {
      const nonces = fc.array(fc.option(fc.string({ maxLength: 16 }), { nil: undefined }), {
        minLength: 1,
        maxLength: 4,
      });
      await t.property(nonces, async (list, run) => {
        const { ws } = await openSession(run);
        for (const nonce of list) {
          ws.send(nonce === undefined ? { type: "ping" } : { type: "ping", nonce });
        }
        const answers: string[] = [];
        for (let i = 0; i < list.length; i++) {
          const next = await nextReply(ws, run.timeoutMs);
          run.expect(
            "WS-HEARTBEAT-3",
            next.kind === "frame" && isFrame(next.frame) && next.frame.type === "pong",
            `ping ${i + 1} of ${list.length} was answered with ${describe(next)}`,
          );
          const pong = (next as { frame: Frame }).frame;
          answers.push("nonce" in pong ? JSON.stringify(pong.nonce) : "(no nonce)");
        }
        const sent = list.map((n) => n === undefined ? "(no nonce)" : JSON.stringify(n));
        run.expectEqual("WS-HEARTBEAT-3", answers.sort(), sent.sort(), "the nonces of the pongs");
      });
    },
  }),
  defineCheck({
    id: "websocket.heartbeats.silent-client",
    title: "a client silent after a ping is closed within 2 × heartbeatMs; nothing follows goodbye",
    section: "websocket.md §11, §12.1",
    requirements: ["WS-HEARTBEAT-5", "WS-CLOSE-4"],
    features: ["websocket"],
    async run(t) {
      const hb = t.discovery.bindings.websocket?.heartbeatMs;
      if (hb !== undefined) t.needsWait(3 * hb + 2 * leewayOf(hb), "three heartbeat intervals");
      const { ws, welcome } = await openSession(t);
      const heartbeatMs = heartbeatOf(welcome);
      const wait = 3 * heartbeatMs + 2 * leewayOf(heartbeatMs);
      t.needsWait(wait, "three heartbeat intervals");
      const { items, code } = await untilClose(ws, wait);
      t.expect(
        "WS-HEARTBEAT-5",
        code !== undefined,
        `the connection was open ${wait} ms after welcome, without a frame from the client`,
      );
      const goodbye = items.findIndex((i) =>
        i.kind === "frame" && isFrame(i.frame) && i.frame.type === "goodbye"
      );
      t.expect(
        "WS-CLOSE-4",
        goodbye === -1 || goodbye === items.length - 1,
        `frames after goodbye: ${items.slice(goodbye + 1).map(describe).join(", ")}`,
      );
    },
  }),
];
