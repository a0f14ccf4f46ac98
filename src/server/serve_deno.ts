/**
 * The Deno adapter: serves an {@linkcode AgentStreamServer} with `Deno.serve`,
 * WebSocket included.
 *
 * @example
 * ```ts ignore
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { serve } from "@agent-stream/agent-stream/server/deno";
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

// The slice of the Deno namespace this adapter uses, declared here so that the
// file also type-checks where Deno's types are absent (typedoc runs on tsc).
interface DenoApi {
  serve(
    options: {
      port: number;
      hostname: string;
      onListen: (addr: ListenAddress) => void;
    },
    handler: (request: Request) => Response | Promise<Response>,
  ): {
    readonly addr: ListenAddress;
    readonly finished: Promise<void>;
    shutdown(): Promise<void>;
  };
  upgradeWebSocket(
    request: Request,
    options: { protocol: string },
  ): { socket: WebSocket; response: Response };
}

/**
 * Serves `server` with `Deno.serve`; resolves once the socket listens.
 * Rejects with `Deno.errors.AddrInUse` when the port is taken.
 *
 * @example
 * ```ts ignore
 * import { serve } from "@agent-stream/agent-stream/server/deno";
 * import type { AgentStreamServer } from "@agent-stream/agent-stream/server";
 * declare const server: AgentStreamServer;
 * const handle = await serve(server, { port: 0 });
 * await server.shutdown();
 * await handle.close();
 * ```
 */
export function serve(server: AgentStreamServer, options: ServeOptions): Promise<ServeHandle> {
  const deno = (globalThis as unknown as { Deno: DenoApi }).Deno;
  try {
    let address: ListenAddress | undefined;
    const httpServer = deno.serve({
      port: options.port,
      hostname: options.hostname ?? DEFAULT_HOSTNAME,
      // Without onListen, Deno prints a line of its own.
      onListen: (addr) => {
        address = { hostname: addr.hostname, port: addr.port };
        options.onListen?.(address);
      },
    }, (request) => handle(deno, server, request));
    const close = (): Promise<void> => httpServer.shutdown();
    options.signal?.addEventListener("abort", () => void close(), { once: true });
    // Deno.serve binds before it returns, so onListen has run.
    address ??= { hostname: httpServer.addr.hostname, port: httpServer.addr.port };
    return Promise.resolve({
      url: baseUrl(address),
      address,
      finished: httpServer.finished,
      close,
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

function handle(
  deno: DenoApi,
  server: AgentStreamServer,
  request: Request,
): Response | Promise<Response> {
  const check = server.checkWsUpgrade(request);
  if (check === undefined) return server.fetch(request);
  if (check !== "upgrade") return check;
  // WS-HANDSHAKE-2: checkWsUpgrade made sure the client offered the subprotocol.
  const { socket, response } = deno.upgradeWebSocket(request, { protocol: WS_SUBPROTOCOL });
  socket.binaryType = "arraybuffer";
  let connection: WsConnection | undefined;
  // Deno refuses sends before the socket is open, so the session starts on open.
  socket.onopen = () => {
    connection = server.openWs({
      // A session may still write while the socket closes; Deno would throw.
      send: (text) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
      },
      close: (code, reason) => socket.close(code, reason),
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
    });
  };
  socket.onmessage = (event) => connection?.receive(event.data);
  socket.onclose = () => connection?.closed();
  return response;
}
