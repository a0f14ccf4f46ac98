// A small Server-Sent Events reader for tests: parses a response body the
// way the HTML standard's EventSource does (fields, comments, `id`
// persistence, one optional space after the colon) and bounds every wait.

/** A dispatched event: its type (default `message`), data, and last event ID. */
export interface SseEvent {
  readonly kind: "event";
  readonly type: string;
  readonly data: string;
  readonly id: string;
}

/** A comment line (heartbeat). */
export interface SseComment {
  readonly kind: "comment";
  readonly text: string;
}

export type SseItem = SseEvent | SseComment;

export class SseReader {
  /** Every chunk the body produced, as received. */
  readonly chunks: Uint8Array[] = [];
  /** The last `retry:` value seen. */
  retry: number | undefined;
  /** The last event ID, as an EventSource keeps it. */
  lastEventId = "";
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  readonly #items: SseItem[] = [];
  #buffer = "";
  #type = "";
  #data = "";
  #done = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** Whether the body has ended. */
  get done(): boolean {
    return this.#done && this.#items.length === 0;
  }

  /** The next event or comment; undefined when the body ended. Rejects after `timeoutMs`. */
  async next(timeoutMs = 2000): Promise<SseItem | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.#items.length === 0 && !this.#done) {
      const chunk = await readWithin(this.#reader, deadline - Date.now());
      if (chunk === undefined) {
        this.#done = true;
        this.#feed(this.#decoder.decode(), true);
      } else {
        this.chunks.push(chunk);
        this.#feed(this.#decoder.decode(chunk, { stream: true }), false);
      }
    }
    return this.#items.shift();
  }

  /** The next event, skipping comments; undefined when the body ended. */
  async nextEvent(timeoutMs = 2000): Promise<SseEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const item = await this.next(Math.max(1, deadline - Date.now()));
      if (item === undefined || item.kind === "event") return item;
    }
  }

  /** Reads to the end of the body; rejects if it does not end within `timeoutMs`. */
  async rest(timeoutMs = 2000): Promise<SseItem[]> {
    const deadline = Date.now() + timeoutMs;
    const items: SseItem[] = [];
    for (;;) {
      const item = await this.next(Math.max(1, deadline - Date.now()));
      if (item === undefined) return items;
      items.push(item);
    }
  }

  /** Drops the connection, as a client that goes away does. */
  async cancel(): Promise<void> {
    this.#done = true;
    await this.#reader.cancel().catch(() => {});
  }

  #feed(text: string, end: boolean): void {
    this.#buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF.
      if (match[0] === "\r" && match.index === this.#buffer.length - 1 && !end) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === "") {
      if (this.#data !== "") {
        this.#items.push({
          kind: "event",
          type: this.#type || "message",
          data: this.#data.slice(0, -1),
          id: this.lastEventId,
        });
      }
      this.#type = "";
      this.#data = "";
      return;
    }
    if (line.startsWith(":")) {
      this.#items.push({ kind: "comment", text: line.slice(1) });
      return;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.#type = value;
    else if (field === "data") this.#data += `${value}\n`;
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
    else if (field === "retry" && /^[0-9]+$/.test(value)) this.retry = Number(value);
  }
}

async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<Uint8Array | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no SSE bytes within ${ms} ms`)), Math.max(1, ms));
  });
  try {
    const result = await Promise.race([reader.read(), timeout]);
    return result.done ? undefined : result.value;
  } finally {
    clearTimeout(timer);
  }
}
