/**
 * The Node.js adapter: serves an {@linkcode AgentStreamServer} with
 * `@hono/node-server` over `node:http`. HTTP and SSE only: WebSocket upgrades
 * are not handled, so create the server with `websocket: false` and its
 * discovery document leaves the `websocket` feature out (DISC-FEATURE-2).
 *
 * @example
 * ```ts ignore
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { serve } from "@agent-stream/agent-stream/server/node";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const server = createServer({ store: new MemoryStore(), websocket: false });
 * const handle = await serve(server, { port: 8787 });
 * console.log(handle.url); // http://127.0.0.1:8787
 * ```
 *
 * @module
 */

import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentStreamServer } from "./agent_stream_server.ts";
import {
  baseUrl,
  DEFAULT_HOSTNAME,
  type ListenAddress,
  type ServeHandle,
  type ServeOptions,
} from "./serve_options.ts";

/**
 * Serves `server` over `node:http`; resolves once the socket listens.
 * Rejects with an error whose `code` is `EADDRINUSE` when the port is taken.
 *
 * @example
 * ```ts ignore
 * import { serve } from "@agent-stream/agent-stream/server/node";
 * import type { AgentStreamServer } from "@agent-stream/agent-stream/server";
 * declare const server: AgentStreamServer;
 * const handle = await serve(server, { port: 0 });
 * await server.shutdown();
 * await handle.close();
 * ```
 */
export function serve(server: AgentStreamServer, options: ServeOptions): Promise<ServeHandle> {
  const httpServer = createAdaptorServer({
    fetch: (request: Request) => server.fetch(request),
    // The default swaps the global Request and Response for lighter ones,
    // which would change them for everything else in the process.
    overrideGlobalObjects: false,
  }) as Server;
  // Long-polls and SSE streams outlive Node's default request timeout.
  httpServer.requestTimeout = 0;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      httpServer.close(() => resolve());
      // Idle keep-alive connections would otherwise hold close() open.
      httpServer.closeIdleConnections?.();
    });
    return closed;
  };
  const finished = new Promise<void>((resolve) => httpServer.once("close", () => resolve()));
  return new Promise<ServeHandle>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.hostname ?? DEFAULT_HOSTNAME, () => {
      httpServer.off("error", reject);
      const info = httpServer.address() as AddressInfo;
      const address: ListenAddress = { hostname: info.address, port: info.port };
      options.onListen?.(address);
      options.signal?.addEventListener("abort", () => void close(), { once: true });
      resolve({ url: baseUrl(address), address, finished, close });
    });
  });
}
