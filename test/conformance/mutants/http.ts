import { mapHttp, withHeaders, withStatus } from "../mutant.ts";
import type { Mutant } from "../mutant.ts";

const BASE = "https://agent-stream.dev/problems/";
const PREFIX = "/v1/stream/";

function problem(slug: string, status: number, headers: HeadersInit = {}): Response {
  const copy = new Headers(headers);
  copy.set("content-type", "application/problem+json");
  return new Response(JSON.stringify({ type: BASE + slug, title: slug, status }), {
    status,
    headers: copy,
  });
}

async function slugOf(response: Response): Promise<string | undefined> {
  if (!(response.headers.get("content-type") ?? "").startsWith("application/problem+json")) {
    return undefined;
  }
  const type = (await response.clone().json() as { type?: string }).type ?? "";
  return type.startsWith(BASE) ? type.slice(BASE.length) : undefined;
}

function isLongPoll(request: Request): boolean {
  return new URL(request.url).searchParams.get("live") === "long-poll";
}

/** The stream path of a request with `.` and `..` segments resolved, as a file system would. */
function resolveDots(request: Request): Request {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(PREFIX)) return request;
  let segments: string[];
  try {
    segments = decodeURIComponent(url.pathname.slice(PREFIX.length)).split("/");
  } catch {
    return request;
  }
  if (!segments.some((s) => s === "." || s === "..")) return request;
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment === "..") kept.pop();
    else if (segment !== ".") kept.push(segment);
  }
  url.pathname = PREFIX + kept.map(encodeURIComponent).join("/");
  return new Request(url, request);
}

function bodyTag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `"${(h >>> 0).toString(36)}-${text.length}"`;
}

/** Mutants breaking requirements of http.md. */
export const httpMutants: readonly Mutant[] = [
  {
    name: "create answers 200 instead of 201",
    breaks: "HTTP-CREATE-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return request.method === "PUT" && response.status === 201
        ? withStatus(response, 200)
        : response;
    }),
  },
  {
    name: "append answers without Stream-Next-Offset",
    breaks: "HTTP-APPEND-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return request.method === "POST" && response.ok
        ? withHeaders(response, { "stream-next-offset": null })
        : response;
    }),
  },
  {
    name: "long-poll timeout answers 200 with an empty array",
    breaks: "HTTP-POLL-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (!isLongPoll(request) || response.status !== 204) return response;
      if (response.headers.get("stream-closed") === "true") return response;
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      headers.set("content-type", "application/json");
      return new Response("[]", { status: 200, headers });
    }),
  },
  {
    name: "reads ignore limit",
    breaks: "HTTP-READ-4",
    wrap: mapHttp((request, next) => {
      const url = new URL(request.url);
      if (request.method !== "GET" || !url.searchParams.has("limit")) return next(request);
      url.searchParams.delete("limit");
      return next(new Request(url, request));
    }),
  },
  {
    name: "dot segments resolved instead of refused",
    breaks: "HTTP-PATH-1",
    wrap: mapHttp((request, next) => next(resolveDots(request))),
  },
  {
    name: "malformed fork offset reported as invalid-header",
    breaks: "HTTP-FORK-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (request.method !== "PUT" || (await slugOf(response)) !== "invalid-offset") {
        return response;
      }
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return problem("invalid-header", 400, headers);
    }),
  },
  {
    name: "ETag of the body only, blind to the closure",
    breaks: "HTTP-READ-8",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "GET" || new URL(request.url).searchParams.has("live")) {
        return next(request);
      }
      const headers = new Headers(request.headers);
      const condition = headers.get("if-none-match");
      headers.delete("if-none-match");
      const response = await next(new Request(request, { headers }));
      if (response.status !== 200) return response;
      const text = await response.text();
      const tag = bodyTag(text);
      const out = new Headers(response.headers);
      out.delete("content-length");
      out.set("etag", tag);
      if (condition === tag) return new Response(null, { status: 304, headers: out });
      return new Response(text, { status: 200, headers: out });
    }),
  },
  {
    name: "HEAD omits Stream-Closed",
    breaks: "HTTP-HEAD-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return request.method === "HEAD"
        ? withHeaders(response, { "stream-closed": null })
        : response;
    }),
  },
  {
    name: "soft-deleted stream answers 404 stream-not-found",
    breaks: "HTTP-DELETE-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return response.status === 410 ? problem("stream-not-found", 404) : response;
    }),
  },
  {
    name: "content type judged before closure",
    breaks: "HTTP-APPEND-4",
    wrap: mapHttp(async (request, next) => {
      const type = request.headers.get("content-type");
      if (request.method !== "POST" || type === null) return next(request);
      const head = await next(new Request(request.url, { method: "HEAD" }));
      const streamType = head.headers.get("content-type");
      const media = (t: string) => t.split(";")[0].trim().toLowerCase();
      if (head.status === 200 && streamType && media(streamType) !== media(type)) {
        await request.body?.cancel();
        return problem("content-type-mismatch", 409);
      }
      return next(request);
    }),
  },
  {
    name: "advertises a smaller maxMessageBytes than it enforces",
    breaks: "HTTP-APPEND-7",
    limits: { maxMessageBytes: 16_384 },
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (new URL(request.url).pathname !== "/v1" || request.method !== "GET") return response;
      const document = await response.json();
      document.limits.maxMessageBytes = 4_096;
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(JSON.stringify(document), { status: response.status, headers });
    }),
  },
  {
    name: "error answers without nosniff",
    breaks: "HTTP-CORS-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return response.status >= 400
        ? withHeaders(response, { "x-content-type-options": null })
        : response;
    }),
  },
];
