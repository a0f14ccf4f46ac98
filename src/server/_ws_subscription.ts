// One WebSocket subscription: the store's batches in, data frames out, held
// to the client's window (WS-FLOW-*), to maxReadMessages and the frame size
// (WS-DATA-12, WS-FRAME-14), and to the subscriber buffer (WS-OVERFLOW-*).
//
// Messages the store has handed over but that cannot be sent yet wait in a
// queue. When the queue outgrows `subscriberBufferMessages`, a subscription
// whose window fits the buffer is paused, not ended (WS-OVERFLOW-2): the
// queue is dropped, and a new store subscription reads on from the delivered
// offset once the client can take more. Any other subscription ends with
// `subscriber-overflow` at its delivered offset.
//
// A subscription held back by its window or paused is still active, so it
// still has to hear that its stream was deleted (WS-UNSUB-4): the store
// subscription keeps watching after the stream closed (`untilDeleted`), and
// a paused subscription keeps its old store subscription for that notice.

import { formatOffset } from "../protocol/offset.ts";
import type { Problem } from "../protocol/problem.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import { StoreError, type Subscription, type SubscriptionEvent } from "../stores/event_store.ts";
import type { ServerContext } from "./_context.ts";
import { problemBody } from "./_problem.ts";
import { DATA_FRAME_OVERHEAD, dataFrameText, frameText, messagesJson } from "./_ws_frames.ts";

/** What a subscription needs from its connection. */
export interface SubscriptionHost {
  readonly ctx: ServerContext;
  /** Sends a frame's text. */
  send(text: string): void;
  /** Whether the transport holds too many unsent bytes to take data frames now. */
  congested(): boolean;
  /** Calls `sub.drained()` once the transport has room again. */
  whenDrained(sub: WsSubscription): void;
  /** Forgets the subscription and gives back its subscriber slot. */
  released(sub: WsSubscription): void;
}

/** How a subscription starts. */
export interface SubscriptionInit {
  readonly id: string;
  readonly path: string;
  readonly kind: StreamKind;
  readonly start: number;
  readonly window?: number;
  /** The stream's sliding TTL, when it has one: data frames count as reads. */
  readonly ttlSeconds?: number;
}

interface QueuedBatch {
  readonly messages: readonly Uint8Array[];
  /** Index of the first message not sent yet. */
  index: number;
  readonly nextOffset: number;
  readonly upToDate: boolean;
  readonly closed: boolean;
}

export class WsSubscription {
  readonly id: string;
  readonly path: string;
  readonly kind: StreamKind;
  readonly start: number;
  readonly #host: SubscriptionHost;
  readonly #window: number | undefined;
  /** Least time between two reads that restart the TTL: a quarter of it, so it never lapses. */
  readonly #touchEvery: number | undefined;
  #delivered: number;
  #acked: number;
  #queue: QueuedBatch[] = [];
  #queued = 0;
  #store: Subscription | undefined;
  /** Events of a dropped store subscription carry an older generation and are ignored. */
  #generation = 0;
  /** While paused: the dropped store subscription, kept for its deletion notice only. */
  #watch: { readonly subscription: Subscription; readonly generation: number } | undefined;
  #active = false;
  #paused = false;
  #ended = false;
  #deletedEarly = false;
  #earlyFailure: Problem | undefined;
  #sentData = false;
  #lastTouch = -Infinity;

  constructor(host: SubscriptionHost, init: SubscriptionInit) {
    this.#host = host;
    this.id = init.id;
    this.path = init.path;
    this.kind = init.kind;
    this.start = init.start;
    this.#window = init.window;
    this.#touchEvery = init.ttlSeconds === undefined ? undefined : init.ttlSeconds * 250;
    this.#delivered = init.start;
    this.#acked = init.start;
  }

  /** The delivered offset (section 2): where a resumed subscription starts. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Subscribes to the store; rejects with its StoreError (not found, gone, out of range). */
  async open(): Promise<void> {
    await this.#subscribe();
  }

