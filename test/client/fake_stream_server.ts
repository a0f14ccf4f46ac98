// A scripted, in-memory stand-in for an agent-stream server, for the client
// tests: the wire subset the clients use (PUT, POST with producers, GET
// catch-up / long-poll / SSE, HEAD, DELETE, GET /v1) plus fault injection.
// It is deliberately small and not a reference of anything.

import { formatOffset, isOffset, parseOffset } from "../../src/protocol/offset.ts";
import { createProblem, type ProblemSlug } from "../../src/protocol/problem.ts";

/** A fault applied to the next request it matches, then consumed. */
export type Fault =
  /** Answer with this status and problem, not touching the log. */
  | { kind: "status"; status: number; slug?: ProblemSlug; retryAfter?: string }
  /** fetch rejects before the server sees the request. */
  | { kind: "network" }
  /** POST: the append is applied, then fetch rejects (answer lost). */
  | { kind: "apply-then-drop" }
  /** Read: the body errors after this many bytes. */
  | { kind: "drop-after-bytes"; bytes: number }
  /** SSE: headers, then not a single byte. */
  | { kind: "silent" }
  /** Read: the answer starts this many messages before the requested offset. */
  | { kind: "replay"; messages: number }
  /** Read: the answer skips the first message at the requested offset. */
  | { kind: "skip" };

interface FaultRule {
  readonly fault: Fault;
  readonly match: (request: Request) => boolean;
}

interface Stream {
  messages: string[];
  closed: boolean;
  kind: string;
  producers: Map<string, { epoch: number; seq: number }>;
  waiters: Set<() => void>;
}

export interface FakeServerOptions {
  /** Most messages per response or SSE data event. */
  readonly maxPerResponse?: number;
  /** Long-poll wait before 204. */
  readonly longPollTimeoutMs?: number;
  /** SSE: end the response cleanly after this many data events. */
  readonly rotateAfterEvents?: number;
  /** SSE comment interval; advertised in discovery. */
  readonly heartbeatMs?: number;
  /** Answer GET /v1; otherwise 404 (a plain Durable Streams server). */
  readonly discovery?: boolean;
}

const encoder = new TextEncoder();

