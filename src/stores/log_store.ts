// The log layer of spec/v1/log.md, once, over any Backend.
//
// Writes are decided one at a time, in arrival order, against the in-memory
// "decision" state, and committed in groups (all writes that arrive while a
// commit is in flight share the next one). Readers only ever see committed
// data: each stream keeps a separate "visible" tail and closed flag that move
// after the commit, so no reader can observe a message a crash could still
// take away.

import type { StreamKind } from "../protocol/stream_kind.ts";
import type {
  AppendRequest,
  AppendResult,
  CreateOptions,
  CreateResult,
  EventStore,
  ReadOptions,
  ReadResult,
  StreamInfo,
  SubscribeOptions,
  Subscription,
  SubscriptionEvent,
} from "./event_store.ts";
import { JSON_CONTENT_TYPE, StoreError } from "./event_store.ts";
import type { Backend, Change, StoredEntry, StoredProducer, StoredStream } from "./backend.ts";
import {
  checkLifetime,
  checkProducer,
  checkStreamPath,
  compareUtf8,
  decideProducer,
  isJsonContentType,
  mediaType,
} from "./_log_rules.ts";
import { StoreSubscription } from "./_subscription.ts";

/**
 * Options every store accepts.
 *
 * @example
 * ```ts
 * import type { LogStoreOptions } from "@agent-stream/agent-stream/stores";
 * let now = Date.parse("2026-01-01T00:00:00Z");
 * const options: LogStoreOptions = { clock: () => now, maxPathBytes: 512 };
 * ```
 */
export interface LogStoreOptions {
  /** Milliseconds since the epoch; injectable so TTL can be tested. Default `Date.now`. */
  readonly clock?: () => number;
  /** Longest stream path in UTF-8 bytes (HTTP-PATH-1). Default 1024. */
  readonly maxPathBytes?: number;
}

/** A committed change, as subscribers of one stream hear about it. */
export type StreamNotice =
  | {
    readonly type: "append";
    readonly offset: number;
    readonly entries: readonly StoredEntry[];
    /**
     * The entries' bytes, one array shared by every subscriber that receives
     * the batch live: a binding can cache its encoding of the batch on it and
     * write the same bytes to every subscriber.
     */
    readonly messages: readonly Uint8Array[];
  }
  | { readonly type: "deleted" };

/** One stream in memory. */
export interface StreamState {
  readonly stream: StoredStream;
  readonly bytes: boolean;
  // Decision state: what the next write is judged against.
  tail: number;
  closed: boolean;
  closedBy?: { id: string; epoch: number; seq: number };
  deleted: boolean;
  producers: Map<string, StoredProducer>;
  lastStreamSeq?: string;
  lastAccess: number;
  /** Forks that read from this stream and still exist. */
  forks: number;
  // Visible state: committed, what readers see.
  visibleTail: number;
  visibleClosed: boolean;
  visibleDeleted: boolean;
  readonly watchers: Set<(notice: StreamNotice) => void>;
}

/** Runs after the commit: moves visible state, notifies, and yields the result. */
type Publish<T> = () => T;

interface PendingWrite {
  readonly decide: () => Publish<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_PATH_BYTES = 1024;

/**
 * The rules of spec/v1/log.md, over any {@linkcode Backend}: every store is a
 * `LogStore` with a backend of its own. Writes are judged one at a time in
 * arrival order and committed in groups; readers see only committed data.
 *
 * @example
 * ```ts
 * import { LogStore, MemoryBackend } from "@agent-stream/agent-stream/stores";
 * const store = new LogStore(new MemoryBackend());
 * await store.create("chats/1");
 * console.log((await store.head("chats/1")).tail); // 0
 * await store.dispose();
 * ```
 */
export class LogStore implements EventStore {
  readonly #backend: Backend;
  readonly #clock: () => number;
  readonly #maxPathBytes: number;
  readonly #opened: Promise<void>;
  /** Decision view: path → stream (soft-deleted streams keep their path). */
  readonly #byPath = new Map<string, StreamState>();
  /** Visible view, for readers. */
  readonly #visible = new Map<string, StreamState>();
  readonly #byKey = new Map<number, StreamState>();
  #nextKey = 1;
  #pending: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;
  #failure: unknown;
  #disposed = false;
  /**
   * The changes of the group being decided, and what to publish once they are
   * durable. Side effects such as an expiry found by a write that then fails
   * land here too, so decision state and backend never part.
   */
  #changes: Change[] = [];
  #after: (() => void)[] = [];

