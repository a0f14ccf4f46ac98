/**
 * The Bun adapter: serves an {@linkcode AgentStreamServer} with `Bun.serve`,
 * WebSocket through Bun's native handlers.
 *
 * @example
 * ```ts ignore
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { serve } from "@agent-stream/agent-stream/server/bun";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const server = createServer({ store: new MemoryStore() });
 * const handle = await serve(server, { port: 8787 });
 * console.log(handle.url); // http://127.0.0.1:8787
 * ```
 *
 * @module
 */

import type { AgentStreamServer, WsConnection } from "./agent_stream_server.ts";
import { WS_SUBPROTOCOL } from "../protocol/ws_frame.ts";
import {
  baseUrl,
  DEFAULT_HOSTNAME,
  type ListenAddress,
  type ServeHandle,
  type ServeOptions,
} from "./serve_options.ts";

// The slice of Bun's API this adapter uses, declared here because Bun's types
// are not part of this package's type-checking (Deno and tsc check it).
interface SocketData {
  connection?: WsConnection;
}
interface BunSocket {
  readonly data: SocketData;
  readonly readyState: number;
  send(data: string): number;
  close(code?: number, reason?: string): void;
  getBufferedAmount(): number;
}
interface BunServer {
  readonly hostname: string;
  readonly port: number;
  upgrade(request: Request, options: { headers: HeadersInit; data: SocketData }): boolean;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
interface BunApi {
  serve(options: {
    port: number;
    hostname: string;
    development: boolean;
    reusePort: boolean;
    idleTimeout: number;
    fetch(request: Request, server: BunServer): Response | Promise<Response> | undefined;
    websocket: {
      open(ws: BunSocket): void;
      message(ws: BunSocket, message: string | Uint8Array): void;
      close(ws: BunSocket): void;
    };
  }): BunServer;
}

// Bun closes connections idle this long (default 10 s), which would cut
// long-polls and quiet SSE streams; 255 s is Bun's maximum.
const IDLE_TIMEOUT_SECONDS = 255;
const OPEN = 1;

/**
 * Serves `server` with `Bun.serve`; resolves once the socket listens.
 * Rejects with an error whose `code` is `EADDRINUSE` when the port is taken.
 *
 * @example
 * ```ts ignore
 * import { serve } from "@agent-stream/agent-stream/server/bun";
 * import type { AgentStreamServer } from "@agent-stream/agent-stream/server";
 * declare const server: AgentStreamServer;
 * const handle = await serve(server, { port: 0 });
 * await server.shutdown();
 * await handle.close();
 * ```
 */
export function serve(server: AgentStreamServer, options: ServeOptions): Promise<ServeHandle> {
  const bun = (globalThis as unknown as { Bun: BunApi }).Bun;
  let bunServer: BunServer;
  try {
    bunServer = bun.serve({
      port: options.port,
      hostname: options.hostname ?? DEFAULT_HOSTNAME,
      // Bun's development mode answers errors with HTML pages.
      development: false,
      // Production mode shares the port with another server by default
      // (SO_REUSEPORT), which would hide a taken port.
      reusePort: false,
      idleTimeout: IDLE_TIMEOUT_SECONDS,
      fetch(request, self) {
        const check = server.checkWsUpgrade(request);
        if (check === undefined) return server.fetch(request);
        if (check !== "upgrade") return check;
        // WS-HANDSHAKE-2: checkWsUpgrade made sure the client offered the subprotocol.
        const headers = { "Sec-WebSocket-Protocol": WS_SUBPROTOCOL };
        if (self.upgrade(request, { headers, data: {} })) return undefined;
        return new Response("WebSocket upgrade failed", { status: 400 });
      },
      websocket: {
        open(ws) {
          ws.data.connection = server.openWs({
            send: (text) => {
              if (ws.readyState === OPEN) ws.send(text);
            },
            close: (code, reason) => ws.close(code, reason),
            get bufferedAmount() {
              return ws.getBufferedAmount();
            },
          });
        },
        message: (ws, message) => ws.data.connection?.receive(message),
        close: (ws) => ws.data.connection?.closed(),
      },
    });
  } catch (error) {
    return Promise.reject(error);
  }
  const address: ListenAddress = { hostname: bunServer.hostname, port: bunServer.port };
  options.onListen?.(address);
  let stopped: Promise<void> | undefined;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => done = resolve);
  const close = (): Promise<void> => {
    stopped ??= bunServer.stop().finally(done);
    return stopped;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return Promise.resolve({ url: baseUrl(address), address, finished, close });
}
