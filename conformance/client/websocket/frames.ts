// websocket.md §4: what the client sends is valid, and what it does not know
// (frame types, members, subscription ids) it ignores.

import * as v from "valibot";
import { WsClientFrameSchema } from "../../../src/protocol/ws_client_frame.ts";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { expectCompleteRead, liveRead } from "../_delivery.ts";
import type { WsFrame } from "../fault_script.ts";
import { exerciseSession, isFor } from "./_streams.ts";

/** Fails with `requirement` when the client closed a connection the server kept open. */
function expectConnectionsKept(t: ClientCheckContext, requirement: string): void {
  for (const connection of t.server.connections) {
    t.expect(
      requirement,
      connection.closedBy !== "client",
      `the client closed connection ${connection.index + 1}`,
    );
  }
}

/** Checks of websocket.md §4 (frames), client side. */
export const wsFrameChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.websocket.frames.valid",
    title:
      "every frame the client sends is a text frame holding a JSON object valid against ws-client-frame.schema.json",
    section: "websocket.md §4.1",
    requirements: ["WS-FRAME-2"],
    features: ["websocket"],
    async run(t) {
      await exerciseSession(t);
      for (const connection of t.server.connections) {
        for (const entry of connection.incoming) {
          t.expect(
            "WS-FRAME-2",
            entry.text !== undefined,
            `the client sent a binary frame of ${entry.binary} bytes`,
          );
          t.expect(
            "WS-FRAME-2",
            entry.frame !== undefined,
            `the client sent ${entry.text}, not a JSON object`,
          );
          const parsed = v.safeParse(WsClientFrameSchema, entry.frame);
          t.expect(
            "WS-FRAME-2",
            parsed.success,
            `the client sent ${entry.text}: ${
              parsed.issues?.map((i) => `${v.getDotPath(i) ?? "(frame)"}: ${i.message}`).join("; ")
            }`,
          );
        }
      }
    },
  }),
  defineClientCheck({
    id: "client.websocket.frames.unknown-types",
    title:
      "frames of types the client does not know, before and between its data frames, change nothing",
    section: "websocket.md §4.3",
    requirements: ["WS-FRAME-8", "VER-FWD-2"],
    features: ["websocket"],
    async run(t) {
      let n = 0;
      const live = await liveRead(t, "websocket", {
        script: (stream) => ({
          wsOut(frame, link) {
            if (frame.type === "welcome") {
              return {
                frames: [frame, { type: "x-conformance-notice", text: "from a later version" }],
              };
            }
            if (!isFor(frame, link, stream)) return undefined;
            const extra: WsFrame[] = [
              { type: "x-conformance-future", n: ++n },
              // A later version's frame about the same subscription.
              {
                type: "resume-hint",
                sub: frame.sub,
                offset: "0000000000000000",
                messages: [{ n: -1 }],
              },
            ];
            return { frames: [...extra, frame] };
          },
        }),
      });
      expectCompleteRead(t, "WS-FRAME-8", live);
      expectConnectionsKept(t, "WS-FRAME-8");
    },
  }),
  defineClientCheck({
    id: "client.websocket.frames.unknown-members",
    title: "members the client does not know, in every frame the server sends, change nothing",
    section: "websocket.md §4.3",
    requirements: ["WS-FRAME-10", "VER-FWD-2"],
    features: ["websocket"],
    async run(t) {
      const live = await liveRead(t, "websocket", {
        script: () => ({
          wsOut: (frame) => ({
            frames: [{
              ...frame,
              "x-conformance": { later: true, list: [1, 2] },
              hint: "ignore me",
            }],
          }),
        }),
      });
      expectCompleteRead(t, "WS-FRAME-10", live);
      expectConnectionsKept(t, "WS-FRAME-10");
    },
  }),
  defineClientCheck({
    id: "client.websocket.frames.unknown-subscription",
    title:
      "data, subscribed, unsubscribed and error frames for a subscription id the client does not have are ignored",
    section: "websocket.md §4.3",
    requirements: ["WS-FRAME-11"],
    features: ["websocket"],
    async run(t) {
      let n = 0;
      const live = await liveRead(t, "websocket", {
        script: (stream) => ({
          wsOut(frame, link) {
            if (!isFor(frame, link, stream)) return undefined;
            const sub = `conformance-stale-${++n}`;
            const stale: WsFrame[] = [
              { type: "subscribed", sub, path: stream, offset: "0000000000000000" },
              { type: "data", sub, messages: [{ n: "stale" }], nextOffset: "0000000000000001" },
              { type: "unsubscribed", sub, reason: "closed" },
              {
                type: "error",
                sub,
                problem: {
                  type: "https://agent-stream.dev/problems/stream-not-found",
                  title: "Stream not found",
                  status: 404,
                },
              },
            ];
            return { frames: frame.type === "data" ? [...stale, frame] : [frame, ...stale] };
          },
        }),
      });
      expectCompleteRead(t, "WS-FRAME-11", live);
      expectConnectionsKept(t, "WS-FRAME-11");
    },
  }),
];
