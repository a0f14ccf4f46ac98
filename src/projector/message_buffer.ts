/**
 * Aggregation of streamed messages: text arrives as start, deltas and end,
 * possibly for several messages at once; the buffer keeps each message's
 * text so far and tells listeners at each step.
 *
 * @module
 */

/**
 * Callbacks of a {@linkcode MessageBuffer}; each is optional.
 *
 * @example
 * ```ts
 * import type { MessageBufferCallbacks } from "@agent-stream/agent-stream/projector";
 *
 * const callbacks: MessageBufferCallbacks<{ role: string }> = {
 *   onMessageChunk: (id, accumulated) => console.log(id, accumulated),
 * };
 * ```
 */
export interface MessageBufferCallbacks<M = undefined> {
  /** A message started. */
  onMessageStart?(id: string, meta: M): void;
  /** A delta arrived: the message's text so far, and the delta alone. */
  onMessageChunk?(id: string, accumulated: string, delta: string): void;
  /** A message ended, with its whole text. */
  onMessageComplete?(id: string, text: string, meta: M): void;
}

/**
 * A message being streamed, or finished.
 *
 * @example
 * ```ts
 * import type { BufferedMessage } from "@agent-stream/agent-stream/projector";
 *
 * function done(message: BufferedMessage): boolean {
 *   return message.complete;
 * }
 * ```
 */
export interface BufferedMessage<M = undefined> {
  /** The message ID. */
  readonly id: string;
  /** What `start` was given about it (role, model, …). */
  readonly meta: M;
  /** The text so far. */
  readonly text: string;
  /** Whether `end` was called. */
  readonly complete: boolean;
}

/**
 * A misuse of a {@linkcode MessageBuffer}: a delta or end for a message
 * that was never started, a second start or a delta after the end.
 *
 * @example
 * ```ts
 * import { MessageBuffer, MessageBufferError } from "@agent-stream/agent-stream/projector";
 *
 * try {
 *   new MessageBuffer().append("m1", "hi");
 * } catch (error) {
 *   console.log(error instanceof MessageBufferError); // true
 * }
 * ```
 */
export class MessageBufferError extends Error {
  /** The message concerned. */
  readonly id: string;

  /** A misuse concerning message `id`. */
  constructor(id: string, message: string) {
    super(`message ${JSON.stringify(id)}: ${message}`);
    this.name = "MessageBufferError";
    this.id = id;
  }
}

/**
 * Keeps the text of messages streamed as start / append / end, several at a
 * time, in start order.
 *
 * @example
 * ```ts
 * import { MessageBuffer } from "@agent-stream/agent-stream/projector";
 *
 * const buffer = new MessageBuffer<{ role: string }>({
 *   onMessageChunk: (id, accumulated, delta) => console.log(id, accumulated, delta),
 *   onMessageComplete: (id, text) => console.log("done", id, text),
 * });
 * buffer.start("m1", { role: "assistant" });
 * buffer.append("m1", "Hel"); // m1 Hel Hel
 * buffer.append("m1", "lo"); // m1 Hello lo
 * buffer.end("m1"); // done m1 Hello
 * console.log(buffer.get("m1")?.text); // Hello
 * ```
 */
export class MessageBuffer<M = undefined> {
  readonly #callbacks: MessageBufferCallbacks<M>;
  readonly #messages = new Map<string, { meta: M; text: string; complete: boolean }>();

  /** A buffer that reports to `callbacks`. */
  constructor(callbacks: MessageBufferCallbacks<M> = {}) {
    this.#callbacks = callbacks;
  }

  /** Starts message `id`; throws if it was started before. */
  start(id: string, ...meta: M extends undefined ? [meta?: M] : [meta: M]): void {
    if (this.#messages.has(id)) throw new MessageBufferError(id, "started twice");
    const entry = { meta: meta[0] as M, text: "", complete: false };
    this.#messages.set(id, entry);
    this.#callbacks.onMessageStart?.(id, entry.meta);
  }

  /** Appends `delta` to message `id`; throws unless it is started and not ended. */
  append(id: string, delta: string): void {
    const entry = this.#open(id);
    entry.text += delta;
    this.#callbacks.onMessageChunk?.(id, entry.text, delta);
  }

  /** Ends message `id`; throws unless it is started and not ended. */
  end(id: string): void {
    const entry = this.#open(id);
    entry.complete = true;
    this.#callbacks.onMessageComplete?.(id, entry.text, entry.meta);
  }

  /** Message `id`, or `undefined` if it was never started. */
  get(id: string): BufferedMessage<M> | undefined {
    const entry = this.#messages.get(id);
    return entry && { id, meta: entry.meta, text: entry.text, complete: entry.complete };
  }

  /** Every message, in start order. */
  messages(): BufferedMessage<M>[] {
    return [...this.#messages.keys()].map((id) => this.get(id)!);
  }

  /** Messages started and not yet ended, in start order. */
  pending(): BufferedMessage<M>[] {
    return this.messages().filter((message) => !message.complete);
  }

  /** Forgets every message. */
  clear(): void {
    this.#messages.clear();
  }

  #open(id: string) {
    const entry = this.#messages.get(id);
    if (!entry) throw new MessageBufferError(id, "not started");
    if (entry.complete) throw new MessageBufferError(id, "already ended");
    return entry;
  }
}
