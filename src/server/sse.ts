/**
 * Live reads over Server-Sent Events (spec/v1/sse.md): the Durable Streams
 * SSE framing plus event IDs, `Last-Event-ID` resumption, heartbeats,
 * rotation and a bounded buffer per response.
 *
 * @module
 */

import { formatOffset, parseOffset } from "../protocol/offset.ts";
import { PROTOCOL_VERSION } from "../protocol/protocol_version.ts";
import type { SseControl } from "../protocol/sse_control.ts";
import {
  StoreError,
  type StreamInfo,
  type Subscription,
  type SubscriptionEvent,
} from "../stores/event_store.ts";
import type { ServerContext } from "./_context.ts";
import { errorResponse, problemResponse } from "./_problem.ts";
import {
  encodeControlEvent,
  encodeDataEvent,
  encodeRetry,
  SSE_HEARTBEAT,
  type SseDataEncoding,
  sseDataEncoding,
} from "./_sse_encoder.ts";

/**
 * Answers `GET /v1/stream/{path}?live=sse`: a `text/event-stream` response
 * that delivers the stream from the requested offset (or the request's
 * `Last-Event-ID`) and stays open for new messages, or the problem response
 * a catch-up read would give (SSE-ERR-1).
 *
 * @param ctx The server's shared context.
 * @param path The stream path, percent-decoded.
 * @param request The original request; its `offset` and `cursor` query
 *   parameters and `Last-Event-ID` header are used.
 * @returns The event stream, `204` for a resumption at a closed stream's
 *   final tail, or a problem response.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "../stores/memory_store.ts";
 * import { createContext } from "./_context.ts";
 * import { sseResponse } from "./sse.ts";
 *
 * const store = new MemoryStore();
 * await store.create("chat");
 * const ctx = createContext({ store }, new AbortController().signal);
 * const request = new Request("http://localhost/v1/stream/chat?offset=-1&live=sse");
 * const response = await sseResponse(ctx, "chat", request);
 * console.log(response.headers.get("content-type")); // "text/event-stream"
 * await response.body?.cancel();
 * await store.dispose();
 * ```
 */
export async function sseResponse(
  ctx: ServerContext,
  path: string,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  const instance = url.pathname;
  if (ctx.shutdown.aborted) {
    return versioned(
      problemResponse("unavailable", { detail: "The server is shutting down", instance }),
    );
  }
  const lastEventId = request.headers.get("last-event-id");
  // SSE-RESUME-1: the header wins; the query parameter is then ignored.
  const offsets = url.searchParams.getAll("offset");
  if (lastEventId === null && offsets.length > 1) {
    const detail = "offset is given twice"; // as a catch-up read answers
    return versioned(problemResponse("invalid-offset", { detail, instance }));
  }
  const raw = lastEventId ?? offsets[0] ?? null;
  if (raw === null) {
    // Durable Streams requires the offset on live reads.
    const detail = "A live SSE read needs an offset parameter or a Last-Event-ID header";
    return versioned(problemResponse("invalid-offset", { detail, instance }));
  }
  const requested = lastEventId === null ? parseQueryOffset(raw) : parseResumeId(raw);
  if (requested === undefined) {
    const detail = lastEventId === null
      ? 'The offset parameter is neither an offset, "-1" nor "now"'
      : "Last-Event-ID is not an offset"; // SSE-RESUME-2
    return versioned(problemResponse("invalid-offset", { detail, instance }));
  }

  let info: StreamInfo;
  let offset: number;
  try {
    info = await ctx.store.head(path);
    if (requested === "now") offset = info.tail;
    else if (requested === "beyond") {
      throw new StoreError("offset-out-of-range", `The offset is beyond the tail of ${path}`, {
        tail: info.tail,
      });
    } else offset = requested;
  } catch (error) {
    return versioned(errorResponse(error, instance));
  }

  const headers = new Headers({
    "agent-stream-version": PROTOCOL_VERSION,
    "agent-stream-kind": info.kind,
  });
  // SSE-RESUME-3: a 204 is what stops an EventSource from reconnecting.
  if (lastEventId !== null && info.closed && offset === info.tail) {
    headers.set("stream-next-offset", formatOffset(info.tail));
    headers.set("stream-closed", "true");
    headers.set("stream-up-to-date", "true");
    return new Response(null, { status: 204, headers });
  }

  if (!ctx.subscribers.acquire(path)) {
    return versioned(problemResponse("subscriber-limit", {
      detail: `Too many live readers of ${path}`,
      instance,
      members: { retryAfterMs: ctx.timing.sseRetryMs },
    }));
  }
  const encoding = sseDataEncoding(info.contentType);
  const session = new SseSession(ctx, path, encoding, url.searchParams.get("cursor"));
  try {
    await session.start(offset);
  } catch (error) {
    session.abandon();
    return versioned(errorResponse(error, instance));
  }

  headers.set("content-type", "text/event-stream");
  headers.set("cache-control", "no-cache");
  headers.set("x-content-type-options", "nosniff");
  // Reverse proxies such as nginx would otherwise hold events back.
  headers.set("x-accel-buffering", "no");
  if (encoding === "base64") headers.set("stream-sse-data-encoding", "base64");
  return new Response(session.stream, { status: 200, headers });
}

