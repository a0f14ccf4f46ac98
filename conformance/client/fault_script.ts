/**
 * Fault scripts: what a client check tells the scripted server to do to the
 * client under test. A script sees every HTTP request, every SSE event the
 * server is about to write and every WebSocket frame in both directions, and
 * answers with an action: pass it on (the default), answer instead, cut the
 * connection (in the middle of an event if it likes), stall, inject frames.
 *
 * @module
 */

/**
 * One HTTP request of the client, as the scripted server saw it.
 *
 * @example
 * ```ts
 * import type { HttpCall } from "@agent-stream/agent-stream/conformance";
 * const isSse = (call: HttpCall) => call.live === "sse";
 * ```
 */
export interface HttpCall {
  /** When it arrived (`Date.now()`). */
  readonly at: number;
  /** The method. */
  readonly method: string;
  /** The path as requested, still percent-encoded. */
  readonly pathname: string;
  /** What it asked for. */
  readonly kind: "discovery" | "stream" | "websocket" | "other";
  /** The stream's path, for a stream request. */
  readonly stream?: string;
  /** The query parameters. */
  readonly query: URLSearchParams;
  /** The request headers. */
  readonly headers: Headers;
  /** The body, for requests that have one. */
  readonly body?: string;
  /** The live mode a read asked for. */
  readonly live?: string;
  /** Per stream: how many requests for it came before this one. */
  readonly index: number;
  /** The status the client got, once answered. */
  status?: number;
  /** When it was answered. */
  answeredAt?: number;
}

/**
 * What the server does with a request: pass it on (`undefined`), or answer
 * with `respond` instead.
 *
 * @example
 * ```ts
 * import type { HttpAction } from "@agent-stream/agent-stream/conformance";
 * const refuse: HttpAction = { respond: new Response(null, { status: 503 }) };
 * ```
 */
export type HttpAction = undefined | { readonly respond: Response };

/**
 * One SSE event (or comment, or `retry:` field) the server is about to
 * write, with the blank line that ends it.
 *
 * @example
 * ```ts
 * import type { SseUnit } from "@agent-stream/agent-stream/conformance";
 * const isData = (unit: SseUnit) => unit.kind === "data";
 * ```
 */
export interface SseUnit {
  /** The exact text, blank line included. */
  readonly text: string;
  /** What it is. */
  readonly kind: "data" | "control" | "comment" | "retry" | "other";
  /** Its `id:` field as an offset number, when it has a valid one. */
  readonly id?: number;
  /** A control event's data. */
  readonly control?: Record<string, unknown>;
}

/**
 * What to do with an SSE unit: write it (`undefined`); write `before` and/or
 * `after` around it; write `replace` instead; end the response after the
 * first `keep` characters of it (`cut`: `keep` 0 cuts before it, its length
 * after it); or `stall`: write nothing more, keep the connection open.
 *
 * @example
 * ```ts
 * import type { SseAction } from "@agent-stream/agent-stream/conformance";
 * const midEvent: SseAction = { cut: true, keep: 12 };
 * ```
 */
export type SseAction =
  | undefined
  | { readonly before?: string; readonly after?: string; readonly replace?: string }
  | { readonly cut: true; readonly keep?: number }
  | { readonly stall: true };

/**
 * One SSE response the server writes, as scripts see it.
 *
 * @example
 * ```ts
 * import type { SseResponse } from "@agent-stream/agent-stream/conformance";
 * const first = (response: SseResponse) => response.connection === 0;
 * ```
 */
export interface SseResponse {
  /** The stream. */
  readonly stream: string;
  /** How many SSE responses for this stream came before it. */
  readonly connection: number;
  /** Data events written on it so far. */
  readonly dataEvents: number;
}

/**
 * A WebSocket frame as JSON (frames that are not JSON objects are passed on untouched).
 *
 * @example
 * ```ts
 * import type { WsFrame } from "@agent-stream/agent-stream/conformance";
 * const frame: WsFrame = { type: "ping", nonce: "n-1" };
 * ```
 */
export type WsFrame = Record<string, unknown> & { readonly type?: unknown };

/**
 * What to do with a frame: pass it on (`undefined`), `drop` it, send `frames`
 * instead (the original is not sent unless listed), close the connection
 * (after sending `before`), or `stall`: pass nothing more to the client.
 *
 * @example
 * ```ts
 * import type { WsAction } from "@agent-stream/agent-stream/conformance";
 * const restart: WsAction = {
 *   close: { code: 1012, reason: "restart" },
 *   before: [{ type: "goodbye", reconnect: true, retryAfterMs: 300 }],
 * };
 * ```
 */
