// An event-stream parser that follows the HTML Living Standard's
// "Interpreting an event stream" algorithm to the letter, so that the
// client reads exactly what a browser's EventSource would (sse.md §1).

/** One dispatched event, as an `EventSource` would deliver it. */
export interface SseEvent {
  /** Always `"event"`. */
  readonly kind: "event";
  /** The `event:` field; `"message"` when the event had none. */
  readonly event: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last event ID buffer at dispatch: the latest `id:` seen so far, not only in this event. */
  readonly lastEventId: string;
  /** Whether this event itself carried an `id:` field. */
  readonly hasId: boolean;
}

/** A `retry:` field: the server's reconnection delay, effective at once. */
export interface SseRetry {
  /** Always `"retry"`. */
  readonly kind: "retry";
  /** The delay in milliseconds. */
  readonly ms: number;
}

/** A comment line (`:` first), such as a heartbeat. */
export interface SseComment {
  /** Always `"comment"`. */
  readonly kind: "comment";
  /** The text after the colon, unchanged. */
  readonly text: string;
}

/** Everything the parser reports, in stream order. */
export type SseItem = SseEvent | SseRetry | SseComment;

const LF = 10;
const CR = 13;
const DIGITS = /^[0-9]+$/;

/**
 * Incremental parser: feed it byte chunks split anywhere (inside a UTF-8
 * sequence, between CR and LF, inside a field name) and it reports the same
 * items as for the whole stream at once.
 */
export class SseParser {
  // The decoder strips one leading BOM, as the standard requires.
  #decoder = new TextDecoder("utf-8");
  #line = "";
  #skipLf = false;
  #data: string[] = [];
  #eventType = "";
  #lastEventId = "";
  #hasId = false;

  /** Parses one chunk, pushing complete items onto `out`. */
  feed(chunk: Uint8Array, out: SseItem[]): void {
    this.#text(this.#decoder.decode(chunk, { stream: true }), out);
  }

  /**
   * Ends the stream. An event not yet ended by a blank line, and a line
   * without a terminator, are discarded, as the standard says.
   */
  end(out: SseItem[]): void {
    this.#text(this.#decoder.decode(), out);
    this.#line = "";
    this.#data = [];
    this.#eventType = "";
    this.#hasId = false;
  }

  #text(text: string, out: SseItem[]): void {
    let start = 0;
    if (this.#skipLf && text.length > 0) {
      // A CR ended the previous chunk; an LF right after it belongs to it.
      if (text.charCodeAt(0) === LF) start = 1;
      this.#skipLf = false;
    }
    let i = start;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) {
        i++;
        continue;
      }
      const line = this.#line + text.slice(start, i);
      this.#line = "";
      if (c === CR) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          this.#skipLf = true;
        }
      }
      i++;
      start = i;
      this.#processLine(line, out);
    }
    if (start < n) this.#line += text.slice(start);
  }

  #processLine(line: string, out: SseItem[]): void {
    if (line === "") {
      this.#dispatch(out);
      return;
    }
    const colon = line.indexOf(":");
    if (colon === 0) {
      out.push({ kind: "comment", text: line.slice(1) });
      return;
    }
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case "event":
        this.#eventType = value;
        break;
      case "data":
        this.#data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) {
          this.#lastEventId = value;
          this.#hasId = true;
        }
        break;
      case "retry":
        if (DIGITS.test(value)) out.push({ kind: "retry", ms: Number(value) });
        break;
      default:
        // Unknown fields are ignored (VER-FWD-2).
        break;
    }
  }

  #dispatch(out: SseItem[]): void {
    const hasId = this.#hasId;
    this.#hasId = false;
    if (this.#data.length === 0) {
      this.#eventType = "";
      return;
    }
    out.push({
      kind: "event",
      event: this.#eventType === "" ? "message" : this.#eventType,
      data: this.#data.join("\n"),
      lastEventId: this.#lastEventId,
      hasId,
    });
    this.#data = [];
    this.#eventType = "";
  }
}

/**
 * The items of a `text/event-stream` body. Items parsed before the source
 * fails (a dropped connection) are yielded before its error is thrown;
 * a `TransformStream` would discard them with the error.
 */
export async function* sseItems(body: ReadableStream<Uint8Array>): AsyncGenerator<SseItem> {
  const parser = new SseParser();
  const reader = body.getReader();
  const out: SseItem[] = [];
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value, out);
      yield* out.splice(0);
    }
    parser.end(out);
    yield* out.splice(0);
  } finally {
    reader.releaseLock();
  }
}
