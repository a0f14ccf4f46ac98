// Mutants of the AG-UI view (view-ag-ui.md): each breaks one VIEW-AGUI-*
// requirement of the /v1/ag-ui/ endpoint, by rewriting its requests or
// responses in front of the reference server.

import { mapHttp, type Mutant } from "../mutant.ts";

const PREFIX = "/v1/ag-ui/";
const PROBLEMS = "https://agent-stream.dev/problems/";

type Block = { id?: string; data: string; type?: string };

function isView(request: Request, method?: string): boolean {
  return (method === undefined || request.method === method) &&
    new URL(request.url).pathname.startsWith(PREFIX);
}

function parse(text: string): Block {
  const block: Block = { data: "" };
  for (const line of text.split("\n")) {
    if (line.startsWith("id: ")) block.id = line.slice(4);
    if (line.startsWith("data: ")) block.data = line.slice(6);
  }
  try {
    block.type = JSON.parse(block.data).type;
  } catch {
    // A comment or something else: no event type.
  }
  return block;
}

/**
 * The response with its SSE blocks (events and comments, without the blank
 * line) rewritten by `map`, which sees each block with the one before it.
 */
function mapBlocks(
  response: Response,
  map: (text: string, block: Block) => string[],
): Response {
  if (response.body === null || response.headers.get("content-type") !== "text/event-stream") {
    return response;
  }
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        buffer += decoder.decode(bytes, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const text = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const out of map(text, parse(text))) {
            controller.enqueue(encoder.encode(`${out}\n\n`));
          }
        }
      },
    }),
  );
  return new Response(body, { status: response.status, headers: response.headers });
}

/** The data line of a block replaced by `data` of `event`. */
function withData(text: string, event: unknown): string {
  return text.replace(/^data: .*$/m, `data: ${JSON.stringify(event)}`);
}

/** A problem response of type `from` turned into one of type `to` with `status`. */
async function retyped(
  response: Response,
  from: string,
  to: string,
  status: number,
): Promise<Response> {
  const problem = await response.clone().json().catch(() => undefined);
  if (problem?.type !== PROBLEMS + from) return response;
  return new Response(JSON.stringify({ ...problem, type: PROBLEMS + to, status }), {
    status,
    headers: response.headers,
  });
}

