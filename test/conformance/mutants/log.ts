// Mutants of log.md: stores and HTTP layers that get one log rule wrong, the
// way a real implementation might.

import { StoreError } from "../../../src/stores/event_store.ts";
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  StreamInfo,
} from "../../../src/stores/event_store.ts";
import { decideProducer } from "../../../src/stores/_log_rules.ts";
import { MemoryStore, type MemoryStoreOptions } from "../../../src/stores/memory_store.ts";
import { mapHttp, withHeaders } from "../mutant.ts";
import type { Mutant } from "../mutant.ts";
import { TEST_TIMING } from "../reference_server.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LONG_POLL_MS = TEST_TIMING.longPollTimeoutMs!;

/**
 * A mutant whose store is a MemoryStore with some operations replaced;
 * `override` gets the real store. The store is made when the server starts.
 */
function storeMutant(
  name: string,
  breaks: string,
  override: (inner: EventStore) => Partial<EventStore>,
  options: MemoryStoreOptions = {},
): Mutant {
  return {
    name,
    breaks,
    get create() {
      const inner = new MemoryStore(options);
      const o = override(inner);
      const store: EventStore = {
        create: o.create ?? ((path, opts) => inner.create(path, opts)),
        append: o.append ?? ((path, request) => inner.append(path, request)),
        read: o.read ?? ((path, opts) => inner.read(path, opts)),
        head: o.head ?? ((path) => inner.head(path)),
        delete: o.delete ?? ((path) => inner.delete(path)),
        subscribe: o.subscribe ?? ((path, opts, listener) => inner.subscribe(path, opts, listener)),
        dispose: () => inner.dispose(),
      };
      return { store };
    },
  };
}

/** A request whose URL query is changed by `edit`. */
function withQuery(request: Request, edit: (query: URLSearchParams) => void): Request {
  const url = new URL(request.url);
  edit(url.searchParams);
  return new Request(url, request);
}

function isStream(request: Request): boolean {
  return new URL(request.url).pathname.startsWith("/v1/stream/");
}

function problem(slug: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(
    JSON.stringify({ type: `https://agent-stream.dev/problems/${slug}`, title: slug, status }),
    { status, headers: { "content-type": "application/problem+json", ...headers } },
  );
}

async function slugOf(response: Response): Promise<string | undefined> {
  try {
    const body = await response.clone().json();
    return String(body.type).split("/").at(-1);
  } catch {
    return undefined;
  }
}

/** Retries a refused producer append as `retry` says, storing it after all. */
function acceptingProducers(
  slug: string,
  retry: (request: AppendRequest, error: StoreError) => AppendRequest,
): (inner: EventStore) => Partial<EventStore> {
  return (inner) => ({
    async append(path, request) {
      try {
        return await inner.append(path, request);
      } catch (error) {
        if (!(error instanceof StoreError) || error.slug !== slug) throw error;
        return await inner.append(path, retry(request, error));
      }
    },
  });
}

/** Closure kept beside the store instead of in it, and forgotten by appends. */
function leakyClosure(inner: EventStore): Partial<EventStore> {
  const closed = new Set<string>();
  const info = async (path: string): Promise<StreamInfo> => ({
    ...(await inner.head(path)),
    closed: closed.has(path),
  });
  return {
    async create(path, options = {}) {
      const result = await inner.create(path, { ...options, closed: false });
      if (options.closed && result.created) closed.add(path);
      return { ...result, stream: await info(path) };
    },
    async append(path, request): Promise<AppendResult> {
      if (request.messages.length === 0 && request.close) {
        closed.add(path);
        return { nextOffset: (await inner.head(path)).tail, closed: true, duplicate: false };
      }
      const result = await inner.append(path, { ...request, close: false });
      if (request.close) closed.add(path);
      return { ...result, closed: closed.has(path) };
    },
    async read(path, options) {
      const result = await inner.read(path, options);
      return { ...result, closed: closed.has(path) && result.upToDate };
    },
    head: info,
  };
}

