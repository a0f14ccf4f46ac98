/**
 * The HTTP client of agent-stream: create, append (plain or as an idempotent
 * producer), read (catch-up, long-poll, SSE) with transparent resumption,
 * metadata and delete. Runs wherever `fetch` and `ReadableStream` do.
 *
 * @module
 */

import type { Discovery } from "../protocol/discovery.ts";
import { formatOffset, isOffset, type Offset } from "../protocol/offset.ts";
import { PROTOCOL_VERSION } from "../protocol/protocol_version.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import { sleep, throwIfAborted } from "./_abort.ts";
import { DiscoveryCache } from "./_discovery_cache.ts";
import { checkAppendSize, requireFeature } from "./_discovery_rules.ts";
import { ReadLoop } from "./_read_loop.ts";
import { Backoff, retryAfterMs } from "./backoff.ts";
import { IdempotentProducer, type ProducerOptions } from "./producer.ts";
import { errorFromResponse, StreamError } from "./stream_error.ts";
import type { LiveMode, ReadOptions, StreamReader } from "./stream_reader.ts";
import type {
  AppendOptions,
  AppendResult,
  CreateOptions,
  CreateResult,
  StreamClientOptions,
  StreamInfo,
} from "./stream_client_options.ts";

interface RequestSpec {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Whether a failure may be repeated as is. */
  readonly retry: (error: StreamError) => boolean;
}

function kindOf(response: Response): StreamKind {
  return response.headers.get("agent-stream-kind") === "agent" ? "agent" : "json";
}

function offsetHeader(response: Response): Offset {
  const value = response.headers.get("stream-next-offset");
  if (value === null || !isOffset(value)) {
    throw new StreamError(`Missing or malformed Stream-Next-Offset: ${JSON.stringify(value)}`, {
      code: "protocol",
      transient: false,
    });
  }
  return value;
}

function isTrue(value: string | null): boolean {
  return value !== null && value.toLowerCase() === "true";
}

/**
 * A client of one agent-stream server over HTTP.
 *
 * @example
 * ```ts
 * import { StreamClient } from "@agent-stream/agent-stream/client";
 *
 * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
 * await client.create("chats/42", { kind: "agent" });
 * const writer = client.producer("chats/42", { id: "agent-1" });
 * await writer.append([{ type: "text.delta", delta: "Hel" }, { type: "text.delta", delta: "lo" }]);
 * await writer.append([], { close: true });
 *
 * for await (const event of client.read("chats/42", { live: "sse" })) {
 *   console.log(event.offset, event.message);
 * }
 * ```
 */
export class StreamClient {
  readonly #options: StreamClientOptions;
  readonly #base: URL;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #discovery: DiscoveryCache;
  #discoveryFailedUntil = 0;

  /** Creates a client; nothing is fetched until the first operation. */
  constructor(options: StreamClientOptions) {
    this.#options = options;
    const base = new URL(String(options.baseUrl));
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    this.#base = base;
    this.#fetch = options.fetch ?? ((request) => fetch(request));
    this.#discovery = new DiscoveryCache(async (signal) =>
      this.#fetch(
        new Request(new URL("v1", this.#base), { headers: await this.#headers(), signal }),
      )
    );
  }

  /**
   * The discovery document (discovery.md), cached for its `max-age`.
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * const doc = await client.discover();
   * console.log(doc.features.includes("sse"));
   * ```
   */
  discover(
    options: { readonly refresh?: boolean; readonly signal?: AbortSignal } = {},
  ): Promise<Discovery> {
    return this.#discovery.get(options.refresh, options.signal);
  }

  /**
   * The URL of a stream: the discovery document's `streamPrefix` (once it has
   * been read) or `{baseUrl}/v1/stream/`, then the path, each segment
   * percent-encoded (DISC-BIND-8).
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * new StreamClient({ baseUrl: "http://h" }).streamUrl("chats/a b"); // "http://h/v1/stream/chats/a%20b"
   * ```
   */
  streamUrl(path: string): string {
    const declared: unknown = this.#discovery.last?.bindings?.http?.streamPrefix;
    // DISC-BIND-1: an absolute path that starts and ends with "/".
    const prefix = typeof declared === "string" && /^\/(.*\/)?$/.test(declared)
      ? declared
      : undefined;
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    const url = prefix !== undefined
      ? new URL(prefix + encoded, this.#base.origin)
      : new URL(`v1/stream/${encoded}`, this.#base);
    return url.href;
  }

  /**
   * Creates a stream, or a fork of one. Creating a stream that exists with
   * the same configuration succeeds with `created: false`.
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * const { created, nextOffset } = await client.create("chats/42", { kind: "agent" });
   * ```
   */
  async create(path: string, options: CreateOptions = {}): Promise<CreateResult> {
    const headers: Record<string, string> = {};
    if (options.forkedFrom === undefined || options.contentType !== undefined) {
      headers["content-type"] = options.contentType ?? "application/json";
    }
    if (options.kind !== undefined) headers["agent-stream-kind"] = options.kind;
    if (options.ttlSeconds !== undefined) headers["stream-ttl"] = String(options.ttlSeconds);
    if (options.expiresAt !== undefined) {
      headers["stream-expires-at"] = options.expiresAt instanceof Date
        ? options.expiresAt.toISOString()
        : options.expiresAt;
    }
    if (options.closed === true) headers["stream-closed"] = "true";
    if (options.forkedFrom !== undefined) headers["stream-forked-from"] = options.forkedFrom;
    if (options.forkOffset !== undefined) {
      headers["stream-fork-offset"] = typeof options.forkOffset === "number"
        ? formatOffset(options.forkOffset)
        : options.forkOffset;
    }
    const response = await this.#request({
      method: "PUT",
      path,
      headers,
      body: options.messages === undefined ? undefined : JSON.stringify(options.messages),
      signal: options.signal,
      // PUT is idempotent: a repeat of a create that went through answers 200.
      retry: (error) => error.transient,
    });
    await response.body?.cancel();
    return {
      created: response.status === 201,
      nextOffset: offsetHeader(response),
      kind: kindOf(response),
    };
  }

