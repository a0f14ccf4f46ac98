// Keeps the log in plain JavaScript structures: nothing survives the process,
// which is what a memory store promises.

import type { Backend, Change, StoredEntry, StoredStreamState } from "./backend.ts";

interface MemoryStream {
  state: StoredStreamState;
  entries: StoredEntry[];
}

/**
 * A {@linkcode Backend} that holds everything in memory.
 *
 * @example
 * ```ts
 * import { LogStore, MemoryBackend } from "@agent-stream/agent-stream/stores";
 * const store = new LogStore(new MemoryBackend());
 * await store.dispose();
 * ```
 */
export class MemoryBackend implements Backend {
  readonly #streams = new Map<number, MemoryStream>();
  #commits = 0;

  /** How many commits ran; a memory commit is a function call. */
  get commits(): number {
    return this.#commits;
  }

  /** The streams committed so far. */
  open(): Promise<StoredStreamState[]> {
    return Promise.resolve([...this.#streams.values()].map((s) => s.state));
  }

  /** Applies the changes at once. */
  commit(changes: readonly Change[]): Promise<void> {
    this.#commits++;
    for (const change of changes) this.#apply(change);
    return Promise.resolve();
  }

  #apply(change: Change): void {
    switch (change.type) {
      case "create":
        this.#streams.set(change.stream.key, {
          state: {
            stream: change.stream,
            tail: change.tail,
            closed: change.closed,
            deleted: false,
            producers: new Map(),
          },
          entries: [...change.entries],
        });
        return;
      case "append": {
        const s = this.#streams.get(change.key)!;
        s.entries.push(...change.entries);
        const producers = new Map(s.state.producers);
        if (change.producer) {
          producers.set(change.producer.id, {
            epoch: change.producer.epoch,
            seq: change.producer.seq,
          });
        }
        s.state = {
          ...s.state,
          tail: change.tail,
          closed: s.state.closed || change.close,
          ...(change.close && change.producer ? { closedBy: { ...change.producer } } : {}),
          producers,
          ...(change.streamSeq !== undefined ? { lastStreamSeq: change.streamSeq } : {}),
        };
        return;
      }
      case "soft-delete": {
        const s = this.#streams.get(change.key)!;
        s.state = { ...s.state, deleted: true };
        return;
      }
      case "drop":
        this.#streams.delete(change.key);
        return;
    }
  }

  /** Entries of one stream from the one holding `offset`. */
  read(key: number, offset: number, maxEntries: number): Promise<StoredEntry[]> {
    const stream = this.#streams.get(key);
    if (!stream) return Promise.resolve([]);
    const { entries } = stream;
    // The last entry that starts at or before `offset` holds it, if it reaches past it.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (entries[mid].offset <= offset) lo = mid + 1;
      else hi = mid;
    }
    const holder = entries[lo - 1];
    const start = holder &&
        holder.offset + unitsOf(stream.state.stream.contentType, holder) > offset
      ? lo - 1
      : lo;
    return Promise.resolve(entries.slice(start, start + maxEntries));
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function unitsOf(contentType: string, entry: StoredEntry): number {
  return contentType.split(";", 1)[0].trim().toLowerCase() === "application/json"
    ? 1
    : entry.data.length;
}
