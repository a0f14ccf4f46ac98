// What the checks of view-ai-sdk.md share: a chat (an agent stream addressed
// as `{collection}/{chatId}`), the request a DefaultChatTransport sends, an
// agent that answers once the user message is stored, and the UI message
// stream read from a response body.

import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { toUiMessageChunks } from "../../../adapters/ai-sdk/to_ui_message_chunks.ts";

/** The endpoint's prefix. */
export const AI_SDK_PREFIX = "/v1/ai-sdk/";

/** A chat: its stream and the endpoint's two URLs for it. */
export interface Chat {
  /** The stream path, `{collection}/{chatId}`. */
  readonly path: string;
  /** The chat id: the stream path's last segment. */
  readonly chatId: string;
  /** The stream's URL in the HTTP binding. */
  readonly streamUrl: string;
  /** Where the transport POSTs: `/v1/ai-sdk/{collection}`. */
  readonly api: string;
  /** Where the transport resumes: `/v1/ai-sdk/{collection}/{chatId}/stream`. */
  readonly resume: string;
}

function encode(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The chat of stream path `path` (not created). */
export function chatOf(t: CheckContext, path: string): Chat {
  const at = path.lastIndexOf("/");
  const collection = path.slice(0, at);
  const chatId = path.slice(at + 1);
  return {
    path,
    chatId,
    streamUrl: t.streamUrl(path),
    api: AI_SDK_PREFIX + encode(collection),
    resume: `${AI_SDK_PREFIX}${encode(collection)}/${encodeURIComponent(chatId)}/stream`,
  };
}

/** A new chat whose stream exists, as an agent stream. */
export async function newChat(t: CheckContext): Promise<Chat> {
  const chat = chatOf(t, t.stream("chat"));
  await t.createStream(chat.path, { headers: { "Agent-Stream-Kind": "agent" } });
  return chat;
}

/** The body DefaultChatTransport sends for a new user message with these text parts. */
export function sendBody(chatId: string, messageId: string, texts: readonly string[]): unknown {
  return {
    id: chatId,
    trigger: "submit-message",
    messages: [
      { id: "earlier", role: "user", parts: [{ type: "text", text: "ignored" }] },
      { id: `earlier-answer`, role: "assistant", parts: [] },
      { id: messageId, role: "user", parts: texts.map((text) => ({ type: "text", text })) },
    ],
  };
}

/** Every message of a stream. */
export async function readEvents(t: CheckContext, chat: Chat): Promise<unknown[]> {
  const reply = await t.http.request("GET", `${chat.streamUrl}?offset=-1`);
  if (reply.status !== 200 || !Array.isArray(reply.json)) {
    throw new Error(`setup: reading ${chat.path} answered ${reply.status}`);
  }
  return reply.json;
}

/** Appends events to the chat's stream over the HTTP binding. */
export async function appendEvents(t: CheckContext, chat: Chat, events: unknown[]): Promise<void> {
  if (events.length === 0) return;
  const reply = await t.http.request("POST", chat.streamUrl, { body: { json: events } });
  if (reply.status >= 300) throw new Error(`setup: an append answered ${reply.status}`);
}

/** Waits until the stream holds a user text message with `messageId`. */
export async function waitForUser(t: CheckContext, chat: Chat, messageId: string): Promise<void> {
  const deadline = Date.now() + t.timeoutMs;
  while (Date.now() < deadline) {
    const events = await readEvents(t, chat);
    if (events.some((e) => isUserMessage(e, messageId))) return;
    await t.sleep(20);
  }
  throw new Error(`setup: the user message ${messageId} never reached the stream`);
}

/** Whether a stored event is the user text message `messageId`. */
export function isUserMessage(event: unknown, messageId: string): boolean {
  const e = event as Record<string, unknown> | null;
  return e?.type === "text.message" && e.role === "user" && e.messageId === messageId;
}

/** A Server-Sent Events body, read as its events' data and comments. */
export interface UiStreamBody {
  /** The data of each event, in order. */
  readonly data: string[];
  /** Events that have no data line or more than one, as text. */
  readonly malformed: string[];
}

/** Splits a `text/event-stream` body into its events. */
export function readUiStream(text: string): UiStreamBody {
  const data: string[] = [];
  const malformed: string[] = [];
  for (const block of text.replace(/\r\n?/g, "\n").split("\n\n")) {
    const lines = block.split("\n").filter((line) => line !== "" && !line.startsWith(":"));
    if (lines.length === 0) continue;
    const dataLines = lines.filter((line) => line.startsWith("data:"));
    if (dataLines.length !== 1 || lines.length !== 1) {
      malformed.push(block);
      continue;
    }
    data.push(dataLines[0].slice(5).replace(/^ /, ""));
  }
  return { data, malformed };
}

/** The reference chunks of run `runId` of a stream's events. */
export function expectedChunks(events: readonly unknown[], runId: string): unknown[] {
  return JSON.parse(JSON.stringify(toUiMessageChunks(events, { runId })));
}

/** The run that the first `run.started` after offset `after` starts. */
export function runAfter(events: readonly unknown[], after: number): string | undefined {
  for (let i = after + 1; i < events.length; i++) {
    const e = events[i] as Record<string, unknown> | null;
    if (e?.type === "run.started" && typeof e.runId === "string") return e.runId;
  }
  return undefined;
}

/**
 * Checks that a reply is a UI message stream (`requirement` for the headers
 * and the framing) and returns its chunks; `done` says whether the body ended
 * with `data: [DONE]` and nothing after it.
 */
export function uiStream(
  t: CheckContext,
  requirement: string,
  reply: HttpReply,
): { chunks: unknown[]; done: boolean } {
  t.expectStatus(requirement, reply, 200);
  const type = reply.headers.get("content-type") ?? "";
  t.expect(
    requirement,
    type.split(";")[0].trim().toLowerCase() === "text/event-stream",
    `content type ${JSON.stringify(type)}, expected text/event-stream`,
  );
  t.expectEqual(
    requirement,
    reply.headers.get("x-vercel-ai-ui-message-stream"),
    "v1",
    "the header x-vercel-ai-ui-message-stream",
  );
  const body = readUiStream(reply.text);
  t.expect(
    requirement,
    body.malformed.length === 0,
    `events that are not one data line: ${JSON.stringify(body.malformed.slice(0, 2))}`,
  );
  const done = body.data.at(-1) === "[DONE]";
  const chunks: unknown[] = [];
  for (const data of done ? body.data.slice(0, -1) : body.data) {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      t.expect(requirement, false, `data that is not JSON: ${JSON.stringify(data)}`);
    }
    chunks.push(chunk);
  }
  return { chunks, done };
}
