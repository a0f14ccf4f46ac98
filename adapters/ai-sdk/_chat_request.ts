// The body a DefaultChatTransport POSTs (`{id, messages, trigger, messageId,
// …}`), read and checked: what the endpoint needs is the chat id and the new
// user message at the end of `messages`.

import type { ValidationError } from "../../src/protocol/validate.ts";
import { isRecord, textOfParts } from "./_chunk_fields.ts";

/** What a valid request asks for. */
export interface ChatRequest {
  /** The chat's id: the last segments of the stream path. */
  readonly chatId: string;
  /** The new user message. */
  readonly message: { readonly id: string; readonly content: string };
}

/** Why a body is refused. */
export type ChatRequestFailure =
  | { readonly kind: "too-large" }
  | { readonly kind: "not-json"; readonly detail: string }
  | { readonly kind: "invalid"; readonly errors: ValidationError[] };

/** The body's text, or undefined when it exceeds `maxBytes`. */
export async function readBody(request: Request, maxBytes: number): Promise<string | undefined> {
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const pieces: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    pieces.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

const ID_MAX_LENGTH = 256;

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && [...value].length <= ID_MAX_LENGTH;
}

/** Reads a DefaultChatTransport body. */
export function parseChatRequest(text: string): ChatRequest | ChatRequestFailure {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { kind: "not-json", detail: `The body is not JSON: ${(error as Error).message}` };
  }
  const errors: ValidationError[] = [];
  if (!isRecord(body)) {
    return { kind: "invalid", errors: [{ path: "", message: "Expected a JSON object" }] };
  }
  if (!isId(body.id)) {
    errors.push({ path: "/id", message: "Expected the chat id: a string of 1 to 256 characters" });
  }
  if (body.trigger !== undefined && body.trigger !== "submit-message") {
    errors.push({
      path: "/trigger",
      message: 'Only "submit-message" is served: an agent stream is append-only',
    });
  }
  if (body.messageId !== undefined) {
    errors.push({
      path: "/messageId",
      message: "Replacing a message is not served: an agent stream is append-only",
    });
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    errors.push({ path: "/messages", message: "Expected a non-empty array of messages" });
    return { kind: "invalid", errors };
  }
  const index = messages.length - 1;
  const last = messages[index];
  const at = `/messages/${index}`;
  if (!isRecord(last)) {
    errors.push({ path: at, message: "Expected a message object" });
    return { kind: "invalid", errors };
  }
  if (last.role !== "user") {
    errors.push({ path: `${at}/role`, message: 'The last message must have the role "user"' });
  }
  if (!isId(last.id)) {
    errors.push({ path: `${at}/id`, message: "Expected a message id of 1 to 256 characters" });
  }
  if (!Array.isArray(last.parts)) {
    errors.push({ path: `${at}/parts`, message: "Expected an array of parts" });
  }
  if (errors.length > 0) return { kind: "invalid", errors };
  return {
    chatId: body.id as string,
    message: { id: last.id as string, content: textOfParts(last.parts as unknown[]) },
  };
}
