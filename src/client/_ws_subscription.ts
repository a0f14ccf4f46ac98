// One subscription of a WsClient, across connections: it resubscribes from
// the offset after the last message it received (WS-RESUME-1), each time
// under a fresh subscription id so that frames of an old one are ignored
// (WS-FRAME-11), and ends for good once its stream is closed or deleted.

import { formatOffset, isOffset, parseOffset, type RequestOffset } from "../protocol/offset.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import type { WsClientFrame } from "../protocol/ws_client_frame.ts";
import type {
  DataFrame,
  ErrorFrame,
  SubscribedFrame,
  UnsubscribedFrame,
} from "../protocol/ws_server_frame.ts";
import { abortReason } from "./_abort.ts";
import { Position, startPosition } from "./_continuity.ts";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import { problemCode, StreamError } from "./stream_error.ts";
import type { StreamEvent } from "./stream_reader.ts";
import type {
  WsSubscription,
  WsSubscriptionEnd,
  WsSubscriptionMetrics,
} from "./ws_subscription.ts";

/** What a subscription needs from its client. */
export interface SubscriptionHost {
  /** Sends a frame when connected; false when not (the subscription waits). */
  send(frame: WsClientFrame): boolean;
  /** A subscription id not used before on this client. */
  nextWireId(): string;
  route(wire: string, subscription: WsSubscriptionState<never>): void;
  unroute(wire: string): void;
  forget(subscription: WsSubscriptionState<never>): void;
  readonly backoff: BackoffOptions;
}

