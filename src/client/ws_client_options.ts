/**
 * Options of `WsClient`, and the WebSocket it is given.
 *
 * @module
 */

import type { GoodbyeFrame } from "../protocol/ws_server_frame.ts";
import type { Problem } from "../protocol/problem.ts";
import type { BackoffOptions } from "./backoff.ts";
import type { StreamError } from "./stream_error.ts";

/**
 * The part of the standard `WebSocket` the client uses; tests and other
 * runtimes can supply their own.
 *
 * @example
 * ```ts
 * import type { WebSocketLike } from "@agent-stream/agent-stream/client";
 * const socket: WebSocketLike = new WebSocket("ws://localhost:8787/v1/ws", "agent-stream.v1");
 * ```
 */
export interface WebSocketLike {
  /** The subprotocol the server selected. */
  readonly protocol: string;
  /** Sends one text frame. */
  send(data: string): void;
  /** Closes the connection. */
  close(code?: number, reason?: string): void;
  /** Called when the connection is open. */
  onopen: ((event: Event) => void) | null;
  /** Called for every message. */
  onmessage: ((event: MessageEvent) => void) | null;
  /** Called once the connection is closed. */
  onclose: ((event: CloseEvent) => void) | null;
  /** Called on a connection error; `onclose` follows. */
  onerror: ((event: Event) => void) | null;
}

/**
 * A constructor of {@linkcode WebSocketLike} sockets, such as the global
 * `WebSocket`.
 *
 * @example
 * ```ts
 * import type { WebSocketConstructor } from "@agent-stream/agent-stream/client";
 * const ctor: WebSocketConstructor = WebSocket;
 * ```
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

/**
 * Connection state of a `WsClient`.
 *
 * @example
 * ```ts
 * import type { WsStatus } from "@agent-stream/agent-stream/client";
 * const live = (status: WsStatus) => status === "open";
 * ```
 */
export type WsStatus = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/**
 * Options of a `WsClient`.
 *
 * @example
 * ```ts
 * import type { WsClientOptions } from "@agent-stream/agent-stream/client";
 * const options: WsClientOptions = {
 *   baseUrl: "https://streams.example.com",
 *   client: { name: "my-app", version: "1.2.0" },
 *   onStatusChange: (status) => console.log(status),
 * };
 * ```
 */
export interface WsClientOptions {
  /** The WebSocket endpoint (`ws:` or `wss:`). */
  readonly url?: string | URL;
  /**
   * Or the server's base URL: the endpoint, the features and the limits then
   * come from the discovery document at `{baseUrl}/v1` (DISC-BIND-8), or, for
   * a server without one, the endpoint is `{baseUrl}/v1/ws` as `ws:`/`wss:`.
   */
  readonly baseUrl?: string | URL;
  /** Whether to read the discovery document (with `baseUrl`). Default `true`. */
  readonly discovery?: boolean;
  /** The fetch for the discovery document. Default: global `fetch`. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** The WebSocket constructor. Default: the global `WebSocket`. */
  readonly WebSocket?: WebSocketConstructor;
  /** Reconnection timing. */
  readonly backoff?: BackoffOptions;
  /** Heartbeat interval; default `welcome.heartbeatMs`. Silence for twice as long is a dead connection. */
  readonly heartbeatMs?: number;
  /** Client software named in `hello`. */
  readonly client?: { readonly name?: string; readonly version?: string };
  /** The connection changed state. */
  readonly onStatusChange?: (status: WsStatus) => void;
  /** The connection was lost; the client connects again after `delayMs`. */
  readonly onReconnecting?: (
    attempt: number,
    maxAttempts: number,
    delayMs: number,
    error: StreamError,
  ) => void;
  /** A connection was established again. */
  readonly onReconnected?: () => void;
  /** Reconnection gave up (or the server said not to come back); everything fails with `error`. */
  readonly onReconnectFailed?: (error: StreamError) => void;
  /** The server announced it is closing the connection. */
  readonly onGoodbye?: (frame: GoodbyeFrame) => void;
  /** A problem about the connection itself (an `error` frame without `req` or `sub`). */
  readonly onError?: (problem: Problem) => void;
}
