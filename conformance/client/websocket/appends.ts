// websocket.md §9: request ids are not reused while pending, and an append
// without producer whose answer was lost is not repeated on a new connection.

import { isDeepStrictEqual } from "node:util";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, numbered } from "../_delivery.ts";

/** Checks of websocket.md §9 (appends), client side. */
export const wsAppendChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.appends.distinct-request-ids",
    title: "appends awaiting their answers at the same time carry distinct request ids",
    section: "websocket.md §9",
    requirements: ["WS-APPEND-15"],
    features: ["append-websocket"],
    async run(t) {
      const stream = await t.createStream();
      // Answers are held back, so that every append waits at once.
      t.script({
        wsOut(frame, link) {
          if (frame.type !== "appended" && !(frame.type === "error" && frame.req !== undefined)) {
            return undefined;
          }
          setTimeout(() => link.toClient(frame), 150);
          return "drop";
        },
      });
      const appends = [];
      for (let i = 0; i < 5; i++) {
        appends.push(
          await t.appendThroughClient(stream, { via: "websocket", messages: numbered(1, i) }),
        );
      }
      // Answers come within 150 ms; a client that mixed them up may never settle.
      await Promise.all(appends.map((append) => append.settled(Math.min(t.timeoutMs, 2_000))));
      for (const connection of t.server.connections) {
        const pending = new Map<string, number>();
        const answers = connection.outgoing.filter((e) =>
          (e.frame?.type === "appended" || e.frame?.type === "error") &&
          typeof e.frame.req === "string"
        );
        for (const entry of connection.incoming) {
          if (entry.frame?.type !== "append" || typeof entry.frame.req !== "string") continue;
          const req = entry.frame.req;
          for (const [r, sentAt] of pending) {
            if (answers.some((a) => a.frame!.req === r && a.at >= sentAt && a.at <= entry.at)) {
              pending.delete(r);
            }
          }
          t.expect(
            "WS-APPEND-15",
            !pending.has(req),
            `request id ${
              JSON.stringify(req)
            } was sent again while an append carrying it awaited its answer`,
          );
          pending.set(req, entry.at);
        }
      }
    },
  }),
  defineClientCheck({
    id: "client.websocket.appends.no-blind-repeat",
    title:
      "an append without producer whose connection dropped before the answer is not sent again on the next connection",
    section: "websocket.md §9",
    requirements: ["WS-APPEND-16"],
    features: ["websocket", "append-websocket"],
    async run(t) {
      const stream = await t.createStream({ messages: numbered(1) });
      const messages = [{ n: "once" }];
      let dropped = 0;
      t.script({
        wsIn(frame) {
          if (frame.type !== "append" || frame.path !== stream || dropped > 0) return undefined;
          dropped = Date.now();
          return { close: { code: 1012, reason: "dropped" } };
        },
      });
      // A subscription keeps the client connected, so that a repeat would show.
      const read = await t.read(stream, { live: "websocket" });
      await delivered(read, 1, t.timeoutMs);
      const append = await t.appendThroughClient(stream, { via: "websocket", messages });
      await append.settled(t.timeoutMs);
      const reconnected = await t.waitUntil(
        () => dropped > 0 && t.server.trace(stream).starts.some((s) => s.at > dropped),
        t.timeoutMs,
      );
      if (!reconnected) {
        return t.skip("the client did not connect again after the drop, so a repeat cannot show");
      }
      await t.sleep(300);
      const sent = t.server.connections.flatMap((c) => c.incoming).filter((e) =>
        e.frame?.type === "append" && e.frame.path === stream && e.frame.producer === undefined &&
        isDeepStrictEqual(e.frame.messages, messages)
      );
      t.expect(
        "WS-APPEND-16",
        sent.length === 1,
        `the append was sent ${sent.length} times; its answer was lost with the connection`,
      );
    },
  }),
];
