// discovery.md §5: a client ignores feature tokens it does not know, and does
// not use a feature the server does not list.

import type { Check } from "../../check.ts";
import type { AdapterLiveMode } from "../adapter_protocol.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { numbered } from "../_delivery.ts";
import { everyBinding, objectIn } from "./_documents.ts";

const BINDING_OF: Record<AdapterLiveMode, string> = {
  "sse": "sse",
  "long-poll": "longPoll",
  "websocket": "websocket",
};

/** The document without the feature `token` (and its binding). */
function without(token: string) {
  return (doc: Record<string, unknown>): Record<string, unknown> => {
    doc.features = (Array.isArray(doc.features) ? doc.features : []).filter((f) => f !== token);
    const binding = BINDING_OF[token as AdapterLiveMode];
    if (binding !== undefined) delete objectIn(doc, "bindings")[binding];
    return doc;
  };
}

/** Checks of discovery.md §5 (features), client side. */
export const discoveryFeatureChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.discovery.features.unknown-tokens",
    title: "feature tokens the client does not know change nothing",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-6"],
    async run(t) {
      await everyBinding(t, "DISC-FEATURE-6", {
        discovery: (doc) => {
          const features = Array.isArray(doc.features) ? doc.features : [];
          return { ...doc, features: ["quantum-replay", ...features, "x-acme-turbo"] };
        },
      });
    },
  }),
  defineClientCheck({
    id: "client.discovery.features.unlisted",
    title:
      "a live mode, the WebSocket binding or idempotent producers the server does not list are not used",
    section: "discovery.md §5",
    requirements: ["DISC-FEATURE-7"],
    async run(t) {
      for (const mode of t.modes) {
        await t.restartAdapter();
        t.script({ discovery: without(mode) });
        const since = Date.now();
        const stream = await t.createStream({ messages: numbered(2) });
        await t.closeStream(stream);
        const read = await t.read(stream, { live: mode });
        await read.settled(3_000);
        const used = mode === "websocket"
          ? t.server.handshakes.filter((h) => h.at >= since)
          : t.server.callsFor(stream).filter((call) => call.live === mode);
        t.expect(
          "DISC-FEATURE-7",
          used.length === 0,
          `asked to read with ${mode}, which the server does not list, the client used it ${used.length} time(s)`,
        );
      }
      if (t.capabilities.producer === true) {
        for (const via of t.capabilities.appends ?? []) {
          await t.restartAdapter();
          t.script({ discovery: without("idempotent-producer") });
          const stream = await t.createStream();
          const append = await t.appendThroughClient(stream, {
            via,
            messages: numbered(1),
            producer: { id: "conformance", epoch: 0, seq: 0 },
          });
          await append.settled(3_000);
          const used = via === "http"
            ? t.server.callsFor(stream).filter((call) => call.headers.has("producer-id"))
            : t.server.connections.flatMap((c) => c.incoming).filter((e) =>
              e.frame?.type === "append" && e.frame.path === stream &&
              e.frame.producer !== undefined
            );
          t.expect(
            "DISC-FEATURE-7",
            used.length === 0,
            `the client appended over ${via} as an idempotent producer, which the server does not list`,
          );
        }
      }
    },
  }),
];
