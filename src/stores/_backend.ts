// The persistence seam of the stores. The log's rules (producers, closure,
// forks, TTL, offsets) live once, in `_log_core.ts`; a backend only keeps what
// the core decided, durably, and gives it back on open and on read.

import type { StreamKind } from "../protocol/stream_kind.ts";

/** A stream's durable description. `key` is internal and never reused. */
export interface StoredStream {
  readonly key: number;
  readonly path: string;
  readonly contentType: string;
  readonly kind: StreamKind;
  readonly ttlSeconds?: number;
  readonly expiresAt?: number;
  /** Fork origin by source key (paths can be reused after a delete). */
  readonly fork?: { readonly key: number; readonly offset: number };
  readonly createdAt: number;
}

/** Durable producer state of one (stream, producer id). */
export interface StoredProducer {
  readonly epoch: number;
  readonly seq: number;
}

/** Everything the core needs in memory, as a backend hands it back on open. */
export interface StoredStreamState {
  readonly stream: StoredStream;
  /** Offset after the stream's last unit. */
  readonly tail: number;
  readonly closed: boolean;
  /** The producer append that closed the stream, if a producer closed it. */
  readonly closedBy?: { readonly id: string; readonly epoch: number; readonly seq: number };
  /** Soft-deleted: gone for clients, kept for its forks. */
  readonly deleted: boolean;
  readonly producers: ReadonlyMap<string, StoredProducer>;
  readonly lastStreamSeq?: string;
}

/** One stored unit of a stream: a JSON message, or a chunk of a byte stream. */
export interface StoredEntry {
  /** Offset of the entry's first unit. */
  readonly offset: number;
  readonly data: Uint8Array;
}

/**
 * A change the core has decided. Each change is atomic on its own: after a
 * crash it is wholly present or wholly absent.
 */
export type Change =
  | {
    readonly type: "create";
    readonly stream: StoredStream;
    /** Initial entries, stored with the stream. */
    readonly entries: readonly StoredEntry[];
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

/** What a store's persistence provides. */
export interface Backend {
  /** Loads every stream that is not dropped, recovering from a crash first. */
  open(): Promise<StoredStreamState[]>;
  /**
   * Makes every change durable, in order, and resolves only then. Changes
   * handed over together share one durable commit where the medium allows
   * (group commit). On rejection, any subset of the changes may have become
   * durable, each atomically.
   */
  commit(changes: readonly Change[]): Promise<void>;
  /**
   * Entries of one stream's own storage that end after `offset`, in offset
   * order, at most `maxEntries` of them. The first may start before `offset`
   * (a byte-stream chunk).
   */
  read(key: number, offset: number, maxEntries: number): Promise<StoredEntry[]>;
  /** Releases files and handles. */
  close(): Promise<void>;
}
