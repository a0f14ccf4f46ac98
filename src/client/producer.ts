/**
 * Idempotent producers over HTTP (log.md §7): appends numbered by
 * `(id, epoch, seq)` and sent one at a time, so that a retry is recognised
 * by the server and never stored twice.
 *
 * @module
 */

import type { AppendOptions, AppendResult } from "./stream_client_options.ts";
import { StreamError } from "./stream_error.ts";

/**
 * What a producer sends its appends through: a `StreamClient` (HTTP) or a
 * `WsClient` (WebSocket). Either repeats an append that carries producer
 * numbers after transient failures.
 *
 * @example
 * ```ts
 * import { StreamClient, type ProducerTransport } from "@agent-stream/agent-stream/client";
 * const transport: ProducerTransport = new StreamClient({ baseUrl: "http://localhost:8787" });
 * ```
 */
export interface ProducerTransport {
  /** Appends one batch with the given options. */
  append(path: string, messages: readonly unknown[], options: AppendOptions): Promise<AppendResult>;
}

/**
 * Options of {@linkcode IdempotentProducer}.
 *
 * @example
 * ```ts
 * import type { ProducerOptions } from "@agent-stream/agent-stream/client";
 * const options: ProducerOptions = { id: "agent-7", epoch: 3 };
 * ```
 */
export interface ProducerOptions {
  /** Producer id, 1 to 256 characters, stable across restarts of the writer. */
  readonly id: string;
  /** Epoch; raise it when the writer restarts, to fence off the old one. Default 0. */
  readonly epoch?: number;
  /** Sequence number of the first append. Default 0, as a new epoch requires. */
  readonly startSeq?: number;
}

/**
 * Where a producer stands: `ready` to append; `fenced` once a newer epoch
 * took over (403, LOG-PRODUCER-3); `failed` after a sequence gap or an
 * append whose outcome stayed unknown.
 *
 * @example
 * ```ts
 * import type { ProducerState } from "@agent-stream/agent-stream/client";
 * const canWrite = (state: ProducerState) => state === "ready";
 * ```
 */
export type ProducerState = "ready" | "fenced" | "failed";

/**
 * Options of one producer append.
 *
 * @example
 * ```ts
 * import type { ProducerAppendOptions } from "@agent-stream/agent-stream/client";
 * const last: ProducerAppendOptions = { close: true };
 * ```
 */
export interface ProducerAppendOptions {
  /** Close the stream with this batch. */
  readonly close?: boolean;
  /** Cancels the append; once it was sent, its outcome is unknown and the producer fails. */
  readonly signal?: AbortSignal;
}

/**
 * A writer that numbers its batches. Appends run one after another in call
 * order; each is repeated with the same `(id, epoch, seq)` after a network
 * failure, a 5xx or a 429, so the server stores it once whatever happens to
 * the answers. A stale epoch (403) fences the producer for good; a sequence
 * gap (409) or retries used up without an answer leave it `failed`, since
 * the next sequence number is then unknown: start a new epoch to go on.
 *
 * @example
 * ```ts
 * import { StreamClient } from "@agent-stream/agent-stream/client";
 * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
 * const producer = client.producer("chats/42", { id: "agent-7" });
 * await producer.append([{ type: "run.started", runId: "r1" }]);
 * const { nextOffset } = await producer.append([{ type: "run.finished", runId: "r1" }], { close: true });
 * ```
 */
export class IdempotentProducer {
  /** The stream written to. */
  readonly path: string;
  /** Producer id. */
  readonly id: string;
  /** Producer epoch. */
  readonly epoch: number;
  readonly #client: ProducerTransport;
  #seq: number;
  #failure: StreamError | undefined;
  #state: ProducerState = "ready";
  #tail: Promise<unknown> = Promise.resolve();

  /** Creates a producer; `client.producer(path, options)` is the usual way. */
  constructor(client: ProducerTransport, path: string, options: ProducerOptions) {
    if (options.id.length === 0 || options.id.length > 256) {
      throw new RangeError("A producer id has 1 to 256 characters");
    }
    const epoch = options.epoch ?? 0;
    const seq = options.startSeq ?? 0;
    if (!Number.isSafeInteger(epoch) || epoch < 0 || !Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError("Producer epoch and sequence are safe non-negative integers");
    }
    this.#client = client;
    this.path = path;
    this.id = options.id;
    this.epoch = epoch;
    this.#seq = seq;
  }

  /** Sequence number the next append will carry. */
  get nextSeq(): number {
    return this.#seq;
  }

  /** See {@linkcode ProducerState}. */
  get state(): ProducerState {
    return this.#state;
  }

  /** Why the producer is fenced or failed. */
  get error(): StreamError | undefined {
    return this.#failure;
  }

  /**
   * Appends one batch after every earlier one has finished. Resolves with
   * `duplicate: true` when the server had already stored this batch (a
   * retry after a lost answer).
   */
  append(messages: readonly unknown[], options: ProducerAppendOptions = {}): Promise<AppendResult> {
    const run = (): Promise<AppendResult> => this.#send(messages, options);
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => {});
    return result;
  }

  /** Closes the stream as this producer (a repeat is recognised, HTTP-APPEND-9). */
  close(options: Omit<ProducerAppendOptions, "close"> = {}): Promise<AppendResult> {
    return this.append([], { ...options, close: true });
  }

  async #send(messages: readonly unknown[], options: ProducerAppendOptions): Promise<AppendResult> {
    if (this.#failure !== undefined) throw this.#failure;
    if (options.signal?.aborted) throw options.signal.reason;
    const seq = this.#seq;
    try {
      const result = await this.#client.append(this.path, messages, {
        producer: { id: this.id, epoch: this.epoch, seq },
        close: options.close,
        signal: options.signal,
      });
      this.#seq = seq + 1;
      return result;
    } catch (error) {
      throw this.#judge(error, seq);
    }
  }

  #judge(error: unknown, seq: number): unknown {
    if (error instanceof StreamError && error.code === "producer-stale-epoch") {
      this.#state = "fenced";
      this.#failure = error;
      return error;
    }
    if (error instanceof StreamError && error.code === "producer-seq-gap") {
      this.#state = "failed";
      this.#failure = error;
      return error;
    }
    if (error instanceof StreamError && error.status !== undefined && !error.transient) {
      // Refused by the server: nothing stored (HTTP-ERR-2), the number is free.
      return error;
    }
    // Retries used up, or cancelled after sending: batch `seq` may or may not
    // be stored, so neither `seq` nor `seq + 1` is safe for another batch.
    this.#state = "failed";
    this.#failure = new StreamError(
      `Outcome of producer append ${this.id}/${this.epoch}/${seq} is unknown; start a new epoch`,
      {
        code: error instanceof StreamError ? error.code : "network",
        cause: error,
        transient: false,
      },
    );
    return error;
  }
}
