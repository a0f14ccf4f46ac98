// The resuming read: opens connections one after another from the last
// delivered offset, checks every chunk against that offset (dense offsets
// make gaps and duplicates visible: log.md §3), and retries with backoff.

import { formatOffset, parseOffset, type RequestOffset } from "../protocol/offset.ts";
import { abortReason, sleep } from "./_abort.ts";
import { Position, type ReadChunk, startPosition } from "./_continuity.ts";
import { pollConnection, type SourceContext, sseConnection } from "./_read_sources.ts";
import { Backoff, backoffDelay, type BackoffOptions } from "./backoff.ts";
import { StreamError } from "./stream_error.ts";
import type {
  ConnectionCallbacks,
  LiveMode,
  ReadMetrics,
  ReadStatus,
  StreamBatch,
  StreamEvent,
  StreamReader,
} from "./stream_reader.ts";
import {
  compileTypePattern,
  type MatchingMessage,
  messageType,
  type TypeMatcher,
} from "./type_pattern.ts";

/** A clean SSE end sooner than this after connecting, with nothing new, counts as trouble. */
const QUICK_END_MS = 1000;

/** What a read needs from its client. */
export interface ReadContext {
  readonly path: string;
  readonly fetch: (request: Request) => Promise<Response>;
  /** The stream's URL with these query parameters. */
  url(params: Record<string, string>): Promise<string>;
  headers(): Promise<Headers>;
  heartbeatMs(): Promise<number | undefined>;
  longPollTimeoutMs(): Promise<number | undefined>;
  readonly callbacks: ConnectionCallbacks;
  readonly backoff: BackoffOptions;
  readonly offset: RequestOffset | number;
  readonly live: LiveMode;
  /**
   * The mode to read with, given the server's features (DISC-FEATURE-7):
   * `live`, another one, or a (final) error when the server offers none.
   */
  liveMode?(): Promise<LiveMode>;
  /** The server answered unsupported-version: its discovery document is stale (DISC-CACHE-3). */
  onUnsupportedVersion?(): void;
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

interface Handler<M> {
  readonly match: TypeMatcher | undefined;
  readonly fn: (message: never, event: StreamEvent<M>) => void;
}

function toStreamError(error: unknown): StreamError {
  if (error instanceof StreamError) return error;
  return new StreamError(`Read failed: ${String(error)}`, { code: "network", cause: error });
}

export class ReadLoop<M> implements StreamReader<M> {
  readonly #ctx: ReadContext;
  readonly #cancel = new AbortController();
  readonly #handlers: Handler<M>[] = [];
  #started = false;
  #status: ReadStatus = "connecting";
  readonly #at: Position;
  #delivered: number | undefined;
  #live: LiveMode;
  #events = 0;
  #bytes = 0;
  #reconnects = 0;

  constructor(ctx: ReadContext) {
    this.#ctx = ctx;
    this.#at = new Position(startPosition(ctx.offset));
    this.#delivered = this.#at.pos;
    this.#live = ctx.live;
  }

  get status(): ReadStatus {
    return this.#status;
  }