/** A start offset, `now`, or an offset too large for any stream; undefined when malformed. */
type Requested = number | "now" | "beyond" | undefined;

function parseQueryOffset(value: string): Requested {
  if (value === "-1") return 0;
  if (value === "now") return "now";
  return parseResumeId(value);
}

function parseResumeId(value: string): Requested {
  try {
    return parseOffset(value);
  } catch (error) {
    return error instanceof RangeError ? "beyond" : undefined;
  }
}

function versioned(response: Response): Response {
  response.headers.set("agent-stream-version", PROTOCOL_VERSION);
  return response;
}

/** One data event with its control event, or a comment: written whole or not at all. */
interface QueuedEvent {
  readonly chunks: readonly Uint8Array[];
  /** Messages the event carries, counted against the subscriber buffer. */
  readonly messages: number;
}

type SessionState = "open" | "draining" | "closed";

/**
 * One SSE response. Batches from the store become events in a queue that
 * the response body pulls from. The queue is bounded: when it holds
 * `subscriberBufferMessages` messages the session stops listening to the
 * store and resubscribes from where it stood once the reader has taken half
 * of them, so a reader far behind is paced by its own speed. A reader that
 * takes nothing for `heartbeatMs` while events wait is cut off at an event
 * boundary and resumes from its last `id`.
 */
class SseSession {
  readonly stream: ReadableStream<Uint8Array>;
  readonly #ctx: ServerContext;
  readonly #path: string;
  readonly #encoding: SseDataEncoding;
  readonly #batchLimit: number;
  readonly #cursorFloor: bigint;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #state: SessionState = "open";
  /** Where the store subscription stands. */
  #position = 0;
  /** Text streams: bytes of a character a batch split, not yet written. */
  #carry: Uint8Array = new Uint8Array(0);
  #queue: QueuedEvent[] = [];
  #queueHead = 0;
  #pendingMessages = 0;
  /** Resolves the body's pending pull once an event arrives. */
  #wake: (() => void) | undefined;
  /** Bumped whenever the current subscription is let go, so its late events are ignored. */
  #generation = 0;
  #subscription: Subscription | undefined;
  #paused = false;
  #lastWrite = Date.now();
  #lastPull = Date.now();
  #lastCursor = 0n;
  #lastControl = "";
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #rotateTimer: ReturnType<typeof setTimeout> | undefined;
  #released = false;

