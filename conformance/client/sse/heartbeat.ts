// sse.md §3: a connection on which nothing arrived for twice sse.heartbeatMs
// is dead; the client reconnects from its last offset.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import { expectSseResumes } from "./resume.ts";

/** Checks of sse.md §3 (keeping the connection healthy), client side. */
export const sseHeartbeatChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.sse.heartbeat.dead-connection",
    title:
      "an SSE connection silent for twice sse.heartbeatMs is given up and resumed from the last id",
    section: "sse.md §3",
    requirements: ["SSE-HEARTBEAT-3"],
    features: ["sse"],
    async run(t) {
      const document = await t.server.discovery();
      const sse = (document.bindings as { sse?: { heartbeatMs?: number } }).sse;
      const interval = sse?.heartbeatMs ?? 200;
      t.needsWait(2 * interval, "twice the SSE heartbeat interval");
      const stream = await t.createStream({ messages: numbered(2) });
      let stalledAt = 0;
      // After the first data event and its control event, the first
      // connection falls silent: no events, no heartbeats.
      t.script({
        sse(unit, response) {
          if (response.stream !== stream || response.connection !== 0 || stalledAt > 0) {
            return undefined;
          }
          if (response.dataEvents === 0 || unit.kind === "control") return undefined;
          stalledAt = Date.now();
          return { stall: true };
        },
      });
      const read = await t.read(stream, { live: "sse" });
      await delivered(read, 2, t.timeoutMs);
      await t.waitUntil(() => stalledAt > 0, 3 * interval);
      await t.append(stream, numbered(2, 2));
      const bound = 2 * interval + Math.max(1_000, 2 * interval);
      const resumed = await t.waitUntil(
        () => stalledAt > 0 && t.server.trace(stream).starts.some((s) => s.at > stalledAt),
        bound + 2_000,
      );
      const start = t.server.trace(stream).starts.find((s) => s.at > stalledAt);
      t.expect(
        "SSE-HEARTBEAT-3",
        resumed && start !== undefined && start.at - stalledAt <= bound,
        resumed
          ? `the client reconnected ${
            start!.at - stalledAt
          } ms after the connection fell silent; the heartbeat is ${interval} ms`
          : `the client kept a connection silent for ${
            bound + 2_000
          } ms (heartbeat ${interval} ms)`,
      );
      await delivered(read, 4, t.timeoutMs);
      await t.closeStream(stream);
      await read.settled(t.timeoutMs);
      expectSseResumes(t, stream, "SSE-HEARTBEAT-3");
      expectExactly(t, "SSE-HEARTBEAT-3", read, numbered(4));
    },
  }),
];
