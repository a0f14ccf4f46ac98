/**
 * HTTP as a check sees it: every request and response is written to the
 * check's transcript, every wait is bounded.
 *
 * @module
 */

import { type SseItem, SseParser } from "../src/client/_sse_parser.ts";
import type { Transcript } from "./transcript.ts";

export type { SseComment, SseEvent, SseItem, SseRetry } from "../src/client/_sse_parser.ts";

/**
 * A request body: a string or bytes are sent as they are; anything else is
 * sent as JSON text with `Content-Type: application/json` (unless set).
 *
 * @example
 * ```ts
 * import type { HttpBody } from "@agent-stream/agent-stream/conformance";
 *
 * const body: HttpBody = { json: [1, 2, 3] };
 * ```
 */
export type HttpBody = string | Uint8Array | { readonly json: unknown };

/**
 * Options of one request.
 *
 * @example
 * ```ts
 * import type { HttpRequestOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: HttpRequestOptions = { headers: { "Producer-Id": "p" }, body: { json: [1] } };
 * ```
 */
export interface HttpRequestOptions {
  /** Request headers. */
  readonly headers?: Record<string, string>;
  /** The body, if any. */
  readonly body?: HttpBody;
  /** How long to wait for the whole response; default the probe's timeout. */
  readonly timeoutMs?: number;
}

/**
 * A complete response: status, headers and the body read to its end.
 *
 * @example
 * ```ts
 * import type { HttpReply } from "@agent-stream/agent-stream/conformance";
 *
 * function offset(reply: HttpReply): string | null {
 *   return reply.headers.get("Stream-Next-Offset");
 * }
 * ```
 */
export interface HttpReply {
  /** The status code. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The body as text (UTF-8). */
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  readonly json: unknown;
}

/**
 * What {@linkcode SseProbe.next} yields: an SSE item, the end of the body, or
 * the end of the wait.
 *
 * @example
 * ```ts
 * import type { SseNext } from "@agent-stream/agent-stream/conformance";
 *
 * function isData(next: SseNext): boolean {
 *   return next.kind === "event" && next.event === "data";
 * }
 * ```
 */
export type SseNext = SseItem | { readonly kind: "end" } | { readonly kind: "timeout" } | {
  readonly kind: "error";
  readonly message: string;
};

/**
 * An open streaming response (SSE), read item by item with bounded waits.
 *
 * @example
 * ```ts ignore
 * import type { HttpProbe } from "@agent-stream/agent-stream/conformance";
 * declare const http: HttpProbe;
 * const sse = await http.openSse("/v1/stream/a?offset=-1&live=sse");
 * const first = await sse.next(1000);
 * await sse.close();
 * ```
 */
export interface SseProbe {
  /** The status code. */
  readonly status: number;
  /** The response headers. */
  readonly headers: Headers;
  /** The next item, waiting at most `timeoutMs`. */
  next(timeoutMs: number): Promise<SseNext>;
  /** Items until `stop` says so, the body ends, or `timeoutMs` passes in all; the stopping item is included. */
  collect(stop: (item: SseItem) => boolean, timeoutMs: number): Promise<SseNext[]>;
  /** Drops the connection. */
  close(): Promise<void>;
}

/**
 * The recorded HTTP client of a check.
 *
 * @example
 * ```ts ignore
 * import type { HttpProbe } from "@agent-stream/agent-stream/conformance";
 * declare const http: HttpProbe;
 * const reply = await http.request("POST", "/v1/stream/a", { body: { json: [1] } });
 * console.log(reply.status);
 * ```
 */
export class HttpProbe {
  readonly #base: string;
  readonly #transcript: Transcript;
  readonly #timeoutMs: number;

  /** A probe of the server at `base` (`http://127.0.0.1:8787`), writing to `transcript`. */
  constructor(base: string, transcript: Transcript, timeoutMs: number) {
    this.#base = base.replace(/\/+$/, "");
    this.#transcript = transcript;
    this.#timeoutMs = timeoutMs;
  }

  /** The absolute URL of a path (`/v1/...`) or an absolute URL unchanged. */
  url(path: string): string {
    return /^[a-z]+:\/\//i.test(path) ? path : this.#base + path;
  }

