/**
 * A small HTTP/1.1 client over `node:net` for load generation: keep-alive,
 * one request in flight per connection, `Content-Length` and chunked bodies,
 * and streamed responses (SSE) handed over chunk by chunk. It costs far less
 * per request than `fetch`, so the load generator, which has one core, is
 * less often the limit; and it has no pool that caps open connections.
 *
 * @module
 */

import { connect, type Socket } from "node:net";

const EMPTY = new Uint8Array(0);
const CR = 13;
const LF = 10;

/** Status line and headers of a response; header names are lower case. */
export interface ResponseHead {
  /** HTTP status code. */
  readonly status: number;
  /** Header values by lower-case name (repeated headers joined with ", "). */
  readonly headers: ReadonlyMap<string, string>;
}

/** What a {@linkcode ResponseParser} reports, in order: head, body pieces, end. */
export interface ResponseHandler {
  /** The head arrived. */
  head(head: ResponseHead): void;
  /** A piece of the (de-chunked) body; valid only during the call. */
  body(bytes: Uint8Array): void;
  /** The body is complete. */
  end(): void;
}

type ParserState = "head" | "length" | "size" | "data" | "data-crlf" | "trailer" | "eof" | "done";

/**
 * Incremental parser of one HTTP/1.1 response at a time; bytes may be split
 * anywhere. Call {@linkcode ResponseParser.expect} before each response.
 *
 * @example
 * ```ts
 * import { ResponseParser } from "./_raw_http.ts";
 * const parser = new ResponseParser();
 * let body = "";
 * parser.expect({
 *   head: (head) => console.log(head.status), // 200
 *   body: (bytes) => body += new TextDecoder().decode(bytes),
 *   end: () => console.log(body), // "hello"
 * });
 * parser.feed(new TextEncoder().encode("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"));
 * ```
 */
export class ResponseParser {
  #state: ParserState = "done";
  #pending: Uint8Array = EMPTY;
  #remaining = 0;
  #handler: ResponseHandler | undefined;
  #noBody = false;

  /** Readies the parser for the next response; `noBody` for HEAD requests. */
  expect(handler: ResponseHandler, noBody = false): void {
    this.#handler = handler;
    this.#noBody = noBody;
    this.#state = "head";
    if (this.#pending.length > 0) {
      const pending = this.#pending;
      this.#pending = EMPTY;
      this.feed(pending);
    }
  }

  /** Whether the parser reads until the connection closes (no length, not chunked). */
  get untilClose(): boolean {
    return this.#state === "eof";
  }

