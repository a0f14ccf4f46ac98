/**
 * The persistence seam of the stores. The log's rules (producers, closure,
 * forks, TTL, offsets) live once, in `LogStore`; a backend only
 * keeps what the store decided, durably, and gives it back on open and on
 * read. Implement {@linkcode Backend} to keep streams somewhere new.
 *
 * @module
 */

import type { StreamKind } from "../protocol/stream_kind.ts";

/**
 * A stream's durable description. `key` is internal: forks refer to their
 * source by key, since a path can be reused after a delete. A key is never
 * given to two streams that exist at the same time.
 *
 * @example
 * ```ts
 * import type { StoredStream } from "@agent-stream/agent-stream/stores";
 * const stream: StoredStream = {
 *   key: 1,
 *   path: "chats/1",
 *   contentType: "application/json",
 *   kind: "agent",
 *   createdAt: Date.now(),
 * };
 * ```
 */
export interface StoredStream {
  /** Internal identity. */
  readonly key: number;
  /** The stream's path. */
  readonly path: string;
  /** Content type as given at creation. */
  readonly contentType: string;
  /** `json` or `agent`. */
  readonly kind: StreamKind;
  /** Sliding time-to-live in seconds. */
  readonly ttlSeconds?: number;
  /** Absolute expiry, milliseconds since the epoch. */
  readonly expiresAt?: number;
  /** Fork origin by source key (paths can be reused after a delete). */
  readonly fork?: { readonly key: number; readonly offset: number };
  /** Creation time, milliseconds since the epoch. */
  readonly createdAt: number;
}

/**
 * Durable producer state of one (stream, producer id).
 *
 * @example
 * ```ts
 * import type { StoredProducer } from "@agent-stream/agent-stream/stores";
 * const state: StoredProducer = { epoch: 0, seq: 12 };
 * ```
 */
export interface StoredProducer {
  /** Current epoch. */
  readonly epoch: number;
  /** Highest accepted sequence number in that epoch. */
  readonly seq: number;
}

/**
 * Everything the store needs in memory, as a backend hands it back on open.
 *
 * @example
 * ```ts
 * import type { StoredStreamState } from "@agent-stream/agent-stream/stores";
 * function isOpen(state: StoredStreamState): boolean {
 *   return !state.closed && !state.deleted;
 * }
 * ```
 */
export interface StoredStreamState {
  /** The stream's description. */
  readonly stream: StoredStream;
  /** Offset after the stream's last unit. */
  readonly tail: number;
  /** Whether the stream is closed. */
  readonly closed: boolean;
  /** The producer append that closed the stream, if a producer closed it. */
  readonly closedBy?: { readonly id: string; readonly epoch: number; readonly seq: number };
  /** Soft-deleted: gone for clients, kept for its forks. */
  readonly deleted: boolean;
  /** Producer state by producer id. */
  readonly producers: ReadonlyMap<string, StoredProducer>;
  /** The last accepted `Stream-Seq`. */
  readonly lastStreamSeq?: string;
}

/**
 * One stored unit of a stream: a JSON message, or a chunk of a byte stream.
 *
 * @example
 * ```ts
 * import type { StoredEntry } from "@agent-stream/agent-stream/stores";
 * const entry: StoredEntry = { offset: 0, data: new TextEncoder().encode("{}") };
 * ```
 */
export interface StoredEntry {
  /** Offset of the entry's first unit. */
  readonly offset: number;
  /** The exact bytes appended. */
  readonly data: Uint8Array;
}

/**
 * A change the store has decided. Each change is atomic on its own: after a
 * crash it is wholly present or wholly absent.
 *
 * @example
 * ```ts
 * import type { Change } from "@agent-stream/agent-stream/stores";
 * function touches(change: Change): number {
 *   return change.type === "create" ? change.stream.key : change.key;
 * }
 * ```
 */
export type Change =
  | {
    readonly type: "create";
    readonly stream: StoredStream;
    /** Initial entries, stored with the stream. */
    readonly entries: readonly StoredEntry[];
    /** The stream's tail after the initial entries (a fork starts at its fork offset). */
    readonly tail: number;
    readonly closed: boolean;
  }
  | {
    readonly type: "append";
    readonly key: number;
    /** Possibly empty (a close without data). */
    readonly entries: readonly StoredEntry[];
    /** The stream's tail after this change. */
    readonly tail: number;
    readonly close: boolean;
    /** Producer state after this change, when a producer appended. */
    readonly producer?: { readonly id: string; readonly epoch: number; readonly seq: number };
    readonly streamSeq?: string;
  }
  /** Soft delete: the stream stays for its forks. */
  | { readonly type: "soft-delete"; readonly key: number }
  /** Removes a stream and its entries for good. */
  | { readonly type: "drop"; readonly key: number };

/**
 * What a store's persistence provides. A backend holds no rules: it stores the
 * changes `LogStore` hands it and answers reads of one stream's own
 * entries.
 *
 * @example
 * ```ts
 * import { type Backend, LogStore } from "@agent-stream/agent-stream/stores";
 * function storeOver(backend: Backend): LogStore {
 *   return new LogStore(backend);
 * }
 * ```
 */
export interface Backend {
  /** Loads every stream that is not dropped, recovering from a crash first. */
  open(): Promise<StoredStreamState[]>;
  /**
   * Makes every change durable, in order, and resolves only then. The store
   * calls it once at a time, never again before the previous call settled.
   * Changes handed over together share one durable commit where the medium
   * allows (group commit). On rejection, any subset of the changes may have
   * become durable, each atomically, and the store stops writing until it is
   * reopened.
   */
  commit(changes: readonly Change[]): Promise<void>;
  /**
   * Entries of one stream's own storage that end after `offset`, in offset
   * order, at most `maxEntries` of them. The first may start before `offset`
   * (a byte-stream chunk). For a stream whose drop is being committed, an
   * empty array once that commit has settled.
   */
  read(key: number, offset: number, maxEntries: number): Promise<StoredEntry[]>;
  /** Releases files and handles. */
  close(): Promise<void>;
}
