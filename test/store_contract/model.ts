// A pure, deliberately naive model of the log layer (spec/v1/log.md): every
// stream holds its full content as an array (forks copy), every rule is
// written out again from the spec, independently of src/stores. The contract
// suite runs the same operations against a store and this model and requires
// identical answers.

export const JSON_TYPE = "application/json";

/** One unit list: JSON messages as text, or a byte stream as single-byte strings. */
export interface ModelStream {
  readonly id: number;
  readonly path: string;
  readonly contentType: string;
  readonly kind: "json" | "agent";
  readonly bytes: boolean;
  readonly ttlSeconds?: number;
  readonly expiresAt?: number;
  readonly fork?: { readonly source: ModelStream; readonly offset: number };
  /** JSON: one string per message. Bytes: one number per byte. */
  content: (string | number)[];
  closed: boolean;
  closedBy?: { id: string; epoch: number; seq: number };
  producers: Map<string, { epoch: number; seq: number }>;
  lastStreamSeq?: string;
  lastAccess: number;
  deleted: boolean;
  dropped: boolean;
}

export type Outcome<T> = { readonly ok: T } | { readonly error: string };

export interface CreateSpec {
  readonly contentType?: string;
  readonly kind?: "json" | "agent";
  readonly ttlSeconds?: number;
  readonly expiresAt?: number;
  readonly closed?: boolean;
  readonly messages?: readonly Uint8Array[];
  readonly fork?: { readonly path: string; readonly offset?: number };
}

export interface AppendSpec {
  readonly messages: readonly Uint8Array[];
  readonly close?: boolean;
  readonly producer?: { readonly id: string; readonly epoch: number; readonly seq: number };
  readonly streamSeq?: string;
  readonly contentType?: string;
}

export interface Info {
  path: string;
  contentType: string;
  kind: string;
  tail: number;
  closed: boolean;
  ttlSeconds?: number;
  expiresAt?: number;
  fork?: { path: string; offset: number };
}

export interface ReadOutcome {
  content: (string | number)[];
  nextOffset: number;
  upToDate: boolean;
  closed: boolean;
}

const decoder = new TextDecoder();

