// envelope.md §4: agent streams validate envelopes, json streams never do.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  badBodyArb,
  bodyText,
  expectPointers,
  freshStream,
  readAll,
  unknownEnvelopeArb,
} from "./_envelopes.ts";

const JSON_TYPE = { "Content-Type": "application/json" };

/** Checks of envelope.md §4 (agent streams). */
export const envelopeAgentStreamsChecks: readonly Check[] = [
  defineCheck({
    id: "envelope.agent.invalid-rejected",
    title:
      "an append to an agent stream with any invalid envelope answers 400 invalid-envelope, pointing at each defect, and stores nothing",
    section: "envelope.md §4",
    requirements: ["ENV-AGENT-1", "ENV-AGENT-2"],
    features: ["agent"],
    async run(t) {
      await t.property(
        fc.record({
          before: fc.array(unknownEnvelopeArb, { minLength: 1, maxLength: 3 }),
          body: badBodyArb,
        }),
        async ({ before, body }, run) => {
          const url = await freshStream(run, "agent");
          const first = await run.http.request("POST", url, { body: { json: before } });
          if (first.status >= 300) {
            throw new Error(`setup: a valid append answered ${first.status}`);
          }
          const reply = await run.http.request("POST", url, {
            headers: JSON_TYPE,
            body: bodyText(body),
          });
          run.expectProblem("ENV-AGENT-1", reply, 400, "invalid-envelope");
          run.expectEqual(
            "ENV-AGENT-1",
            await readAll(run, url),
            JSON.stringify(before),
            "the stream after the refused append",
          );
          expectPointers(run, "ENV-AGENT-2", reply.json, body);
        },
        { numRuns: 15 },
      );
    },
  }),
  defineCheck({
    id: "envelope.agent.json-stream-untouched",
    title: "a json stream stores messages that are not envelopes as they are",
    section: "envelope.md §4",
    requirements: ["ENV-AGENT-3"],
    async run(t) {
      await t.property(badBodyArb, async (body, run) => {
        const url = await freshStream(run, "json");
        const text = bodyText(body);
        const reply = await run.http.request("POST", url, { headers: JSON_TYPE, body: text });
        run.expectStatus("ENV-AGENT-3", reply, [200, 204]);
        run.expectEqual(
          "ENV-AGENT-3",
          await readAll(run, url),
          JSON.stringify(body.items.map((item) => item.message)),
          "the messages read back",
        );
      }, { numRuns: 10 });
    },
  }),
  defineCheck({
    id: "envelope.agent.unknown-types-accepted",
    title: "an agent stream accepts valid envelopes of types the server does not know",
    section: "envelope.md §4",
    requirements: ["ENV-AGENT-4"],
    features: ["agent"],
    async run(t) {
      const url = await freshStream(t, "agent");
      await t.property(
        fc.oneof(
          unknownEnvelopeArb,
          fc.array(unknownEnvelopeArb, { minLength: 1, maxLength: 4 }),
        ),
        async (body, run) => {
          const reply = await run.http.request("POST", url, {
            headers: JSON_TYPE,
            body: JSON.stringify(body),
          });
          run.expectStatus("ENV-AGENT-4", reply, [200, 204]);
        },
        { numRuns: 15 },
      );
    },
  }),
  defineCheck({
    id: "envelope.agent.create-validated",
    title:
      "a create of an agent stream validates its initial messages and creates nothing when one is invalid",
    section: "envelope.md §4",
    requirements: ["ENV-AGENT-5"],
    features: ["agent"],
    async run(t) {
      await t.property(badBodyArb, async (body, run) => {
        const url = run.streamUrl(run.stream("agent"));
        const reply = await run.http.request("PUT", url, {
          headers: { ...JSON_TYPE, "Agent-Stream-Kind": "agent" },
          body: bodyText(body),
        });
        run.expectProblem("ENV-AGENT-5", reply, 400, "invalid-envelope");
        const head = await run.http.request("HEAD", url);
        run.expectStatus("ENV-AGENT-5", head, 404);
      }, { numRuns: 10 });
    },
  }),
  defineCheck({
    id: "envelope.agent.websocket-validated",
    title:
      "an append over WebSocket to an agent stream is refused with invalid-envelope exactly when the same append over HTTP is",
    section: "envelope.md §4",
    requirements: ["ENV-AGENT-5"],
    features: ["agent", "websocket"],
    async run(t) {
      const wait = Math.min(t.timeoutMs, 3000);
      await t.property(
        fc.oneof(
          badBodyArb.map((body) => ({
            valid: false,
            messages: body.items.map((item) => item.message),
          })),
          fc.array(unknownEnvelopeArb, { minLength: 1, maxLength: 3 }).map((messages) => ({
            valid: true,
            messages,
          })),
        ),
        async ({ valid, messages }, run) => {
          const path = run.stream("agent");
          const url = await freshStream(run, "agent", path);
          const { ws } = await run.wsSession();
          const id = "r1";
          ws.send({ type: "append", req: id, path, messages });
          const answer = await ws.nextMatching((frame) => frame.req === id, wait);
          const problem = (answer?.problem ?? {}) as { type?: unknown };
          if (valid) {
            run.expectEqual(
              "ENV-AGENT-5",
              answer?.type,
              "appended",
              "the answer to a valid append",
            );
          } else {
            run.expectEqual(
              "ENV-AGENT-5",
              [answer?.type, problem.type],
              ["error", "https://agent-stream.dev/problems/invalid-envelope"],
              "the answer to an append with an invalid envelope",
            );
          }
          run.expectEqual(
            "ENV-AGENT-5",
            await readAll(run, url),
            JSON.stringify(valid ? messages : []),
            "the stream after the append",
          );
        },
        { numRuns: 10 },
      );
    },
  }),
];
