// The lifecycle bookkeeping of a projection state, kept as the admitted events
// that changed it, so that a persisted state resumes with the same bookkeeping
// (spec/v1/projection.md §1.2, PROJ-FOLD-5). A live tracker for the newest
// state is cached; any other state replays its journal into a fresh one.
import { LifecycleTracker } from "../vocabulary/lifecycle.ts";
import type { Envelope } from "../protocol/envelope.ts";

/**
 * One admitted event and its offset.
 *
 * @example
 * ```ts
 * import type { LifecycleJournalEntry } from "@agent-stream/agent-stream/conversation";
 * const entry: LifecycleJournalEntry = [0, { type: "run.started", runId: "r1" }];
 * ```
 */
export type LifecycleJournalEntry = readonly [offset: number, event: unknown];

/**
 * The admitted events a projection's lifecycle bookkeeping is built from, in
 * stream order, in chunks of at most 256 entries so
 * that appending copies little. Plain JSON: persist it with the
 * conversation. Events that leave the bookkeeping as it was (`text.delta`,
 * `reasoning.delta`, `llm.token`) are not kept.
 *
 * @example
 * ```ts
 * import type { LifecycleJournal } from "@agent-stream/agent-stream/conversation";
 * const journal: LifecycleJournal = { chunks: [[[0, { type: "run.started", runId: "r1" }]]] };
 * ```
 */
export interface LifecycleJournal {
  /** The entries, chunk by chunk; every chunk but the last is full. */
  readonly chunks: readonly (readonly LifecycleJournalEntry[])[];
}

/** Entries per chunk of a {@linkcode LifecycleJournal}. */
export const JOURNAL_CHUNK = 256;

/** The journal of no events. */
export function emptyJournal(): LifecycleJournal {
  return { chunks: [] };
}

/** `journal` with one more entry; `journal` itself is not changed. */
export function appendEntry(
  journal: LifecycleJournal,
  entry: LifecycleJournalEntry,
): LifecycleJournal {
  const { chunks } = journal;
  const last = chunks.at(-1);
  if (last === undefined || last.length >= JOURNAL_CHUNK) return { chunks: [...chunks, [entry]] };
  return { chunks: [...chunks.slice(0, -1), [...last, entry]] };
}

// Which journal the one live tracker stands at. A WeakMap, so that states
// stay plain data and the tracker goes when its state does.
const live = new WeakMap<LifecycleJournal, LifecycleTracker>();

/**
 * Takes the tracker standing at `journal`: the cached one (which the caller
 * now owns and must hand back with {@linkcode keepTracker}), or a fresh one
 * the journal is replayed into.
 *
 * @throws {TypeError} when the journal is not one or does not replay: a
 * persisted state that was damaged or built by other means.
 */
export function takeTracker(journal: LifecycleJournal): LifecycleTracker {
  const cached = live.get(journal);
  if (cached !== undefined) {
    live.delete(journal);
    return cached;
  }
  const chunks = (journal as { chunks?: unknown } | null)?.chunks;
  if (!Array.isArray(chunks)) {
    throw new TypeError("Cannot resume the projection: its lifecycle journal has no chunks array");
  }
  const tracker = new LifecycleTracker();
  for (const chunk of chunks) {
    if (!Array.isArray(chunk)) {
      throw new TypeError(
        "Cannot resume the projection: a lifecycle journal chunk is not an array",
      );
    }
    for (const entry of chunk) {
      const [offset, event] = Array.isArray(entry) ? entry : [];
      if (!(Number.isSafeInteger(offset) && offset >= 0)) {
        throw new TypeError(
          "Cannot resume the projection: a lifecycle journal entry is not [offset, event]",
        );
      }
      const violation = tracker.admit(event as Envelope, offset);
      if (violation !== undefined) {
        throw new TypeError(
          `Cannot resume the projection: the journal's event at offset ${offset} is refused ` +
            `(${violation.requirement}: ${violation.message})`,
        );
      }
    }
  }
  return tracker;
}

/** Hands `tracker` back as the one standing at `journal`. */
export function keepTracker(journal: LifecycleJournal, tracker: LifecycleTracker): void {
  live.set(journal, tracker);
}
