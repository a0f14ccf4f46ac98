import type {
  EventStore,
  ReadResult,
  Subscription,
  SubscriptionEvent,
} from "../stores/event_store.ts";
import { StoreError } from "../stores/event_store.ts";
import { ProjectionError } from "./projection_error.ts";

/**
 * Folds one event into the state. `offset` is the offset OF the event: its
 * 0-based position in the stream (the first event has offset 0), not the
 * offset after it. Return a new state rather than mutating the old one:
 * snapshots and yielded states are the very objects the reducer returned.
 *
 * @example
 * ```ts
 * import type { Reducer } from "@agent-stream/agent-stream/projector";
 * const countTypes: Reducer<Record<string, number>, { type: string }> = (state, event) => ({
 *   ...state,
 *   [event.type]: (state[event.type] ?? 0) + 1,
 * });
 * ```
 */
export type Reducer<S, E> = (state: S, event: E, offset: number) => S;

/**
 * Turns a message's bytes into the value a reducer receives: a function, or
 * an object with a `decode` method such as an `EventRegistry`.
 *
 * @example
 * ```ts
 * import type { Decoder } from "@agent-stream/agent-stream/projector";
 * const text: Decoder<string> = (bytes) => new TextDecoder().decode(bytes);
 * ```
 */
export type Decoder<E> = ((bytes: Uint8Array) => E) | { decode(bytes: Uint8Array): E };

/**
 * How a {@linkcode Projector} starts and folds.
 *
 * @example
 * ```ts
 * import type { ProjectorOptions } from "@agent-stream/agent-stream/projector";
 * const options: ProjectorOptions<number, unknown> = {
 *   init: () => 0,
 *   reducer: (count) => count + 1,
 * };
 * ```
 */
export interface ProjectorOptions<S, E> {
  /**
   * Makes the state before the first event. A function, called once per run,
   * so that no two runs share a mutable initial state and states need not
   * be cloneable.
   */
  readonly init: () => S;
  /** Folds one event into the state. */
  readonly reducer: Reducer<S, E>;
  /**
   * Decodes a message. Default: `JSON.parse` of the UTF-8 text, with the
   * result taken to be an `E` unchecked. Pass an `EventRegistry` to have
   * events validated and typed.
   */
  readonly decode?: Decoder<E>;
}

/**
 * A state and the offset it stands at: every event before `offset` is
 * folded in, none after. Persist it (if the state serialises) and pass it
 * back as `from` to resume where it was taken.
 *
 * @example
 * ```ts
 * import type { Snapshot } from "@agent-stream/agent-stream/projector";
 * const saved: Snapshot<number> = { state: 42, offset: 17 };
 * const restored: Snapshot<number> = JSON.parse(JSON.stringify(saved));
 * ```
 */
export interface Snapshot<S> {
  /** The folded state. */
  readonly state: S;
  /** The next offset: the number of events folded into `state`. */
  readonly offset: number;
}

/**
 * Options of {@linkcode Projector.catchUp}.
 *
 * @example
 * ```ts
 * import type { CatchUpOptions } from "@agent-stream/agent-stream/projector";
 * const options: CatchUpOptions<number> = { from: { state: 3, offset: 3 }, batchLimit: 500 };
 * ```
 */
export interface CatchUpOptions<S> {
  /** Resume from this snapshot instead of `init` at offset 0. */
  readonly from?: Snapshot<S>;
  /** Most events read from the store at once. Default 1000. */
  readonly batchLimit?: number;
}

/**
 * What {@linkcode Projector.catchUp} returns: the state at the tail.
 *
 * @example
 * ```ts
 * import type { CatchUpResult } from "@agent-stream/agent-stream/projector";
 * function finished(result: CatchUpResult<unknown>): boolean {
 *   return result.closed;
 * }
 * ```
 */
export interface CatchUpResult<S> extends Snapshot<S> {
  /** Whether the stream is closed: no event will ever follow `offset`. */
  readonly closed: boolean;
}

