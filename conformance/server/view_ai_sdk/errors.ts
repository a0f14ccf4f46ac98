// view-ai-sdk.md §7.3: bad requests, missing chats and paths the endpoint
// does not serve.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { chatOf, newChat, readEvents, sendBody } from "./_chat.ts";

const user = (parts: unknown = [{ type: "text", text: "Hi" }]) => ({
  id: "u1",
  role: "user",
  parts,
});

/**
 * Bodies a chat transport would never send, or asking what an append-only
 * stream cannot do, with the problem type each is refused with.
 */
const badBodyArb: fc.Arbitrary<{ text: string; slug: string; why: string }> = fc.oneof(
  fc.constantFrom(
    { text: "{", slug: "invalid-json", why: "not JSON" },
    { text: "", slug: "invalid-json", why: "empty" },
  ),
  fc.constantFrom<[unknown, string]>(
    [[], "an array"],
    ["chat", "a string"],
    [{ messages: [user()] }, "no id"],
    [{ id: 7, messages: [user()] }, "a numeric id"],
    [{ id: "", messages: [user()] }, "an empty id"],
    [{ id: "c" }, "no messages"],
    [{ id: "c", messages: [] }, "no message"],
    [{ id: "c", messages: "Hi" }, "messages as a string"],
    [{ id: "c", messages: [{ ...user(), role: "assistant" }] }, "an assistant message last"],
    [{ id: "c", messages: [{ role: "user", parts: [] }] }, "a message without id"],
    [{ id: "c", messages: [user("Hi")] }, "parts as a string"],
    [{ id: "c", messages: [null] }, "null as a message"],
    [{ id: "c", messages: [user()], trigger: "regenerate-message" }, "a regeneration"],
    [{ id: "c", messages: [user()], messageId: "u0" }, "a replacement"],
  ).map(([body, why]) => ({ text: JSON.stringify(body), slug: "invalid-request", why })),
);

/**
 * POSTs `body` as JSON and reads the answer; a 200 answer waits for a run, so
 * only its head is read and its body is left empty.
 */
async function postHead(t: CheckContext, path: string, body: unknown): Promise<HttpReply> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), t.timeoutMs);
  try {
    const response = await fetch(t.http.url(path), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    t.note(`POST ${path} answered ${response.status} ${response.headers.get("content-type")}`);
    if (response.status === 200) {
      await response.body?.cancel();
      return { status: 200, headers: response.headers, text: "", json: undefined };
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks of view-ai-sdk.md §7.3 (errors). */
export const viewAiSdkErrorChecks: readonly Check[] = [
  defineCheck({
    id: "view-ai-sdk.post.bad-request",
    title:
      "a POST whose body is not JSON answers 400 invalid-json, one that is no chat transport's request 400 invalid-request listing the defects, and appends nothing",
    section: "view-ai-sdk.md §7.3",
    requirements: ["VIEW-AISDK-ERR-1"],
    features: ["ai-sdk"],
    async run(t) {
      await t.property(badBodyArb, async ({ text, slug, why }, run) => {
        const chat = await newChat(run);
        const body = text.replace('"id":"c"', `"id":${JSON.stringify(chat.chatId)}`);
        const reply = await run.http.request("POST", chat.api, {
          headers: { "Content-Type": "application/json" },
          body,
        });
        run.note(`the body is ${why}`);
        run.expectProblem("VIEW-AISDK-ERR-1", reply, 400, slug);
        if (slug === "invalid-request") {
          const errors = (reply.json as { errors?: { path?: unknown }[] } | undefined)?.errors;
          run.expect(
            "VIEW-AISDK-ERR-1",
            Array.isArray(errors) && errors.length > 0 &&
              errors.every((e) => typeof e.path === "string"),
            "the problem lists no defects in errors",
          );
        }
        run.expectEqual("VIEW-AISDK-ERR-1", await readEvents(run, chat), [], "the stream after");
      }, { numRuns: 16 });
    },
  }),
  defineCheck({
    id: "view-ai-sdk.missing-chat",
    title:
      "a chat whose stream does not exist answers 404 stream-not-found, unless a POST creates it as an agent stream",
    section: "view-ai-sdk.md §7.3",
    requirements: ["VIEW-AISDK-ERR-2"],
    features: ["ai-sdk"],
    async run(t) {
      const chat = chatOf(t, t.stream("missing"));
      const get = await t.http.request("GET", chat.resume);
      t.expectProblem("VIEW-AISDK-ERR-2", get, 404, "stream-not-found");
      // A server that creates the chat answers 200 and waits for a run: read the head only.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), t.timeoutMs);
      let status: number;
      let text = "";
      try {
        const response = await fetch(t.http.url(chat.api), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(sendBody(chat.chatId, "u1", ["Hi"])),
          signal: controller.signal,
        });
        status = response.status;
        t.note(`POST ${chat.api} answered ${status} ${response.headers.get("content-type")}`);
        if (status === 200) await response.body?.cancel();
        else text = await response.text();
      } finally {
        clearTimeout(timer);
      }
      if (status === 200) {
        const head = await t.http.request("HEAD", chat.streamUrl);
        t.expectStatus("VIEW-AISDK-ERR-2", head, 200);
        t.expectEqual(
          "VIEW-AISDK-ERR-2",
          head.headers.get("agent-stream-kind"),
          "agent",
          "the kind of the stream the POST created",
        );
        return;
      }
      t.expectEqual("VIEW-AISDK-ERR-2", status, 404, "the status of a POST to a missing chat");
      const type = JSON.parse(text || "{}").type;
      t.expectEqual(
        "VIEW-AISDK-ERR-2",
        type,
        "https://agent-stream.dev/problems/stream-not-found",
        "the problem type of a POST to a missing chat",
      );
    },
  }),
  defineCheck({
    id: "view-ai-sdk.json-chat",
    title:
      "a POST or GET of a chat whose stream is a json stream answers 409 not-agent-stream and appends nothing",
    section: "view-ai-sdk.md §7.3",
    requirements: ["VIEW-AISDK-ERR-2"],
    features: ["ai-sdk"],
    async run(t) {
      const chat = chatOf(t, t.stream("json-chat"));
      await t.createStream(chat.path);
      const get = await t.http.request("GET", chat.resume);
      t.expectProblem("VIEW-AISDK-ERR-2", get, 409, "not-agent-stream");
      const post = await postHead(t, chat.api, sendBody(chat.chatId, "u1", ["Hi"]));
      t.expectProblem("VIEW-AISDK-ERR-2", post, 409, "not-agent-stream");
      t.expectEqual("VIEW-AISDK-ERR-2", await readEvents(t, chat), [], "the json stream after");
    },
  }),
  defineCheck({
    id: "view-ai-sdk.get.not-a-stream-path",
    title: "a GET whose path does not end in /stream answers 404 not-found",
    section: "view-ai-sdk.md §7.3",
    requirements: ["VIEW-AISDK-ERR-3"],
    features: ["ai-sdk"],
    async run(t) {
      const chat = await newChat(t);
      for (const path of [chat.resume.replace(/\/stream$/, ""), `${chat.resume}s`]) {
        const reply = await t.http.request("GET", path);
        t.expectProblem("VIEW-AISDK-ERR-3", reply, 404, "not-found");
      }
    },
  }),
];
