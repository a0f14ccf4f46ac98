// The bytes of the SSE binding (spec/v1/sse.md): data events, control events,
// the heartbeat comment and the `retry:` field. A live batch reaches every
// subscriber as one shared `messages` array, so its data event is encoded
// once and the same bytes are written to every response.

import type { SseControl } from "../protocol/sse_control.ts";
import { formatOffset } from "../protocol/offset.ts";
import { concatBytes } from "./_bytes.ts";

/**
 * How a stream's messages become the text of a data event (Durable Streams
 * §5.8): JSON streams as one array, `text/*` streams as their text, every
 * other byte stream as base64.
 *
 * @example
 * ```ts
 * import type { SseDataEncoding } from "./_sse_encoder.ts";
 * const encoding: SseDataEncoding = "json";
 * ```
 */
export type SseDataEncoding = "json" | "text" | "base64";

/**
 * The data encoding of a stream's content type.
 *
 * @example
 * ```ts
 * import { sseDataEncoding } from "./_sse_encoder.ts";
 * sseDataEncoding("application/json"); // "json"
 * sseDataEncoding("text/plain; charset=utf-8"); // "text"
 * sseDataEncoding("image/png"); // "base64"
 * ```
 */
export function sseDataEncoding(contentType: string): SseDataEncoding {
  const media = contentType.split(";", 1)[0].trim().toLowerCase();
  if (media === "application/json") return "json";
  return media.startsWith("text/") ? "text" : "base64";
}

/**
 * What a batch became: the data event's bytes (none when the batch holds
 * nothing that can be written yet), the offset the event's `id` names, and
 * the bytes of an unfinished UTF-8 character held back for the next batch.
 *
 * @example
 * ```ts
 * import type { SseDataEvent } from "./_sse_encoder.ts";
 * function id(event: SseDataEvent): number {
 *   return event.nextOffset;
 * }
 * ```
 */
export interface SseDataEvent {
  /** `event: data` … `id:` … and the blank line; undefined when nothing to write. */
  readonly bytes: Uint8Array | undefined;
  /** The offset after the last unit the event carries. */
  readonly nextOffset: number;
  /** Text streams: trailing bytes of a character the batch cut in two. */
  readonly carry: Uint8Array;
}

/**
 * The part of a store batch the encoder looks at.
 *
 * @example
 * ```ts
 * import type { SseBatch } from "./_sse_encoder.ts";
 * const batch: SseBatch = { messages: [], nextOffset: 0, upToDate: true };
 * ```
 */
