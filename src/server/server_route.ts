import type { EventStore } from "../stores/event_store.ts";
import type { ServerLimits, ServerTiming } from "./server_options.ts";

/**
 * What an extension route's handler gets besides the request: the server's
 * store, its limits and timers, the stream path the request names, and the
 * signal that fires when the server shuts down (end long responses then).
 *
 * @example
 * ```ts
 * import type { ServerRouteEnv } from "@agent-stream/agent-stream/server";
 * function describe(env: ServerRouteEnv): string {
 *   return `${env.path} (heartbeat every ${env.timing.heartbeatMs} ms)`;
 * }
 * ```
 */
export interface ServerRouteEnv {
  /** The server's store. */
  readonly store: EventStore;
  /** The stream path after the route's prefix, percent-decoded and valid (spec/v1/http.md §2). */
  readonly path: string;
  /** The server's limits. */
  readonly limits: ServerLimits;
  /** The server's timers (heartbeats, long-poll timeout, …). */
  readonly timing: ServerTiming;
  /** Fires when the server shuts down. */
  readonly shutdown: AbortSignal;
}

/**
 * An endpoint a server serves beside the bindings of spec/v1, such as a view
 * of agent streams: every request whose path is `prefix` followed by a
 * stream path goes to `handle`. The server answers OPTIONS, refuses other
 * methods than `methods` with 405, negotiates the protocol version, decodes
 * the stream path and adds the headers every response has; `feature`, when
 * given, is listed in the discovery document.
 *
 * @example
 * ```ts
 * import type { ServerRoute } from "@agent-stream/agent-stream/server";
 * const echo: ServerRoute = {
 *   prefix: "/v1/echo/",
 *   methods: ["GET"],
 *   handle: (_request, env) => Promise.resolve(new Response(env.path)),
 * };
 * ```
 */
export interface ServerRoute {
  /** The path prefix, starting and ending with `/`, e.g. `"/v1/ag-ui/"`. */
  readonly prefix: string;
  /** The methods served, e.g. `["GET", "POST"]`. */
  readonly methods: readonly string[];
  /** A feature token for the discovery document's `features`. */
  readonly feature?: string;
  /** Answers a request. A thrown error becomes a 500 problem. */
  handle(request: Request, env: ServerRouteEnv): Promise<Response>;
}
