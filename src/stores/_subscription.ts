// A live read of one stream: history first, then each committed batch, with
// no gap and no duplicate. Commit notices only say "something changed here";
// the subscription reads from its own position whenever it is behind, so a
// notice that arrives mid-catch-up can never cause a skip or a repeat.

import type { ReadResult, Subscription, SubscriptionEvent } from "./event_store.ts";
import type { StreamNotice, StreamState } from "./log_store.ts";

/** Reads committed units of the subscribed stream. */
export type StreamReader = (offset: number, limit: number) => Promise<ReadResult>;

type EndReason = "closed" | "deleted" | "unsubscribed";

export class StoreSubscription implements Subscription {
  readonly done: Promise<EndReason>;
  readonly #read: StreamReader;
  readonly #state: StreamState;
  readonly #batchLimit: number;
  readonly #listener: (event: SubscriptionEvent) => void;
  readonly #watcher: (notice: StreamNotice) => void;
  readonly #untilDeleted: boolean;
  #position: number;
  #pumping = false;
  #again = false;
  #ended = false;
  #first = true;
  /** Ended by closure, still listening for deletion (`untilDeleted`). */
  #watching = false;
  #settle!: { resolve: (reason: EndReason) => void; reject: (error: unknown) => void };

  constructor(
    read: StreamReader,
    state: StreamState,
    offset: number,
    batchLimit: number,
    listener: (event: SubscriptionEvent) => void,
    untilDeleted = false,
  ) {
    this.#read = read;
    this.#state = state;
    this.#position = offset;
    this.#batchLimit = batchLimit;
    this.#listener = listener;
    this.#untilDeleted = untilDeleted;
    this.done = new Promise((resolve, reject) => this.#settle = { resolve, reject });
    this.#watcher = (notice) => this.#onNotice(notice);
    state.watchers.add(this.#watcher);
    void this.#pump();
  }

  unsubscribe(): void {
    this.#stopWatching();
    this.#end("unsubscribed");
  }

  #onNotice(notice: StreamNotice): void {
    if (this.#watching) {
      if (notice.type !== "deleted") return;
      this.#stopWatching();
      try {
        this.#listener({ type: "end", reason: "deleted" });
      } catch {
        // The subscription has ended; nothing is left to fail.
      }
      return;
    }
    if (this.#ended) return;
    if (notice.type === "deleted") {
      this.#deliver({ type: "end", reason: "deleted" });
      this.#end("deleted");
      return;
    }
    const fits = notice.offset === this.#position && notice.entries.length <= this.#batchLimit;
    if (this.#pumping || !fits) {
      void this.#pump();
      return;
    }
    // The committed batch continues exactly where this subscription stands.
    const state = this.#state;
    let next = this.#position;
    for (const entry of notice.entries) next += state.bytes ? entry.data.length : 1;
    const upToDate = next === state.visibleTail;
    if (!upToDate) {
      void this.#pump();
      return;
    }
    const closed = state.visibleClosed;
    if (notice.entries.length > 0 || closed) {
      this.#deliver({
        type: "batch",
        offset: this.#position,
        messages: notice.messages,
        nextOffset: next,
        upToDate,
        closed,
      });
    }
    this.#position = next;
    if (closed) this.#finishClosed();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        while (!this.#ended) {
          const result = await this.#read(this.#position, this.#batchLimit);
          if (this.#ended) return;
          if (result.messages.length > 0 || result.closed || this.#first) {
            this.#first = false;
            this.#deliver({ type: "batch", ...result });
          }
          this.#position = result.nextOffset;
          if (result.closed) {
            this.#finishClosed();
            return;
          }
          if (result.upToDate) break;
        }
      } while (this.#again && !this.#ended);
    } catch (error) {
      if (this.#ended) return;
      if (this.#state.visibleDeleted || this.#state.watchers.size === 0) {
        this.#deliver({ type: "end", reason: "deleted" });
        this.#end("deleted");
      } else {
        this.#fail(error);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #finishClosed(): void {
    this.#deliver({ type: "end", reason: "closed" });
    if (this.#ended) return; // the listener unsubscribed
    this.#end("closed");
    if (this.#untilDeleted) {
      this.#watching = true;
      this.#state.watchers.add(this.#watcher);
    }
  }

  #stopWatching(): void {
    if (!this.#watching) return;
    this.#watching = false;
    this.#state.watchers.delete(this.#watcher);
  }

  #deliver(event: SubscriptionEvent): void {
    if (this.#ended) return;
    try {
      this.#listener(event);
    } catch (error) {
      this.#fail(error);
    }
  }

  #end(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#state.watchers.delete(this.#watcher);
    this.#settle.resolve(reason);
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#state.watchers.delete(this.#watcher);
    this.#settle.reject(error);
  }
}