  getMetrics(): ReadMetrics {
    return {
      events: this.#events,
      bytes: this.#bytes,
      reconnects: this.#reconnects,
      lastOffset: this.#delivered === undefined ? undefined : formatOffset(this.#delivered),
      lag: (this.#at.pos ?? 0) - (this.#delivered ?? this.#at.pos ?? 0),
      duplicates: this.#at.duplicates,
      gaps: this.#at.gaps,
      upToDate: this.#at.upToDate,
      closed: this.#at.closed,
    };
  }

  on<P extends string>(
    pattern: P,
    handler: (message: MatchingMessage<M, P>, event: StreamEvent<M>) => void,
  ): () => void {
    return this.#add({ match: compileTypePattern(pattern), fn: handler });
  }

  onAny(handler: (event: StreamEvent<M>) => void): () => void {
    return this.#add({ match: undefined, fn: (_message, event) => handler(event) });
  }

  cancel(): void {
    this.#cancel.abort(new DOMException("Read cancelled", "AbortError"));
  }

  async run(): Promise<void> {
    for await (const _ of this);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent<M>> {
    for await (const batch of this.#batches()) {
      for (const event of batch.events) {
        this.#deliver(event);
        yield event;
      }
    }
  }

  async *batches(): AsyncIterableIterator<StreamBatch<M>> {
    for await (const batch of this.#batches()) {
      for (const event of batch.events) this.#deliver(event);
      yield batch;
    }
  }

  #add(handler: Handler<M>): () => void {
    this.#handlers.push(handler);
    return () => {
      const i = this.#handlers.indexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
    };
  }

  #deliver(event: StreamEvent<M>): void {
    this.#events++;
    this.#delivered = parseOffset(event.nextOffset);
    if (this.#handlers.length === 0) return;
    const type = messageType(event.message);
    for (const handler of [...this.#handlers]) {
      if (handler.match === undefined) handler.fn(event.message as never, event);
      else if (type !== undefined && handler.match(type)) handler.fn(event.message as never, event);
    }
  }

  #setStatus(status: ReadStatus, error?: StreamError): void {
    if (status === this.#status && status !== "reconnecting") return;
    this.#status = status;
    this.#ctx.callbacks.onStatusChange?.(status, { path: this.#ctx.path, error });
  }

  async *#batches(): AsyncGenerator<StreamBatch<M>> {
    if (this.#started) throw new TypeError("A StreamReader can be consumed only once");
    this.#started = true;
    const userSignal = this.#ctx.signal;
    const onUserAbort = (): void => this.#cancel.abort(abortReason(userSignal!));
    if (userSignal?.aborted) onUserAbort();
    userSignal?.addEventListener("abort", onUserAbort, { once: true });
    try {
      yield* this.#loop();
    } catch (error) {
      // cancel() is a clean stop; the caller's own signal is rethrown.
      if (this.#cancel.signal.aborted && !userSignal?.aborted) return;
      throw error;
    } finally {
      userSignal?.removeEventListener("abort", onUserAbort);
      this.#cancel.abort();
      if (this.#status !== "failed") this.#setStatus("done");
    }
  }

  async *#loop(): AsyncGenerator<StreamBatch<M>> {
    const signal = this.#cancel.signal;
    const backoff = new Backoff(this.#ctx.backoff);
    if (this.#ctx.liveMode !== undefined) {
      try {
        this.#live = await this.#ctx.liveMode();
      } catch (error) {
        const streamError = toStreamError(error);
        this.#setStatus("failed", streamError);
        throw streamError;
      }
    }
    const live = this.#live;
    let failure: StreamError | undefined;
    let opened = 0;
    let quickEnds = 0;
    while (true) {
      if (signal.aborted) throw abortReason(signal);
      let progressed = false;
      const openedAt = Date.now();
      const startedAt = this.#at.pos;
      try {
        const source = await this.#open(signal);
        if (opened++ > 0 && live === "sse") this.#reconnects++;
        for await (const chunk of source) {
          if (!progressed) {
            progressed = true;
            if (failure !== undefined) {
              this.#ctx.callbacks.onReconnected?.({ path: this.#ctx.path, error: failure });
              failure = undefined;
            }
            this.#setStatus("connected");
          }
          if (live !== "sse" && chunk.raws.length === 0 && !chunk.upToDate && !chunk.closed) {
            // HTTP-READ-4: an answer with no message has reached the tail.
            throw new StreamError("Empty read that is not up to date", { code: "protocol" });
          }
          const batch = this.#at.accept<M>(chunk);
          backoff.reset();
          if (batch !== undefined) {
            this.#delivered ??= parseOffset(batch.offset);
            yield batch;
          }
          if (this.#at.closed || (live === false && this.#at.upToDate)) return;
        }
        if (!progressed && live === "sse") {
          throw new StreamError("SSE response ended before any event", { code: "protocol" });
        }
        if (live === "sse") {
          // A rotation reconnects at once; a server (or proxy) that keeps
          // ending connections at once with nothing new is not hammered.
          if (this.#at.pos === startedAt && Date.now() - openedAt < QUICK_END_MS) {
            await sleep(backoffDelay(++quickEnds, this.#ctx.backoff), signal);
          } else {
            quickEnds = 0;
          }
        }
      } catch (error) {
        if (signal.aborted) throw abortReason(signal);
        const streamError = toStreamError(error);
        if (streamError.code === "unsupported-version") this.#ctx.onUnsupportedVersion?.();
        if (!streamError.transient) {
          this.#setStatus("failed", streamError);
          throw streamError;
        }
        const delay = backoff.next(streamError.retryAfterMs);
        const info = { path: this.#ctx.path, error: streamError };
        if (delay === undefined) {
          this.#ctx.callbacks.onReconnectFailed?.(info);
          this.#setStatus("failed", streamError);
          throw streamError;
        }
        if (live !== "sse") this.#reconnects++;
        failure = streamError;
        this.#ctx.callbacks.onReconnecting?.(backoff.attempt, backoff.maxAttempts, delay, info);
        this.#setStatus("reconnecting", streamError);
        await sleep(delay, signal);
      }
    }
  }

  async #open(signal: AbortSignal): Promise<AsyncGenerator<ReadChunk>> {
    const live = this.#live;
    const params: Record<string, string> = {
      offset: this.#at.pos === undefined ? "now" : formatOffset(this.#at.pos),
    };
    if (live !== false) params.live = live;
    if (live !== "sse" && this.#ctx.limit !== undefined) params.limit = String(this.#ctx.limit);
    if (live !== false && this.#at.cursor !== undefined) params.cursor = this.#at.cursor;
    const heartbeatMs = live === "sse" ? await this.#ctx.heartbeatMs() : undefined;
    const timeoutMs = live === "long-poll" ? await this.#ctx.longPollTimeoutMs() : undefined;
    const ctx: SourceContext = {
      fetch: this.#ctx.fetch,
      url: await this.#ctx.url(params),
      headers: await this.#ctx.headers(),
      signal,
      deadAfterMs: heartbeatMs === undefined || heartbeatMs <= 0 ? undefined : 2 * heartbeatMs,
      timeoutMs,
      onBytes: (bytes) => this.#bytes += bytes,
    };
    return live === "sse" ? sseConnection(ctx) : pollConnection(ctx);
  }
}
