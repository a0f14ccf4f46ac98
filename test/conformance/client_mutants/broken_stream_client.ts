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
    const connected = new Set<string>();
    let reconnected = false;
    let last: AdapterEvent | undefined;
    return {
      fetch: rewriting((request) => {
        const url = new URL(request.url);
        if (url.searchParams.get("live") === "sse") {
          if (connected.has(url.pathname)) reconnected = true;
          connected.add(url.pathname);
        }
        return request;
      }),
      report(event) {
        const events = reconnected && last !== undefined ? [last, event] : [event];
        reconnected = false;
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
  // ERR-TYPE-5: a problem whose title speaks of unavailability is taken for one.
  "type-from-title": () => ({
    fetch: rewriting((r) => r, async (_, response) => {
      if (!(response.headers.get("content-type") ?? "").includes("problem+json")) return response;
      const problem = await response.json();
      if (/unavailable/i.test(String(problem.title))) {
        problem.type = "https://agent-stream.dev/problems/unavailable";
        problem.status = 503;
      }
      return new Response(JSON.stringify(problem), {
        status: problem.status,
        headers: response.headers,
      });
    }),
  }),
  // ERR-RETRY-4: every refused read is tried again, as if the failure were transient.
  "retry-final-problems": () => ({
    fetch: rewriting(
      (r) => r,
      (request, response) =>
        request.method === "GET" && response.status >= 400 && response.status < 500
          ? new Response(null, { status: 503, headers: { "retry-after": "0" } })
          : response,
    ),
  }),
  // ERR-RETRY-5: a plain append that failed with 500 or 503 is sent again.
  "repeat-unsafe-appends": () => ({
    fetch: async (request) => {
      const body = request.method === "POST" ? await request.clone().text() : undefined;
      const response = await fetch(request);
      if (request.method !== "POST" || (response.status !== 500 && response.status !== 503)) {
        return response;
      }
      await response.body?.cancel();
      return await fetch(
        new Request(request.url, { method: "POST", headers: request.headers, body }),
      );
    },
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