/**
 * Options of {@linkcode Projector.follow}.
 *
 * @example
 * ```ts
 * import type { FollowOptions } from "@agent-stream/agent-stream/projector";
 * const options: FollowOptions<number> = { signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface FollowOptions<S> {
  /** Resume from this snapshot instead of `init` at offset 0. */
  readonly from?: Snapshot<S>;
  /** Most events the store delivers at once while catching up. */
  readonly batchLimit?: number;
  /** Ends the iteration (without an error) when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * One state {@linkcode Projector.follow} yields.
 *
 * @example
 * ```ts
 * import type { FollowUpdate } from "@agent-stream/agent-stream/projector";
 * function label(update: FollowUpdate<number>): string {
 *   return update.upToDate ? `live at ${update.offset}` : `replaying (${update.offset})`;
 * }
 * ```
 */
export interface FollowUpdate<S> extends Snapshot<S> {
  /** Whether `offset` was the stream's tail when the last batch was read. */
  readonly upToDate: boolean;
  /** Whether the stream is closed at `offset`; the iteration ends after this update. */
  readonly closed: boolean;
}

const DEFAULT_BATCH_LIMIT = 1000;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeJson(bytes: Uint8Array): unknown {
  return JSON.parse(utf8.decode(bytes));
}

/**
 * Folds a stream's events into a state, from the start or from a snapshot,
 * once ({@linkcode Projector.catchUp}) or live ({@linkcode Projector.follow}).
 * A projector holds no state of its own: every run starts from a fresh
 * `init()` or from the snapshot it is given, so one projector serves any
 * number of streams and runs.
 *
 * Events of types a reducer does not know reach it like any other, decoded
 * but otherwise untouched; with an `EventRegistry` as decoder they arrive as
 * `{ known: false, ... }` and the reducer skips them (spec/v1/envelope.md §3).
 *
 * @example
 * ```ts
 * import { Projector } from "@agent-stream/agent-stream/projector";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 *
 * const store = new MemoryStore();
 * const text = new TextEncoder();
 * await store.create("chats/1", { kind: "agent" });
 * await store.append("chats/1", {
 *   messages: ['{"type":"text.delta","delta":"Hel"}', '{"type":"text.delta","delta":"lo"}']
 *     .map((json) => text.encode(json)),
 * });
 *
 * const transcript = new Projector({
 *   init: () => "",
 *   reducer: (state: string, event: { type: string; delta?: string }) =>
 *     event.type === "text.delta" ? state + event.delta : state,
 * });
 * const { state, offset } = await transcript.catchUp(store, "chats/1");
 * console.log(state, offset); // "Hello" 2
 * await store.dispose();
 * ```
 */
export class Projector<S, E = unknown> {
  readonly #init: () => S;
  readonly #reducer: Reducer<S, E>;
  readonly #decode: (bytes: Uint8Array) => E;

  /** Creates a projector from an initial state, a reducer and a decoder. */
  constructor(options: ProjectorOptions<S, E>) {
    this.#init = options.init;
    this.#reducer = options.reducer;
    const decode = options.decode;
    this.#decode = decode === undefined
      ? decodeJson as (bytes: Uint8Array) => E
      : typeof decode === "function"
      ? decode
      : (bytes) => decode.decode(bytes);
  }

