// The runtime adapter of the running runtime, for the servers the suite
// hosts itself (the client suite's scripted server) and for tests.

import type { AgentStreamServer } from "../src/server/agent_stream_server.ts";
import type { ServeHandle, ServeOptions } from "../src/server/serve_options.ts";

/** `serve` of the running runtime: Deno.serve, Bun.serve, or Node.js. */
export async function serveHere(
  server: AgentStreamServer,
  options: ServeOptions,
): Promise<ServeHandle> {
  if ("Deno" in globalThis) {
    return (await import("../src/server/serve_deno.ts")).serve(server, options);
  }
  if ("Bun" in globalThis) {
    return (await import("../src/server/serve_bun.ts")).serve(server, options);
  }
  return (await import("../src/server/serve_node.ts")).serve(server, options);
}
