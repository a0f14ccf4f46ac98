// The reference server as the conformance tests run it: in memory, on a
// free loopback port, with short timers and small limits so that checks of
// heartbeats, timeouts and limits finish in well under a second each.

import { serveHere } from "../../conformance/_serve.ts";
import type { AgentStreamServer } from "../../src/server/agent_stream_server.ts";
import { createServer, type CreateServerOptions } from "../../src/server/app.ts";
import { REFERENCE_ROUTES } from "./_reference_routes.ts";
import type { ServerLimits, ServerTiming } from "../../src/server/server_options.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";

export const TEST_TIMING: Partial<ServerTiming> = {
  longPollTimeoutMs: 500,
  heartbeatMs: 300,
  sseRotationMs: 3_000,
  sseRetryMs: 100,
  cursorIntervalMs: 1_000,
};

export const TEST_LIMITS: Partial<ServerLimits> = {
  maxMessageBytes: 4_096,
  maxBodyBytes: 65_536,
  maxReadMessages: 100,
  maxStreamPathBytes: 256,
  maxSubscribersPerStream: 16,
  maxSubscribers: 256,
  maxWsFrameBytes: 131_072,
  maxWsSubscriptions: 16,
  subscriberBufferMessages: 64,
};

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Options beyond the defaults above; `wrap` turns the server into a variant (a mutant). */
export interface ReferenceOptions {
  readonly limits?: Partial<ServerLimits>;
  readonly timing?: Partial<ServerTiming>;
  readonly wrap?: (server: AgentStreamServer) => AgentStreamServer;
  readonly create?: Partial<CreateServerOptions>;
}

export async function startReference(options: ReferenceOptions = {}): Promise<RunningServer> {
  const server = createServer({
    store: new MemoryStore(),
    routes: REFERENCE_ROUTES,
    ...options.create,
    limits: { ...TEST_LIMITS, ...options.limits },
    timing: { ...TEST_TIMING, ...options.timing },
  });
  const served = options.wrap ? options.wrap(server) : server;
  const handle = await serveHere(served, { port: 0, hostname: "127.0.0.1" });
  return {
    url: handle.url,
    async close() {
      await served.shutdown();
      await handle.close();
    },
  };
}