function problem(slug: ProblemSlug, headers: Record<string, string> = {}, members = {}): Response {
  const body = { ...createProblem(slug), ...members };
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

export class FakeStreamServer {
  readonly streams: Map<string, Stream> = new Map();
  readonly requests: Request[] = [];
  readonly #rules: FaultRule[] = [];
  readonly #options: FakeServerOptions;
  #cursor = 0;

  constructor(options: FakeServerOptions = {}) {
    this.#options = options;
  }

  /** Scripts a fault for the next request that `match` accepts (default: any). */
  inject(fault: Fault, match: (request: Request) => boolean = () => true): void {
    this.#rules.push({ fault, match });
  }

  get pendingFaults(): number {
    return this.#rules.length;
  }

  /** Appends directly, as another writer would. */
  append(path: string, messages: unknown[]): void {
    const stream = this.streams.get(path)!;
    stream.messages.push(...messages.map((m) => JSON.stringify(m)));
    this.#wake(stream);
  }

  closeStream(path: string): void {
    const stream = this.streams.get(path)!;
    stream.closed = true;
    this.#wake(stream);
  }

  log(path: string): string[] {
    return this.streams.get(path)?.messages ?? [];
  }

  fetch = (input: Request): Promise<Response> => {
    const request = new Request(input);
    if (request.signal.aborted) return Promise.reject(request.signal.reason);
    this.requests.push(request);
    const i = this.#rules.findIndex((rule) => rule.match(request));
    const fault = i >= 0 ? this.#rules.splice(i, 1)[0].fault : undefined;
    if (fault?.kind === "network") return Promise.reject(new TypeError("network down"));
    if (fault?.kind === "status") {
      const headers: Record<string, string> = fault.retryAfter
        ? { "retry-after": fault.retryAfter }
        : {};
      return Promise.resolve(
        fault.slug
          ? problem(fault.slug, headers)
          : new Response("oops", { status: fault.status, headers }),
      );
    }
    return this.#handle(request, fault);
  };

  #wake(stream: Stream): void {
    for (const wake of stream.waiters) wake();
    stream.waiters.clear();
  }

  #wait(stream: Stream, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stream.waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stream.waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async #handle(request: Request, fault: Fault | undefined): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/v1") {
      if (this.#options.discovery === false) return problem("not-found");
      return Response.json({
        protocol: "agent-stream",
        versions: ["1.0"],
        bindings: {
          http: { streamPrefix: "/v1/stream/" },
          longPoll: { timeoutMs: this.#options.longPollTimeoutMs ?? 1000 },
          sse: { heartbeatMs: this.#options.heartbeatMs ?? 1000, rotationMs: 60000, retryMs: 10 },
        },
        limits: {
          maxMessageBytes: 1e6,
          maxBodyBytes: 1e6,
          maxReadMessages: 1000,
          maxStreamPathBytes: 1024,
        },
        features: ["long-poll", "sse", "idempotent-producer"],
      }, { headers: { "cache-control": "max-age=60" } });
    }
    if (!url.pathname.startsWith("/v1/stream/")) return problem("not-found");
    const path = decodeURIComponent(url.pathname.slice("/v1/stream/".length));
    const stream = this.streams.get(path);
    switch (request.method) {
      case "PUT": {
        if (stream !== undefined) {
          return new Response(null, { status: 200, headers: this.#tailHeaders(stream) });
        }
        const created: Stream = {
          messages: [],
          closed: request.headers.get("stream-closed") === "true",
          kind: request.headers.get("agent-stream-kind") ?? "json",
          producers: new Map(),
          waiters: new Set(),
        };
        const body = await request.text();
        if (body !== "") {
          created.messages.push(...(JSON.parse(body) as unknown[]).map((m) => JSON.stringify(m)));
        }
        this.streams.set(path, created);
        return new Response(null, { status: 201, headers: this.#tailHeaders(created) });
      }
      case "POST":
        if (stream === undefined) return problem("stream-not-found");
        return this.#post(stream, request, fault);
      case "HEAD":
        if (stream === undefined) return new Response(null, { status: 404 });
        return new Response(null, { status: 200, headers: this.#tailHeaders(stream) });
      case "DELETE":
        if (stream === undefined) return problem("stream-not-found");
        this.streams.delete(path);
        this.#wake(stream);
        return new Response(null, { status: 204 });
      case "GET":
        if (stream === undefined) return problem("stream-not-found");
        return this.#get(path, stream, url, request, fault);
      default:
        return problem("method-not-allowed");
    }
  }

  #tailHeaders(stream: Stream): Record<string, string> {
    return {
      "stream-next-offset": formatOffset(stream.messages.length),
      "agent-stream-kind": stream.kind,
      "content-type": "application/json",
      ...(stream.closed ? { "stream-closed": "true" } : {}),
    };
  }

  async #post(stream: Stream, request: Request, fault: Fault | undefined): Promise<Response> {
    const body = await request.text();
    const close = request.headers.get("stream-closed") === "true";
    const messages = body === ""
      ? []
      : (JSON.parse(body) as unknown[]).map((m) => JSON.stringify(m));
    const id = request.headers.get("producer-id");
    const epoch = Number(request.headers.get("producer-epoch"));
    const seq = Number(request.headers.get("producer-seq"));
    let status = 204;
    const headers: Record<string, string> = {};
    if (id !== null) {
      const state = stream.producers.get(id);
      headers["producer-epoch"] = String(state?.epoch ?? epoch);
      if (state !== undefined && epoch < state.epoch) {
        return problem("producer-stale-epoch", headers, { producerEpoch: state.epoch });
      }
      if (state !== undefined && epoch === state.epoch && seq <= state.seq) {
        headers["producer-seq"] = String(state.seq);
        return new Response(null, {
          status: 204,
          headers: { ...headers, ...this.#tailHeaders(stream) },
        });
      }
      const expected = state === undefined || epoch > state.epoch ? 0 : state.seq + 1;
      if (seq !== expected) {
        return problem("producer-seq-gap", {
          "producer-expected-seq": String(expected),
          "producer-received-seq": String(seq),
        }, { expectedSeq: expected, receivedSeq: seq });
      }
      if (stream.closed) return problem("stream-closed", { "stream-closed": "true" });
      stream.producers.set(id, { epoch, seq });
      headers["producer-seq"] = String(seq);
      status = messages.length > 0 ? 200 : 204;
    } else if (stream.closed && messages.length > 0) {
      return problem("stream-closed", { "stream-closed": "true", ...this.#tailHeaders(stream) });
    }
    stream.messages.push(...messages);
    if (close) stream.closed = true;
    this.#wake(stream);
    if (fault?.kind === "apply-then-drop") throw new TypeError("connection reset after apply");
    return new Response(null, { status, headers: { ...headers, ...this.#tailHeaders(stream) } });
  }

  #start(stream: Stream, offset: string | null, fault: Fault | undefined): number | Response {
    const tail = stream.messages.length;
    let start = offset === null || offset === "-1" ? 0 : offset === "now" ? tail : -1;
    if (start < 0) {
      if (!isOffset(offset)) return problem("invalid-offset");
      start = parseOffset(offset);
      if (start > tail) return problem("offset-out-of-range");
    }
    if (fault?.kind === "replay") start = Math.max(0, start - fault.messages);
    return start;
  }

  async #get(
    path: string,
    stream: Stream,
    url: URL,
    request: Request,
    fault: Fault | undefined,
  ): Promise<Response> {
    const begin = this.#start(stream, url.searchParams.get("offset"), fault);
    if (begin instanceof Response) return begin;
    const live = url.searchParams.get("live");
    const max = this.#options.maxPerResponse ?? 1000;
    if (live === "sse") return this.#sse(path, stream, begin, request, fault);
    let start = begin;
    if (live === "long-poll" && start === stream.messages.length && !stream.closed) {
      await this.#wait(stream, this.#options.longPollTimeoutMs ?? 1000, request.signal);
    }
    if (fault?.kind === "skip" && start < stream.messages.length) start++;
    const end = Math.min(stream.messages.length, start + max);
    const headers: Record<string, string> = {
      "stream-next-offset": formatOffset(end),
      "stream-cursor": String(++this.#cursor),
    };
    if (end === stream.messages.length) headers["stream-up-to-date"] = "true";
    if (end === stream.messages.length && stream.closed) headers["stream-closed"] = "true";
    if (live === "long-poll" && start === end) return new Response(null, { status: 204, headers });
    const body = `[${stream.messages.slice(start, end).join(",")}]`;
    return new Response(this.#faulty([encoder.encode(body)], fault), {
      status: 200,
      headers: { ...headers, "content-type": "application/json" },
    });
  }

  // A body that errors once `drop-after-bytes` bytes went out.
  #faulty(chunks: Uint8Array[], fault: Fault | undefined): ReadableStream<Uint8Array> {
    let budget = fault?.kind === "drop-after-bytes" ? fault.bytes : Infinity;
    return new ReadableStream({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) return controller.close();
        if (chunk.length > budget) {
          if (budget > 0) controller.enqueue(chunk.subarray(0, budget));
          budget = 0;
          return Promise.resolve().then(() => controller.error(new TypeError("connection reset")));
        }
        budget -= chunk.length;
        controller.enqueue(chunk);
      },
    });
  }

  #sse(
    path: string,
    stream: Stream,
    begin: number,
    request: Request,
    fault: Fault | undefined,
  ): Response {
    const options = this.#options;
    let budget = fault?.kind === "drop-after-bytes" ? fault.bytes : Infinity;
    const nextCursor = (): string => String(++this.#cursor);
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const write = (text: string): boolean => {
          if (cancelled) return false;
          const bytes = encoder.encode(text);
          if (bytes.length >= budget) {
            if (budget > 0) controller.enqueue(bytes.subarray(0, budget));
            cancelled = true;
            setTimeout(() => controller.error(new TypeError("connection reset")), 0);
            return false;
          }
          budget -= bytes.length;
          controller.enqueue(bytes);
          return true;
        };
        const run = async (): Promise<void> => {
          if (fault?.kind === "silent") return;
          let pos = begin;
          let events = 0;
          let skip = fault?.kind === "skip";
          if (!write("retry: 10\n\n")) return;
          let announced = false;
          while (!cancelled && !request.signal.aborted) {
            const tail = stream.messages.length;
            if (pos < tail) {
              if (skip) {
                pos++;
                skip = false;
              }
              const end = Math.min(tail, pos + (options.maxPerResponse ?? 1000));
              const id = formatOffset(end);
              // Multi-line data, as SSE allows: one message per line.
              const lines = stream.messages.slice(pos, end).map((m, i, all) =>
                `data: ${i === 0 ? "[" : ""}${m}${i === all.length - 1 ? "]" : ","}`
              ).join("\n");
              if (!write(`event: data\nid: ${id}\n${lines}\n\n`)) return;
              pos = end;
              const control: Record<string, unknown> = {
                streamNextOffset: id,
                ...(stream.closed && pos === stream.messages.length
                  ? { streamClosed: true }
                  : { streamCursor: nextCursor() }),
                ...(pos === stream.messages.length ? { upToDate: true } : {}),
              };
              if (!write(`event: control\nid: ${id}\ndata: ${JSON.stringify(control)}\n\n`)) return;
              if (control.streamClosed) break;
              announced = pos === stream.messages.length;
              events++;
              if (options.rotateAfterEvents !== undefined && events >= options.rotateAfterEvents) {
                break;
              }
              continue;
            }
            if (stream.closed || !announced) {
              const control = {
                streamNextOffset: formatOffset(pos),
                upToDate: true,
                ...(stream.closed ? { streamClosed: true } : { streamCursor: nextCursor() }),
              };
              if (
                !write(
                  `event: control\nid: ${formatOffset(pos)}\ndata: ${JSON.stringify(control)}\n\n`,
                )
              ) return;
              announced = true;
              if (stream.closed) break;
            }
            if (this.streams.get(path) !== stream) break;
            await this.#wait(stream, options.heartbeatMs ?? 1000, request.signal);
            if (pos === stream.messages.length && !stream.closed && !write(": keep-alive\n\n")) {
              return;
            }
          }
          if (!cancelled) controller.close();
        };
        run().catch((error) => controller.error(error));
      },
      cancel: () => {
        cancelled = true;
        this.#wake(stream);
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  }
}
