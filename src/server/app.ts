/**
 * The reference server's HTTP core: one hono app routing spec/v1/http.md and
 * discovery.md over web-standard `Request` and `Response`, with no runtime
 * of its own; adapters (`Deno.serve`, `Bun.serve`, `node:http`) call
 * `fetch`, `checkWsUpgrade` and `openWs`.
 *
 * @module
 */

import { Hono } from "hono";
import type { AgentStreamServer, WsConnection, WsTransport } from "./agent_stream_server.ts";
import type { ServerOptions } from "./server_options.ts";
import { createContext } from "./_context.ts";
import { errorResponse, problemResponse } from "./_problem.ts";
import { applyBrowserHeaders, preflightResponse } from "./_cors.ts";
import { DISCOVERY_PATH, discoveryDocument, discoveryResponse, WS_PATH } from "./_discovery.ts";
import { WS_SUBPROTOCOL } from "../protocol/ws_frame.ts";
import { DEFAULT_CONTENT_TYPES, type HttpEnv } from "./_http_env.ts";
import { handleAppend } from "./_http_append.ts";
import { handleCreate } from "./_http_create.ts";
import { handleDelete } from "./_http_delete.ts";
import { handleHead } from "./_http_head.ts";
import { decodeStreamPath, STREAM_PREFIX } from "./_http_path.ts";
import { handleRead } from "./_http_read.ts";
import { mediaTypeOf } from "./_http_request.ts";
import { StreamCount } from "./_http_stream_count.ts";
import { negotiateVersion, SUPPORTED_VERSIONS } from "./_http_version.ts";
import { WsSession } from "./ws_session.ts";
import type { ServerRoute } from "./server_route.ts";

/**
 * Options of {@linkcode createServer}: the server options, plus which
 * optional parts of the protocol this server offers.
 *
 * @example
 * ```ts
 * import { type CreateServerOptions } from "@agent-stream/agent-stream/server";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const options: CreateServerOptions = { store: new MemoryStore(), websocket: false };
 * ```
 */
export interface CreateServerOptions extends ServerOptions {
  /** Offer the WebSocket binding at `/v1/ws` (default true). */
  readonly websocket?: boolean;
  /**
   * Media types a create accepts (HTTP-CREATE-7); `application/json` is
   * always among them, every other type is served as a byte stream
   * (spec/v1/log.md §11). Default: JSON, `application/octet-stream`,
   * `text/plain`, `application/ndjson`, `application/x-protobuf`, `image/png`.
   */
  readonly contentTypes?: readonly string[];
  /** Endpoints served beside the bindings, such as views of agent streams. */
  readonly routes?: readonly ServerRoute[];
}

const STREAM_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"] as const;
const DISCOVERY_METHODS = ["GET", "HEAD", "OPTIONS"] as const;
const SHUTDOWN_RETRY_MS = 1000;

/**
 * Creates a reference server over a store. The server answers the HTTP
 * binding (create, append, read, long-poll, SSE, metadata, delete), the
 * discovery document, CORS preflights, and hands WebSocket connections to
 * sessions. It owns the store from then on: `shutdown` disposes it.
 *
 * @example
 * ```ts
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const server = createServer({ store: new MemoryStore() });
 * await server.fetch(new Request("http://localhost/v1/stream/chats/1", { method: "PUT" }));
 * await server.fetch(new Request("http://localhost/v1/stream/chats/1", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: '{"type":"run.started"}',
 * }));
 * const read = await server.fetch(new Request("http://localhost/v1/stream/chats/1"));
 * console.log(await read.text()); // [{"type":"run.started"}]
 * await server.shutdown();
 * ```
 */