  /** Sends one request and reads the whole response. */
  async request(
    method: string,
    path: string,
    options: HttpRequestOptions = {},
  ): Promise<HttpReply> {
    const channel = this.#transcript.channel("http");
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const init = this.#init(method, path, options, channel);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.url(path), { ...init, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      this.#transcript.add(channel, "#", `no complete response: ${describe(error)}`);
      throw new Error(
        `${method} ${path}: no complete response within ${timeoutMs} ms (${describe(error)})`,
      );
    }
    this.#transcript.add(channel, "<", responseHead(response) + (text ? `\n\n${text}` : ""));
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Opens a streaming GET (SSE); the body is read item by item. */
  async openSse(path: string, headers: Record<string, string> = {}): Promise<SseProbe> {
    const channel = this.#transcript.channel("sse");
    const controller = new AbortController();
    const init = this.#init("GET", path, { headers }, channel);
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url(path), { ...init, signal: controller.signal });
    } catch (error) {
      this.#transcript.add(channel, "#", `no response: ${describe(error)}`);
      throw new Error(`GET ${path}: no response within ${this.#timeoutMs} ms (${describe(error)})`);
    } finally {
      clearTimeout(timer);
    }
    this.#transcript.add(channel, "<", responseHead(response));
    return new OpenSse(response, controller, this.#transcript, channel);
  }

  #init(method: string, path: string, options: HttpRequestOptions, channel: string): RequestInit {
    const headers = new Headers(options.headers);
    let body: string | Uint8Array | undefined;
    const given = options.body;
    if (typeof given === "string" || given instanceof Uint8Array) body = given;
    else if (given !== undefined) {
      body = JSON.stringify(given.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const lines = [`${method} ${path}`];
    headers.forEach((value, name) => lines.push(`${name}: ${value}`));
    const shown = body === undefined
      ? ""
      : `\n\n${typeof body === "string" ? body : `(${body.byteLength} bytes)`}`;
    this.#transcript.add(channel, ">", lines.join("\n") + shown);
    return { method, headers, body: body as BodyInit | undefined, redirect: "manual" };
  }
}

class OpenSse implements SseProbe {
  readonly status: number;
  readonly headers: Headers;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #controller: AbortController;
  readonly #transcript: Transcript;
  readonly #channel: string;
  readonly #parser = new SseParser();
  readonly #items: SseNext[] = [];
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  #ended = false;

  constructor(
    response: Response,
    controller: AbortController,
    transcript: Transcript,
    channel: string,
  ) {
    this.status = response.status;
    this.headers = response.headers;
    this.#reader = response.body?.getReader();
    this.#controller = controller;
    this.#transcript = transcript;
    this.#channel = channel;
  }

  async next(timeoutMs: number): Promise<SseNext> {
    const deadline = Date.now() + timeoutMs;
    while (this.#items.length === 0) {
      if (this.#ended || !this.#reader) return { kind: "end" };
      this.#pending ??= this.#reader.read();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
      });
      let result: ReadableStreamReadResult<Uint8Array> | "timeout";
      try {
        result = await Promise.race([this.#pending, timeout]);
      } catch (error) {
        this.#pending = undefined;
        this.#ended = true;
        this.#transcript.add(this.#channel, "#", `connection failed: ${describe(error)}`);
        return { kind: "error", message: describe(error) };
      } finally {
        clearTimeout(timer);
      }
      if (result === "timeout") return { kind: "timeout" };
      this.#pending = undefined;
      if (result.done) {
        this.#ended = true;
        this.#transcript.add(this.#channel, "<", "(end of body)");
        return { kind: "end" };
      }
      const out: SseItem[] = [];
      this.#parser.feed(result.value, out);
      for (const item of out) {
        this.#transcript.add(this.#channel, "<", showItem(item));
        this.#items.push(item);
      }
    }
    return this.#items.shift()!;
  }

  async collect(stop: (item: SseItem) => boolean, timeoutMs: number): Promise<SseNext[]> {
    const deadline = Date.now() + timeoutMs;
    const out: SseNext[] = [];
    while (true) {
      const item = await this.next(Math.max(0, deadline - Date.now()));
      out.push(item);
      if (item.kind === "end" || item.kind === "timeout" || item.kind === "error") return out;
      if (stop(item)) return out;
    }
  }

  async close(): Promise<void> {
    if (!this.#ended) this.#transcript.add(this.#channel, ">", "(connection dropped)");
    this.#ended = true;
    this.#controller.abort();
    await this.#reader?.cancel().catch(() => {});
  }
}

function showItem(item: SseItem): string {
  switch (item.kind) {
    case "comment":
      return `:${item.text}`;
    case "retry":
      return `retry: ${item.ms}`;
    default: {
      const lines = [`event: ${item.event}`];
      if (item.hasId) lines.push(`id: ${item.lastEventId}`);
      for (const line of item.data.split("\n")) lines.push(`data: ${line}`);
      return lines.join("\n");
    }
  }
}

function responseHead(response: Response): string {
  const lines = [`${response.status} ${response.statusText}`.trim()];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  return lines.join("\n");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