/** Judges producers on its own and applies the verdict later, unserialised. */
function racingProducers(inner: EventStore): Partial<EventStore> {
  const states = new Map<string, { epoch: number; seq: number }>();
  return {
    async append(path, request) {
      const p = request.producer;
      if (p === undefined) return await inner.append(path, request);
      const key = `${path}\n${p.id}`;
      const decision = decideProducer(states.get(key), p);
      if (decision.outcome === "duplicate") {
        const info = await inner.head(path);
        return {
          nextOffset: info.tail,
          closed: info.closed,
          duplicate: true,
          producer: decision.state,
        };
      }
      await sleep(20);
      const result = await inner.append(path, { ...request, producer: undefined });
      states.set(key, { epoch: p.epoch, seq: p.seq });
      return { ...result, producer: { epoch: p.epoch, seq: p.seq } };
    },
  };
}

/** A fork that is only another name for its source: shallow, sharing everything. */
function aliasedForks(inner: EventStore): Partial<EventStore> {
  const sources = new Map<string, string>();
  const of = (path: string) => sources.get(path) ?? path;
  return {
    async create(path, options = {}) {
      const result = await inner.create(path, options);
      if (options.fork && result.created) sources.set(path, of(options.fork.path));
      return result;
    },
    append: (path, request) => inner.append(of(path), request),
    read: (path, options) => inner.read(of(path), options),
    async head(path) {
      return { ...(await inner.head(of(path))), path };
    },
    subscribe: (path, options, listener) => inner.subscribe(of(path), options, listener),
  };
}

/** Forks that lose what they inherited once their source is deleted. */
function forgetfulForks(inner: EventStore): Partial<EventStore> {
  const forks = new Map<string, { source: string; offset: number }>();
  const deleted = new Set<string>();
  return {
    async create(path, options = {}) {
      const fork = options.fork;
      const offset = fork ? fork.offset ?? (await inner.head(fork.path)).tail : 0;
      const result = await inner.create(path, options);
      if (fork && result.created) forks.set(path, { source: fork.path, offset });
      return result;
    },
    async delete(path) {
      await inner.delete(path);
      deleted.add(path);
    },
    async read(path, options = {}) {
      const result = await inner.read(path, options);
      const fork = forks.get(path);
      if (!fork || !deleted.has(fork.source)) return result;
      const lost = Math.max(0, fork.offset - (options.offset ?? 0));
      return { ...result, messages: result.messages.slice(lost) };
    },
  };
}

/** Mirrors producer state to spot duplicates itself, and takes a new epoch's seq 0 for a retry. */
function epochBlindDuplicates(inner: EventStore): Partial<EventStore> {
  const states = new Map<string, { epoch: number; seq: number }>();
  return {
    async append(path, request) {
      const p = request.producer;
      const key = `${path}\n${p?.id}`;
      const state = states.get(key);
      if (p && state && p.epoch > state.epoch && p.seq === 0) {
        const info = await inner.head(path);
        return { nextOffset: info.tail, closed: info.closed, duplicate: true, producer: state };
      }
      const result = await inner.append(path, request);
      if (p && !result.duplicate) states.set(key, { epoch: p.epoch, seq: p.seq });
      return result;
    },
  };
}

/** Forgets producers idle for more than 16 appends: their retries are stored again. */
function forgetfulProducers(inner: EventStore): Partial<EventStore> {
  const appends = new Map<string, number>();
  const lastSeen = new Map<string, number>();
  return {
    async append(path, request) {
      const count = (appends.get(path) ?? 0) + 1;
      appends.set(path, count);
      const p = request.producer;
      const result = await inner.append(path, request);
      if (p === undefined) return result;
      const key = `${path}\n${p.id}`;
      const idle = count - (lastSeen.get(key) ?? count);
      lastSeen.set(key, count);
      if (!result.duplicate || idle <= 16 || request.messages.length === 0) return result;
      const again = await inner.append(path, { ...request, producer: undefined });
      return { ...again, producer: { epoch: p.epoch, seq: p.seq } };
    },
  };
}