export function createServer(options: CreateServerOptions): AgentStreamServer {
  const shutdownController = new AbortController();
  const ctx = createContext(options, shutdownController.signal);
  const websocket = options.websocket ?? true;
  const contentTypes = [
    ...new Set(["application/json", ...(options.contentTypes ?? DEFAULT_CONTENT_TYPES)]
      .map(mediaTypeOf)),
  ];
  const env: HttpEnv = {
    ctx,
    streams: new StreamCount(ctx.store, ctx.limits.maxStreams),
    contentTypes,
  };
  const routes = options.routes ?? [];
  const discovery = JSON.stringify(
    discoveryDocument(ctx, websocket, contentTypes, routes.flatMap((r) => r.feature ?? [])),
  );
  const inFlight = new Set<Promise<Response>>();
  let stopping: Promise<void> | undefined;

  function checkWsUpgrade(request: Request): "upgrade" | Response | undefined {
    if (new URL(request.url).pathname !== WS_PATH) return undefined;
    return wsRefusal(request) ?? "upgrade";
  }

  function wsRefusal(request: Request): Response | undefined {
    // WS-HANDSHAKE-6.
    if (!websocket) return finish(problemResponse("not-found"), request);
    if (stopping) return finish(unavailable(), request);
    // WS-HANDSHAKE-5; browsers never preflight a WebSocket, so OPTIONS is refused too.
    if (request.method !== "GET") {
      return finish(methodNotAllowed(["GET"]), request);
    }
    // WS-HANDSHAKE-4, checked here so that every runtime refuses alike.
    const defect = handshakeDefect(request.headers);
    if (defect !== undefined) {
      return finish(
        problemResponse("invalid-header", {
          detail: `Not a WebSocket opening handshake: ${defect}`,
          // RFC 6455 §4.4: a refusal names the version the server speaks.
          headers: { "sec-websocket-version": "13" },
        }),
        request,
      );
    }
    // WS-HANDSHAKE-3.
    if (!tokens(request.headers.get("sec-websocket-protocol"), false).includes(WS_SUBPROTOCOL)) {
      return finish(
        problemResponse("unsupported-version", {
          detail: `The handshake does not offer the subprotocol ${WS_SUBPROTOCOL}`,
          members: { supported: [...SUPPORTED_VERSIONS] },
        }),
        request,
      );
    }
    return undefined;
  }

  /** The stream resource: every method of http.md on `/v1/stream/{path}`. */
  async function routeStream(request: Request, url: URL): Promise<Response> {
    // hono's `/v1/stream/*` also matches `/v1/stream` itself, which names no stream resource.
    if (!url.pathname.startsWith(STREAM_PREFIX)) return notFound(url);
    const method = request.method;
    if (method === "OPTIONS") return preflightResponse(request, STREAM_METHODS);
    if (!(STREAM_METHODS as readonly string[]).includes(method)) {
      return methodNotAllowed(STREAM_METHODS);
    }
    const version = negotiateVersion(request.headers);
    if (!version.ok) return version.response;
    // The raw pathname, not the router's decoded one: HTTP-PATH-1 judges the encoding too.
    const decoded = decodeStreamPath(
      url.pathname.slice(STREAM_PREFIX.length),
      ctx.limits.maxStreamPathBytes,
    );
    if (!decoded.ok) return problemResponse("invalid-stream-name", { detail: decoded.detail });
    const path = decoded.path;
    switch (method) {
      case "PUT":
        return await handleCreate(env, request, path);
      case "POST":
        return await handleAppend(env, request, path);
      case "GET":
        return await handleRead(env, request, path, url);
      case "HEAD":
        return await handleHead(env, path);
      default:
        return await handleDelete(env, path);
    }
  }

  /** An extension route: the checks every resource shares, then its handler. */
  async function routeExtension(route: ServerRoute, request: Request, url: URL): Promise<Response> {
    if (!url.pathname.startsWith(route.prefix)) return notFound(url);
    if (request.method === "OPTIONS") return preflightResponse(request, route.methods);
    if (!route.methods.includes(request.method)) return methodNotAllowed(route.methods);
    const version = negotiateVersion(request.headers);
    if (!version.ok) return version.response;
    const decoded = decodeStreamPath(
      url.pathname.slice(route.prefix.length),
      ctx.limits.maxStreamPathBytes,
    );
    if (!decoded.ok) return problemResponse("invalid-stream-name", { detail: decoded.detail });
    return await route.handle(request, {
      store: ctx.store,
      path: decoded.path,
      limits: ctx.limits,
      timing: ctx.timing,
      shutdown: ctx.shutdown,
    });
  }

  // One hono app routes the resources of spec/v1; the handlers stay plain
  // Request → Response functions, so the app adds routing and nothing else.
  const app = new Hono();
  app.all(DISCOVERY_PATH, (c) => {
    const method = c.req.method;
    // DISC-GET-4: readable whatever version the client speaks.
    if (method === "GET" || method === "HEAD") {
      return discoveryResponse(discovery, method === "HEAD");
    }
    if (method === "OPTIONS") return preflightResponse(c.req.raw, DISCOVERY_METHODS);
    return methodNotAllowed(DISCOVERY_METHODS);
  });
  app.all(WS_PATH, (c) =>
    // Reached only when the adapter did not upgrade a valid handshake.
    wsRefusal(c.req.raw) ??
      problemResponse("invalid-header", {
        detail: "This WebSocket handshake was not upgraded by the server's runtime adapter",
      }));
  app.all(`${STREAM_PREFIX}*`, (c) => routeStream(c.req.raw, new URL(c.req.url)));
  for (const route of routes) {
    app.all(`${route.prefix}*`, (c) => routeExtension(route, c.req.raw, new URL(c.req.url)));
  }
  app.all("*", (c) => notFound(new URL(c.req.url)));
  app.onError((error) => errorResponse(error));

  async function serve(request: Request): Promise<Response> {
    try {
      new URL(request.url);
    } catch {
      return finish(problemResponse("not-found"), request);
    }
    if (stopping) return finish(unavailable(), request);
    let response: Response;
    try {
      response = await app.fetch(request);
    } catch (error) {
      response = errorResponse(error);
    }
    return finish(response, request);
  }

  return {
    fetch(request: Request): Promise<Response> {
      const pending = serve(request);
      inFlight.add(pending);
      pending.finally(() => inFlight.delete(pending)).catch(() => {});
      return pending;
    },
    checkWsUpgrade,
    openWs(transport: WsTransport): WsConnection {
      return new WsSession(ctx, transport);
    },
    shutdown(): Promise<void> {
      stopping ??= (async () => {
        shutdownController.abort();
        await Promise.allSettled([...inFlight]);
        await ctx.store.dispose();
      })();
      return stopping;
    },
  };
}

