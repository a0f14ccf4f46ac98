// discovery.md §4: a client takes stream URLs and the WebSocket endpoint
// from the discovery document.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { everyBinding, objectIn } from "./_documents.ts";

const PREFIX = "/alt/streams/";
const WS_PATH = "/alt/socket";

/** The document with the stream prefix and the WebSocket endpoint moved away from the conventional paths. */
function moved(doc: Record<string, unknown>): Record<string, unknown> {
  const bindings = objectIn(doc, "bindings");
  objectIn(bindings, "http").streamPrefix = PREFIX;
  if (typeof bindings.websocket === "object" && bindings.websocket !== null) {
    (bindings.websocket as Record<string, unknown>).path = WS_PATH;
  }
  return doc;
}

/** Checks of discovery.md §4 (bindings), client side. */
export const discoveryBindingChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.discovery.bindings.advertised-paths",
    title:
      "with the stream prefix and the WebSocket endpoint moved, the client uses the advertised ones",
    section: "discovery.md §4",
    requirements: ["DISC-BIND-8"],
    async run(t) {
      await everyBinding(t, "DISC-BIND-8", { discovery: moved });
      const conventional = t.server.calls.filter((call) =>
        call.pathname.startsWith("/v1/stream/") || call.pathname === "/v1/ws"
      );
      t.expect(
        "DISC-BIND-8",
        conventional.length === 0,
        `the client used the conventional paths (${
          [...new Set(conventional.map((c) => `${c.method} ${c.pathname}`))].slice(0, 3).join(", ")
        }) where the document advertises ${PREFIX} and ${WS_PATH}`,
      );
    },
  }),
];
