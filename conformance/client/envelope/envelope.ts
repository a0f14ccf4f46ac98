// envelope.md §1: a producer emits each event as an envelope: a JSON object
// with a valid type, and id, time, runId and meta of the right types.

import * as v from "valibot";
import { splitJsonArray } from "../../../src/client/_json_array.ts";
import { EnvelopeSchema } from "../../../src/protocol/envelope.ts";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";

/** The events the application hands the producer. */
const EVENTS = [
  {
    type: "run.started",
    id: "evt-0",
    runId: "run-1",
    time: "2026-01-02T03:04:05Z",
    meta: { trace: "abc" },
  },
  { type: "text.delta", id: "evt-1", runId: "run-1", messageId: "msg-1", delta: "Hel" },
  { type: "com.example.deploy.started", id: "evt-2", target: { env: "staging" } },
];

/** The events that reached the server for `stream`, over any binding. */
function emitted(t: ClientCheckContext, stream: string): unknown[] {
  const http = t.server.callsFor(stream)
    .filter((call) => call.method === "POST" && call.body)
    .flatMap((call) => {
      const body = call.body!.trim();
      return body.startsWith("[")
        ? splitJsonArray(body).map((m) => JSON.parse(m))
        : [JSON.parse(body)];
    });
  const ws = t.server.connections.flatMap((c) => c.incoming)
    .filter((e) =>
      e.frame?.type === "append" && e.frame.path === stream && Array.isArray(e.frame.messages)
    )
    .flatMap((e) => e.frame!.messages as unknown[]);
  return [...http, ...ws];
}

/** Checks of envelope.md §1 (the envelope), producer side. */
export const envelopeShapeChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.envelope.shape.producer-emits-envelopes",
    title:
      "events appended through the producer reach the server as envelopes: objects with a valid type and typed members",
    section: "envelope.md §1",
    requirements: ["ENV-SHAPE-1", "ENV-SHAPE-2"],
    async run(t) {
      const appends = t.capabilities.appends ?? [];
      if (appends.length === 0) return t.skip("the adapter does not append");
      for (const via of appends) {
        const stream = await t.createStream({ kind: "agent" });
        const append = await t.appendThroughClient(stream, { via, messages: EVENTS });
        const final = await append.settled(t.timeoutMs);
        const events = emitted(t, stream);
        t.expect("ENV-SHAPE-1", events.length > 0, `over ${via}, no event reached the server`);
        for (const event of events) {
          const parsed = v.safeParse(EnvelopeSchema, event);
          if (parsed.success) continue;
          const typeIssue = parsed.issues.find((issue) => {
            const path = v.getDotPath(issue);
            return path === null || path === "type";
          });
          t.expect(
            typeIssue !== undefined ? "ENV-SHAPE-1" : "ENV-SHAPE-2",
            false,
            `over ${via}, the producer emitted ${JSON.stringify(event)}: ${
              parsed.issues.map((i) => `${v.getDotPath(i) ?? "(event)"}: ${i.message}`).join("; ")
            }`,
          );
        }
        t.expect(
          "ENV-SHAPE-1",
          final?.event === "done",
          `over ${via}, the append of valid events did not complete: ${
            JSON.stringify(final) ?? "still running"
          }`,
        );
      }
    },
  }),
];