  constructor(
    ctx: ServerContext,
    path: string,
    encoding: SseDataEncoding,
    cursor: string | null,
  ) {
    this.#ctx = ctx;
    this.#path = path;
    this.#encoding = encoding;
    // Offsets of byte streams count bytes: a message-sized batch would cut
    // every chunk into slivers. Catch-up reads of byte streams use the same bound.
    this.#batchLimit = encoding === "json" ? ctx.limits.maxReadMessages : ctx.limits.maxBodyBytes;
    this.#cursorFloor = cursorFloor(cursor, ctx.clock(), ctx.timing.cursorIntervalMs);
    // highWaterMark 0: the body asks for an event only when its reader
    // wants one, so the queue counts exactly what the reader has not taken.
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: () => this.#pull(),
      // The client went away: Deno, Bun and @hono/node-server all cancel
      // the body. (Reading request.signal instead makes Deno.serve warn.)
      cancel: () => this.#close(),
    }, { highWaterMark: 0 });
  }

  /** Subscribes from `offset`; rejects with the store's refusal. */
  async start(offset: number): Promise<void> {
    this.#position = offset;
    this.#push([encodeRetry(this.#ctx.timing.sseRetryMs)], 0); // SSE-HEARTBEAT-2
    await this.#subscribe();
    if (this.#state === "closed") return;
    onShutdown(this.#ctx.shutdown).add(this);
    this.#armTick(this.#ctx.timing.heartbeatMs);
    if (this.#state === "open") {
      // SSE-ROTATE-2; #end drains the queue, so the last event is a control (SSE-ROTATE-1).
      this.#rotateTimer = setTimeout(() => this.#end("drain"), this.#ctx.timing.sseRotationMs);
    }
  }

  /** Ends the response at once; its reader resumes elsewhere or later. */
  shutdown(): void {
    this.#end("cut");
  }

  /** Gives everything back when the response was never sent. */
  abandon(): void {
    this.#close();
  }

  async #subscribe(): Promise<void> {
    const generation = ++this.#generation;
    const subscription = await this.#ctx.store.subscribe(
      this.#path,
      { offset: this.#position, batchLimit: this.#batchLimit },
      (event) => this.#onEvent(generation, event),
    );
    if (generation !== this.#generation || this.#state !== "open") {
      subscription.unsubscribe();
      return;
    }
    this.#subscription = subscription;
    subscription.done.then(
      (reason) => {
        if (reason === "deleted" && generation === this.#generation) this.#end("cut");
      },
      () => {
        // The store failed mid-stream: end, and let the reader's next
        // request meet the error as an HTTP status (sse.md §5).
        if (generation === this.#generation) this.#end("cut");
      },
    );
  }

  #onEvent(generation: number, event: SubscriptionEvent): void {
    if (generation !== this.#generation || this.#state !== "open") return;
    if (event.type === "end") {
      // A close was already reported by the batch that carried it.
      this.#end(event.reason === "closed" ? "drain" : "cut"); // SSE-CLOSE-3
      return;
    }
    if (event.offset !== this.#position) {
      this.#end("cut"); // never write a gap or a repeat
      return;
    }
    const data = encodeDataEvent(this.#encoding, event, this.#carry);
    this.#carry = data.carry;
    this.#position = event.nextOffset;
    const upToDate = event.upToDate && data.carry.length === 0;
    const key = `${data.nextOffset}:${upToDate}:${event.closed}`;
    // SSE-EVENT-2: every data event is followed by its control event;
    // SSE-EVENT-4: an empty batch still reports a new position or state.
    if (data.bytes !== undefined || key !== this.#lastControl) {
      this.#lastControl = key;
      const control: SseControl = { streamNextOffset: formatOffset(data.nextOffset) };
      if (!event.closed) control.streamCursor = this.#cursor(); // SSE-EVENT-5
      if (upToDate) control.upToDate = true; // SSE-EVENT-3
      if (event.closed) control.streamClosed = true; // SSE-CLOSE-1, SSE-CLOSE-2
      const controlBytes = encodeControlEvent(control);
      const chunks = data.bytes === undefined ? [controlBytes] : [data.bytes, controlBytes];
      this.#push(chunks, event.messages.length);
    }
    if (event.closed) this.#end("drain");
    else if (this.#pendingMessages >= this.#ctx.limits.subscriberBufferMessages) this.#pause();
  }

  /** Durable Streams §10.1: an interval number, above the request's cursor. */
  #cursor(): string {
    const interval = Math.max(1, this.#ctx.timing.cursorIntervalMs);
    const now = BigInt(Math.max(0, Math.floor(this.#ctx.clock() / interval)));
    for (const floor of [now, this.#cursorFloor]) {
      if (floor > this.#lastCursor) this.#lastCursor = floor;
    }
    return String(this.#lastCursor);
  }

  #pause(): void {
    this.#paused = true;
    this.#letGo();
  }

  #maybeResume(): void {
    if (!this.#paused || this.#state !== "open") return;
    if (this.#pendingMessages > Math.floor(this.#ctx.limits.subscriberBufferMessages / 2)) return;
    this.#paused = false;
    this.#subscribe().catch(() => this.#end("cut"));
  }

  #letGo(): void {
    this.#generation++;
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  #push(chunks: readonly Uint8Array[], messages: number): void {
    if (this.#state === "closed") return;
    this.#queue.push({ chunks, messages });
    this.#pendingMessages += messages;
    this.#lastWrite = Date.now();
    const wake = this.#wake;
    if (wake) {
      this.#wake = undefined;
      this.#deliver();
      wake();
    }
  }

  #pull(): Promise<void> | void {
    this.#lastPull = Date.now();
    if (this.#deliver()) return;
    if (this.#state !== "open") return this.#close();
    return new Promise<void>((resolve) => this.#wake = resolve);
  }

  /** Hands the oldest queued event to the body; false when there is none. */
  #deliver(): boolean {
    if (this.#queueHead >= this.#queue.length) return false;
    const event = this.#queue[this.#queueHead++];
    if (this.#queueHead >= this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    } else if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    this.#pendingMessages -= event.messages;
    for (const chunk of event.chunks) this.#controller.enqueue(chunk);
    if (this.#state === "draining" && this.#queueHead >= this.#queue.length) this.#close();
    else this.#maybeResume();
    return true;
  }

  /**
   * Stops reading the store. `drain` writes what is queued first (a closed
   * stream's last control event, a rotation); `cut` ends at once, dropping
   * queued events the reader will fetch again when it resumes.
   */
  #end(how: "drain" | "cut"): void {
    if (this.#state === "closed") return;
    this.#letGo();
    this.#paused = false;
    clearTimeout(this.#rotateTimer);
    if (how === "cut" || this.#queueHead >= this.#queue.length) this.#close();
    else this.#state = "draining";
  }

  /** Ends the response and gives back its subscriber slot; idempotent. */
  #close(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#letGo();
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#rotateTimer);
    onShutdown(this.#ctx.shutdown).delete(this);
    this.#queue = [];
    this.#queueHead = 0;
    this.#pendingMessages = 0;
    try {
      this.#controller.close();
    } catch {
      // Already cancelled by the reader.
    }
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    if (!this.#released) {
      this.#released = true;
      this.#ctx.subscribers.release(this.#path);
    }
  }

  #armTick(delay: number): void {
    this.#tickTimer = setTimeout(() => this.#tick(), Math.max(1, delay));
  }

  /** Heartbeats on a silent connection; cuts off a reader that stopped reading. */
  #tick(): void {
    if (this.#state === "closed") return;
    const interval = this.#ctx.timing.heartbeatMs;
    const now = Date.now();
    if (this.#queueHead < this.#queue.length) {
      if (now - this.#lastPull >= interval) return this.#end("cut");
      return this.#armTick(interval - (now - this.#lastPull));
    }
    if (now - this.#lastWrite >= interval) this.#push([SSE_HEARTBEAT], 0); // SSE-HEARTBEAT-1
    this.#armTick(interval - (Date.now() - this.#lastWrite));
  }
}

// One abort listener per shutdown signal, however many responses are open:
// some runtimes warn about many listeners on one AbortSignal.
const sessionsByShutdown = new WeakMap<AbortSignal, Set<SseSession>>();

function onShutdown(signal: AbortSignal): Set<SseSession> {
  let sessions = sessionsByShutdown.get(signal);
  if (!sessions) {
    const open = new Set<SseSession>();
    signal.addEventListener("abort", () => {
      for (const session of [...open]) session.shutdown();
    }, { once: true });
    sessionsByShutdown.set(signal, open);
    sessions = open;
  }
  return sessions;
}

/** The lowest cursor a response may send: above the request's own (HTTP-POLL-4's rule). */
function cursorFloor(requested: string | null, now: number, intervalMs: number): bigint {
  // A cursor that is not a number is not ours, and is not compared.
  if (requested === null || !/^[0-9]{1,40}$/.test(requested)) return 0n;
  const interval = Math.max(1, intervalMs);
  const value = BigInt(requested);
  if (value < BigInt(Math.max(0, Math.floor(now / interval)))) return 0n;
  // Jitter of up to an hour, as Durable Streams does, so that clients in
  // step do not move to the same next cursor.
  const spread = Math.max(1, Math.ceil(3_600_000 / interval));
  return value + BigInt(1 + Math.floor(Math.random() * spread));
}
