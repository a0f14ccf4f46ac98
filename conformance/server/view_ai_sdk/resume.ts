// view-ai-sdk.md §7.2: a GET of `{collection}/{chatId}/stream` replays the
// active run from its start and follows it, or answers 204.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { validEventSequence } from "../../agent/event_sequences.ts";
import type { SseNext } from "../../http_probe.ts";
import { appendEvents, expectedChunks, newChat, readEvents } from "./_chat.ts";

const answer = [
  { type: "run.started", runId: "run-1" },
  { type: "text.message", runId: "run-1", messageId: "a1", role: "assistant", content: "Hi" },
  { type: "run.finished", runId: "run-1", outcome: "success" },
];

/** Checks of view-ai-sdk.md §7.2 (resuming). */
export const viewAiSdkResumeChecks: readonly Check[] = [
  defineCheck({
    id: "view-ai-sdk.get.no-active-run",
    title: "a GET of a chat's stream answers 204 without a body while no run is active",
    section: "view-ai-sdk.md §7.2",
    requirements: ["VIEW-AISDK-GET-1"],
    features: ["ai-sdk"],
    async run(t) {
      const chat = await newChat(t);
      for (const events of [[], answer]) {
        await appendEvents(t, chat, events);
        const reply = await t.http.request("GET", chat.resume);
        t.expectStatus("VIEW-AISDK-GET-1", reply, 204);
        t.expectEqual("VIEW-AISDK-GET-1", reply.text, "", "the body of the 204");
      }
    },
  }),
  defineCheck({
    id: "view-ai-sdk.get.active-run",
    title:
      "a GET of a chat's stream replays the active run from its start, follows it live, then [DONE]",
    section: "view-ai-sdk.md §7.2",
    requirements: ["VIEW-AISDK-GET-2"],
    features: ["ai-sdk"],
    async run(t) {
      await t.property(
        fc.tuple(
          validEventSequence({ minRuns: 1, maxRuns: 1, lastRun: "ended", maxStepsPerRun: 12 }),
          fc.nat(),
        ),
        async ([events, cut], run) => {
          const chat = await newChat(run);
          const started = events.findIndex((e) => e.type === "run.started");
          const ended = events.findIndex((e) =>
            e.type === "run.finished" || e.type === "run.error"
          );
          // Store the run up to a point inside it; the rest arrives while the client reads.
          const split = started + 1 + (cut % (ended - started));
          await appendEvents(run, chat, events.slice(0, split));
          const sse = await run.http.openSse(chat.resume);
          try {
            run.expectStatus("VIEW-AISDK-GET-2", sse, 200);
            const type = sse.headers.get("content-type") ?? "";
            run.expect(
              "VIEW-AISDK-GET-2",
              type.split(";")[0].trim().toLowerCase() === "text/event-stream",
              `content type ${JSON.stringify(type)}, expected text/event-stream`,
            );
            run.expectEqual(
              "VIEW-AISDK-GET-2",
              sse.headers.get("x-vercel-ai-ui-message-stream"),
              "v1",
              "the header x-vercel-ai-ui-message-stream",
            );
            await appendEvents(run, chat, events.slice(split));
            const items = await sse.collect(
              (item) => item.kind === "event" && item.data === "[DONE]",
              run.timeoutMs,
            );
            const data = items.flatMap((item: SseNext) => item.kind === "event" ? [item.data] : []);
            run.expectEqual("VIEW-AISDK-GET-2", data.at(-1), "[DONE]", "the last event's data");
            const chunks = data.slice(0, -1).map((text) => {
              try {
                return JSON.parse(text);
              } catch {
                return run.expect("VIEW-AISDK-GET-2", false, `data that is not JSON: ${text}`);
              }
            });
            const runId = events[started].runId!;
            run.expectEqual(
              "VIEW-AISDK-GET-2",
              chunks,
              expectedChunks(await readEvents(run, chat), runId),
              `the chunks of run ${runId}`,
            );
          } finally {
            await sse.close();
          }
        },
        { numRuns: 10 },
      );
    },
  }),
];
