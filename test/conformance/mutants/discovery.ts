import { mapHttp, mapWs, withHeaders } from "../mutant.ts";
import type { Mutant } from "../mutant.ts";
import type { AgentStreamServer } from "../../../src/server/agent_stream_server.ts";

type Doc = {
  versions: string[];
  features: string[];
  bindings: Record<string, Record<string, unknown> | undefined>;
  limits: Record<string, number>;
};

/**
 * A variant whose discovery document passes through `edit`, and whose other
 * requests pass through `request` (to drop a header the server would honour).
 */
function discovery(
  edit: (doc: Doc) => void,
  request: (request: Request) => Request = (r) => r,
): (server: AgentStreamServer) => AgentStreamServer {
  return mapHttp(async (original, next) => {
    if (new URL(original.url).pathname !== "/v1" || original.method !== "GET") {
      return await next(request(original));
    }
    const response = await next(original);
    const doc = await response.json() as Doc;
    edit(doc);
    return new Response(JSON.stringify(doc), response);
  });
}

function unlist(doc: Doc, feature: string): void {
  doc.features = doc.features.filter((f) => f !== feature);
}

/** The request without the header `name`. */
function withoutHeader(name: string): (request: Request) => Request {
  return (request) => {
    if (!request.headers.has(name)) return request;
    const headers = new Headers(request.headers);
    headers.delete(name);
    return new Request(request, { headers });
  };
}

/** Broken variants of the reference server, each violating one requirement of discovery.md. */
export const discoveryMutants: readonly Mutant[] = [
  {
    name: "discovery document without CORS header",
    breaks: "DISC-GET-7",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname === "/v1"
        ? withHeaders(response, { "access-control-allow-origin": null })
        : response;
    }),
  },
  {
    name: "HEAD of the discovery document without Cache-Control",
    breaks: "DISC-GET-5",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname === "/v1" && request.method === "HEAD"
        ? withHeaders(response, { "cache-control": null })
        : response;
    }),
  },
  {
    name: "lists version 1.1 without serving it",
    breaks: "DISC-VERSION-1",
    wrap: discovery((doc) => doc.versions.push("1.1")),
  },
  {
    name: "lists versions in descending order",
    breaks: "DISC-VERSION-3",
    wrap: discovery((doc) => doc.versions.unshift("1.1")),
  },
  {
    name: "lists long-poll without its binding",
    breaks: "DISC-BIND-2",
    wrap: discovery((doc) => delete doc.bindings.longPoll),
  },
  {
    name: "websocket binding without agent-stream.v1",
    breaks: "DISC-BIND-5",
    wrap: discovery((doc) => doc.bindings.websocket!.subprotocols = ["agent-stream"]),
  },
  {
    name: "advertises a WebSocket heartbeat other than the welcome's",
    breaks: "DISC-BIND-7",
    wrap: discovery((doc) => doc.bindings.websocket!.heartbeatMs = 15_000),
  },
  {
    name: "implements fork without listing it",
    breaks: "DISC-FEATURE-1",
    wrap: discovery((doc) => unlist(doc, "fork")),
  },
  {
    name: "lists stream-seq but ignores Stream-Seq",
    breaks: "DISC-FEATURE-2",
    wrap: discovery(() => {}, withoutHeader("stream-seq")),
  },
  {
    name: "lists websocket without serving it",
    breaks: "DISC-FEATURE-2",
    create: { websocket: false },
    wrap: discovery((doc) => {
      doc.features.push("websocket");
      doc.bindings.websocket = { path: "/v1/ws", subprotocols: ["agent-stream.v1"] };
    }),
  },
  {
    name: "without stream-seq, ignores Stream-Seq instead of refusing it",
    breaks: "DISC-FEATURE-3",
    wrap: discovery((doc) => unlist(doc, "stream-seq"), withoutHeader("stream-seq")),
  },
  {
    name: "without long-poll, serves live=long-poll as a catch-up read",
    breaks: "DISC-FEATURE-4",
    wrap: discovery(
      (doc) => {
        unlist(doc, "long-poll");
        delete doc.bindings.longPoll;
      },
      (request) => {
        const url = new URL(request.url);
        if (url.searchParams.get("live") !== "long-poll") return request;
        url.searchParams.delete("live");
        return new Request(url, request);
      },
    ),
  },
  {
    name: "without stream-seq, ignores streamSeq in append frames",
    breaks: "DISC-FEATURE-5",
    wrap: (server) =>
      discovery((doc) => unlist(doc, "stream-seq"))(
        mapWs({
          incoming(data) {
            if (typeof data !== "string" || !data.includes('"append"')) return [data];
            const frame = JSON.parse(data);
            delete frame.streamSeq;
            return [JSON.stringify(frame)];
          },
        })(server),
      ),
  },
  {
    name: "advertises maxMessageBytes below what it enforces",
    breaks: "DISC-LIMIT-1",
    wrap: discovery((doc) => doc.limits.maxMessageBytes = 2_048),
  },
  {
    name: "advertises maxBodyBytes below what it enforces",
    breaks: "DISC-LIMIT-2",
    wrap: discovery((doc) => doc.limits.maxBodyBytes = 32_768),
  },
  {
    name: "advertises maxMessageBytes above what it enforces",
    breaks: "DISC-LIMIT-3",
    wrap: discovery((doc) => doc.limits.maxMessageBytes = 8_192),
  },
  {
    name: "advertises maxReadMessages below what it returns",
    breaks: "DISC-LIMIT-4",
    wrap: discovery((doc) => doc.limits.maxReadMessages = 10),
  },
  {
    name: "advertises maxStreamPathBytes below what it enforces",
    breaks: "DISC-LIMIT-5",
    wrap: discovery((doc) => doc.limits.maxStreamPathBytes = 128),
  },
  {
    name: "advertises maxStreams without enforcing it",
    breaks: "DISC-LIMIT-6",
    wrap: discovery((doc) => doc.limits.maxStreams = 20),
  },
  {
    name: "advertises maxSubscribersPerStream below what it enforces",
    breaks: "DISC-LIMIT-7",
    wrap: discovery((doc) => doc.limits.maxSubscribersPerStream = 8),
  },
  {
    name: "advertises maxSubscribers without enforcing it",
    breaks: "DISC-LIMIT-8",
    wrap: discovery((doc) => doc.limits.maxSubscribers = 8),
  },
  {
    name: "discovery document cacheable for an hour",
    breaks: "DISC-CACHE-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname === "/v1"
        ? withHeaders(response, { "cache-control": "public, max-age=3600" })
        : response;
    }),
  },
  {
    name: "discovery document misses required members",
    breaks: "DISC-GET-2",
    wrap: mapHttp(async (request, next) => {
      if (new URL(request.url).pathname !== "/v1") return next(request);
      const document = await (await next(request)).json();
      delete document.limits;
      return Response.json(document);
    }),
  },
];