  /**
   * Sends `subscribed` and starts delivery (WS-SUB-1, WS-SUB-3); or, when
   * reading failed in the meantime, the error instead (WS-SUB-10).
   */
  activate(): void {
    if (this.#ended) return;
    if (this.#earlyFailure) {
      this.stop();
      this.#host.send(frameText({ type: "error", sub: this.id, problem: this.#earlyFailure }));
      return;
    }
    this.#host.send(frameText({
      type: "subscribed",
      sub: this.id,
      path: this.path,
      offset: formatOffset(this.start),
      kind: this.kind,
    }));
    this.#active = true;
    if (this.#deletedEarly) {
      this.#endWith({ type: "unsubscribed", sub: this.id, reason: "deleted" });
    } else this.#pump();
  }

  /** Moves the acknowledged offset; false when `offset` is beyond what was delivered (WS-FLOW-4). */
  ack(offset: number): boolean {
    if (offset > this.#delivered) return false;
    if (offset <= this.#acked) return true; // WS-FLOW-3
    this.#acked = offset;
    this.#continue(); // WS-FLOW-2
    return true;
  }

  /** The transport has room again. */
  drained(): void {
    this.#continue();
  }

  /** Ends without a word: the connection is going, or the session sends the closing frame. */
  stop(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#dropStore();
    this.#host.released(this);
  }

  #continue(): void {
    if (this.#ended || !this.#active) return;
    if (this.#paused) {
      if (this.#allowance() > 0 && !this.#host.congested()) this.#resume();
      else if (this.#allowance() > 0) this.#host.whenDrained(this);
      return;
    }
    this.#pump();
  }

  #allowance(): number {
    return this.#window === undefined ? Infinity : this.#acked + this.#window - this.#delivered;
  }

  async #subscribe(): Promise<void> {
    const generation = ++this.#generation;
    const { store, limits } = this.#host.ctx;
    const subscription = await store.subscribe(
      this.path,
      { offset: this.#delivered, batchLimit: limits.maxReadMessages, untilDeleted: true },
      (event) => {
        if (this.#ended) return;
        if (generation === this.#generation) this.#onEvent(event);
        else if (generation === this.#watch?.generation && isDeletion(event)) {
          this.#endWith({ type: "unsubscribed", sub: this.id, reason: "deleted" }); // WS-UNSUB-4
        }
      },
    );
    if (generation !== this.#generation || this.#ended) {
      subscription.unsubscribe();
      return;
    }
    this.#store = subscription;
    this.#dropWatch();
    subscription.done.catch(() => {
      if (generation !== this.#generation || this.#ended) return;
      this.fail(problemBody("internal-error", { detail: "Reading the stream failed" }));
    });
  }

  #resume(): void {
    this.#paused = false;
    const generation = this.#generation + 1;
    this.#subscribe().catch((error) => {
      if (this.#ended || generation !== this.#generation) return;
      const gone = error instanceof StoreError &&
        (error.slug === "stream-not-found" || error.slug === "stream-gone");
      if (gone) this.#endWith({ type: "unsubscribed", sub: this.id, reason: "deleted" });
      else this.fail(problemBody("internal-error", { detail: "Reading the stream failed" }));
    });
  }

  #onEvent(event: SubscriptionEvent): void {
    if (event.type === "end") {
      // A closed stream ends with the data frame that says so, sent from the queue.
      if (event.reason !== "deleted") return;
      if (!this.#active) this.#deletedEarly = true;
      else this.#endWith({ type: "unsubscribed", sub: this.id, reason: "deleted" }); // WS-UNSUB-4
      return;
    }
    this.#queue.push({
      messages: event.messages,
      index: 0,
      nextOffset: event.nextOffset,
      upToDate: event.upToDate,
      closed: event.closed,
    });
    this.#queued += event.messages.length;
    if (!this.#active) return;
    this.#pump();
    const limit = this.#host.ctx.limits.subscriberBufferMessages;
    if (this.#ended || this.#queued <= limit) return;
    if (this.#window !== undefined && this.#window <= limit) this.#pause();
    else {
      this.fail(
        problemBody("subscriber-overflow", {
          detail: `More than ${limit} messages waited to be sent`,
          members: { offset: formatOffset(this.#delivered) },
        }),
      ); // WS-OVERFLOW-3
    }
  }

  #pause(): void {
    this.#paused = true;
    if (this.#store) this.#watch = { subscription: this.#store, generation: this.#generation };
    this.#store = undefined;
    this.#dropStore();
    if (this.#allowance() > 0) this.#host.whenDrained(this);
  }

  #dropStore(): void {
    this.#generation++;
    this.#store?.unsubscribe();
    this.#store = undefined;
    this.#queue = [];
    this.#queued = 0;
    if (this.#ended) this.#dropWatch();
  }

  #dropWatch(): void {
    this.#watch?.subscription.unsubscribe();
    this.#watch = undefined;
  }

  #pump(): void {
    const { limits } = this.#host.ctx;
    while (!this.#ended && this.#queue.length > 0) {
      const batch = this.#queue[0];
      const remaining = batch.messages.length - batch.index;
      const last = this.#queue.length === 1;
      if (remaining === 0) {
        // Empty frames are never held back by the window (section 7).
        if (batch.closed) {
          this.#sendData(batch, batch.index, true, true);
          return this.#endWith({ type: "unsubscribed", sub: this.id, reason: "closed" });
        }
        // WS-DATA-6; later empty batches (a resumed store subscription's first) say nothing new.
        if (batch.upToDate && last && !this.#sentData) {
          this.#sendData(batch, batch.index, true, false);
        }
        this.#queue.shift();
        continue;
      }
      if (this.#host.congested()) return this.#host.whenDrained(this);
      const allowance = this.#allowance();
      if (allowance <= 0) return; // WS-FLOW-1
      const end = batch.index +
        this.#fit(batch, Math.min(remaining, allowance, limits.maxReadMessages));
      const complete = end === batch.messages.length;
      if (complete) this.#queue.shift();
      // WS-DATA-4/5: up to date only if nothing else is known to follow.
      const upToDate = complete && (batch.closed || (batch.upToDate && this.#queue.length === 0));
      const closed = complete && batch.closed; // WS-DATA-8, WS-DATA-10
      this.#queued -= end - batch.index;
      this.#sendData(batch, end, upToDate, closed);
      batch.index = end;
      if (closed) return this.#endWith({ type: "unsubscribed", sub: this.id, reason: "closed" }); // WS-UNSUB-3
    }
  }

  /** How many of the next `most` messages fit one frame (WS-FRAME-14; at least one). */
  #fit(batch: QueuedBatch, most: number): number {
    const budget = this.#host.ctx.limits.maxWsFrameBytes - DATA_FRAME_OVERHEAD - this.id.length;
    let bytes = 0;
    let n = 0;
    while (n < most) {
      bytes += batch.messages[batch.index + n].length + 1;
      if (n > 0 && bytes > budget) break;
      n++;
    }
    return n;
  }

  #sendData(batch: QueuedBatch, end: number, upToDate: boolean, closed: boolean): void {
    const count = end - batch.index;
    this.#delivered += count; // WS-DATA-1
    this.#sentData = true;
    this.#host.send(
      dataFrameText(
        { sub: this.id, nextOffset: this.#delivered, upToDate, closed },
        messagesJson(batch.messages, batch.index, end),
      ),
    );
    if (count > 0 && this.#touchEvery !== undefined) this.#touch(this.#touchEvery);
  }

  // Section 6.1: a data frame with messages counts as a read for the sliding TTL.
  #touch(every: number): void {
    const { ctx } = this.#host;
    const now = ctx.clock();
    if (now - this.#lastTouch < every) return;
    this.#lastTouch = now;
    ctx.store.read(this.path, { offset: this.#delivered, limit: 1 }).catch(() => {});
  }

  #endWith(frame: { type: "unsubscribed"; sub: string; reason: "closed" | "deleted" }): void {
    if (this.#ended) return;
    this.stop();
    this.#host.send(frameText(frame));
  }

  /** Ends with an error frame resuming at the delivered offset (WS-ERROR-2, WS-ERROR-3). */
  fail(problem: Problem): void {
    if (this.#ended) return;
    if (!this.#active) {
      this.#earlyFailure = problem;
      this.#dropStore();
      return;
    }
    this.stop();
    this.#host.send(
      frameText({
        type: "error",
        sub: this.id,
        problem,
        resumeOffset: formatOffset(this.#delivered),
      }),
    );
  }
}

function isDeletion(event: SubscriptionEvent): boolean {
  return event.type === "end" && event.reason === "deleted";
}
