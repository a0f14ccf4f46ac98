// A client adapter around StreamClient with one bug, chosen by `--bug <name>`:
// each breaks one client requirement, the way a real client might get it
// wrong. client_suite_test.ts proves the suite catches each.

import process from "node:process";
import { runAdapter } from "../../../conformance/adapters/_json_lines.ts";
import {
  streamClientAdapter,
  type StreamClientAdapterOptions,
} from "../../../conformance/adapters/stream_client_adapter.ts";
import type { AdapterEvent } from "../../../conformance/client/adapter_protocol.ts";

/** A fetch that rewrites what passes, request and response. */
function rewriting(
  request: (request: Request) => Request,
  response: (request: Request, response: Response) => Response | Promise<Response> = (_, r) => r,
): (request: Request) => Promise<Response> {
  return async (original) => {
    const sent = request(original);
    return await response(sent, await fetch(sent));
  };
}

/** An SSE body with `edit` applied to each complete event. */
function editSse(response: Response, edit: (event: string) => string): Response {
  if (
    !(response.headers.get("content-type") ?? "").startsWith("text/event-stream") || !response.body
  ) {
    return response;
  }
  let buffer = "";
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          controller.enqueue(encoder.encode(edit(buffer.slice(0, end + 2))));
          buffer = buffer.slice(end + 2);
        }
      },
      flush(controller) {
        if (buffer !== "") controller.enqueue(encoder.encode(buffer));
      },
    }),
  );
  return new Response(body, { status: response.status, headers: response.headers });
}

/** The bugs, by name. */
const BUGS: Record<string, () => StreamClientAdapterOptions> = {
  // SSE-RESUME-4: a reconnection asks for the message before the last one it has.
  "resume-wrong-offset": () => {
    const seen = new Set<string>();
    return {
      fetch: rewriting((request) => {
        const url = new URL(request.url);
        const offset = url.searchParams.get("offset");
        if (url.searchParams.get("live") !== "sse" || offset === null) return request;
        if (!seen.has(url.pathname)) {
          seen.add(url.pathname);
          return request;
        }
        if (/^[0-9]{16}$/.test(offset) && Number(offset) > 0) {
          url.searchParams.set("offset", String(Number(offset) - 1).padStart(16, "0"));
        }
        return new Request(url, request);
      }),
    };
  },
  // SSE-RESUME-4: after a reconnection the last message is handed over again.
  "duplicate-after-reconnect": () => {
    let last: AdapterEvent | undefined;
    return {
      report(event, reconnected) {
        const events = reconnected && last !== undefined ? [last, event] : [event];
        last = event;
        return events;
      },
    };
  },
  // SSE-RESUME-4: the first control event saying a stream is closed goes unheard.
  "reconnect-after-close": () => {
    const missed = new Set<string>();
    return {
      fetch: rewriting((r) => r, (request, response) => {
        const path = new URL(request.url).pathname;
        return editSse(response, (event) => {
          if (missed.has(path) || !event.includes('"streamClosed":true')) return event;
          missed.add(path);
          return event.replace('"streamClosed":true', '"streamClosed":false');
        });
      }),
    };
  },
  // SSE-HEARTBEAT-3: a silent connection is waited on for ever.
  "no-dead-connection-detection": () => ({ client: { heartbeatMs: 0 } }),
  // ERR-RETRY-3: the server's Retry-After and retryAfterMs are not seen.
  "ignore-retry-after": () => ({
    fetch: rewriting((r) => r, async (_, response) => {
      if (response.status !== 429 && response.status !== 503) return response;
      const headers = new Headers(response.headers);
      headers.delete("retry-after");
      const problem = await response.json();
      delete problem.retryAfterMs;
      return new Response(JSON.stringify(problem), { status: response.status, headers });
    }),
  }),
  // ERR-RETRY-6: every retry comes after the same short delay.
  "no-backoff": () => ({
    backoff: () => ({
      initialDelayMs: 20,
      maxDelayMs: 20,
      multiplier: 1,
      maxAttempts: 1000,
      random: () => 1,
    }),
  }),
};

const name = process.argv[process.argv.indexOf("--bug") + 1];
const bug = BUGS[name];
if (bug === undefined) {
  throw new Error(`unknown bug ${name}; known: ${Object.keys(BUGS).join(", ")}`);
}
runAdapter(streamClientAdapter(bug()));
