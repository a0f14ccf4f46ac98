// What every handler of the server shares: resolved options, the count of
// live readers, and the shutdown signal that ends them.

import type { EventStore } from "../stores/event_store.ts";
import {
  DEFAULT_LIMITS,
  DEFAULT_TIMING,
  type ServerLimits,
  type ServerOptions,
  type ServerTiming,
} from "./server_options.ts";

export interface ServerContext {
  readonly store: EventStore;
  readonly limits: ServerLimits;
  readonly timing: ServerTiming;
  readonly server: { readonly name: string; readonly version: string };
  readonly clock: () => number;
  /** Aborted when the server shuts down: every live reader ends, resumably. */
  readonly shutdown: AbortSignal;
  /** Live readers (long-polls, SSE responses, WebSocket subscriptions). */
  readonly subscribers: SubscriberCount;
}

/** Counts live readers per stream and in all, against the limits. */
export class SubscriberCount {
  readonly #perStream = new Map<string, number>();
  #total = 0;

  constructor(readonly limits: ServerLimits) {}

  /** Takes a reader slot, or returns false when a limit is reached. */
  acquire(path: string): boolean {
    const n = this.#perStream.get(path) ?? 0;
    if (this.#total >= this.limits.maxSubscribers) return false;
    if (n >= this.limits.maxSubscribersPerStream) return false;
    this.#perStream.set(path, n + 1);
    this.#total++;
    return true;
  }

  /** Gives a slot back; call exactly once per successful acquire. */
  release(path: string): void {
    const n = this.#perStream.get(path) ?? 0;
    if (n <= 1) this.#perStream.delete(path);
    else this.#perStream.set(path, n - 1);
    this.#total = Math.max(0, this.#total - 1);
  }

  get total(): number {
    return this.#total;
  }
}

export function createContext(options: ServerOptions, shutdown: AbortSignal): ServerContext {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    store: options.store,
    limits,
    timing: { ...DEFAULT_TIMING, ...options.timing },
    server: options.server ?? { name: "agent-stream", version: "0.1.0" },
    clock: options.clock ?? Date.now,
    shutdown,
    subscribers: new SubscriberCount(limits),
  };
}