  /** A store over `backend`; it starts opening at once (see {@linkcode LogStore.ready}). */
  constructor(backend: Backend, options: LogStoreOptions = {}) {
    this.#backend = backend;
    this.#clock = options.clock ?? Date.now;
    this.#maxPathBytes = options.maxPathBytes ?? DEFAULT_MAX_PATH_BYTES;
    this.#opened = this.#open();
    // A failed open is reported by ready() and every operation, not as an unhandled rejection.
    this.#opened.catch(() => {});
  }

  /** Resolves once the backend is open; rejects with its error. */
  ready(): Promise<void> {
    return this.#opened;
  }

  async #open(): Promise<void> {
    const states = await this.#backend.open();
    const now = this.#clock();
    for (const s of states) {
      const state: StreamState = {
        stream: s.stream,
        bytes: !isJsonContentType(s.stream.contentType),
        tail: s.tail,
        closed: s.closed,
        closedBy: s.closedBy ? { ...s.closedBy } : undefined,
        deleted: s.deleted,
        producers: new Map(s.producers),
        lastStreamSeq: s.lastStreamSeq,
        lastAccess: now,
        forks: 0,
        visibleTail: s.tail,
        visibleClosed: s.closed,
        visibleDeleted: s.deleted,
        watchers: new Set(),
      };
      this.#byKey.set(s.stream.key, state);
      this.#byPath.set(s.stream.path, state);
      this.#visible.set(s.stream.path, state);
      this.#nextKey = Math.max(this.#nextKey, s.stream.key + 1);
    }
    for (const state of this.#byKey.values()) {
      const fork = state.stream.fork;
      if (fork) {
        const source = this.#byKey.get(fork.key);
        if (source) source.forks++;
      }
    }
  }

  // ------------------------------------------------------------------ writes

  /** Creates a stream or a fork; idempotent for an identical configuration. */
  create(path: string, options: CreateOptions = {}): Promise<CreateResult> {
    return this.#write(() => this.#decideCreate(path, options));
  }

  /** Appends a batch atomically, optionally closing the stream. */
  append(path: string, request: AppendRequest): Promise<AppendResult> {
    return this.#write(() => this.#decideAppend(path, request));
  }

  /** Deletes a stream (soft-deletes it while forks read from it). */
  delete(path: string): Promise<void> {
    return this.#write(() => this.#decideDelete(this.#liveForWrite(path)));
  }

