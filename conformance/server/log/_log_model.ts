// An in-memory model of log.md, written from the spec alone: streams with
// their messages, closure, producers, Stream-Seq, forks and soft deletes, and
// the decision log.md prescribes for each append.

/** A producer's state on one stream: its epoch and last accepted sequence number. */
export interface ProducerState {
  /** The producer's current epoch. */
  epoch: number;
  /** The last sequence number accepted in that epoch. */
  seq: number;
}

/** A producer identity on one request. */
export interface ProducerId {
  /** `Producer-Id`. */
  readonly id: string;
  /** `Producer-Epoch`. */
  readonly epoch: number;
  /** `Producer-Seq`. */
  readonly seq: number;
}

/** One stream of the model. Forks copy their source's prefix. */
export interface ModelStream {
  /** The name a run gives the stream. */
  readonly label: string;
  /** Every message, compact JSON, in offset order. */
  readonly content: string[];
  /** Whether the stream is closed. */
  closed: boolean;
  /** The producer request that closed it, if one did. */
  closedBy?: ProducerId;
  /** Producer state by producer id. */
  readonly producers: Map<string, ProducerState>;
  /** The last accepted `Stream-Seq`. */
  lastSeq?: string;
  /** For a fork: its source and fork offset. */
  readonly fork?: { readonly source: ModelStream; readonly offset: number };
  /** Deleted while forks read from it: answers as gone. */
  soft: boolean;
}

/** An append (or close) as the model sees it: compact message texts. */
export interface ModelAppend {
  /** The messages it appends. */
  readonly messages: readonly string[];
  /** Whether it closes the stream. */
  readonly close: boolean;
  /** Its producer identity, if any. */
  readonly producer?: ProducerId;
  /** Its `Stream-Seq`, if any. */
  readonly seq?: string;
  /** An empty array or an empty body without a close (LOG-APPEND-3). */
  readonly empty?: boolean;
}

/** What log.md says an append does, and which requirement says so. */
export type Decision =
  | { readonly type: "stored"; readonly requirement: string }
  | { readonly type: "unchanged"; readonly duplicate: boolean; readonly requirement: string }
  | {
    readonly type: "refused";
    readonly slugs: readonly string[];
    readonly requirement: string;
    readonly state?: ProducerState;
  };

/** The log of log.md: streams by label, with forks, soft deletes, producers and `Stream-Seq`. */
export class LogModel {
  /** Live and soft-deleted streams. */
  readonly streams = new Map<string, ModelStream>();
  /** Labels whose stream was deleted at least once. */
  readonly deleted = new Set<string>();

  /** Adds a stream. */
  create(
    label: string,
    content: readonly string[],
    closed: boolean,
    fork?: ModelStream["fork"],
  ): ModelStream {
    const stream: ModelStream = {
      label,
      content: [...content],
      closed,
      producers: new Map(),
      ...(fork ? { fork } : {}),
      soft: false,
    };
    this.streams.set(label, stream);
    return stream;
  }

  /** The streams that fork from `stream` and still exist. */
  forksOf(stream: ModelStream): ModelStream[] {
    return [...this.streams.values()].filter((s) => s.fork?.source === stream);
  }

  /** Deletes a stream: soft while forks read from it (log.md §10). */
  delete(stream: ModelStream): void {
    if (this.forksOf(stream).length > 0) stream.soft = true;
    else this.#drop(stream);
  }

  #drop(stream: ModelStream): void {
    this.streams.delete(stream.label);
    this.deleted.add(stream.label);
    const source = stream.fork?.source;
    if (source?.soft && this.forksOf(source).length === 0) this.#drop(source);
  }

  /** Decides an append to a live stream by log.md §4, §6 and §7. */
  decide(s: ModelStream, a: ModelAppend): Decision {
    const p = a.producer;
    if (s.closed) {
      const by = s.closedBy;
      if (p && by && by.id === p.id && by.epoch === p.epoch && by.seq === p.seq) {
        return { type: "unchanged", duplicate: true, requirement: "LOG-CLOSE-1" };
      }
      if (a.close && a.messages.length === 0 && !a.empty) {
        return { type: "unchanged", duplicate: false, requirement: "LOG-CLOSE-3" };
      }
      const slugs = a.empty ? ["stream-closed", "empty-append"] : ["stream-closed"];
      return { type: "refused", slugs, requirement: "LOG-CLOSE-1" };
    }
    if (a.empty) return { type: "refused", slugs: ["empty-append"], requirement: "LOG-APPEND-3" };
    if (p) {
      const state = s.producers.get(p.id);
      const gap = (expected: number): Decision => ({
        type: "refused",
        slugs: ["producer-seq-gap"],
        requirement: "LOG-PRODUCER-4",
        state: { epoch: state?.epoch ?? p.epoch, seq: expected },
      });
      if (state === undefined) {
        if (p.seq !== 0) return gap(0);
      } else if (p.epoch < state.epoch) {
        return {
          type: "refused",
          slugs: ["producer-stale-epoch"],
          requirement: "LOG-PRODUCER-3",
          state,
        };
      } else if (p.epoch > state.epoch) {
        if (p.seq !== 0) {
          return {
            type: "refused",
            slugs: ["producer-epoch-start"],
            requirement: "LOG-PRODUCER-5",
          };
        }
      } else if (p.seq <= state.seq) {
        return { type: "unchanged", duplicate: true, requirement: "LOG-PRODUCER-2" };
      } else if (p.seq > state.seq + 1) {
        return gap(state.seq + 1);
      }
    }
    if (a.seq !== undefined && s.lastSeq !== undefined && !(a.seq > s.lastSeq)) {
      return { type: "refused", slugs: ["stream-seq-conflict"], requirement: "LOG-SEQ-1" };
    }
    const requirement = p
      ? "LOG-PRODUCER-1"
      : a.seq !== undefined
      ? "LOG-SEQ-1"
      : a.close
      ? "LOG-CLOSE-2"
      : "LOG-APPEND-5";
    return { type: "stored", requirement };
  }

  /** Applies a stored append. */
  apply(s: ModelStream, a: ModelAppend): void {
    s.content.push(...a.messages);
    if (a.close) {
      s.closed = true;
      if (a.producer) s.closedBy = a.producer;
    }
    if (a.producer) {
      s.producers.set(a.producer.id, { epoch: a.producer.epoch, seq: a.producer.seq });
    }
    if (a.seq !== undefined) s.lastSeq = a.seq;
  }
}