export class WsSubscriptionState<M> implements WsSubscription<M> {
  readonly path: string;
  readonly done: Promise<WsSubscriptionEnd>;
  readonly #host: SubscriptionHost;
  readonly #handler: (event: StreamEvent<M>) => void;
  readonly #window: number | undefined;
  readonly #at: Position;
  readonly #backoff: Backoff;
  #kind: StreamKind | undefined;
  #wire: string | undefined;
  #ended = false;
  #leaving = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #events = 0;
  #resubscribes = 0;
  #resolve!: (end: WsSubscriptionEnd) => void;
  #reject!: (error: unknown) => void;
  #onAbort: (() => void) | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    host: SubscriptionHost,
    path: string,
    options: { offset?: RequestOffset | number; window?: number; signal?: AbortSignal },
    handler: (event: StreamEvent<M>) => void,
  ) {
    this.#host = host;
    this.path = path;
    this.#handler = handler;
    this.#window = options.window;
    this.#at = new Position(startPosition(options.offset ?? "-1"));
    this.#backoff = new Backoff(host.backoff);
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A caller that only awaits `done` later must not see an unhandled rejection.
    this.done.catch(() => {});
    const signal = options.signal;
    if (signal !== undefined) {
      this.#signal = signal;
      this.#onAbort = () => this.#fail(abortReason(signal), true);
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  get kind(): StreamKind | undefined {
    return this.#kind;
  }

  get nextOffset(): string | undefined {
    return this.#at.pos === undefined ? undefined : formatOffset(this.#at.pos);
  }

  get ended(): boolean {
    return this.#ended;
  }

  getMetrics(): WsSubscriptionMetrics {
    return {
      events: this.#events,
      resubscribes: this.#resubscribes,
      duplicates: this.#at.duplicates,
      gaps: this.#at.gaps,
      lastOffset: this.nextOffset,
      upToDate: this.#at.upToDate,
      closed: this.#at.closed,
    };
  }

  /** Subscribes on the current connection, from where the subscription is. */
  subscribe(): void {
    if (this.#ended || this.#leaving) return;
    clearTimeout(this.#retryTimer);
    if (this.#wire !== undefined) {
      this.#host.send({ type: "unsubscribe", sub: this.#wire });
      this.#host.unroute(this.#wire);
    }
    const wire = this.#host.nextWireId();
    const offset = this.#at.pos === undefined ? "now" : formatOffset(this.#at.pos);
    const frame: WsClientFrame = { type: "subscribe", sub: wire, path: this.path, offset };
    if (this.#window !== undefined) frame.window = this.#window;
    if (!this.#host.send(frame)) {
      this.#wire = undefined;
      return;
    }
    this.#wire = wire;
    this.#host.route(wire, this as WsSubscriptionState<never>);
  }

  /** The connection is gone; the next one subscribes again. */
  disconnected(): void {
    if (this.#wire !== undefined) this.#host.unroute(this.#wire);
    this.#wire = undefined;
    clearTimeout(this.#retryTimer);
    if (this.#leaving) this.#end({ reason: "client" });
  }

  onSubscribed(frame: SubscribedFrame): void {
    if (frame.kind === "json" || frame.kind === "agent") this.#kind = frame.kind;
    // "now" resolves here (WS-SUB-2).
    if (this.#at.pos === undefined && isOffset(frame.offset)) {
      this.#at.pos = parseOffset(frame.offset);
    }
  }

  onData(frame: DataFrame, raws: readonly string[]): void {
    if (this.#ended || this.#leaving) return;
    let batch;
    try {
      batch = this.#at.accept<M>({
        raws,
        parsed: frame.messages,
        next: parseOffset(frame.nextOffset),
        upToDate: frame.upToDate === true,
        closed: frame.closed === true,
      });
    } catch (error) {
      // A gap, or a frame this client cannot read: ask again from where it is.
      this.#resubscribeLater(error instanceof StreamError ? error : undefined, 0);
      return;
    }
    this.#backoff.reset();
    if (batch !== undefined) {
      for (const event of batch.events) {
        this.#events++;
        try {
          this.#handler(event);
        } catch (error) {
          this.#fail(error, true);
          return;
        }
      }
      // WS-FLOW-6: acknowledge what was consumed, so the window moves on.
      if (this.#window !== undefined && batch.events.length > 0) {
        this.#host.send({ type: "ack", sub: this.#wire!, offset: batch.nextOffset });
      }
    }
    if (this.#at.closed) this.#end({ reason: "closed" });
  }

  onUnsubscribed(frame: UnsubscribedFrame): void {
    if (frame.reason === "closed") {
      this.#end({ reason: "closed" });
    } else if (frame.reason === "deleted") {
      this.#end({ reason: "deleted" });
    } else if (this.#leaving) {
      this.#end({ reason: "client" });
    } else {
      // Ended without our asking and without a final reason: pick it up again.
      this.#resubscribeLater(undefined, 0);
    }
  }

  onError(frame: ErrorFrame): void {
    const error = new StreamError(frame.problem.detail ?? frame.problem.title, {
      code: problemCode(frame.problem),
      problem: frame.problem,
      retryAfterMs: typeof frame.problem.retryAfterMs === "number"
        ? frame.problem.retryAfterMs
        : undefined,
    });
    if (this.#leaving) {
      this.#end({ reason: "client" });
    } else if (error.code === "subscriber-overflow") {
      // WS-OVERFLOW-5: resume from the delivered offset, which is ours.
      this.#resubscribeLater(error, 0);
    } else if (error.transient) {
      this.#resubscribeLater(error);
    } else {
      this.#fail(error, false);
    }
  }

  unsubscribe(): Promise<void> {
    if (this.#ended) return Promise.resolve();
    if (!this.#leaving) {
      this.#leaving = true;
      clearTimeout(this.#retryTimer);
      // WS-UNSUB-5: frames may still come until `unsubscribed`; they are dropped.
      if (this.#wire === undefined || !this.#host.send({ type: "unsubscribe", sub: this.#wire })) {
        this.#end({ reason: "client" });
      }
    }
    return this.done.then(() => {}, () => {});
  }

  /** Ends the subscription with an error (the client gave up, or closed). */
  fail(error: unknown): void {
    this.#fail(error, false);
  }

  /** Ends the subscription quietly (the client was closed by its owner). */
  stop(): void {
    this.#end({ reason: "client" });
  }

  #resubscribeLater(error: StreamError | undefined, delayMs?: number): void {
    if (this.#wire !== undefined) {
      this.#host.send({ type: "unsubscribe", sub: this.#wire });
      this.#host.unroute(this.#wire);
      this.#wire = undefined;
    }
    const delay = delayMs ?? this.#backoff.next(error?.retryAfterMs);
    if (delay === undefined) {
      this.#fail(error, false);
      return;
    }
    this.#resubscribes++;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.subscribe(), delay);
  }

  #fail(error: unknown, unsubscribe: boolean): void {
    if (this.#ended) return;
    if (unsubscribe && this.#wire !== undefined) {
      this.#host.send({ type: "unsubscribe", sub: this.#wire });
    }
    this.#finish();
    this.#reject(error);
  }

  #end(end: WsSubscriptionEnd): void {
    if (this.#ended) return;
    this.#finish();
    this.#resolve(end);
  }

  #finish(): void {
    this.#ended = true;
    clearTimeout(this.#retryTimer);
    if (this.#wire !== undefined) this.#host.unroute(this.#wire);
    this.#wire = undefined;
    if (this.#onAbort !== undefined) this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#host.forget(this as WsSubscriptionState<never>);
  }
}