  /**
   * A fresh initial snapshot: `init()` at offset 0.
   *
   * @example
   * ```ts
   * import { Projector } from "@agent-stream/agent-stream/projector";
   * const counter = new Projector({ init: () => ({ n: 0 }), reducer: (s) => ({ n: s.n + 1 }) });
   * console.log(counter.initial()); // { state: { n: 0 }, offset: 0 }
   * ```
   */
  initial(): Snapshot<S> {
    return { state: this.#init(), offset: 0 };
  }

  /**
   * Folds messages that continue a snapshot: the first message is the event
   * at `snapshot.offset`, the next at `snapshot.offset + 1`, and so on. The
   * building block of `catchUp` and `follow`, for messages read any other
   * way (over HTTP, say).
   *
   * @throws {ProjectionError} when decoding or reducing an event throws; the
   * error's `offset` names the event, its `cause` is the original error.
   *
   * @example
   * ```ts
   * import { Projector } from "@agent-stream/agent-stream/projector";
   * const sum = new Projector({ init: () => 0, reducer: (s: number, n: number) => s + n });
   * const text = new TextEncoder();
   * const after = sum.fold({ state: 10, offset: 4 }, [text.encode("1"), text.encode("2")]);
   * console.log(after); // { state: 13, offset: 6 }
   * ```
   */
  fold(snapshot: Snapshot<S>, messages: Iterable<Uint8Array>): Snapshot<S> {
    let { state, offset } = snapshot;
    for (const bytes of messages) {
      let event: E;
      try {
        event = this.#decode(bytes);
      } catch (error) {
        throw new ProjectionError(
          `Cannot decode the event at offset ${offset}: ${describe(error)}`,
          {
            offset,
            cause: error,
          },
        );
      }
      try {
        state = this.#reducer(state, event, offset);
      } catch (error) {
        throw new ProjectionError(`The reducer failed at offset ${offset}: ${describe(error)}`, {
          offset,
          cause: error,
        });
      }
      offset++;
    }
    return { state, offset };
  }

  /**
   * Folds every event from the snapshot's offset (or 0) up to the stream's
   * tail, reading in batches. Events appended meanwhile are folded too, up to
   * the tail at the last read.
   *
   * @throws {ProjectionError} as {@linkcode Projector.fold} does, or when the
   * store skips or repeats an offset (a byte stream, say).
   * @throws {StoreError} from the store, e.g. `stream-not-found`, or
   * `offset-out-of-range` for a snapshot beyond the tail.
   *
   * @example
   * ```ts
   * import { Projector } from "@agent-stream/agent-stream/projector";
   * import { MemoryStore } from "@agent-stream/agent-stream/stores";
   * const store = new MemoryStore();
   * const text = new TextEncoder();
   * await store.create("numbers", { messages: ["1", "2", "3"].map((n) => text.encode(n)) });
   * const sum = new Projector({ init: () => 0, reducer: (s: number, n: number) => s + n });
   *
   * const early = await sum.catchUp(store, "numbers", { batchLimit: 2 }); // 6 at offset 3
   * await store.append("numbers", { messages: [text.encode("4")] });
   * const later = await sum.catchUp(store, "numbers", { from: early });
   * console.log(later.state, later.offset); // 10 4
   * await store.dispose();
   * ```
   */
  async catchUp(
    store: EventStore,
    path: string,
    options: CatchUpOptions<S> = {},
  ): Promise<CatchUpResult<S>> {
    let snapshot = options.from ?? this.initial();
    const limit = options.batchLimit ?? DEFAULT_BATCH_LIMIT;
    for (;;) {
      const batch = await store.read(path, { offset: snapshot.offset, limit });
      checkContinues(batch, snapshot.offset);
      snapshot = this.fold(snapshot, batch.messages);
      if (batch.upToDate || batch.closed || batch.messages.length === 0) {
        return { state: snapshot.state, offset: snapshot.offset, closed: batch.closed };
      }
    }
  }

  /**
   * Follows a stream live: folds its history from the snapshot's offset (or
   * 0), then every batch appended, with no gap and no duplicate, and yields
   * the state as it changes.
   *
   * Batches are folded as the store delivers them, not when the consumer
   * asks: a slow consumer never builds a backlog, it sees the latest state
   * (some intermediate states are skipped). The first update comes once the
   * history is folded (or earlier, mid-history, if the consumer is waiting);
   * an update with `upToDate: true` always comes when the projection reaches
   * the tail, even for an empty stream.
   *
   * The iteration ends after an update with `closed: true` when the stream
   * is closed, quietly when `signal` aborts, and when the consumer breaks
   * out; each of these stops the subscription. Nothing happens until the
   * iteration starts.
   *
   * @throws {ProjectionError} as {@linkcode Projector.fold} does.
   * @throws {StoreError} from the store (`stream-not-found`, …), and
   * `stream-not-found` when the stream is deleted while followed.
   *
   * @example
   * ```ts
   * import { Projector } from "@agent-stream/agent-stream/projector";
   * import { MemoryStore } from "@agent-stream/agent-stream/stores";
   * const store = new MemoryStore();
   * const text = new TextEncoder();
   * await store.create("numbers");
   * const sum = new Projector({ init: () => 0, reducer: (s: number, n: number) => s + n });
   *
   * const appending = (async () => {
   *   await store.append("numbers", { messages: [text.encode("1"), text.encode("2")] });
   *   await store.append("numbers", { messages: [text.encode("3")], close: true });
   * })();
   * for await (const update of sum.follow(store, "numbers")) {
   *   console.log(update.state, update.offset, update.closed); // last: 6 3 true
   * }
   * await appending;
   * await store.dispose();
   * ```
   */
  async *follow(
    store: EventStore,
    path: string,
    options: FollowOptions<S> = {},
  ): AsyncGenerator<FollowUpdate<S>, void, undefined> {
    const signal = options.signal;
    if (signal?.aborted) return;
    let snapshot = options.from ?? this.initial();
    let upToDate = false;
    let closed = false;
    let changed = false;
    let end: "closed" | "deleted" | "unsubscribed" | undefined;
    let failure: { error: unknown } | undefined;
    let subscription: Subscription | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const resolve = wake;
      wake = undefined;
      resolve?.();
    };
    const fail = (error: unknown): void => {
      failure ??= { error };
      subscription?.unsubscribe();
      notify();
    };
    const listener = (event: SubscriptionEvent): void => {
      if (failure !== undefined || end !== undefined) return;
      if (event.type === "end") {
        end = event.reason;
        notify();
        return;
      }
      try {
        checkContinues(event, snapshot.offset);
        const next = this.fold(snapshot, event.messages);
        changed ||= next.offset !== snapshot.offset || event.upToDate !== upToDate ||
          event.closed !== closed;
        snapshot = next;
        upToDate = event.upToDate;
        closed = event.closed;
      } catch (error) {
        fail(error);
        return;
      }
      notify();
    };
    signal?.addEventListener("abort", notify);
    try {
      subscription = await store.subscribe(
        path,
        { offset: snapshot.offset, batchLimit: options.batchLimit ?? DEFAULT_BATCH_LIMIT },
        listener,
      );
      if (failure !== undefined) subscription.unsubscribe();
      subscription.done.then((reason) => {
        end ??= reason;
        notify();
      }, fail);
      for (;;) {
        if (signal?.aborted) return;
        if (failure !== undefined) throw failure.error;
        if (changed) {
          changed = false;
          yield { state: snapshot.state, offset: snapshot.offset, upToDate, closed };
          continue;
        }
        if (end === "closed") return;
        if (end === "deleted") {
          throw new StoreError("stream-not-found", `Stream ${path} was deleted while followed`);
        }
        if (end !== undefined) {
          throw new StoreError("internal-error", `The subscription to ${path} ended unexpectedly`);
        }
        await new Promise<void>((resolve) => wake = resolve);
      }
    } finally {
      signal?.removeEventListener("abort", notify);
      subscription?.unsubscribe();
    }
  }
}

// Offsets are dense (spec/v1/log.md §3): a batch that does not start where
// the projection stands, or whose offsets do not count messages, would fold
// events twice, skip some, or misnumber them.
function checkContinues(batch: ReadResult, offset: number): void {
  if (batch.offset !== offset) {
    throw new ProjectionError(
      `Expected events from offset ${offset}, but the store delivered them from ${batch.offset}`,
      { offset },
    );
  }
  if (batch.nextOffset !== batch.offset + batch.messages.length) {
    throw new ProjectionError(
      `Offsets from ${offset} do not count messages; a projection needs a JSON stream`,
      { offset },
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
