/**
 * The runtime's bare limit, as one request handler over web standards: a
 * hello-world route and an SSE broadcaster that encodes each published
 * event once and enqueues the same bytes on every open response. No store,
 * no validation, no per-reader state beyond the stream controller: what the
 * HTTP stack itself costs. `bare_deno.ts` and `bare_bun.ts` serve it.
 *
 * Routes: `* /hello` answers `hello`; `GET /sse` opens an event stream
 * (a comment first, so a reader knows it is subscribed); `POST /publish`
 * sends its body, a JSON value, as `event: data` with a one-element array.
 *
 * @module
 */

const encoder = new TextEncoder();
const HELLO = encoder.encode("hello");
const OPENED = encoder.encode(": subscribed\n\n");
const PREFIX = encoder.encode("event: data\ndata: [");
const SUFFIX = encoder.encode("]\n\n");

/** The bare server's handler and how many readers it holds. */
export interface BareApp {
  /** Answers one request. */
  readonly handler: (request: Request) => Response | Promise<Response>;
  /** Open event streams. */
  readonly subscribers: () => number;
}

/**
 * Creates the bare hello-world and broadcaster handler.
 *
 * @example
 * ```ts
 * import { createBareApp } from "./_bare_app.ts";
 * const app = createBareApp();
 * const response = await app.handler(new Request("http://localhost/hello"));
 * console.log(await response.text()); // "hello"
 * ```
 */
export function createBareApp(): BareApp {
  const readers = new Set<ReadableStreamDefaultController<Uint8Array>>();

  const subscribe = (): Response => {
    let self: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        self = controller;
        readers.add(controller);
        controller.enqueue(OPENED);
      },
      cancel() {
        if (self) readers.delete(self);
      },
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  };

  const publish = async (request: Request): Promise<Response> => {
    const payload = new Uint8Array(await request.arrayBuffer());
    const event = new Uint8Array(PREFIX.length + payload.length + SUFFIX.length);
    event.set(PREFIX);
    event.set(payload, PREFIX.length);
    event.set(SUFFIX, PREFIX.length + payload.length);
    for (const reader of readers) {
      try {
        reader.enqueue(event);
      } catch {
        readers.delete(reader); // closed underneath us
      }
    }
    return new Response(null, { status: 204 });
  };

  return {
    handler(request: Request): Response | Promise<Response> {
      const path = new URL(request.url).pathname;
      if (path === "/hello") return new Response(HELLO);
      if (path === "/sse" && request.method === "GET") return subscribe();
      if (path === "/publish" && request.method === "POST") return publish(request);
      return new Response("not found", { status: 404 });
    },
    subscribers: () => readers.size,
  };
}
