// discovery.md §2: a client ignores members of the discovery document it does
// not know, and does not vary its behaviour by the server's name or version.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { numbered } from "../_delivery.ts";
import { everyBinding, objectIn } from "./_documents.ts";

/** The document with members of a later version at every level. */
function withUnknownMembers(doc: Record<string, unknown>): Record<string, unknown> {
  doc["x-later"] = { nested: [1, { deep: true }] };
  objectIn(doc, "server")["build"] = "2031-01-01";
  const bindings = objectIn(doc, "bindings");
  for (const binding of Object.values(bindings)) {
    if (typeof binding === "object" && binding !== null) {
      (binding as Record<string, unknown>)["x-later"] = 7;
    }
  }
  bindings["quic"] = { path: "/v1/quic", "x-later": true };
  objectIn(doc, "limits")["maxFutureThings"] = 12;
  return doc;
}

/** What the client did in one phase, in a form two phases can be compared by. */
function shape(t: ClientCheckContext, streams: readonly string[], since: number): string[] {
  const requests = t.server.calls
    .filter((call) => call.stream !== undefined && streams.includes(call.stream))
    .map((call) =>
      `${call.method} ${streams.indexOf(call.stream!)} live=${call.live ?? "-"} params=${
        [...call.query.keys()].sort().join(",")
      } accept=${call.headers.get("accept") ?? "-"}`
    );
  const frames = t.server.connections
    .filter((c) => c.openedAt >= since)
    .flatMap((c) => c.incoming.map((e) => String(e.frame?.type)).filter((type) => type !== "pong"));
  return [...requests, ...frames];
}

/** Checks of discovery.md §2 (the document), client side. */
export const discoveryDocumentChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.discovery.document.unknown-members",
    title:
      "members of the discovery document the client does not know, at any depth, change nothing",
    section: "discovery.md §2",
    requirements: ["DISC-DOC-2"],
    async run(t) {
      await everyBinding(t, "DISC-DOC-2", { discovery: withUnknownMembers });
    },
  }),
  defineClientCheck({
    id: "client.discovery.document.server-name",
    title: "the client does the same requests whatever server.name and server.version say",
    section: "discovery.md §2",
    requirements: ["DISC-DOC-3"],
    async run(t) {
      const servers = [
        { name: "agent-stream-reference", version: "0.1.0" },
        { name: "durable-streams-server", version: "0.0.1-rc.1" },
      ];
      const shapes: string[][] = [];
      for (const server of servers) {
        await t.restartAdapter();
        t.script({ discovery: (doc) => ({ ...doc, server }) });
        const since = Date.now();
        const streams: string[] = [];
        for (const mode of t.modes) {
          const stream = await t.createStream({ messages: numbered(2) });
          await t.closeStream(stream);
          streams.push(stream);
          const read = await t.read(stream, { live: mode });
          await read.settled(t.timeoutMs);
        }
        for (const via of t.capabilities.appends ?? []) {
          const stream = await t.createStream();
          streams.push(stream);
          const append = await t.appendThroughClient(stream, { via, messages: numbered(1) });
          await append.settled(t.timeoutMs);
        }
        shapes.push(shape(t, streams, since));
      }
      t.expectEqual(
        "DISC-DOC-3",
        shapes[1],
        shapes[0],
        `with server ${JSON.stringify(servers[1])} instead of ${
          JSON.stringify(servers[0])
        }, the client's requests`,
      );
    },
  }),
];