/**
 * Adds what every response carries: the served version (HTTP-HDR-1), the
 * browser headers (HTTP-CORS-1/2). A HEAD answer loses its body (ERR-HTTP-1
 * exempts it from the problem body).
 */
function finish(response: Response, request: Request): Response {
  const version = negotiateVersion(request.headers);
  const versionHeader = version.ok ? version.version : SUPPORTED_VERSIONS.at(-1)!;
  const body = response.body;
  if (request.method !== "HEAD" || body === null) {
    // The handlers' own responses have mutable headers: set them in place
    // rather than copy every header into a new Response on every request.
    try {
      response.headers.set("agent-stream-version", versionHeader);
      applyBrowserHeaders(response.headers);
      return response;
    } catch {
      // Immutable headers (a response passed through from fetch): copy below.
    }
  }
  const headers = new Headers(response.headers);
  headers.set("agent-stream-version", versionHeader);
  applyBrowserHeaders(headers);
  if (request.method === "HEAD" && body !== null) body.cancel().catch(() => {});
  return new Response(request.method === "HEAD" ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function methodNotAllowed(allow: readonly string[]): Response {
  return problemResponse("method-not-allowed", {
    detail: `Allowed methods: ${allow.join(", ")}`,
    headers: { allow: allow.join(", ") },
  });
}

function unavailable(): Response {
  return problemResponse("unavailable", {
    detail: "The server is shutting down",
    members: { retryAfterMs: SHUTDOWN_RETRY_MS },
  });
}

/** What makes a request other than a valid opening handshake (RFC 6455 §4.2.1), if anything. */
function handshakeDefect(headers: Headers): string | undefined {
  if (!tokens(headers.get("upgrade")).includes("websocket")) return "Upgrade is not websocket";
  if (!tokens(headers.get("connection")).includes("upgrade")) return "Connection lacks upgrade";
  // The key is 16 random bytes in base64.
  if (!/^[A-Za-z0-9+/]{22}==$/.test(headers.get("sec-websocket-key")?.trim() ?? "")) {
    return "Sec-WebSocket-Key is not 16 bytes in base64";
  }
  if (headers.get("sec-websocket-version")?.trim() !== "13") {
    return "Sec-WebSocket-Version is not 13";
  }
  return undefined;
}

/** The tokens of a comma-separated header; subprotocol names keep their case (RFC 6455 §4.1). */
function tokens(value: string | null, lowerCase = true): string[] {
  if (value === null) return [];
  return value.split(",").map((t) => (lowerCase ? t.trim().toLowerCase() : t.trim()));
}

function notFound(url: URL): Response {
  return problemResponse("not-found", {
    detail: `Nothing is served at ${url.pathname.slice(0, 200)}`,
  });
}