  #write<T>(decide: () => Publish<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#disposed) {
        reject(new StoreError("unavailable", "The store is closed"));
        return;
      }
      this.#pending.push({
        decide,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    try {
      await this.#opened;
    } catch (error) {
      this.#failure ??= error;
    }
    while (this.#pending.length > 0) {
      const group = this.#pending;
      this.#pending = [];
      if (this.#failure !== undefined) {
        for (const write of group) write.reject(this.#failureError());
        continue;
      }
      const decided: { write: PendingWrite; publish: () => unknown }[] = [];
      // A refused write can still have decided side effects (an expiry it
      // found, LOG-TTL-1); it settles once they are committed and visible, so
      // that its caller's next operation sees them.
      const refused: { write: PendingWrite; error: unknown }[] = [];
      for (const write of group) {
        try {
          decided.push({ write, publish: write.decide() });
        } catch (error) {
          refused.push({ write, error });
        }
      }
      const changes = this.#changes;
      const after = this.#after;
      this.#changes = [];
      this.#after = [];
      if (changes.length > 0) {
        try {
          await this.#backend.commit(changes);
        } catch (error) {
          // The decision state is now ahead of what is durable; only a reopen can
          // tell which changes survived, so this store refuses further writes.
          this.#failure = error;
          for (const { write } of decided) write.reject(this.#failureError());
          for (const { write, error } of refused) write.reject(error);
          continue;
        }
      }
      for (const publish of after) publish();
      for (const { write, error } of refused) write.reject(error);
      for (const { write, publish } of decided) write.resolve(publish());
    }
    this.#flushing = undefined;
  }

  #failureError(): StoreError {
    return new StoreError(
      "internal-error",
      `The store failed to commit and must be reopened: ${String(this.#failure)}`,
    );
  }

  #decideCreate(path: string, options: CreateOptions): Publish<CreateResult> {
    checkStreamPath(path, this.#maxPathBytes);
    checkLifetime(options.ttlSeconds, options.expiresAt);
    const existing = this.#liveOrExpire(this.#byPath.get(path));
    const source = options.fork ? this.#forkSource(options.fork.path) : undefined;
    const contentType = options.contentType ?? source?.stream.contentType ?? JSON_CONTENT_TYPE;
    const kind: StreamKind = options.kind ?? source?.stream.kind ?? "json";
    const bytes = !isJsonContentType(contentType);
    // A fork that differs from its source is a conflict (HTTP-FORK-1), even when
    // the difference is a byte content type under an inherited `agent` kind.
    if (
      source && (mediaType(contentType) !== mediaType(source.stream.contentType) ||
        kind !== source.stream.kind)
    ) {
      throw new StoreError(
        "stream-exists",
        "A fork has the content type and kind of its source",
      );
    }
    if (kind === "agent" && bytes) {
      throw new StoreError("invalid-header", "An agent stream has to be application/json");
    }
    let lifetime = { ttlSeconds: options.ttlSeconds, expiresAt: options.expiresAt };
    if (source && lifetime.ttlSeconds === undefined && lifetime.expiresAt === undefined) {
      lifetime = { ttlSeconds: source.stream.ttlSeconds, expiresAt: source.stream.expiresAt };
    }
    const forkOffset = source ? options.fork?.offset ?? source.visibleTail : undefined;
    if (source && forkOffset !== undefined) {
      if (!Number.isSafeInteger(forkOffset) || forkOffset < 0) {
        throw new StoreError("invalid-offset", `Fork offset ${forkOffset} is not an offset`);
      }
      if (forkOffset > source.visibleTail) {
        throw new StoreError(
          "offset-out-of-range",
          `Fork offset ${forkOffset} is beyond the source's tail ${source.visibleTail}`,
          { tail: source.visibleTail },
        );
      }
    }
    const closed = options.closed === true;

    if (existing) {
      if (existing.deleted) {
        throw new StoreError("stream-exists", `A deleted stream still holds ${path} for its forks`);
      }
      const s = existing.stream;
      const same = mediaType(s.contentType) === mediaType(contentType) && s.kind === kind &&
        s.ttlSeconds === lifetime.ttlSeconds && s.expiresAt === lifetime.expiresAt &&
        existing.closed === closed &&
        (s.fork === undefined
          ? source === undefined
          : source !== undefined && s.fork.key === source.stream.key &&
            s.fork.offset === forkOffset);
      if (!same) {
        throw new StoreError(
          "stream-exists",
          `A stream with another configuration exists at ${path}`,
        );
      }
      return () => ({ created: false, stream: this.#info(existing) });
    }

    const stream: StoredStream = {
      key: this.#nextKey++,
      path,
      contentType,
      kind,
      ...(lifetime.ttlSeconds !== undefined ? { ttlSeconds: lifetime.ttlSeconds } : {}),
      ...(lifetime.expiresAt !== undefined ? { expiresAt: lifetime.expiresAt } : {}),
      ...(source ? { fork: { key: source.stream.key, offset: forkOffset! } } : {}),
      createdAt: this.#clock(),
    };
    const base = forkOffset ?? 0;
    const entries = toEntries(options.messages ?? [], base, bytes);
    const tail = entries.length > 0 ? endOf(entries.at(-1)!, bytes) : base;
    const state: StreamState = {
      stream,
      bytes,
      tail,
      closed,
      deleted: false,
      producers: new Map(),
      lastAccess: this.#clock(),
      forks: 0,
      visibleTail: tail,
      visibleClosed: closed,
      visibleDeleted: false,
      watchers: new Set(),
    };
    this.#byPath.set(path, state);
    this.#byKey.set(stream.key, state);
    if (source) source.forks++;
    this.#changes.push({ type: "create", stream, entries, tail, closed });
    return () => {
      this.#visible.set(path, state);
      return { created: true, stream: this.#info(state) };
    };
  }

  #forkSource(path: string): StreamState {
    checkStreamPath(path, this.#maxPathBytes);
    const source = this.#liveOrExpire(this.#byPath.get(path));
    if (!source) throw notFound(path);
    if (source.deleted) throw gone(path);
    return source;
  }

  #decideAppend(path: string, request: AppendRequest): Publish<AppendResult> {
    const state = this.#liveForWrite(path);
    const { producer } = request;
    if (producer) checkProducer(producer);
    const entries = toEntries(request.messages, state.tail, state.bytes);
    const close = request.close === true;

    if (state.closed) {
      const by = state.closedBy;
      const sameCloser = producer !== undefined && by !== undefined && by.id === producer.id &&
        by.epoch === producer.epoch && by.seq === producer.seq;
      if (sameCloser || (close && entries.length === 0)) {
        const p = producer && state.producers.get(producer.id);
        return this.#unchanged(state, sameCloser, p);
      }
      throw new StoreError("stream-closed", `Stream ${path} is closed`, {
        tail: state.tail,
        closed: true,
      });
    }
    if (
      request.contentType !== undefined && entries.length > 0 &&
      mediaType(request.contentType) !== mediaType(state.stream.contentType)
    ) {
      throw new StoreError(
        "content-type-mismatch",
        `Stream ${path} holds ${state.stream.contentType}, not ${request.contentType}`,
      );
    }
    if (entries.length === 0 && !close) {
      throw new StoreError("empty-append", "An append needs at least one message");
    }
    if (producer) {
      const decision = decideProducer(state.producers.get(producer.id), producer);
      if (decision.outcome === "duplicate") {
        return this.#unchanged(state, true, decision.state);
      }
    }
    if (
      request.streamSeq !== undefined && state.lastStreamSeq !== undefined &&
      compareUtf8(request.streamSeq, state.lastStreamSeq) <= 0
    ) {
      throw new StoreError(
        "stream-seq-conflict",
        `Stream-Seq ${JSON.stringify(request.streamSeq)} does not follow ${
          JSON.stringify(state.lastStreamSeq)
        }`,
      );
    }

    const tail = entries.length > 0 ? endOf(entries.at(-1)!, state.bytes) : state.tail;
    state.tail = tail;
    state.lastAccess = this.#clock();
    if (close) {
      state.closed = true;
      if (producer) state.closedBy = { ...producer };
    }
    if (producer) state.producers.set(producer.id, { epoch: producer.epoch, seq: producer.seq });
    if (request.streamSeq !== undefined) state.lastStreamSeq = request.streamSeq;
    this.#changes.push({
      type: "append",
      key: state.stream.key,
      entries,
      tail,
      close,
      ...(producer ? { producer: { ...producer } } : {}),
      ...(request.streamSeq !== undefined ? { streamSeq: request.streamSeq } : {}),
    });
    return () => {
      const offset = state.visibleTail;
      state.visibleTail = tail;
      state.visibleClosed = state.visibleClosed || close;
      const notice: StreamNotice = {
        type: "append",
        offset,
        entries,
        messages: entries.map((entry) => entry.data),
      };
      for (const watcher of [...state.watchers]) watcher(notice);
      return {
        nextOffset: tail,
        closed: state.visibleClosed,
        duplicate: false,
        ...(producer ? { producer: { epoch: producer.epoch, seq: producer.seq } } : {}),
      };
    };
  }

  /** An append that stores nothing: a producer duplicate, or a repeated close. */
  #unchanged(
    state: StreamState,
    duplicate: boolean,
    producer: StoredProducer | undefined,
  ): Publish<AppendResult> {
    // Answer with the tail as it stood at this append's turn, not after later ones of the group.
    const { tail, closed } = state;
    return () => ({
      nextOffset: tail,
      closed,
      duplicate,
      ...(producer ? { producer: { epoch: producer.epoch, seq: producer.seq } } : {}),
    });
  }

  /** Deletes or soft-deletes a stream, dropping sources nobody reads any more. */
  #decideDelete(state: StreamState): Publish<void> {
    const ended: StreamState[] = [state];
    if (state.forks > 0) {
      state.deleted = true;
      this.#changes.push({ type: "soft-delete", key: state.stream.key });
    } else {
      this.#drop(state, ended);
    }
    return () => {
      for (const s of ended) {
        if (s.deleted) {
          s.visibleDeleted = true;
        } else if (this.#visible.get(s.stream.path) === s) {
          this.#visible.delete(s.stream.path);
        }
        for (const watcher of [...s.watchers]) watcher({ type: "deleted" });
      }
    };
  }

  #drop(state: StreamState, ended: StreamState[]): void {
    this.#changes.push({ type: "drop", key: state.stream.key });
    this.#byKey.delete(state.stream.key);
    if (this.#byPath.get(state.stream.path) === state) this.#byPath.delete(state.stream.path);
    const fork = state.stream.fork;
    const source = fork && this.#byKey.get(fork.key);
    if (source) {
      source.forks--;
      if (source.forks === 0 && source.deleted) {
        // The source was soft-deleted; its last reader is gone.
        source.deleted = false;
        ended.push(source);
        this.#drop(source, ended);
      }
    }
  }

  /** The stream a write addresses: refuses a bad path, a missing or soft-deleted stream. */
  #liveForWrite(path: string): StreamState {
    checkStreamPath(path, this.#maxPathBytes);
    const state = this.#liveOrExpire(this.#byPath.get(path));
    if (!state) throw notFound(path);
    if (state.deleted) throw gone(path);
    return state;
  }

  /** Deletes an expired stream as part of the current write (LOG-TTL-1). */
  #liveOrExpire(state: StreamState | undefined): StreamState | undefined {
    // A reader may hold a stream whose drop is decided but not yet committed.
    if (state && this.#byKey.get(state.stream.key) !== state) return undefined;
    if (!state || state.deleted || !this.#expired(state)) return state;
    this.#after.push(this.#decideDelete(state));
    return state.deleted ? state : undefined;
  }

  #expired(state: StreamState): boolean {
    const now = this.#clock();
    const { ttlSeconds, expiresAt } = state.stream;
    return (expiresAt !== undefined && now >= expiresAt) ||
      (ttlSeconds !== undefined && now - state.lastAccess >= ttlSeconds * 1000);
  }

  // ------------------------------------------------------------------- reads

  /** Reads committed messages from an offset; restarts the stream's TTL. */
  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    const state = await this.#readable(path);
    state.lastAccess = this.#clock();
    return this.#readState(state, options.offset ?? 0, options.limit ?? Infinity);
  }

  /** The stream's metadata; does not restart its TTL. */
  async head(path: string): Promise<StreamInfo> {
    return this.#info(await this.#readable(path));
  }

  /** Delivers the stream from an offset, history then live, until it ends. */
  async subscribe(
    path: string,
    options: SubscribeOptions,
    listener: (event: SubscriptionEvent) => void,
  ): Promise<Subscription> {
    const state = await this.#readable(path);
    const offset = options.offset ?? 0;
    checkReadOffset(state, offset);
    state.lastAccess = this.#clock();
    return new StoreSubscription(
      (from, limit) => this.#readState(state, from, limit),
      state,
      offset,
      options.batchLimit ?? 1000,
      listener,
      options.untilDeleted ?? false,
    );
  }

  /** Reads committed units of a stream. */
  async #readState(state: StreamState, offset: number, limit: number): Promise<ReadResult> {
    checkReadOffset(state, offset);
    if (!(limit > 0)) {
      throw new StoreError("invalid-parameter", `Read limit ${limit} is not positive`);
    }
    const tail = state.visibleTail;
    const closed = state.visibleClosed;
    const messages = await this.#collect(state, offset, Math.min(limit, tail - offset));
    let nextOffset = offset;
    for (const m of messages) nextOffset += state.bytes ? m.length : 1;
    return {
      offset,
      messages,
      nextOffset,
      upToDate: nextOffset === tail,
      closed: closed && nextOffset === tail,
    };
  }

  /** Exactly `units` units from `offset`, stitched across fork origins. */
  async #collect(state: StreamState, offset: number, units: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    let position = offset;
    let remaining = units;
    const fork = state.stream.fork;
    if (fork && position < fork.offset && remaining > 0) {
      const source = this.#byKey.get(fork.key);
      if (!source) throw new StoreError("internal-error", "A fork lost its source");
      const n = Math.min(remaining, fork.offset - position);
      out.push(...await this.#collect(source, position, n));
      position += n;
      remaining -= n;
    }
    while (remaining > 0) {
      const batch = Math.min(remaining, state.bytes ? 256 : 1000);
      const entries = await this.#backend.read(state.stream.key, position, batch);
      if (entries.length === 0) {
        throw new StoreError("internal-error", `Stream data missing at offset ${position}`);
      }
      for (const entry of entries) {
        if (remaining === 0) break;
        if (state.bytes) {
          const start = position - entry.offset;
          const data = entry.data.subarray(start, start + remaining);
          out.push(data);
          position += data.length;
          remaining -= data.length;
        } else {
          out.push(entry.data);
          position++;
          remaining--;
        }
      }
    }
    return out;
  }

  async #readable(path: string): Promise<StreamState> {
    await this.#opened;
    checkStreamPath(path, this.#maxPathBytes);
    const state = this.#visible.get(path);
    if (!state) throw notFound(path);
    if (this.#expired(state) && !state.deleted) {
      // Expire through the write queue so it is durable and ordered.
      await this.#write(() => {
        this.#liveOrExpire(state);
        return () => undefined;
      });
      throw state.deleted ? gone(path) : notFound(path);
    }
    if (state.visibleDeleted) throw gone(path);
    return state;
  }

  #info(state: StreamState): StreamInfo {
    const s = state.stream;
    const source = s.fork && this.#byKey.get(s.fork.key);
    return {
      path: s.path,
      contentType: s.contentType,
      kind: s.kind,
      tail: state.visibleTail,
      closed: state.visibleClosed,
      ...(s.ttlSeconds !== undefined ? { ttlSeconds: s.ttlSeconds } : {}),
      ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
      ...(s.fork && source ? { fork: { path: source.stream.path, offset: s.fork.offset } } : {}),
    };
  }

  /** Lets pending writes settle, then closes the backend. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    while (this.#flushing) await this.#flushing;
    try {
      await this.#opened;
    } catch {
      return;
    }
    await this.#backend.close();
  }
}

function checkReadOffset(state: StreamState, offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new StoreError("invalid-offset", `${offset} is not an offset`);
  }
  if (offset > state.visibleTail) {
    throw new StoreError(
      "offset-out-of-range",
      `Offset ${offset} is beyond the tail ${state.visibleTail}`,
      { tail: state.visibleTail },
    );
  }
}

function toEntries(messages: readonly Uint8Array[], base: number, bytes: boolean): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let offset = base;
  for (const data of messages) {
    // A zero-length chunk occupies no offset; storing it would give two entries one offset.
    if (bytes && data.length === 0) continue;
    entries.push({ offset, data });
    offset += bytes ? data.length : 1;
  }
  return entries;
}

function endOf(entry: StoredEntry, bytes: boolean): number {
  return entry.offset + (bytes ? entry.data.length : 1);
}

function notFound(path: string): StoreError {
  return new StoreError("stream-not-found", `No stream at ${JSON.stringify(path)}`);
}

function gone(path: string): StoreError {
  return new StoreError("stream-gone", `Stream ${JSON.stringify(path)} was deleted`);
}