/** Mutants of log.md. */
export const logMutants: readonly Mutant[] = [
  storeMutant("a conflicting create changes the stream's kind", "LOG-STREAM-1", (inner) => {
    const kinds = new Map<string, "json" | "agent">();
    const info = async (path: string) => {
      const stream = await inner.head(path);
      return { ...stream, kind: kinds.get(path) ?? stream.kind };
    };
    return {
      async create(path, options) {
        try {
          return await inner.create(path, options);
        } catch (error) {
          if (!(error instanceof StoreError) || options?.kind === undefined) throw error;
          kinds.set(path, options.kind);
          return { created: false, stream: await info(path) };
        }
      },
      head: info,
    };
  }),
  storeMutant("every create answers created", "LOG-STREAM-2", (inner) => ({
    async create(path, options) {
      return { ...(await inner.create(path, options)), created: true };
    },
  })),
  {
    name: "escapes non-ASCII characters of appended messages",
    breaks: "LOG-MSG-1",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "POST" || !isStream(request)) return await next(request);
      const text = await request.text();
      const escaped = text.replace(
        /[^ -~\t\n\r]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      );
      return await next(new Request(request, { body: escaped }));
    }),
  },
  {
    name: "parses and re-serialises appended messages",
    breaks: "LOG-MSG-2",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "POST" || !isStream(request)) return await next(request);
      const text = await request.text();
      let body = text;
      try {
        body = JSON.stringify(JSON.parse(text));
      } catch {
        // Left to the server to refuse.
      }
      return await next(new Request(request, { body }));
    }),
  },
  {
    name: "tolerates trailing commas",
    breaks: "LOG-MSG-3",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "POST" || !isStream(request)) return await next(request);
      const body = (await request.text()).replace(/,(\s*[\]}])/g, "$1");
      return await next(new Request(request, { body }));
    }),
  },
  {
    name: "mints offsets without zero padding",
    breaks: "LOG-OFFSET-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      const offset = response.headers.get("stream-next-offset");
      return offset === null
        ? response
        : withHeaders(response, { "stream-next-offset": String(Number(offset)) });
    }),
  },
  {
    name: "reads offset=now as the start",
    breaks: "LOG-OFFSET-2",
    wrap: mapHttp((request, next) =>
      next(withQuery(request, (q) => q.get("offset") === "now" && q.set("offset", "-1")))
    ),
  },
  {
    name: "accepts offsets shorter than 16 digits",
    breaks: "LOG-OFFSET-3",
    wrap: mapHttp((request, next) =>
      next(withQuery(request, (q) => {
        const offset = q.get("offset") ?? "";
        if (/^[0-9]{1,15}$/.test(offset)) q.set("offset", offset.padStart(16, "0"));
      }))
    ),
  },
  {
    name: "reads an offset beyond the tail as the tail",
    breaks: "LOG-OFFSET-4",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request.clone());
      if (request.method !== "GET" || (await slugOf(response)) !== "offset-out-of-range") {
        return response;
      }
      return await next(withQuery(request, (q) => q.set("offset", "now")));
    }),
  },
  storeMutant("appends a batch message by message", "LOG-APPEND-1", (inner) => ({
    async append(path, request) {
      if (request.messages.length < 2 || request.close || request.producer || request.streamSeq) {
        return await inner.append(path, request);
      }
      let result!: AppendResult;
      for (const message of request.messages) {
        result = await inner.append(path, { ...request, messages: [message] });
        await sleep(2);
      }
      return result;
    },
  })),
  storeMutant("stores a batch in reverse order", "LOG-APPEND-2", (inner) => ({
    append: (path, request) =>
      inner.append(path, { ...request, messages: [...request.messages].reverse() }),
  })),
  {
    name: "accepts an empty array as a no-op",
    breaks: "LOG-APPEND-3",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "POST" || !isStream(request)) return await next(request);
      const text = await request.clone().text();
      if (!/^\s*\[\s*\]\s*$/.test(text)) return await next(request);
      const head = await next(new Request(request.url, { method: "HEAD" }));
      const tail = head.headers.get("stream-next-offset") ?? "0000000000000000";
      return new Response(null, { status: 204, headers: { "stream-next-offset": tail } });
    }),
  },
  storeMutant("reports the tail from before the append", "LOG-APPEND-5", (inner) => ({
    async append(path, request) {
      const result = await inner.append(path, request);
      return result.duplicate
        ? result
        : { ...result, nextOffset: result.nextOffset - request.messages.length };
    },
  })),
  storeMutant(
    "reports a tail computed before the append was serialised",
    "LOG-APPEND-6",
    (inner) => ({
      async append(path, request) {
        const before = (await inner.head(path)).tail;
        await sleep(5);
        const result = await inner.append(path, request);
        return result.duplicate
          ? result
          : { ...result, nextOffset: before + request.messages.length };
      },
    }),
  ),
  storeMutant("reads one message past a later offset", "LOG-READ-1", (inner) => ({
    async read(path, options = {}) {
      const offset = options.offset ?? 0;
      if (offset === 0) return await inner.read(path, options);
      try {
        return await inner.read(path, { ...options, offset: offset + 1 });
      } catch {
        return await inner.read(path, options);
      }
    },
  })),
  storeMutant("reports the tail as the next offset of a limited read", "LOG-READ-2", (inner) => ({
    async read(path, options) {
      const result = await inner.read(path, options);
      return { ...result, nextOffset: (await inner.head(path)).tail };
    },
  })),
  storeMutant("reports every read as up to date", "LOG-READ-3", (inner) => ({
    async read(path, options) {
      return { ...(await inner.read(path, options)), upToDate: true };
    },
  })),
  storeMutant("reports every read of a closed stream as its end", "LOG-READ-4", (inner) => ({
    async read(path, options) {
      const result = await inner.read(path, options);
      return { ...result, closed: (await inner.head(path)).closed };
    },
  })),
  {
    name: "ignores the read limit",
    breaks: "LOG-READ-5",
    wrap: mapHttp((request, next) => next(withQuery(request, (q) => q.delete("limit")))),
  },
  {
    name: "long-poll resends the message before its offset",
    breaks: "LOG-LIVE-1",
    wrap: mapHttp((request, next) =>
      next(withQuery(request, (q) => {
        const offset = Number(q.get("offset"));
        if (q.get("live") === "long-poll" && offset > 0) {
          q.set("offset", String(offset - 1).padStart(16, "0"));
        }
      }))
    ),
  },
  {
    name: "long-poll waits out its timeout instead of waking",
    breaks: "LOG-LIVE-2",
    wrap: mapHttp(async (request, next) => {
      const url = new URL(request.url);
      if (url.searchParams.get("live") !== "long-poll") return await next(request);
      url.searchParams.delete("live");
      const now = await next(new Request(url, { headers: request.headers }));
      if (now.status !== 200 || (await now.clone().text()) !== "[]") return now;
      await sleep(LONG_POLL_MS);
      return await next(new Request(url, { headers: request.headers }));
    }),
  },
  storeMutant("appends to a closed stream", "LOG-CLOSE-1", leakyClosure),
  {
    name: "closes even when the closing batch is refused",
    breaks: "LOG-CLOSE-2",
    wrap: mapHttp(async (request, next) => {
      const closing = request.headers.get("stream-closed") === "true";
      const response = await next(request.clone());
      if (request.method !== "POST" || !closing || response.status < 400) return response;
      await next(
        new Request(request.url, { method: "POST", headers: { "Stream-Closed": "true" } }),
      );
      return response;
    }),
  },
  {
    name: "refuses to close a closed stream again",
    breaks: "LOG-CLOSE-3",
    wrap: mapHttp(async (request, next) => {
      const closing = request.headers.get("stream-closed") === "true";
      if (request.method !== "POST" || !closing || (await request.clone().text()) !== "") {
        return await next(request);
      }
      const head = await next(new Request(request.url, { method: "HEAD" }));
      return head.headers.get("stream-closed") === "true"
        ? problem("stream-closed", 409, { "stream-closed": "true" })
        : await next(request);
    }),
  },
  storeMutant(
    "a new epoch's first append passes for a duplicate",
    "LOG-PRODUCER-1",
    epochBlindDuplicates,
  ),
  storeMutant("stores a retried producer append again", "LOG-PRODUCER-2", (inner) => ({
    async append(path, request) {
      const result = await inner.append(path, request);
      if (!result.duplicate || request.messages.length === 0) return result;
      const again = await inner.append(path, { ...request, producer: undefined });
      return { ...again, producer: result.producer };
    },
  })),
  storeMutant(
    "accepts a stale producer epoch",
    "LOG-PRODUCER-3",
    acceptingProducers("producer-stale-epoch", (request) => ({ ...request, producer: undefined })),
  ),
  storeMutant(
    "accepts a producer sequence gap",
    "LOG-PRODUCER-4",
    acceptingProducers(
      "producer-seq-gap",
      (request, error) => ({
        ...request,
        producer: { ...request.producer!, seq: error.details.expectedSeq! },
      }),
    ),
  ),
  storeMutant(
    "starts a new producer epoch at any sequence number",
    "LOG-PRODUCER-5",
    acceptingProducers(
      "producer-epoch-start",
      (request) => ({ ...request, producer: { ...request.producer!, seq: 0 } }),
    ),
  ),
  {
    name: "records a producer append before it is refused",
    breaks: "LOG-PRODUCER-6",
    wrap: (() => {
      const seen = new Set<string>();
      return mapHttp(async (request, next) => {
        const h = request.headers;
        const key = [
          request.url,
          h.get("producer-id"),
          h.get("producer-epoch"),
          h.get("producer-seq"),
        ]
          .join("\n");
        if (request.method !== "POST" || h.get("producer-id") === null) return await next(request);
        if (seen.has(key)) {
          const head = await next(new Request(request.url, { method: "HEAD" }));
          return new Response(null, {
            status: 204,
            headers: { "stream-next-offset": head.headers.get("stream-next-offset") ?? "" },
          });
        }
        const response = await next(request);
        if (response.status >= 400) seen.add(key);
        return response;
      });
    })(),
  },
  storeMutant(
    "judges concurrent producer appends against one state",
    "LOG-PRODUCER-7",
    racingProducers,
  ),
  storeMutant("forgets a producer idle for 16 appends", "LOG-PRODUCER-8", forgetfulProducers),
  {
    name: "ignores Stream-Seq",
    breaks: "LOG-SEQ-1",
    wrap: mapHttp((request, next) => {
      const headers = new Headers(request.headers);
      headers.delete("stream-seq");
      return next(new Request(request, { headers }));
    }),
  },
  storeMutant("never expires a stream", "LOG-TTL-1", () => ({}), { clock: () => 0 }),
  storeMutant("a HEAD restarts the TTL", "LOG-TTL-2", (inner) => ({
    async head(path) {
      const info = await inner.head(path);
      await inner.read(path, { offset: info.tail, limit: 1 });
      return info;
    },
  })),
  {
    name: "takes the TTL when both TTL and expiry are given",
    breaks: "LOG-TTL-3",
    wrap: mapHttp((request, next) => {
      if (request.method !== "PUT" || !request.headers.has("stream-ttl")) return next(request);
      const headers = new Headers(request.headers);
      headers.delete("stream-expires-at");
      return next(new Request(request, { headers }));
    }),
  },
  storeMutant("forks one message short of the fork offset", "LOG-FORK-1", (inner) => ({
    create(path, options = {}) {
      const fork = options.fork;
      return inner.create(path, {
        ...options,
        ...(fork?.offset ? { fork: { ...fork, offset: fork.offset - 1 } } : {}),
      });
    },
  })),
  // Unshrunk, its first counterexample usually breaks LOG-FORK-1 before LOG-FORK-2.
  {
    ...storeMutant("a fork is another name for its source", "LOG-FORK-2", aliasedForks),
    shrink: true,
  },
  storeMutant("copies a closed source's closure to its fork", "LOG-FORK-3", (inner) => ({
    async create(path, options = {}) {
      const result = await inner.create(path, options);
      if (!options.fork || !result.created || !(await inner.head(options.fork.path)).closed) {
        return result;
      }
      await inner.append(path, { messages: [], close: true });
      return { ...result, stream: await inner.head(path) };
    },
  })),
  storeMutant("lowers a fork offset beyond the tail to the tail", "LOG-FORK-4", (inner) => ({
    async create(path, options = {}) {
      const fork = options.fork;
      if (fork?.offset === undefined) return await inner.create(path, options);
      const tail = (await inner.head(fork.path)).tail;
      return await inner.create(path, {
        ...options,
        fork: { ...fork, offset: Math.min(fork.offset, tail) },
      });
    },
  })),
  storeMutant("forks from the start by default", "LOG-FORK-5", (inner) => ({
    create(path, options = {}) {
      const fork = options.fork;
      return inner.create(
        path,
        fork ? { ...options, fork: { ...fork, offset: fork.offset ?? 0 } } : options,
      );
    },
  })),
  storeMutant("ignores deletes", "LOG-DELETE-1", () => ({
    async delete() {},
  })),
  storeMutant(
    "a fork loses its inherited messages when its source is deleted",
    "LOG-DELETE-2",
    forgetfulForks,
  ),
  {
    name: "a long-poll outlives the deletion of its stream",
    breaks: "LOG-DELETE-3",
    wrap: mapHttp(async (request, next) => {
      const started = Date.now();
      const response = await next(request);
      if (
        new URL(request.url).searchParams.get("live") !== "long-poll" || response.status !== 404
      ) {
        return response;
      }
      await sleep(LONG_POLL_MS - (Date.now() - started));
      return response;
    }),
  },
];
