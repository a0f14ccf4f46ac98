// envelope.md §3: events of unknown types, and unknown members, pass
// through every binding unchanged.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { freshStream, readAll, unknownEnvelopeArb } from "./_envelopes.ts";

type Envelope = Record<string, unknown>;

const appendArb = fc.oneof(
  unknownEnvelopeArb.map((envelope) => ({ single: true, messages: [envelope] })),
  fc.array(unknownEnvelopeArb, { minLength: 1, maxLength: 3 }).map((messages) => ({
    single: false,
    messages,
  })),
);

/** Checks of envelope.md §3 (unknown types and members). */
export const envelopeUnknownTypesChecks: readonly Check[] = [
  defineCheck({
    id: "envelope.unknown.delivered-unchanged",
    title:
      "events of unknown types with unknown members are stored and delivered unchanged by every binding",
    section: "envelope.md §3",
    requirements: ["ENV-UNKNOWN-1"],
    features: ["agent"],
    async run(t) {
      await t.property(
        fc.record({
          appends: fc.array(appendArb, { minLength: 1, maxLength: 3 }),
          overWs: fc.boolean(),
        }),
        async ({ appends, overWs }, run) => {
          const path = run.stream("agent");
          const url = await freshStream(run, "agent", path);
          const ws = overWs && run.features.has("websocket")
            ? (await run.wsSession()).ws
            : undefined;
          const all: Envelope[] = [];
          for (const [index, { single, messages }] of appends.entries()) {
            all.push(...messages);
            if (ws) {
              ws.send({ type: "append", req: `r${index}`, path, messages });
              const answer = await ws.nextMatching((f) => f.req === `r${index}`, wait(run));
              run.expectEqual(
                "ENV-UNKNOWN-1",
                answer?.type,
                "appended",
                "the answer to an append over WebSocket",
              );
            } else {
              const reply = await run.http.request("POST", url, {
                body: { json: single ? messages[0] : messages },
              });
              run.expectStatus("ENV-UNKNOWN-1", reply, [200, 204]);
            }
          }
          const expected = JSON.stringify(all);
          run.expectEqual("ENV-UNKNOWN-1", await readAll(run, url), expected, "a catch-up read");
          if (run.features.has("long-poll")) {
            const reply = await run.http.request("GET", `${url}?offset=-1&live=long-poll`);
            run.expectEqual(
              "ENV-UNKNOWN-1",
              JSON.stringify(reply.json),
              expected,
              "a long-poll read",
            );
          }
          if (run.features.has("sse")) {
            run.expectEqual(
              "ENV-UNKNOWN-1",
              await overSse(run, url, all.length),
              expected,
              "an SSE read",
            );
          }
          if (run.features.has("websocket")) {
            run.expectEqual(
              "ENV-UNKNOWN-1",
              await overWebSocket(run, path, all.length),
              expected,
              "a WebSocket subscription",
            );
          }
        },
        { numRuns: 10 },
      );
    },
  }),
];

function wait(t: CheckContext): number {
  return Math.min(t.timeoutMs, 3000);
}

/** The messages an SSE read from the start delivers, up to `count` of them, as JSON text. */
async function overSse(t: CheckContext, url: string, count: number): Promise<string> {
  const sse = await t.http.openSse(`${url}?offset=-1&live=sse`);
  const messages: unknown[] = [];
  try {
    while (messages.length < count) {
      const item = await sse.next(wait(t));
      if (item.kind !== "event" && item.kind !== "comment" && item.kind !== "retry") break;
      if (item.kind === "event" && item.event === "data") messages.push(...JSON.parse(item.data));
    }
  } finally {
    await sse.close();
  }
  return JSON.stringify(messages);
}

/** The messages a WebSocket subscription from the start delivers, up to `count`, as JSON text. */
async function overWebSocket(t: CheckContext, path: string, count: number): Promise<string> {
  const { ws } = await t.wsSession();
  ws.send({ type: "subscribe", sub: "s", path, offset: "-1" });
  const messages: unknown[] = [];
  while (messages.length < count) {
    const frame = await ws.nextMatching((f) => f.sub === "s" && f.type === "data", wait(t));
    if (!frame || !Array.isArray(frame.messages)) break;
    messages.push(...frame.messages);
  }
  ws.close();
  return JSON.stringify(messages);
}
