// Mutants of the AI SDK view (view-ai-sdk.md): each breaks one VIEW-AISDK-*
// requirement of the /v1/ai-sdk/ endpoint, by rewriting its requests or
// responses in front of the reference server.

import { mapHttp, type Mutant, withHeaders } from "../mutant.ts";

const PREFIX = "/v1/ai-sdk/";
const PROBLEMS = "https://agent-stream.dev/problems/";

function isView(request: Request, method: string): boolean {
  return request.method === method && new URL(request.url).pathname.startsWith(PREFIX);
}

/** The response with each SSE event (its text, without the blank line) kept, changed or dropped. */
function mapEvents(response: Response, map: (event: string) => string | undefined): Response {
  if (response.body === null) return response;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        buffer += decoder.decode(bytes, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const mapped = map(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (mapped !== undefined) controller.enqueue(encoder.encode(`${mapped}\n\n`));
        }
      },
      flush(controller) {
        if (buffer !== "") controller.enqueue(encoder.encode(buffer));
      },
    }),
  );
  return new Response(body, { status: response.status, headers: response.headers });
}

/** A problem response of type `from` turned into one of type `to`, of the same status unless given. */
async function retyped(
  response: Response,
  from: string,
  to: string,
  status = response.status,
): Promise<Response> {
  const problem = await response.clone().json().catch(() => undefined);
  if (problem?.type !== PROBLEMS + from) return response;
  return new Response(JSON.stringify({ ...problem, type: PROBLEMS + to, status }), {
    status,
    headers: response.headers,
  });
}

/** Mutants that break one requirement of view-ai-sdk.md each. */
export const viewAiSdkMutants: readonly Mutant[] = [
  {
    name: "stores only the first text part of the user message",
    breaks: "VIEW-AISDK-POST-1",
    wrap: mapHttp(async (request, next) => {
      if (!isView(request, "POST")) return next(request);
      const body = await request.clone().json().catch(() => undefined);
      const last = body?.messages?.at?.(-1);
      if (!Array.isArray(last?.parts)) return next(request);
      last.parts = last.parts.slice(0, 1);
      return next(new Request(request, { body: JSON.stringify(body) }));
    }),
  },
  {
    name: "appends the user message again when the request is repeated",
    breaks: "VIEW-AISDK-POST-1",
    wrap: mapHttp(async (request, next) => {
      if (!isView(request, "POST")) return next(request);
      const body = await request.clone().json().catch(() => undefined);
      const message = body?.messages?.at?.(-1);
      if (typeof body?.id !== "string" || typeof message?.id !== "string") return next(request);
      const url = new URL(request.url);
      const stream = `${url.origin}/v1/stream/${url.pathname.slice(PREFIX.length)}/${
        encodeURIComponent(body.id)
      }`;
      const read = await next(new Request(`${stream}?offset=-1`));
      const events = read.ok ? await read.json() : [];
      const again = events.find((e: Record<string, unknown>) =>
        e.type === "text.message" && e.messageId === message.id
      );
      if (again !== undefined) {
        await next(
          new Request(stream, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify([again]),
          }),
        );
      }
      return next(request);
    }),
  },
  {
    name: "leaves out the header x-vercel-ai-ui-message-stream",
    breaks: "VIEW-AISDK-POST-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return isView(request, "POST") && response.status === 200
        ? withHeaders(response, { "x-vercel-ai-ui-message-stream": null })
        : response;
    }),
  },
  {
    name: "ends the stream of a run without data: [DONE]",
    breaks: "VIEW-AISDK-POST-3",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return isView(request, "POST")
        ? mapEvents(response, (event) => event === "data: [DONE]" ? undefined : event)
        : response;
    }),
  },
  {
    name: "sends a run's stream without its start chunk",
    breaks: "VIEW-AISDK-POST-3",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return isView(request, "POST")
        ? mapEvents(
          response,
          (event) => event.startsWith('data: {"type":"start"') ? undefined : event,
        )
        : response;
    }),
  },
  {
    name: "answers a resumption without an active run with an empty stream",
    breaks: "VIEW-AISDK-GET-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "GET") || response.status !== 204) return response;
      const headers = new Headers(response.headers);
      headers.set("content-type", "text/event-stream");
      headers.set("x-vercel-ai-ui-message-stream", "v1");
      return new Response("data: [DONE]\n\n", { status: 200, headers });
    }),
  },
  {
    name: "resumes the active run without its start chunk",
    breaks: "VIEW-AISDK-GET-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return isView(request, "GET")
        ? mapEvents(
          response,
          (event) => event.startsWith('data: {"type":"start"') ? undefined : event,
        )
        : response;
    }),
  },
  {
    name: "answers a body it cannot serve with invalid-parameter",
    breaks: "VIEW-AISDK-ERR-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return isView(request, "POST") && response.status === 400
        ? await retyped(response, "invalid-json", "invalid-parameter")
        : response;
    }),
  },
  {
    name: "answers a JSON body it cannot serve with invalid-json",
    breaks: "VIEW-AISDK-ERR-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return isView(request, "POST") && response.status === 400
        ? await retyped(response, "invalid-request", "invalid-json")
        : response;
    }),
  },
  {
    name: "refuses a JSON body it cannot serve without listing the defects",
    breaks: "VIEW-AISDK-ERR-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isView(request, "POST") || response.status !== 400) return response;
      const problem = await response.clone().json().catch(() => undefined);
      if (problem?.type !== `${PROBLEMS}invalid-request`) return response;
      delete problem.errors;
      return new Response(JSON.stringify(problem), { status: 400, headers: response.headers });
    }),
  },
  {
    name: "answers a json chat stream 404 not-found",
    breaks: "VIEW-AISDK-ERR-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname.startsWith(PREFIX) && response.status === 409
        ? await retyped(response, "not-agent-stream", "not-found", 404)
        : response;
    }),
  },
  {
    name: "answers a missing chat with not-found",
    breaks: "VIEW-AISDK-ERR-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname.startsWith(PREFIX) && response.status === 404
        ? await retyped(response, "stream-not-found", "not-found")
        : response;
    }),
  },
  {
    name: "resumes a chat at its path without /stream",
    breaks: "VIEW-AISDK-ERR-3",
    wrap: mapHttp((request, next) => {
      const url = new URL(request.url);
      if (!isView(request, "GET") || url.pathname.endsWith("/stream")) return next(request);
      url.pathname += "/stream";
      return next(new Request(url, request));
    }),
  },
];
