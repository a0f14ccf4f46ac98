/**
 * The shape of a running reference server, as runtime adapters see it: a
 * fetch handler for HTTP, and WebSocket sessions the adapter feeds with the
 * frames of connections it upgraded.
 *
 * @module
 */

/**
 * How a WebSocket session talks back: the adapter's socket, reduced to what
 * the protocol needs.
 *
 * @example
 * ```ts
 * import type { WsTransport } from "@agent-stream/agent-stream/server";
 * function transportOf(socket: WebSocket): WsTransport {
 *   return {
 *     send: (text) => socket.send(text),
 *     close: (code, reason) => socket.close(code, reason),
 *     get bufferedAmount() {
 *       return socket.bufferedAmount;
 *     },
 *   };
 * }
 * ```
 */
export interface WsTransport {
  /** Sends one text frame. */
  send(text: string): void;
  /** Closes the connection with a close code and reason. */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet sent, where the runtime tells (flow control). */
  readonly bufferedAmount?: number;
}

/**
 * One upgraded WebSocket connection, driven by the adapter.
 *
 * @example
 * ```ts
 * import type { WsConnection } from "@agent-stream/agent-stream/server";
 * function wire(socket: WebSocket, connection: WsConnection): void {
 *   socket.onmessage = (event) => connection.receive(event.data);
 *   socket.onclose = () => connection.closed();
 * }
 * ```
 */
export interface WsConnection {
  /** A frame arrived (text, or binary as ArrayBuffer/Uint8Array). */
  receive(data: string | ArrayBuffer | Uint8Array): void;
  /** The connection closed, from either side; ends its subscriptions. */
  closed(): void;
}

/**
 * A reference server: what `createServer` returns and runtime adapters serve.
 *
 * @example
 * ```ts
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const server = createServer({ store: new MemoryStore() });
 * const response = await server.fetch(new Request("http://localhost/v1"));
 * console.log(response.status); // 200
 * await server.shutdown();
 * ```
 */
export interface AgentStreamServer {
  /** Answers every HTTP request of the protocol (but WebSocket upgrades). */
  fetch(request: Request): Promise<Response>;
  /**
   * Looks at a request for the WebSocket endpoint: `"upgrade"` when the
   * adapter should upgrade it (selecting the subprotocol `agent-stream.v1`),
   * a refusal response (400, 404, 405) to send instead, or `undefined` when
   * the request is not for the WebSocket endpoint at all.
   */
  checkWsUpgrade(request: Request): "upgrade" | Response | undefined;
  /** Starts the protocol on a connection the adapter upgraded. */
  openWs(transport: WsTransport): WsConnection;
  /**
   * Stops accepting work, ends live readers with a resumable signal (SSE
   * responses end, WebSocket sessions get `goodbye`), lets pending appends
   * finish, and disposes the store.
   */
  shutdown(): Promise<void>;
}
