// view-ai-sdk.md §7.1: a POST appends the new user message and streams the
// run that follows it.

import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { validEventSequence } from "../../agent/event_sequences.ts";
import {
  appendEvents,
  type Chat,
  expectedChunks,
  isUserMessage,
  newChat,
  readEvents,
  runAfter,
  sendBody,
  uiStream,
  waitForUser,
} from "./_chat.ts";

const USER_ID = "ai-sdk-user";

/** Starts a POST that waits for its run; a failed one resolves to the error. */
function post(t: CheckContext, chat: Chat, body: unknown): Promise<HttpReply | Error> {
  return t.http.request("POST", chat.api, { body: { json: body } })
    .catch((error: unknown) => error instanceof Error ? error : new Error(String(error)));
}

function reply(result: HttpReply | Error): HttpReply {
  if (result instanceof Error) throw result;
  return result;
}

const answer = (runId: string) => [
  { type: "run.started", runId },
  { type: "text.message", runId, messageId: `${runId}-a`, role: "assistant", content: "Hi" },
  { type: "run.finished", runId, outcome: "success" },
];

/** Checks of view-ai-sdk.md §7.1 (sending a message). */
export const viewAiSdkSendChecks: readonly Check[] = [
  defineCheck({
    id: "view-ai-sdk.post.appends-user-message",
    title:
      "a POST appends its last message as one user text.message, and a repeated POST appends nothing",
    section: "view-ai-sdk.md §7.1",
    requirements: ["VIEW-AISDK-POST-1"],
    features: ["ai-sdk"],
    async run(t) {
      const chat = await newChat(t);
      const body = sendBody(chat.chatId, USER_ID, ["Hello", "world"]);
      const pending = post(t, chat, body);
      const deadline = Date.now() + t.timeoutMs;
      let users: unknown[] = [];
      while (users.length === 0 && Date.now() < deadline) {
        users = (await readEvents(t, chat)).filter((e) => isUserMessage(e, USER_ID));
        if (users.length === 0) await t.sleep(20);
      }
      t.expect("VIEW-AISDK-POST-1", users.length > 0, "the user message never reached the stream");
      await appendEvents(t, chat, answer("run-1"));
      reply(await pending);
      const once = (await readEvents(t, chat)).filter((e) => isUserMessage(e, USER_ID));
      t.expectEqual("VIEW-AISDK-POST-1", once.length, 1, "user messages with the posted id");
      const event = once[0] as Record<string, unknown>;
      t.expectEqual("VIEW-AISDK-POST-1", event.content, "Hello\nworld", "the message's content");
      reply(await post(t, chat, body));
      const again = (await readEvents(t, chat)).filter((e) => isUserMessage(e, USER_ID));
      t.expectEqual(
        "VIEW-AISDK-POST-1",
        again.length,
        1,
        "user messages with the posted id after the same POST again",
      );
    },
  }),
  defineCheck({
    id: "view-ai-sdk.post.run-stream",
    title:
      "a POST answers with the UI message stream of the run that follows the user message, then [DONE]",
    section: "view-ai-sdk.md §7.1",
    requirements: ["VIEW-AISDK-POST-2", "VIEW-AISDK-POST-3"],
    features: ["ai-sdk"],
    async run(t) {
      await t.property(
        validEventSequence({ minRuns: 1, maxRuns: 1, lastRun: "ended", maxStepsPerRun: 12 }),
        async (events, run) => {
          const chat = await newChat(run);
          const pending = post(run, chat, sendBody(chat.chatId, USER_ID, ["Go"]));
          await waitForUser(run, chat, USER_ID);
          // The agent answers in pieces, so that the server streams what arrives live.
          const third = Math.ceil(events.length / 3);
          for (let at = 0; at < events.length; at += third) {
            await appendEvents(run, chat, events.slice(at, at + third));
          }
          const { chunks, done } = uiStream(run, "VIEW-AISDK-POST-2", reply(await pending));
          const stored = await readEvents(run, chat);
          const runId = runAfter(stored, stored.findIndex((e) => isUserMessage(e, USER_ID)))!;
          run.expectEqual(
            "VIEW-AISDK-POST-3",
            chunks,
            expectedChunks(stored, runId),
            `the chunks of run ${runId}`,
          );
          run.expect("VIEW-AISDK-POST-3", done, "the body does not end with data: [DONE]");
        },
        { numRuns: 10 },
      );
    },
  }),
];