  /**
   * Appends messages as one batch (each element one message), optionally
   * closing the stream. A plain append is repeated only when the server
   * refused it with 429; with `producer` headers every transient failure is
   * repeated, since the server then recognises a repeat (ERR-RETRY-5). An
   * append beyond the limits of the server's discovery document, or using a
   * feature it does not list, fails before anything is sent.
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * const { nextOffset } = await client.append("chats/42", [{ type: "run.started", runId: "r1" }]);
   * ```
   */
  async append(
    path: string,
    messages: readonly unknown[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (messages.length === 0 && options.close !== true) {
      throw new TypeError("An append needs at least one message unless it closes the stream");
    }
    const headers: Record<string, string> = {};
    if (messages.length > 0) headers["content-type"] = "application/json";
    if (options.close === true) headers["stream-closed"] = "true";
    if (options.streamSeq !== undefined) headers["stream-seq"] = options.streamSeq;
    const producer = options.producer;
    // DISC-FEATURE-7 and DISC-LIMIT-9: refused here rather than by the server.
    const doc = await this.#timing();
    if (producer !== undefined) requireFeature(doc, "idempotent-producer", "idempotent producers");
    if (options.streamSeq !== undefined) requireFeature(doc, "stream-seq", "Stream-Seq");
    checkAppendSize(messages, doc?.limits);
    if (producer !== undefined) {
      headers["producer-id"] = producer.id;
      headers["producer-epoch"] = String(producer.epoch);
      headers["producer-seq"] = String(producer.seq);
    }
    const response = await this.#request({
      method: "POST",
      path,
      headers,
      body: messages.length > 0 ? JSON.stringify(messages) : undefined,
      signal: options.signal,
      retry: (error) => producer !== undefined ? error.transient : error.status === 429,
    });
    await response.body?.cancel();
    const epoch = response.headers.get("producer-epoch");
    const seq = response.headers.get("producer-seq");
    return {
      nextOffset: offsetHeader(response),
      closed: isTrue(response.headers.get("stream-closed")),
      duplicate: producer !== undefined && response.status === 204 && messages.length > 0,
      ...(producer !== undefined && epoch !== null && seq !== null
        ? { producer: { epoch: Number(epoch), seq: Number(seq) } }
        : {}),
    };
  }

  /**
   * Closes a stream. Closing a closed stream succeeds (LOG-CLOSE-3).
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * await client.close("chats/42");
   * ```
   */
  close(path: string, options: Omit<AppendOptions, "close"> = {}): Promise<AppendResult> {
    return this.append(path, [], { ...options, close: true });
  }

  /**
   * A stream's metadata.
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * const { nextOffset, closed } = await client.head("chats/42");
   * ```
   */
  async head(path: string, options: { readonly signal?: AbortSignal } = {}): Promise<StreamInfo> {
    const response = await this.#request({
      method: "HEAD",
      path,
      signal: options.signal,
      retry: (error) => error.transient,
    });
    await response.body?.cancel();
    const ttl = response.headers.get("stream-ttl");
    const expiresAt = response.headers.get("stream-expires-at");
    return {
      nextOffset: offsetHeader(response),
      closed: isTrue(response.headers.get("stream-closed")),
      kind: kindOf(response),
      contentType: response.headers.get("content-type") ?? "application/json",
      ...(ttl !== null && /^[0-9]+$/.test(ttl) ? { ttlSeconds: Number(ttl) } : {}),
      ...(expiresAt !== null ? { expiresAt } : {}),
    };
  }

  /**
   * Deletes a stream.
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * await client.delete("chats/42");
   * ```
   */
  async delete(path: string, options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    const response = await this.#request({
      method: "DELETE",
      path,
      signal: options.signal,
      // A repeated delete of a stream the first try deleted answers 404.
      retry: (error) => error.status === 429,
    });
    await response.body?.cancel();
  }

  /**
   * Reads a stream from an offset: catch-up by default, or live with
   * `live: "long-poll"` or `"sse"` (SSE falls back to long-poll on a server
   * that does not list `sse`). The reader resumes after failures from
   * the last offset it received, with no gap and no duplicate, and stops
   * once the stream is closed (SSE-RESUME-4).
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * const reader = client.read("chats/42", { offset: "-1", live: "long-poll" });
   * for await (const { offset, message } of reader) console.log(offset, message);
   * console.log(reader.getMetrics());
   * ```
   */
  read<M = unknown>(path: string, options: ReadOptions = {}): StreamReader<M> {
    const client = this.#options;
    const live = options.live ?? false;
    return new ReadLoop<M>({
      path,
      fetch: this.#fetch,
      url: (params) => {
        const url = new URL(this.streamUrl(path));
        for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
        return Promise.resolve(url.href);
      },
      headers: () => this.#headers(),
      heartbeatMs: async () =>
        options.heartbeatMs ?? client.heartbeatMs ??
          (await this.#timing())?.bindings.sse?.heartbeatMs,
      longPollTimeoutMs: async () => {
        const timeout = (await this.#timing())?.bindings.longPoll?.timeoutMs;
        // The server answers 204 at its timeout; twice that plus slack means trouble.
        return timeout === undefined ? undefined : 2 * timeout + 5_000;
      },
      callbacks: {
        onStatusChange: options.onStatusChange ?? client.onStatusChange,
        onReconnecting: options.onReconnecting ?? client.onReconnecting,
        onReconnected: options.onReconnected ?? client.onReconnected,
        onReconnectFailed: options.onReconnectFailed ?? client.onReconnectFailed,
      },
      backoff: options.backoff ?? client.backoff ?? {},
      offset: options.offset ?? "-1",
      live,
      liveMode: () => this.#liveMode(live),
      onUnsupportedVersion: () => this.#discovery.invalidate(),
      limit: options.limit,
      signal: options.signal,
    });
  }

  /**
   * An idempotent producer for a stream: it numbers its appends and repeats
   * a failed one with the same numbers, so that no retry stores a batch
   * twice (log.md §7).
   *
   * @example
   * ```ts
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * const producer = client.producer("chats/42", { id: "agent-7", epoch: 1 });
   * await producer.append([{ type: "text.delta", delta: "Hi" }]);
   * ```
   */
  producer(path: string, options: ProducerOptions): IdempotentProducer {
    return new IdempotentProducer(this, path, options);
  }

  async #headers(): Promise<Headers> {
    const extra = this.#options.headers;
    const headers = new Headers(typeof extra === "function" ? await extra() : extra);
    headers.set("agent-stream-version", PROTOCOL_VERSION);
    return headers;
  }

  // Discovery only tunes timing here: a server without it (a plain Durable
  // Streams server) still works, and is not asked again for a while.
  async #timing(): Promise<Discovery | undefined> {
    if (this.#options.discovery === false) return undefined;
    const cached = this.#discovery.current;
    if (cached !== undefined) return cached;
    if (Date.now() < this.#discoveryFailedUntil) return this.#discovery.last;
    try {
      return await this.#discovery.get();
    } catch {
      this.#discoveryFailedUntil = Date.now() + 300_000;
      return this.#discovery.last;
    }
  }

  // DISC-FEATURE-7: a live mode the server does not list is not used; SSE
  // falls back to long-poll, and a server with neither reads no live.
  async #liveMode(live: LiveMode): Promise<LiveMode> {
    const features = live === false ? undefined : (await this.#timing())?.features;
    if (live === false || features === undefined || features.includes(live)) return live;
    if (live === "sse" && features.includes("long-poll")) return "long-poll";
    throw new StreamError(`The server offers no live reads (no "${live}" in its features)`, {
      code: "protocol",
      transient: false,
    });
  }

  async #request(spec: RequestSpec): Promise<Response> {
    // DISC-BIND-8: the stream URL comes from the discovery document, once read.
    await this.#timing();
    const backoff = new Backoff(this.#options.backoff);
    while (true) {
      throwIfAborted(spec.signal);
      let error: StreamError;
      try {
        const headers = await this.#headers();
        for (const [name, value] of Object.entries(spec.headers ?? {})) headers.set(name, value);
        const response = await this.#fetch(
          new Request(this.streamUrl(spec.path), {
            method: spec.method,
            headers,
            body: spec.body,
            signal: spec.signal,
          }),
        );
        if (response.ok) return response;
        error = spec.method === "HEAD" ? headError(response) : await errorFromResponse(response);
      } catch (cause) {
        if (spec.signal?.aborted) throw spec.signal.reason;
        error = cause instanceof StreamError
          ? cause
          : new StreamError(`${spec.method} failed: ${String(cause)}`, { code: "network", cause });
      }
      if (error.code === "unsupported-version") this.#discovery.invalidate();
      const delay = spec.retry(error) ? backoff.next(error.retryAfterMs) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, spec.signal);
    }
  }
}

// HEAD answers carry no problem body; the status says it all (ERR-TYPE-6).
function headError(response: Response): StreamError {
  const code = response.status === 404
    ? "stream-not-found"
    : response.status === 410
    ? "stream-gone"
    : "http";
  return new StreamError(`HTTP ${response.status}`, {
    code,
    status: response.status,
    headers: response.headers,
    retryAfterMs: retryAfterMs(response.headers),
  });
}