export type WsAction =
  | undefined
  | "drop"
  | "stall"
  | { readonly frames: readonly WsFrame[] }
  | {
    readonly close: { readonly code: number; readonly reason?: string };
    readonly before?: readonly WsFrame[];
  };

/**
 * One WebSocket connection, as scripts see and drive it.
 *
 * @example
 * ```ts ignore
 * import type { WsLink } from "@agent-stream/agent-stream/conformance";
 * declare const link: WsLink;
 * link.toClient({ type: "ping", nonce: "x" });
 * ```
 */
export interface WsLink {
  /** How many connections came before this one (in the run). */
  readonly index: number;
  /** Subscription id → stream path, from the client's `subscribe` frames. */
  readonly subscriptions: ReadonlyMap<string, string>;
  /** Sends a frame to the client. */
  toClient(frame: WsFrame): void;
  /** Hands a frame to the server as if the client had sent it. */
  toServer(frame: WsFrame): void;
  /** Closes the connection with a close code. */
  close(code: number, reason?: string): void;
  /** Passes nothing more to the client (answering the server's pings for it). */
  stall(): void;
}

/**
 * A fault script. Every hook is optional; without one, the server is the
 * reference server, untouched.
 *
 * @example
 * ```ts
 * import type { FaultScript } from "@agent-stream/agent-stream/conformance";
 * let refused = false;
 * const script: FaultScript = {
 *   http(call) {
 *     if (call.kind !== "stream" || refused) return undefined;
 *     refused = true;
 *     return { respond: new Response(null, { status: 503, headers: { "retry-after": "1" } }) };
 *   },
 * };
 * ```
 */
export interface FaultScript {
  /** Edits the discovery document (a copy); its prefix and paths are then served. */
  discovery?(document: Record<string, unknown>): Record<string, unknown>;
  /** Extra headers of the discovery response (e.g. `cache-control`). */
  readonly discoveryHeaders?: Readonly<Record<string, string>>;
  /** Sees every request; may answer it instead of the server. */
  http?(call: HttpCall): HttpAction | Promise<HttpAction>;
  /** Sees every response to a stream request before the client does; may replace it. */
  response?(call: HttpCall, response: Response): Response | undefined;
  /** Sees every SSE unit before it is written. */
  sse?(unit: SseUnit, response: SseResponse): SseAction;
  /** Sees every frame the server sends. */
  wsOut?(frame: WsFrame, link: WsLink): WsAction;
  /** Sees every frame the client sends (`drop` keeps it from the server). */
  wsIn?(frame: WsFrame, link: WsLink): WsAction;
}

/**
 * One script made of several: discovery edits and response rewrites apply
 * in turn; for every other hook the first script that acts decides.
 *
 * @example
 * ```ts
 * import { combineScripts } from "@agent-stream/agent-stream/conformance";
 * const script = combineScripts(
 *   { discoveryHeaders: { "cache-control": "max-age=1" } },
 *   { sse: (unit) => unit.kind === "comment" ? { stall: true } : undefined },
 * );
 * ```
 */
export function combineScripts(...scripts: readonly FaultScript[]): FaultScript {
  return {
    discovery: (document) =>
      scripts.reduce((doc, script) => script.discovery ? script.discovery(doc) : doc, document),
    discoveryHeaders: Object.assign({}, ...scripts.map((script) => script.discoveryHeaders ?? {})),
    async http(call) {
      for (const script of scripts) {
        const action = await script.http?.(call);
        if (action !== undefined) return action;
      }
      return undefined;
    },
    response: (call, response) =>
      scripts.reduce<Response | undefined>(
        (current, script) => script.response?.(call, current ?? response) ?? current,
        undefined,
      ),
    sse(unit, response) {
      for (const script of scripts) {
        const action = script.sse?.(unit, response);
        if (action !== undefined) return action;
      }
      return undefined;
    },
    wsOut(frame, link) {
      for (const script of scripts) {
        const action = script.wsOut?.(frame, link);
        if (action !== undefined) return action;
      }
      return undefined;
    },
    wsIn(frame, link) {
      for (const script of scripts) {
        const action = script.wsIn?.(frame, link);
        if (action !== undefined) return action;
      }
      return undefined;
    },
  };
}
