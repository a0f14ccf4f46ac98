import { isOffset, parseOffset, type RequestOffset } from "../protocol/offset.ts";
// Dense offsets make every batch checkable (log.md §3): a batch of n
// messages ending at `next` starts at `next - n`. A reader that knows where
// it is drops what it already has and refuses a gap, whatever the binding.

import { formatOffset } from "../protocol/offset.ts";
import { StreamError } from "./stream_error.ts";
import type { BatchInfo, StreamBatch, StreamEvent } from "./stream_reader.ts";

/** What one response, one SSE data/control pair, or one WebSocket data frame says. */
export interface ReadChunk {
  /** Exact JSON texts of the messages, in offset order. */
  readonly raws: readonly string[];
  /** Parsed messages, when the binding parsed them already (WebSocket). */
  readonly parsed?: readonly unknown[];
  /** The offset after the last message. */
  readonly next: number;
  /** `undefined` when the connection did not say (an SSE data event alone). */
  readonly upToDate?: boolean;
  readonly closed?: boolean;
  readonly cursor?: string;
}

/** Where a reader stands, and what it has dropped or refused so far. */
export class Position {
  /** Offset after the last message received; undefined until known (`now`). */
  pos: number | undefined;
  upToDate = false;
  closed = false;
  cursor: string | undefined;
  duplicates = 0;
  gaps = 0;

  constructor(pos: number | undefined) {
    this.pos = pos;
  }

  /**
   * Applies a chunk: returns the batch of new messages (or of news: caught
   * up, closed), `undefined` when the chunk brings nothing, and throws an
   * `offset-gap` error when the chunk starts beyond the position.
   */
  accept<M>(chunk: ReadChunk): StreamBatch<M> | undefined {
    const count = chunk.raws.length;
    const start = chunk.next - count;
    if (start < 0) throw new StreamError("Batch starts before offset 0", { code: "protocol" });
    const pos = this.pos ?? start;
    if (start > pos) {
      this.gaps++;
      throw new StreamError(
        `Expected offset ${formatOffset(pos)}, got a batch from ${formatOffset(start)}`,
        { code: "offset-gap" },
      );
    }
    const skip = Math.min(pos - start, count);
    this.duplicates += skip;
    // A chunk that ends before the position is old news, flags included.
    if (chunk.next < pos) return undefined;
    const first = start + skip;
    const messages: unknown[] = [];
    for (let i = skip; i < count; i++) {
      if (chunk.parsed !== undefined) {
        messages.push(chunk.parsed[i]);
        continue;
      }
      try {
        messages.push(JSON.parse(chunk.raws[i]));
      } catch {
        throw new StreamError(`Message at ${formatOffset(start + i)} is not JSON`, {
          code: "protocol",
        });
      }
    }
    const wasUpToDate = this.upToDate;
    const wasClosed = this.closed;
    this.pos = chunk.next;
    if (chunk.upToDate !== undefined) this.upToDate = chunk.upToDate;
    else if (messages.length > 0) this.upToDate = false;
    if (chunk.closed === true) this.closed = true;
    if (chunk.cursor !== undefined) this.cursor = chunk.cursor;
    const news = (this.upToDate && !wasUpToDate) || (this.closed && !wasClosed);
    if (messages.length === 0 && !news) return undefined;
    const info: BatchInfo = {
      offset: formatOffset(first),
      nextOffset: formatOffset(chunk.next),
      count: messages.length,
      upToDate: this.upToDate,
      closed: this.closed,
      ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
    };
    const events = messages.map((message, i): StreamEvent<M> => ({
      offset: formatOffset(first + i),
      nextOffset: formatOffset(first + i + 1),
      message: message as M,
      raw: chunk.raws[skip + i],
      batch: info,
    }));
    return { ...info, events };
  }
}

/** The position a read starts at: a number, or `undefined` for `"now"` (the tail, once known). */
export function startPosition(offset: RequestOffset | number): number | undefined {
  if (typeof offset === "number") {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`Invalid offset ${offset}`);
    }
    return offset;
  }
  if (offset === "-1") return 0;
  if (offset === "now") return undefined;
  if (!isOffset(offset)) throw new RangeError(`Invalid offset ${JSON.stringify(offset)}`);
  return parseOffset(offset);
}
