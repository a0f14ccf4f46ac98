// Mutants: broken variants of the reference server, each violating one
// requirement. mutants_test.ts proves each is caught by a check citing it.

import type {
  AgentStreamServer,
  WsConnection,
  WsTransport,
} from "../../src/server/agent_stream_server.ts";
import type { ReferenceOptions } from "./reference_server.ts";

/** One broken variant of the reference server. */
export interface Mutant extends ReferenceOptions {
  /** What is broken, in a few words: "skips a message on resume". */
  readonly name: string;
  /** The requirement it violates; a check citing it must report exactly this ID. */
  readonly breaks: string;
  /**
   * Shrink counterexamples (default false, which finds failures faster): needed
   * where the first counterexample found breaks another requirement first.
   */
  readonly shrink?: boolean;
  /** Run the suite with these feature tokens instead of the discovery document's. */
  readonly features?: readonly string[];
}

/** A variant whose HTTP requests and responses pass through `map`. */
export function mapHttp(
  map: (request: Request, next: (request: Request) => Promise<Response>) => Promise<Response>,
): (server: AgentStreamServer) => AgentStreamServer {
  return (server) => ({
    fetch: (request) => map(request, (r) => server.fetch(r)),
    checkWsUpgrade: (request) => server.checkWsUpgrade(request),
    openWs: (transport) => server.openWs(transport),
    shutdown: () => server.shutdown(),
  });
}

/**
 * A variant whose WebSocket frames pass through maps: `outgoing` sees each
 * text the server sends (return the texts to send instead, none to drop it),
 * `incoming` each frame the client sent.
 */
export function mapWs(maps: {
  outgoing?: (text: string, transport: WsTransport) => string[];
  incoming?: (data: string | ArrayBuffer | Uint8Array) => (string | ArrayBuffer | Uint8Array)[];
}): (server: AgentStreamServer) => AgentStreamServer {
  return (server) => ({
    fetch: (request) => server.fetch(request),
    checkWsUpgrade: (request) => server.checkWsUpgrade(request),
    openWs(transport): WsConnection {
      const wrapped: WsTransport = {
        send(text) {
          for (const out of maps.outgoing ? maps.outgoing(text, transport) : [text]) {
            transport.send(out);
          }
        },
        close: (code, reason) => transport.close(code, reason),
        get bufferedAmount() {
          return transport.bufferedAmount;
        },
      };
      const connection = server.openWs(wrapped);
      return {
        receive(data) {
          for (const frame of maps.incoming ? maps.incoming(data) : [data]) {
            connection.receive(frame);
          }
        },
        closed: () => connection.closed(),
      };
    },
    shutdown: () => server.shutdown(),
  });
}

/** A response with `headers` changed (null deletes), body and status kept. */
export function withHeaders(response: Response, headers: Record<string, string | null>): Response {
  const copy = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) copy.delete(name);
    else copy.set(name, value);
  }
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: copy,
  });
}

/** A response with another status, headers and body kept. */
export function withStatus(response: Response, status: number): Response {
  return new Response(status === 204 || status === 304 ? null : response.body, {
    status,
    headers: response.headers,
  });
}