function media(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

function validPath(path: string): boolean {
  if (path.length === 0 || path.length > 1024) return false;
  if (new TextEncoder().encode(path).length > 1024) return false;
  // Control characters are exactly what the rule is about.
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

function utf8Compare(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function units(messages: readonly Uint8Array[], bytes: boolean): (string | number)[] {
  return bytes ? messages.flatMap((m) => [...m]) : messages.map((m) => decoder.decode(m));
}

class Refusal extends Error {
  constructor(readonly slug: string) {
    super(slug);
  }
}

function refuse(slug: string): never {
  throw new Refusal(slug);
}

function attempt<T>(f: () => T): Outcome<T> {
  try {
    return { ok: f() };
  } catch (error) {
    if (error instanceof Refusal) return { error: error.slug };
    throw error;
  }
}

/** The model store. `now` is read from the same clock the store under test uses. */
export class LogModel {
  readonly #paths = new Map<string, ModelStream>();
  #nextId = 1;

  constructor(readonly now: () => number) {}

  /** Every stream still held by a path (soft-deleted included). */
  streams(): ModelStream[] {
    return [...this.#paths.values()];
  }

  stream(path: string): ModelStream | undefined {
    return this.#paths.get(path);
  }

  /** What a reopened persistent store forgets: TTL clocks restart. */
  reopened(): void {
    for (const s of this.#paths.values()) s.lastAccess = this.now();
  }

  #forks(stream: ModelStream): number {
    return [...this.#paths.values()].filter((s) => !s.dropped && s.fork?.source === stream)
      .length;
  }

  #expired(s: ModelStream): boolean {
    const now = this.now();
    return (s.expiresAt !== undefined && now >= s.expiresAt) ||
      (s.ttlSeconds !== undefined && now - s.lastAccess >= s.ttlSeconds * 1000);
  }

  /** Applies a due expiry, as a delete (LOG-TTL-1). */
  #lookup(path: string): ModelStream | undefined {
    const s = this.#paths.get(path);
    if (s && !s.deleted && this.#expired(s)) this.#delete(s);
    return this.#paths.get(path);
  }

  #delete(s: ModelStream): void {
    if (this.#forks(s) > 0) {
      s.deleted = true;
      return;
    }
    this.#drop(s);
  }

  #drop(s: ModelStream): void {
    s.dropped = true;
    if (this.#paths.get(s.path) === s) this.#paths.delete(s.path);
    const source = s.fork?.source;
    if (source && source.deleted && !source.dropped && this.#forks(source) === 0) {
      this.#drop(source);
    }
  }

  info(s: ModelStream): Info {
    return {
      path: s.path,
      contentType: s.contentType,
      kind: s.kind,
      tail: s.content.length,
      closed: s.closed,
      ...(s.ttlSeconds !== undefined ? { ttlSeconds: s.ttlSeconds } : {}),
      ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
      ...(s.fork ? { fork: { path: s.fork.source.path, offset: s.fork.offset } } : {}),
    };
  }

  create(path: string, spec: CreateSpec): Outcome<{ created: boolean; stream: Info }> {
    return attempt(() => {
      if (!validPath(path)) refuse("invalid-stream-name");
      if (spec.ttlSeconds !== undefined && spec.expiresAt !== undefined) refuse("invalid-header");
      const existing = this.#lookup(path);
      let source: ModelStream | undefined;
      if (spec.fork) {
        if (!validPath(spec.fork.path)) refuse("invalid-stream-name");
        source = this.#lookup(spec.fork.path);
        if (!source) refuse("stream-not-found");
        if (source.deleted) refuse("stream-gone");
      }
      const contentType = spec.contentType ?? source?.contentType ?? JSON_TYPE;
      const kind = spec.kind ?? source?.kind ?? "json";
      const bytes = media(contentType) !== JSON_TYPE;
      // A fork unlike its source is a conflict first (HTTP-FORK-1), whatever else is wrong.
      if (source && (media(contentType) !== media(source.contentType) || kind !== source.kind)) {
        refuse("stream-exists");
      }
      if (kind === "agent" && bytes) refuse("invalid-header");
      let ttlSeconds = spec.ttlSeconds;
      let expiresAt = spec.expiresAt;
      if (source && ttlSeconds === undefined && expiresAt === undefined) {
        ttlSeconds = source.ttlSeconds;
        expiresAt = source.expiresAt;
      }
      const forkOffset = source ? spec.fork?.offset ?? source.content.length : undefined;
      if (source && forkOffset! > source.content.length) refuse("offset-out-of-range");
      const closed = spec.closed === true;
      if (existing) {
        if (existing.deleted) refuse("stream-exists");
        const same = media(existing.contentType) === media(contentType) &&
          existing.kind === kind && existing.ttlSeconds === ttlSeconds &&
          existing.expiresAt === expiresAt && existing.closed === closed &&
          (existing.fork === undefined
            ? source === undefined
            : existing.fork.source === source && existing.fork.offset === forkOffset);
        if (!same) refuse("stream-exists");
        return { created: false, stream: this.info(existing) };
      }
      const stream: ModelStream = {
        id: this.#nextId++,
        path,
        contentType,
        kind,
        bytes,
        ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(source ? { fork: { source, offset: forkOffset! } } : {}),
        content: [
          ...(source ? source.content.slice(0, forkOffset) : []),
          ...units(spec.messages ?? [], bytes),
        ],
        closed,
        producers: new Map(),
        lastAccess: this.now(),
        deleted: false,
        dropped: false,
      };
      this.#paths.set(path, stream);
      return { created: true, stream: this.info(stream) };
    });
  }

  append(path: string, spec: AppendSpec): Outcome<{
    nextOffset: number;
    closed: boolean;
    duplicate: boolean;
    producer?: { epoch: number; seq: number };
  }> {
    return attempt(() => {
      if (!validPath(path)) refuse("invalid-stream-name");
      const s = this.#lookup(path);
      if (!s) refuse("stream-not-found");
      if (s.deleted) refuse("stream-gone");
      const p = spec.producer;
      const added = units(spec.messages, s.bytes);
      const hasData = s.bytes ? added.length > 0 : spec.messages.length > 0;
      const close = spec.close === true;
      const state = p ? s.producers.get(p.id) : undefined;
      const unchanged = (duplicate: boolean, st = state) => ({
        nextOffset: s.content.length,
        closed: s.closed,
        duplicate,
        ...(st ? { producer: { epoch: st.epoch, seq: st.seq } } : {}),
      });
      if (s.closed) {
        const by = s.closedBy;
        const sameCloser = p !== undefined && by !== undefined && by.id === p.id &&
          by.epoch === p.epoch && by.seq === p.seq;
        if (sameCloser || (close && !hasData)) return unchanged(sameCloser);
        refuse("stream-closed");
      }
      if (
        spec.contentType !== undefined && hasData &&
        media(spec.contentType) !== media(s.contentType)
      ) refuse("content-type-mismatch");
      if (!hasData && !close) refuse("empty-append");
      if (p) {
        if (!state) {
          if (p.seq !== 0) refuse("producer-seq-gap");
        } else if (p.epoch < state.epoch) {
          refuse("producer-stale-epoch");
        } else if (p.epoch > state.epoch) {
          if (p.seq !== 0) refuse("producer-epoch-start");
        } else if (p.seq <= state.seq) {
          return unchanged(true);
        } else if (p.seq > state.seq + 1) {
          refuse("producer-seq-gap");
        }
      }
      if (
        spec.streamSeq !== undefined && s.lastStreamSeq !== undefined &&
        utf8Compare(spec.streamSeq, s.lastStreamSeq) <= 0
      ) refuse("stream-seq-conflict");
      s.content.push(...added);
      s.lastAccess = this.now();
      if (close) {
        s.closed = true;
        if (p) s.closedBy = { ...p };
      }
      if (p) s.producers.set(p.id, { epoch: p.epoch, seq: p.seq });
      if (spec.streamSeq !== undefined) s.lastStreamSeq = spec.streamSeq;
      return {
        nextOffset: s.content.length,
        closed: s.closed,
        duplicate: false,
        ...(p ? { producer: { epoch: p.epoch, seq: p.seq } } : {}),
      };
    });
  }

  /** The stream a read-side operation addresses, after a due expiry. */
  #readable(path: string): ModelStream {
    if (!validPath(path)) refuse("invalid-stream-name");
    const before = this.#paths.get(path);
    if (!before) refuse("stream-not-found");
    if (!before.deleted && this.#expired(before)) {
      this.#delete(before);
      refuse(before.deleted ? "stream-gone" : "stream-not-found");
    }
    if (before.deleted) refuse("stream-gone");
    return before;
  }

  read(path: string, offset: number, limit: number): Outcome<ReadOutcome> {
    return attempt(() => {
      const s = this.#readable(path);
      s.lastAccess = this.now();
      const tail = s.content.length;
      if (offset > tail) refuse("offset-out-of-range");
      const content = s.content.slice(offset, offset + limit);
      const nextOffset = offset + content.length;
      return {
        content,
        nextOffset,
        upToDate: nextOffset === tail,
        closed: s.closed && nextOffset === tail,
      };
    });
  }

  head(path: string): Outcome<Info> {
    return attempt(() => this.info(this.#readable(path)));
  }

  /** Opens a subscription: returns the stream it follows. */
  subscribe(path: string, offset: number): Outcome<ModelStream> {
    return attempt(() => {
      const s = this.#readable(path);
      if (offset > s.content.length) refuse("offset-out-of-range");
      s.lastAccess = this.now();
      return s;
    });
  }

  delete(path: string): Outcome<true> {
    return attempt(() => {
      if (!validPath(path)) refuse("invalid-stream-name");
      const s = this.#lookup(path);
      if (!s) refuse("stream-not-found");
      if (s.deleted) refuse("stream-gone");
      this.#delete(s);
      return true as const;
    });
  }
}