export interface SseBatch {
  /** Messages (JSON streams) or chunks (byte streams), in offset order. */
  readonly messages: readonly Uint8Array[];
  /** The offset after the batch. */
  readonly nextOffset: number;
  /** Whether the batch ends at the tail, which is always a chunk boundary. */
  readonly upToDate: boolean;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();
interface CachedEvent extends SseDataEvent {
  readonly encoding: SseDataEncoding;
  readonly upToDate: boolean;
}

const cache = new WeakMap<readonly Uint8Array[], CachedEvent>();
let encodings = 0;

/**
 * Encodes a batch as an `event: data` with its `id` (SSE-EVENT-1, SSE-ID-1).
 * Without a carry the result is cached on the batch's `messages` array, so
 * every subscriber of a live batch gets the very same bytes.
 *
 * @example
 * ```ts
 * import { encodeDataEvent } from "./_sse_encoder.ts";
 * const messages = [new TextEncoder().encode('{"a":1}')];
 * const event = encodeDataEvent("json", { messages, nextOffset: 1, upToDate: true });
 * new TextDecoder().decode(event.bytes);
 * // 'event: data\ndata:[{"a":1}]\nid: 0000000000000001\n\n'
 * ```
 */
export function encodeDataEvent(
  encoding: SseDataEncoding,
  batch: SseBatch,
  carry: Uint8Array = EMPTY,
): SseDataEvent {
  if (batch.messages.length === 0 && carry.length === 0) {
    return { bytes: undefined, nextOffset: batch.nextOffset, carry: EMPTY };
  }
  if (carry.length === 0) {
    const hit = cache.get(batch.messages);
    if (
      hit && hit.encoding === encoding && hit.upToDate === batch.upToDate &&
      hit.nextOffset === batch.nextOffset
    ) return hit;
  }
  encodings++;
  let event: SseDataEvent;
  if (encoding === "json") {
    const bytes = jsonEvent(batch.messages, batch.nextOffset);
    event = { bytes, nextOffset: batch.nextOffset, carry: EMPTY };
  } else if (encoding === "base64") {
    const bytes = concatBytes([carry, ...batch.messages]);
    event = {
      bytes: bytes.length === 0 ? undefined : base64Event(bytes, batch.nextOffset),
      nextOffset: batch.nextOffset,
      carry: EMPTY,
    };
  } else {
    event = textEvent(concatBytes([carry, ...batch.messages]), batch.nextOffset, batch.upToDate);
  }
  if (carry.length === 0) {
    cache.set(batch.messages, { ...event, encoding, upToDate: batch.upToDate });
  }
  return event;
}

/**
 * How many batches {@linkcode encodeDataEvent} has encoded (cache misses),
 * so tests can see that a live batch is encoded once.
 *
 * @example
 * ```ts
 * import { sseDataEncodings } from "./_sse_encoder.ts";
 * const before = sseDataEncodings();
 * ```
 */
export function sseDataEncodings(): number {
  return encodings;
}

/**
 * Encodes an `event: control` whose `id` is its `streamNextOffset`
 * (SSE-EVENT-2, SSE-ID-1).
 *
 * @example
 * ```ts
 * import { encodeControlEvent } from "./_sse_encoder.ts";
 * encodeControlEvent({ streamNextOffset: "0000000000000002", streamCursor: "7", upToDate: true });
 * ```
 */
export function encodeControlEvent(control: SseControl): Uint8Array {
  const json = JSON.stringify(control);
  // Every reader of a live batch asks in turn for the same control event:
  // encode it once and give them all the same bytes, as for data events.
  if (lastControl?.json === json) return lastControl.bytes;
  // `data:` comes straight after `event:`: some Durable Streams readers
  // expect the two lines adjacent.
  const bytes = utf8.encode(`event: control\ndata:${json}\nid: ${control.streamNextOffset}\n\n`);
  lastControl = { json, bytes };
  return bytes;
}

/** The last control event encoded; its JSON determines its bytes. */
let lastControl: { readonly json: string; readonly bytes: Uint8Array } | undefined;

/**
 * The comment a silent connection writes (SSE-HEARTBEAT-1).
 *
 * @example
 * ```ts
 * import { SSE_HEARTBEAT } from "./_sse_encoder.ts";
 * new TextDecoder().decode(SSE_HEARTBEAT); // ":\n\n"
 * ```
 */
export const SSE_HEARTBEAT: Uint8Array = utf8.encode(":\n\n");

/**
 * The `retry:` field sent first on every response (SSE-HEARTBEAT-2).
 *
 * @example
 * ```ts
 * import { encodeRetry } from "./_sse_encoder.ts";
 * new TextDecoder().decode(encodeRetry(1000)); // "retry: 1000\n\n"
 * ```
 */
export function encodeRetry(ms: number): Uint8Array {
  return utf8.encode(`retry: ${Math.max(0, Math.floor(ms))}\n\n`);
}

const DATA_EVENT_HEAD = utf8.encode("event: data\ndata:[");
const COMMA = utf8.encode(",");

function jsonEvent(messages: readonly Uint8Array[], nextOffset: number): Uint8Array {
  const tail = utf8.encode(`]\nid: ${formatOffset(nextOffset)}\n\n`);
  if (!messages.some(hasLineBreak)) {
    const parts: Uint8Array[] = [DATA_EVENT_HEAD];
    messages.forEach((message, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(message);
    });
    parts.push(tail);
    return concatBytes(parts);
  }
  // A line break inside JSON text can only be insignificant whitespace, so
  // splitting it into several `data:` lines keeps the value the same.
  const decoder = new TextDecoder();
  const text = `[${messages.map((m) => decoder.decode(m)).join(",")}]`;
  return utf8.encode(`event: data\n${dataLines(text)}id: ${formatOffset(nextOffset)}\n\n`);
}

function textEvent(bytes: Uint8Array, nextOffset: number, upToDate: boolean): SseDataEvent {
  // The tail is a chunk boundary: whatever is unfinished there stays so.
  const held = upToDate ? 0 : unfinishedUtf8(bytes);
  const complete = bytes.subarray(0, bytes.length - held);
  const carry = bytes.slice(bytes.length - held);
  const id = nextOffset - held;
  if (complete.length === 0) return { bytes: undefined, nextOffset: id, carry };
  const text = new TextDecoder().decode(complete);
  return {
    bytes: utf8.encode(`event: data\n${dataLines(text)}id: ${formatOffset(id)}\n\n`),
    nextOffset: id,
    carry,
  };
}

function base64Event(bytes: Uint8Array, nextOffset: number): Uint8Array {
  const head = utf8.encode("event: data\ndata:");
  const tail = utf8.encode(`\nid: ${formatOffset(nextOffset)}\n\n`);
  const out = new Uint8Array(head.length + base64Length(bytes.length) + tail.length);
  out.set(head, 0);
  const end = writeBase64(bytes, out, head.length);
  out.set(tail, end);
  return out;
}

/**
 * One `data:` line per line of the text. CR, LF and CRLF all end an SSE
 * line, so each becomes a line break and none can start a forged event.
 * No space follows `data:` (a reader strips one), except before a line that
 * itself starts with a space.
 */
function dataLines(text: string): string {
  let out = "";
  for (const line of text.split(/\r\n|\r|\n/)) {
    out += line.startsWith(" ") ? `data: ${line}\n` : `data:${line}\n`;
  }
  return out;
}

function hasLineBreak(bytes: Uint8Array): boolean {
  return bytes.includes(0x0a) || bytes.includes(0x0d);
}

/** How many trailing bytes start a UTF-8 sequence that the bytes do not finish. */
function unfinishedUtf8(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

const ALPHABET = utf8.encode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
const PAD = 0x3d;

function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** RFC 4648 standard base64 of `bytes`, written into `out` at `at`; returns the end. */
function writeBase64(bytes: Uint8Array, out: Uint8Array, at: number): number {
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[at++] = ALPHABET[n >> 18];
    out[at++] = ALPHABET[(n >> 12) & 63];
    out[at++] = ALPHABET[(n >> 6) & 63];
    out[at++] = ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[at++] = ALPHABET[n >> 18];
    out[at++] = ALPHABET[(n >> 12) & 63];
    out[at++] = rest === 2 ? ALPHABET[(n >> 6) & 63] : PAD;
    out[at++] = PAD;
  }
  return at;
}