/** Mutants that break one requirement of view-ag-ui.md each. */
export const viewAgUiMutants: readonly Mutant[] = [
  {
    name: "writes RUN_STARTED after the first event held for its run",
    breaks: "VIEW-AGUI-RUN-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      let started: string | undefined;
      return mapBlocks(response, (text, block) => {
        if (block.type === "RUN_STARTED") {
          started = text;
          return [];
        }
        if (started === undefined) return [text];
        const out = [text, started];
        started = undefined;
        return out;
      });
    }),
  },
  {
    name: "leaves a message open when its run finishes",
    breaks: "VIEW-AGUI-RUN-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      let end: string | undefined;
      return mapBlocks(response, (text, block) => {
        const held = end;
        end = undefined;
        if (block.type === "TEXT_MESSAGE_END") {
          end = text;
          return held === undefined ? [] : [held];
        }
        if (block.type === "RUN_FINISHED") return [text];
        return held === undefined ? [text] : [held, text];
      });
    }),
  },
  {
    name: "writes every text message as the assistant's",
    breaks: "VIEW-AGUI-EVENT-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      return mapBlocks(response, (text, block) => {
        if (block.type !== "TEXT_MESSAGE_START") return [text];
        return [withData(text, { ...JSON.parse(block.data), role: "assistant" })];
      });
    }),
  },
  {
    name: "writes tool results without their content",
    breaks: "VIEW-AGUI-MSG-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      return mapBlocks(response, (text, block) => {
        if (block.type !== "TOOL_CALL_RESULT") return [text];
        return [withData(text, { ...JSON.parse(block.data), content: "" })];
      });
    }),
  },
  {
    name: "names every event agui",
    breaks: "VIEW-AGUI-SSE-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      return mapBlocks(
        response,
        (text, block) => block.type === undefined ? [text] : [`event: agui\n${text}`],
      );
    }),
  },
  {
    name: "numbers the events instead of giving them offsets",
    breaks: "VIEW-AGUI-SSE-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      let n = 0;
      return mapBlocks(
        response,
        (text, block) =>
          block.id === undefined
            ? [text]
            : [text.replace(/^id: .*$/m, `id: ${String(++n).padStart(16, "0")}`)],
      );
    }),
  },
  {
    name: "keeps a GET open after the closed stream is written",
    breaks: "VIEW-AGUI-GET-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "GET") || response.body === null) return response;
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await reader.read();
          if (!next.done) controller.enqueue(next.value);
          // At the end, wait for a cancel that never comes from the server's side.
          else await new Promise(() => {});
        },
        cancel: () => reader.cancel(),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    }),
  },
  {
    name: "ignores Last-Event-ID",
    breaks: "VIEW-AGUI-GET-2",
    wrap: mapHttp((request, next) => {
      if (!isView(request, "GET") || !request.headers.has("last-event-id")) return next(request);
      const headers = new Headers(request.headers);
      headers.delete("last-event-id");
      return next(new Request(request.url, { method: "GET", headers }));
    }),
  },
  {
    name: "appends the input's user messages again on every POST",
    breaks: "VIEW-AGUI-POST-1",
    wrap: mapHttp(async (request, next) => {
      if (!isView(request, "POST")) return next(request);
      const input = await request.clone().json().catch(() => undefined);
      const response = await next(request);
      if (response.status !== 200 || !Array.isArray(input?.messages)) return response;
      const users = input.messages.filter((m: { role?: unknown }) => m.role === "user")
        .map((m: { id: string; content: unknown }) => ({
          type: "text.message",
          messageId: m.id,
          role: "user",
          content: typeof m.content === "string" ? m.content : "",
        }));
      if (users.length > 0) {
        const url = new URL(request.url);
        await next(
          new Request(`${url.origin}/v1/stream/${url.pathname.slice(PREFIX.length)}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(users),
          }),
        );
      }
      return response;
    }),
  },
  {
    name: "answers a POST without the snapshots that bring its client up to date",
    breaks: "VIEW-AGUI-POST-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "POST")) return response;
      return mapBlocks(
        response,
        (text, block) =>
          block.type === "MESSAGES_SNAPSHOT" || block.type === "STATE_SNAPSHOT" ? [] : [text],
      );
    }),
  },
  {
    name: "ends a POST before the run that answers it",
    breaks: "VIEW-AGUI-POST-3",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "POST") || response.body === null) return response;
      const reader = response.body.getReader();
      const cut = Date.now() + 200;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const wait = new Promise<"cut">((resolve) =>
            setTimeout(() => resolve("cut"), Math.max(0, cut - Date.now()))
          );
          const next = await Promise.race([reader.read(), wait]);
          if (next === "cut" || next.done) {
            await reader.cancel();
            controller.close();
          } else controller.enqueue(next.value);
        },
        cancel: () => reader.cancel(),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    }),
  },
  {
    name: "serves the view of json streams",
    breaks: "VIEW-AGUI-ERR-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request) || response.status !== 409) return response;
      const problem = await response.clone().json().catch(() => undefined);
      if (problem?.type !== `${PROBLEMS}not-agent-stream`) return response;
      return new Response("", { status: 200, headers: { "content-type": "text/event-stream" } });
    }),
  },
  {
    name: "answers a json stream 404 not-found",
    breaks: "VIEW-AGUI-ERR-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request)) return response;
      return await retyped(response, "not-agent-stream", "not-found", 404);
    }),
  },
  {
    name: "refuses a body that is no RunAgentInput without pointing at the defects",
    breaks: "VIEW-AGUI-ERR-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "POST") || response.status !== 400) return response;
      const problem = await response.clone().json().catch(() => undefined);
      if (problem?.type !== `${PROBLEMS}invalid-request`) return response;
      delete problem.errors;
      return new Response(JSON.stringify(problem), {
        status: 400,
        headers: response.headers,
      });
    }),
  },
  {
    name: "refuses a body that is no RunAgentInput with invalid-envelope",
    breaks: "VIEW-AGUI-ERR-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "POST")) return response;
      return await retyped(response, "invalid-request", "invalid-envelope", 400);
    }),
  },
];