  /** The connection closed: ends a body that runs until close. */
  close(): void {
    if (this.#state === "eof") this.#finish();
  }

  /** Feeds bytes from the connection. */
  feed(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#pending.length > 0) {
      data = new Uint8Array(this.#pending.length + chunk.length);
      data.set(this.#pending);
      data.set(chunk, this.#pending.length);
      this.#pending = EMPTY;
    }
    let i = 0;
    while (i < data.length) {
      switch (this.#state) {
        case "done":
          // Bytes beyond the response (none without pipelining): kept for the next.
          this.#pending = data.slice(i);
          return;
        case "head": {
          const end = indexOfBlankLine(data, i);
          if (end < 0) {
            this.#pending = data.slice(i);
            return;
          }
          const head = parseHead(new TextDecoder().decode(data.subarray(i, end)));
          i = end + 4;
          if (head.status >= 100 && head.status < 200) continue; // interim; 101 is not used here
          this.#handler?.head(head);
          const length = head.headers.get("content-length");
          const chunked = /chunked/i.test(head.headers.get("transfer-encoding") ?? "");
          if (this.#noBody || head.status === 204 || head.status === 304) this.#finish();
          else if (chunked) this.#state = "size";
          else if (length !== undefined) {
            this.#remaining = Number(length);
            if (this.#remaining === 0) this.#finish();
            else this.#state = "length";
          } else this.#state = "eof";
          break;
        }
        case "length":
        case "data": {
          const n = Math.min(this.#remaining, data.length - i);
          this.#handler?.body(data.subarray(i, i + n));
          i += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            if (this.#state === "length") this.#finish();
            else {
              this.#state = "data-crlf";
              this.#remaining = 2;
            }
          }
          break;
        }
        case "data-crlf": {
          const n = Math.min(this.#remaining, data.length - i);
          i += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = "size";
          break;
        }
        case "size":
        case "trailer": {
          const end = indexOfLineEnd(data, i);
          if (end < 0) {
            this.#pending = data.slice(i);
            return;
          }
          const line = new TextDecoder().decode(data.subarray(i, end));
          i = end + 2;
          if (this.#state === "trailer") {
            if (line === "") this.#finish();
          } else {
            const size = parseInt(line.split(";", 1)[0].trim(), 16);
            if (!Number.isFinite(size)) throw new Error(`bad chunk size line: ${line}`);
            if (size === 0) this.#state = "trailer";
            else {
              this.#state = "data";
              this.#remaining = size;
            }
          }
          break;
        }
        case "eof":
          this.#handler?.body(data.subarray(i));
          i = data.length;
          break;
      }
    }
  }

  #finish(): void {
    this.#state = "done";
    const handler = this.#handler;
    this.#handler = undefined;
    handler?.end();
  }
}

function indexOfBlankLine(data: Uint8Array, from: number): number {
  for (let i = data.indexOf(CR, from); i >= 0 && i + 3 < data.length; i = data.indexOf(CR, i + 1)) {
    if (data[i + 1] === LF && data[i + 2] === CR && data[i + 3] === LF) return i;
  }
  return -1;
}

function indexOfLineEnd(data: Uint8Array, from: number): number {
  for (let i = data.indexOf(CR, from); i >= 0 && i + 1 < data.length; i = data.indexOf(CR, i + 1)) {
    if (data[i + 1] === LF) return i;
  }
  return -1;
}

function parseHead(text: string): ResponseHead {
  const lines = text.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1]);
  if (!Number.isInteger(status)) throw new Error(`bad status line: ${lines[0]}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { status, headers };
}

/** A whole response, body included. */
export interface RawResponse extends ResponseHead {
  /** The de-chunked body. */
  readonly body: Uint8Array;
}

/** Every connection with a request in flight, checked by one watchdog. */
const inFlight = new Set<HttpConnection>();
let watchdog: ReturnType<typeof setInterval> | undefined;

/**
 * One keep-alive connection to a server. Every request is bounded by the
 * connection's timeout: a request still unanswered then fails and the
 * connection is destroyed.
 *
 * @example
 * ```ts ignore
 * import { HttpConnection } from "./_raw_http.ts";
 * const connection = await HttpConnection.open(new URL("http://127.0.0.1:8787"), 5_000);
 * const response = await connection.request("GET", "/v1", {});
 * console.log(response.status);
 * connection.close();
 * ```
 */
export class HttpConnection {
  readonly #socket: Socket;
  readonly #host: string;
  readonly #parser = new ResponseParser();
  readonly #timeoutMs: number;
  #since = 0;
  #fail: ((error: Error) => void) | undefined;
  #closed = false;

  private constructor(socket: Socket, host: string, timeoutMs: number) {
    this.#socket = socket;
    this.#host = host;
    this.#timeoutMs = timeoutMs;
    socket.on("data", (chunk: Uint8Array) => {
      try {
        this.#parser.feed(chunk);
      } catch (error) {
        this.#abort(error as Error);
      }
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#parser.close();
      this.#abort(new Error("connection closed"));
    });
    socket.on("error", (error: Error) => this.#abort(error));
  }

  /** Opens a connection to `url`'s host and port within `timeoutMs`. */
  static open(url: URL, timeoutMs: number): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${url.host} timed out`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new HttpConnection(socket, url.host, timeoutMs));
      });
      socket.once("error", (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Whether the socket has closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a request and resolves with the whole response. */
  request(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    body?: Uint8Array,
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      let head: ResponseHead | undefined;
      const pieces: Uint8Array[] = [];
      this.#begin(reject);
      this.#parser.expect({
        head: (h) => head = h,
        body: (bytes) => pieces.push(bytes.slice()),
        end: () => {
          this.#settle();
          resolve({ ...head!, body: join(pieces) });
        },
      }, method === "HEAD");
      this.#write(method, path, headers, body);
    });
  }

  /**
   * Sends a request whose response streams (SSE): resolves with the head,
   * then hands each body piece to `onBody` and calls `onEnd` when the
   * response or the connection ends. Only the wait for the head is bounded.
   */
  stream(
    path: string,
    headers: Readonly<Record<string, string>>,
    onBody: (bytes: Uint8Array) => void,
    onEnd: () => void,
  ): Promise<ResponseHead> {
    return new Promise((resolve, reject) => {
      this.#begin(reject);
      this.#parser.expect({
        head: (head) => {
          this.#settle();
          resolve(head);
        },
        body: onBody,
        end: onEnd,
      });
      this.#socket.once("close", onEnd);
      this.#write("GET", path, headers);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.#settle();
    this.#socket.destroy();
  }

  #begin(reject: (error: Error) => void): void {
    if (this.#closed) {
      reject(new Error("connection closed"));
      return;
    }
    this.#fail = reject;
    this.#since = performance.now();
    inFlight.add(this);
    watchdog ??= setInterval(checkTimeouts, 500);
  }

  #settle(): void {
    this.#fail = undefined;
    inFlight.delete(this);
    if (inFlight.size === 0 && watchdog !== undefined) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  }

  #abort(error: Error): void {
    const fail = this.#fail;
    this.#settle();
    fail?.(error);
  }

  /** Fails the request in flight if it has waited longer than the timeout. */
  expire(now: number): void {
    if (this.#fail !== undefined && now - this.#since > this.#timeoutMs) {
      this.#abort(new Error(`request timed out after ${this.#timeoutMs} ms`));
      this.#socket.destroy();
    }
  }

  #write(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    body?: Uint8Array,
  ): void {
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.#host}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (body !== undefined) head += `content-length: ${body.length}\r\n`;
    head += "\r\n";
    const headBytes = new TextEncoder().encode(head);
    if (body === undefined || body.length === 0) {
      this.#socket.write(headBytes);
      return;
    }
    const bytes = new Uint8Array(headBytes.length + body.length);
    bytes.set(headBytes);
    bytes.set(body, headBytes.length);
    this.#socket.write(bytes);
  }
}

function checkTimeouts(): void {
  const now = performance.now();
  for (const connection of [...inFlight]) connection.expire(now);
}

function join(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}
