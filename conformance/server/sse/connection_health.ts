// sse.md §3: heartbeats, the reconnection delay and rotation.

import { type Check, defineCheck } from "../../check.ts";
import { LiveReader, liveWaitMs, READ_IDS, type Resume } from "./_live_reader.ts";
import { appendTo, batch, freshStream } from "./_stream_model.ts";

const AGAIN = { via: "offset" } as const;

/** Checks of sse.md §3 (keeping the connection healthy). */
export const sseConnectionHealthChecks: readonly Check[] = [
  defineCheck({
    id: "sse.heartbeat.silent-connection",
    title: "a silent SSE connection gets a comment line every sse.heartbeatMs",
    section: "sse.md §3",
    requirements: [...READ_IDS, "SSE-HEARTBEAT-1"],
    features: ["sse"],
    async run(t) {
      const heartbeat = t.discovery.bindings?.sse?.heartbeatMs;
      if (heartbeat === undefined) {
        return t.skip("the discovery document states no sse.heartbeatMs");
      }
      // Scheduling jitter is forgiven; a missing heartbeat is not.
      const limit = heartbeat + Math.max(heartbeat / 4, 1000);
      t.needsWait(limit, "a heartbeat interval (sse.heartbeatMs)");
      const waits = 2 * limit <= t.maxWaitMs ? 2 : 1;
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 2));
      const reader = new LiveReader(t, model, liveWaitMs(t));
      try {
        await reader.start({ query: "-1", offset: 0 });
        await reader.catchUp(AGAIN);
        const connections = reader.connections;
        for (let i = 0; i < waits; i++) await reader.heartbeat(limit, AGAIN);
        if (reader.connections !== connections) t.note("the connection rotated during the wait");
      } finally {
        await reader.close();
      }
    },
  }),
  defineCheck({
    id: "sse.heartbeat.retry-field",
    title: "an SSE response starts with a retry: field carrying sse.retryMs",
    section: "sse.md §3",
    requirements: ["SSE-HEARTBEAT-2"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 1));
      const sse = await t.http.openSse(`${model.url}?offset=-1&live=sse`);
      try {
        let first = await sse.next(liveWaitMs(t));
        while (first.kind === "comment") first = await sse.next(liveWaitMs(t));
        t.expect(
          "SSE-HEARTBEAT-2",
          first.kind === "retry",
          `the response starts with ${
            first.kind === "event" ? `event: ${first.event}` : first.kind
          }, not a retry: field`,
        );
        const advertised = t.discovery.bindings?.sse?.retryMs;
        if (advertised !== undefined && first.kind === "retry") {
          t.expectEqual("SSE-HEARTBEAT-2", first.ms, advertised, "retry: against sse.retryMs");
        }
      } finally {
        await sse.close();
      }
    },
  }),
  defineCheck({
    id: "sse.rotate.between-events",
    title:
      "an SSE connection ends after about sse.rotationMs, after a control event, and resumes without a gap",
    section: "sse.md §3",
    requirements: [...READ_IDS, "SSE-RESUME-1", "SSE-ROTATE-2"],
    features: ["sse"],
    async run(t) {
      const rotation = t.discovery.bindings?.sse?.rotationMs;
      if (rotation === undefined) return t.skip("the discovery document states no sse.rotationMs");
      const deadline = rotation + Math.max(rotation / 2, 2000);
      t.needsWait(deadline, "the rotation of an SSE connection (sse.rotationMs)");
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 3));
      const reader = new LiveReader(t, model, liveWaitMs(t));
      const resume: Resume = { via: "last-event-id", decoy: "-1" };
      let appending = true;
      let failed: unknown;
      // Appends all along, so that the end can fall between a data event
      // and its control event if the server is careless.
      const appender = (async () => {
        while (appending) {
          await appendTo(t, model, batch(model.messages.length, 1 + model.messages.length % 3));
          await t.sleep(40);
        }
      })().catch((error) => {
        failed = error;
      });
      try {
        const opened = Date.now();
        await reader.start({ query: "-1", offset: 0 });
        while (reader.live) {
          const item = await reader.step(Math.max(0, opened + deadline - Date.now()));
          t.expect(
            "SSE-ROTATE-2",
            item.kind !== "timeout",
            `the connection was still open after ${deadline} ms (sse.rotationMs is ${rotation})`,
          );
        }
        t.note(`the connection ended after ${Date.now() - opened} ms`);
        appending = false;
        await appender;
        if (failed) throw failed;
        await reader.resume(resume);
        await reader.catchUp(resume);
      } finally {
        appending = false;
        await appender;
        await reader.close();
      }
    },
  }),
];
