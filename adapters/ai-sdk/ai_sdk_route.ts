// The endpoint of the AI SDK view (spec/v1/view-ai-sdk.md §6):
// `POST /v1/ai-sdk/{collection}` takes what a DefaultChatTransport sends and
// answers with the UI message stream of the run that follows the new user
// message; `GET /v1/ai-sdk/{collection}/{chatId}/stream` resumes the active
// run's stream. The chat's stream is `{collection}/{chatId}`.

import { STREAM_PATH_MAX_LENGTH, STREAM_PATH_PATTERN } from "../../src/protocol/stream_path.ts";
import type { ServerRoute, ServerRouteEnv } from "../../src/server/server_route.ts";
import { StoreError, type StreamInfo } from "../../src/stores/event_store.ts";
import { parseChatRequest, readBody } from "./_chat_request.ts";
import { problem, storeProblem } from "./_problems.ts";
import { readAll, replay, runStreamResponse } from "./_run_stream.ts";

/**
 * The path prefix of the endpoint.
 *
 * @example
 * ```ts
 * import { AI_SDK_PREFIX } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(AI_SDK_PREFIX); // "/v1/ai-sdk/"
 * ```
 */
export const AI_SDK_PREFIX = "/v1/ai-sdk/";

/**
 * Options of {@linkcode aiSdkRoute}.
 *
 * @example
 * ```ts
 * import type { AiSdkRouteOptions } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const options: AiSdkRouteOptions = { createStreams: true };
 * ```
 */
export interface AiSdkRouteOptions {
  /**
   * Create the stream of a chat that does not exist yet, as an agent stream,
   * when a message is posted to it. Default `false`: such a post is answered
   * `404 stream-not-found`.
   */
  readonly createStreams?: boolean;
  /**
   * Forward the run's events that have no chunk of their own as transient
   * `data-agent-stream` chunks. Default `true`.
   */
  readonly passthrough?: boolean;
}

const encoder = new TextEncoder();

function pathDefect(path: string, maxBytes: number): string | undefined {
  if ([...path].length > STREAM_PATH_MAX_LENGTH) {
    return `is longer than ${STREAM_PATH_MAX_LENGTH} characters`;
  }
  if (encoder.encode(path).length > maxBytes) return `is longer than ${maxBytes} bytes`;
  if (!STREAM_PATH_PATTERN.test(path)) {
    return 'has an empty, "." or ".." segment, a control character or a backslash';
  }
  return undefined;
}

async function head(
  env: ServerRouteEnv,
  path: string,
  create: boolean,
): Promise<StreamInfo> {
  try {
    return await env.store.head(path);
  } catch (error) {
    if (!create || !(error instanceof StoreError) || error.slug !== "stream-not-found") throw error;
    return (await env.store.create(path, { kind: "agent" })).stream;
  }
}

