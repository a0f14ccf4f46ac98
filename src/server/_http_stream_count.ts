// The `maxStreams` limit (DISC-LIMIT-6). The store has no count of its
// streams, so the server remembers the paths it created. Streams also vanish
// without a request (expiry, the cascade that drops a soft-deleted source
// with its last fork), so the set may hold paths that are gone; when it is
// full it is checked against the store (`head`), and only what still exists
// (soft-deleted streams included) counts.
//
// Known limit: streams a persistent store already held when the server
// started are not counted.

import { StoreError } from "../stores/event_store.ts";
import type { EventStore } from "../stores/event_store.ts";

/** Counts the streams this server created that still exist. */
export class StreamCount {
  readonly #paths = new Set<string>();
  #reserved = 0;

  constructor(readonly store: EventStore, readonly max: number) {}

  /** Takes a slot for a create, or returns false when `maxStreams` is reached. */
  async reserve(): Promise<boolean> {
    if (this.#paths.size + this.#reserved >= this.max) await this.#prune();
    if (this.#paths.size + this.#reserved >= this.max) return false;
    this.#reserved++;
    return true;
  }

  /** Gives back a slot taken by `reserve`; `created` says whether the create made a stream. */
  settle(path: string, created: boolean): void {
    this.#reserved--;
    if (created) this.#paths.add(path);
  }

  /** After a delete: a soft-deleted stream still counts, a dropped one does not. */
  async deleted(path: string): Promise<void> {
    if (!(await this.#exists(path))) this.#paths.delete(path);
  }

  async #prune(): Promise<void> {
    for (const path of [...this.#paths]) {
      if (!(await this.#exists(path))) this.#paths.delete(path);
    }
  }

  async #exists(path: string): Promise<boolean> {
    try {
      await this.store.head(path);
      return true;
    } catch (error) {
      if (error instanceof StoreError && error.slug === "stream-gone") return true;
      if (error instanceof StoreError && error.slug === "stream-not-found") return false;
      return true;
    }
  }
}
