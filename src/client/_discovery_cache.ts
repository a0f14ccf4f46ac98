// The discovery document, fetched once and kept for its max-age
// (DISC-CACHE-1/2), refetched after an unsupported-version problem
// (DISC-CACHE-3) by whoever calls invalidate().

import type { Discovery } from "../protocol/discovery.ts";
import { errorFromResponse, StreamError } from "./stream_error.ts";

const DEFAULT_MAX_AGE_MS = 300_000;

function maxAgeMs(cacheControl: string | null): number {
  const match = /(?:^|,)\s*max-age\s*=\s*"?([0-9]+)"?/i.exec(cacheControl ?? "");
  return match === null
    ? DEFAULT_MAX_AGE_MS
    : Math.min(Number(match[1]) * 1000, DEFAULT_MAX_AGE_MS);
}

function isDiscovery(value: unknown): value is Discovery {
  if (typeof value !== "object" || value === null) return false;
  const doc = value as Record<string, unknown>;
  const bindings = doc.bindings as Record<string, unknown> | undefined;
  return doc.protocol === "agent-stream" && Array.isArray(doc.versions) &&
    typeof bindings === "object" && bindings !== null && Array.isArray(doc.features);
}

export class DiscoveryCache {
  readonly #load: (signal?: AbortSignal) => Promise<Response>;
  readonly #now: () => number;
  #value: Discovery | undefined;
  #expires = 0;
  #pending: Promise<Discovery> | undefined;

  constructor(load: (signal?: AbortSignal) => Promise<Response>, now: () => number = Date.now) {
    this.#load = load;
    this.#now = now;
  }

  /** The cached document, if fresh; never fetches. */
  get current(): Discovery | undefined {
    return this.#value !== undefined && this.#now() < this.#expires ? this.#value : undefined;
  }

  /** The last document fetched, fresh or not. */
  get last(): Discovery | undefined {
    return this.#value;
  }

  invalidate(): void {
    this.#expires = 0;
  }

  get(refresh = false, signal?: AbortSignal): Promise<Discovery> {
    const fresh = this.current;
    if (fresh !== undefined && !refresh) return Promise.resolve(fresh);
    this.#pending ??= this.#fetch(signal).finally(() => this.#pending = undefined);
    return this.#pending;
  }

  async #fetch(signal?: AbortSignal): Promise<Discovery> {
    let response: Response;
    try {
      response = await this.#load(signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new StreamError(`Discovery failed: ${String(error)}`, {
        code: "network",
        cause: error,
      });
    }
    if (!response.ok) throw await errorFromResponse(response);
    let doc: unknown;
    try {
      doc = await response.json();
    } catch (error) {
      throw new StreamError("Discovery document is not JSON", { code: "protocol", cause: error });
    }
    if (!isDiscovery(doc)) {
      throw new StreamError("Not an agent-stream discovery document", {
        code: "protocol",
        transient: false,
      });
    }
    this.#value = doc;
    this.#expires = this.#now() + maxAgeMs(response.headers.get("cache-control"));
    return doc;
  }
}
