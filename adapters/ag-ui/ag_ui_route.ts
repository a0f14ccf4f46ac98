// The AG-UI endpoint of a server (spec/v1/view-ag-ui.md §4): GET reads an
// agent stream as AG-UI events, live; POST takes an AG-UI client's
// RunAgentInput, appends its new user messages and answers with the events
// that bring the client up to date and the run that answers it.

import { formatOffset, parseOffset } from "../../src/protocol/offset.ts";
import type { ServerRoute, ServerRouteEnv } from "../../src/server/server_route.ts";
import type { StreamInfo } from "../../src/stores/event_store.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";
import type { RunAgentInput } from "./ag_ui_messages.ts";
import { contentText } from "./_from_messages.ts";
import { problem } from "./_problems.ts";
import { checkRunAgentInput } from "./_run_agent_input.ts";
import { replayInto, viewStream } from "./_view_stream.ts";
import { AgUiEventMapper } from "./to_ag_ui_events.ts";

/** The path prefix of the AG-UI view. */
const PREFIX = "/v1/ag-ui/";

/**
 * The AG-UI view as a server route: `GET /v1/ag-ui/{path}` streams the agent
 * stream `{path}` as AG-UI events over Server-Sent Events, from the start or
 * from `Last-Event-ID`, and stays open for new events; `POST
 * /v1/ag-ui/{path}` takes the `RunAgentInput` an AG-UI `HttpAgent` sends,
 * appends its user messages that the stream does not hold, and streams what
 * the client lacks until the run that answers them has ended. Discovery lists
 * the feature `ag-ui`.
 *
 * @returns The route, to pass to `createServer({ routes })`.
 *
 * @example
 * ```ts
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * import { agUiRoute } from "@agent-stream/agent-stream/adapters/ag-ui";
 *
 * const server = createServer({ store: new MemoryStore(), routes: [agUiRoute()] });
 * const response = await server.fetch(new Request("http://localhost/v1/ag-ui/chats/1"));
 * console.log(response.status); // 404: no such stream
 * ```
 */
export function agUiRoute(): ServerRoute {
  return {
    prefix: PREFIX,
    methods: ["GET", "POST"],
    feature: "ag-ui",
    // A store refusal thrown here (no such stream, closed) becomes its problem response.
    handle: (request, env) => request.method === "POST" ? run(request, env) : read(request, env),
  };
}

async function read(request: Request, env: ServerRouteEnv): Promise<Response> {
  const lastEventId = request.headers.get("last-event-id");
  let start = 0;
  if (lastEventId !== null) {
    try {
      start = parseOffset(lastEventId);
    } catch {
      return problem("invalid-offset", "Last-Event-ID is not an offset");
    }
  }
  const info = await agentStream(env);
  if (info instanceof Response) return info;
  if (start > info.tail) {
    return problem("offset-out-of-range", "Last-Event-ID is beyond the tail of the stream", {
      offset: formatOffset(info.tail),
    });
  }
  if (lastEventId !== null && info.closed && start === info.tail) {
    return new Response(null, { status: 204 });
  }
  const mapper = new AgUiEventMapper({ threadId: env.path });
  await replayInto(env.store, env.path, mapper, start, env.limits.maxReadMessages);
  return eventStream(env, mapper, start, []);
}

async function run(request: Request, env: ServerRouteEnv): Promise<Response> {
  const found = await agentStream(env);
  if (found instanceof Response) return found;
  const text = await request.text();
  if (new TextEncoder().encode(text).length > env.limits.maxBodyBytes) {
    return problem("payload-too-large", "The body is larger than maxBodyBytes");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem("invalid-json", "The body is not JSON");
  }
  const checked = checkRunAgentInput(body);
  if (!checked.ok) {
    return problem("invalid-request", "The body is not an AG-UI RunAgentInput", {
      errors: checked.errors,
    });
  }
  const input = checked.value;
  const info = await agentStream(env);
  if (info instanceof Response) return info;

  const mapper = new AgUiEventMapper({ threadId: env.path });
  await replayInto(env.store, env.path, mapper, info.tail, env.limits.maxReadMessages);
  const added = newUserMessages(input, mapper);
  if (added instanceof Response) return added;
  const before = info.tail;
  const after = added.length === 0
    ? before
    : (await env.store.append(env.path, { messages: added })).nextOffset;

  // A client that holds nothing reads the stream from the start; one that
  // holds messages is brought to the stream's tail, then reads what follows.
  const fresh = input.messages.length === 0;
  const reader = new AgUiEventMapper({ threadId: env.path });
  const start = fresh ? 0 : before;
  const first = fresh
    ? reader.beginReader({ messages: [], state: input.state ?? {} })
    : mapper.beginReader({ messages: input.messages, state: input.state ?? {} });
  const chosen = fresh ? reader : mapper;
  // The response ends once caught up with no run active and, when messages
  // were added, once a run that began after them has ended.
  let answered = added.length === 0;
  let runSince = false;
  const settled = (next: number): boolean => {
    const active = chosen.activeRunId !== undefined;
    if (next > before && active) runSince = true;
    if (runSince && !active) answered = true;
    return next >= after && !active && answered;
  };
  return eventStream(env, chosen, start, first, settled);
}

/** The stream's metadata, or the problem response when it is no agent stream. */
async function agentStream(env: ServerRouteEnv): Promise<StreamInfo | Response> {
  const info = await env.store.head(env.path);
  if (info.kind !== "agent") {
    return problem(
      "not-agent-stream",
      `The AG-UI view exists only for agent streams; this stream is of kind ${info.kind}`,
    );
  }
  return info;
}

/** The input's user messages that the stream does not hold, as `text.message` events. */
function newUserMessages(input: RunAgentInput, mapper: AgUiEventMapper): Uint8Array[] | Response {
  const encoder = new TextEncoder();
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const [i, message] of input.messages.entries()) {
    if (message.role !== "user" || mapper.hasMessage(message.id) || seen.has(message.id)) continue;
    if (message.id.length < 1 || message.id.length > 256) {
      return problem("invalid-request", "A new message's id is not 1 to 256 characters long", {
        errors: [{ path: `/messages/${i}/id`, message: "Expected 1 to 256 characters" }],
      });
    }
    seen.add(message.id);
    out.push(encoder.encode(JSON.stringify({
      type: "text.message",
      messageId: message.id,
      role: "user",
      content: contentText(message.content),
    })));
  }
  return out;
}

function eventStream(
  env: ServerRouteEnv,
  mapper: AgUiEventMapper,
  start: number,
  first: AgUiEvent[],
  settled?: (next: number) => boolean,
): Response {
  const body = viewStream({
    store: env.store,
    path: env.path,
    start,
    mapper,
    first,
    batchLimit: env.limits.maxReadMessages,
    heartbeatMs: env.timing.heartbeatMs,
    shutdown: env.shutdown,
    settled,
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
