// websocket.md §12: closing. Goodbye on shutdown and restart (WS-CLOSE-1..3)
// needs a server that stops, which a check cannot cause: see
// conformance/untestable/websocket.ts.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { WsNext } from "../../ws_probe.ts";
import {
  describe,
  framesOf,
  isError,
  LAYER_CLOSE_CODES,
  openSession,
  pingOfBytes,
  roundTrip,
  TABLE_CLOSE_CODES,
  untilClose,
} from "./_connection_kit.ts";
import { fcNotAFrame } from "./_frame_arbitraries.ts";

/** Ways a client gets its connection closed by the server. */
type Provocation =
  | { readonly kind: "first-frame"; readonly text: string }
  | { readonly kind: "version"; readonly version: string }
  | { readonly kind: "oversize" }
  | { readonly kind: "flood"; readonly texts: readonly string[] };

/** Checks of websocket.md §12 (closing). */
export const websocketClosingChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.closing.codes",
    title: "the server closes with codes of the table, after an error frame for 1008 and 1011",
    section: "websocket.md §12.2",
    requirements: ["WS-CLOSE-7", "WS-CLOSE-8"],
    features: ["websocket"],
    async run(t) {
      const limit = t.discovery.limits.maxWsFrameBytes;
      const provocations: fc.Arbitrary<Provocation>[] = [
        fcNotAFrame().map((text) => ({ kind: "first-frame" as const, text })),
        fc.constantFrom("2.0", "1", "x").map((version) => ({ kind: "version" as const, version })),
        fc.array(fcNotAFrame(), { minLength: 2, maxLength: 30 }).map((texts) => ({
          kind: "flood" as const,
          texts,
        })),
      ];
      if (limit !== undefined && limit <= 1024 * 1024) {
        provocations.push(fc.constant({ kind: "oversize" as const }));
      }
      await t.property(fc.oneof(...provocations), async (provocation, run) => {
        let items: WsNext[];
        let code: number | undefined;
        if (provocation.kind === "first-frame" || provocation.kind === "version") {
          const ws = await run.ws();
          if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
          ws.send(
            provocation.kind === "version"
              ? { type: "hello", version: provocation.version }
              : provocation.text,
          );
          ({ items, code } = await untilClose(ws, run.timeoutMs));
        } else {
          const { ws } = await openSession(run);
          if (provocation.kind === "oversize") {
            ws.send(pingOfBytes(limit! + 1, 1));
            ({ items, code } = await untilClose(ws, run.timeoutMs, true));
          } else {
            for (const text of provocation.texts) ws.send(text);
            const trip = await roundTrip(ws, run.timeoutMs);
            items = trip.items;
            code = trip.code;
          }
        }
        if (code === undefined) return;
        run.expect(
          "WS-CLOSE-7",
          TABLE_CLOSE_CODES.includes(code) || LAYER_CLOSE_CODES.includes(code),
          `the server closed with ${code}, a code outside the table of websocket.md §12.2`,
        );
        if (code === 1008 || code === 1011) {
          run.expect(
            "WS-CLOSE-8",
            framesOf(items).some((f) => isError(f)),
            `close ${code} without an error frame before it (got ${
              items.map(describe).join(", ") || "nothing"
            })`,
          );
        }
      }, { numRuns: 10 });
    },
  }),
];