async function post(
  request: Request,
  env: ServerRouteEnv,
  options: AiSdkRouteOptions,
  instance: string,
): Promise<Response> {
  const text = await readBody(request, env.limits.maxBodyBytes);
  if (text === undefined) {
    return problem("payload-too-large", {
      detail: `The body exceeds ${env.limits.maxBodyBytes} bytes`,
      instance,
    });
  }
  const parsed = parseChatRequest(text);
  if ("kind" in parsed) {
    if (parsed.kind === "not-json") {
      return problem("invalid-json", { detail: parsed.detail, instance });
    }
    return problem("invalid-request", {
      detail: "The body is not the request of a chat transport",
      instance,
      ...(parsed.kind === "invalid" ? { errors: parsed.errors } : {}),
    });
  }
  const path = `${env.path}/${parsed.chatId}`;
  const defect = pathDefect(path, env.limits.maxStreamPathBytes);
  if (defect !== undefined) {
    return problem("invalid-stream-name", { detail: `The chat's stream path ${defect}`, instance });
  }
  const event = {
    type: "text.message",
    id: crypto.randomUUID(),
    time: new Date().toISOString(),
    messageId: parsed.message.id,
    role: "user",
    content: parsed.message.content,
  };
  const bytes = encoder.encode(JSON.stringify(event));
  if (bytes.byteLength > env.limits.maxMessageBytes) {
    return problem("payload-too-large", {
      detail: `The user message exceeds ${env.limits.maxMessageBytes} bytes as an event`,
      instance,
    });
  }
  let history: unknown[];
  let at: number;
  try {
    const info = await head(env, path, options.createStreams ?? false);
    if (info.kind !== "agent") return notAgentStream(info, instance);
    history = await readAll(env.store, path);
    at = history.findIndex((value) => isUserMessage(value, parsed.message.id));
    if (at < 0) {
      const appended = await env.store.append(path, { messages: [bytes] });
      at = appended.nextOffset - 1;
    }
  } catch (error) {
    return storeProblem(error, instance);
  }
  const choice = { after: at + 1 };
  const position = replay(history, choice, options.passthrough ?? true);
  return runStreamResponse(position, history.length, {
    store: env.store,
    path,
    choice,
    heartbeatMs: env.timing.heartbeatMs,
    shutdown: env.shutdown,
  });
}

// The view serves agent streams only: a chat whose stream is of another kind is refused.
function notAgentStream(info: StreamInfo, instance: string): Response {
  return problem("not-agent-stream", {
    detail: `The AI SDK view exists only for agent streams; this stream is of kind ${info.kind}`,
    instance,
  });
}

// A message this endpoint appended before: a retried request is not appended twice.
function isUserMessage(value: unknown, messageId: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  const event = value as Record<string, unknown>;
  return (event.type === "text.message" || event.type === "text.start") &&
    event.messageId === messageId && event.role === "user";
}

async function get(
  env: ServerRouteEnv,
  options: AiSdkRouteOptions,
  instance: string,
): Promise<Response> {
  const match = /^(.+)\/stream$/.exec(env.path);
  if (match === null) {
    return problem("not-found", {
      detail: `GET serves ${AI_SDK_PREFIX}{collection}/{chatId}/stream`,
      instance,
    });
  }
  const path = match[1];
  let history: unknown[];
  try {
    const info = await env.store.head(path);
    if (info.kind !== "agent") return notAgentStream(info, instance);
    history = await readAll(env.store, path);
  } catch (error) {
    return storeProblem(error, instance);
  }
  const position = replay(history, "active", options.passthrough ?? true);
  if (position.runId === undefined) return new Response(null, { status: 204 });
  return runStreamResponse(position, history.length, {
    store: env.store,
    path,
    choice: "active",
    heartbeatMs: env.timing.heartbeatMs,
    shutdown: env.shutdown,
  });
}

/**
 * The AI SDK view as a server route (feature `ai-sdk`). A chat client points
 * a `DefaultChatTransport` at `{base}/v1/ai-sdk/{collection}`; the chat with
 * id `X` is the stream `{collection}/X`. A POST appends the new user message
 * as a `text.message` event and streams the run that follows it; a GET of
 * `{collection}/X/stream` replays the active run from its start and follows
 * it live, or answers 204 when no run is active.
 *
 * @example
 * ```ts
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * import { aiSdkRoute } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const server = createServer({ store: new MemoryStore(), routes: [aiSdkRoute()] });
 * const response = await server.fetch(new Request("http://localhost/v1/ai-sdk/chats/1/stream"));
 * console.log(response.status); // 404: the stream chats/1 does not exist
 * await server.shutdown();
 * ```
 */
export function aiSdkRoute(options: AiSdkRouteOptions = {}): ServerRoute {
  return {
    prefix: AI_SDK_PREFIX,
    methods: ["GET", "POST"],
    feature: "ai-sdk",
    handle(request, env) {
      const instance = new URL(request.url).pathname;
      return request.method === "POST"
        ? post(request, env, options, instance)
        : get(env, options, instance);
    },
  };
}
