/**
 * The agent-stream reference server, runtime-free: `createServer` answers
 * the HTTP binding (spec/v1/http.md), Server-Sent Events (sse.md), the
 * discovery document (discovery.md), and drives WebSocket sessions
 * (websocket.md) for the runtime adapter that upgrades the connections.
 *
 * ```ts
 * import { createServer } from "@agent-stream/agent-stream/server";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 *
 * const server = createServer({ store: new MemoryStore(), limits: { maxMessageBytes: 65536 } });
 * const discovery = await server.fetch(new Request("http://localhost/v1"));
 * console.log((await discovery.json()).features.includes("long-poll")); // true
 * await server.shutdown();
 * ```
 *
 * @module
 */

export { createServer, type CreateServerOptions } from "./app.ts";
export * from "./server_options.ts";
export type * from "./agent_stream_server.ts";
export * from "./serve_options.ts";
export type * from "./server_route.ts";
