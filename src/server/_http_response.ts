// Response pieces shared by the HTTP handlers: the stream headers, read
// bodies encoded once per batch, entity tags and cursors.

import { formatOffset } from "../protocol/offset.ts";
import type { ReadResult, StreamInfo } from "../stores/event_store.ts";
import type { ServerContext } from "./_context.ts";
import { concatBytes } from "./_bytes.ts";

/** The content type of JSON streams and of their read bodies. */
export const JSON_MEDIA_TYPE = "application/json";

/** Settled history may sit in shared caches; the tail of an open stream may not. */
export const HISTORY_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300";

/** Whether a stream's messages are JSON values (not byte chunks). */
export function isJsonStream(info: StreamInfo): boolean {
  return info.contentType.split(";", 1)[0].trim().toLowerCase() === JSON_MEDIA_TYPE;
}

/** The content type a stream's reads and metadata report. */
export function streamContentType(info: StreamInfo): string {
  return isJsonStream(info) ? JSON_MEDIA_TYPE : info.contentType;
}

/** Metadata headers of a stream: kind (HTTP-HDR-2), tail, closure, lifetime. */
export function metadataHeaders(info: StreamInfo): Headers {
  const headers = new Headers({
    "content-type": streamContentType(info),
    "agent-stream-kind": info.kind,
    "stream-next-offset": formatOffset(info.tail),
  });
  if (info.closed) headers.set("stream-closed", "true");
  if (info.ttlSeconds !== undefined) headers.set("stream-ttl", String(info.ttlSeconds));
  if (info.expiresAt !== undefined) {
    headers.set("stream-expires-at", new Date(info.expiresAt).toISOString());
  }
  return headers;
}

/** Headers of a read answer: position, up-to-date and closure (HTTP-READ-1…3). */
export function readHeaders(info: StreamInfo, result: ReadResult): Headers {
  const headers = new Headers({
    "content-type": streamContentType(info),
    "agent-stream-kind": info.kind,
    "stream-next-offset": formatOffset(result.nextOffset),
  });
  if (result.upToDate) headers.set("stream-up-to-date", "true");
  if (result.closed) headers.set("stream-closed", "true");
  return headers;
}

const OPEN = new Uint8Array([0x5b]);
const COMMA = new Uint8Array([0x2c]);
const CLOSE = new Uint8Array([0x5d]);

// A live batch reaches every waiting reader with the same messages array;
// encoding it once per batch, not once per reader, is the point of sharing it.
const encoded = new WeakMap<readonly Uint8Array[], EncodedBody>();

/** A read body with its entity-tag hash. */
export interface EncodedBody {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly hash: string;
}

/**
 * The body of a read: a JSON array of the messages for a JSON stream, the
 * chunks back to back for a byte stream. Cached per messages array.
 */
export function encodeBody(messages: readonly Uint8Array[], json: boolean): EncodedBody {
  const cached = encoded.get(messages);
  if (cached !== undefined) return cached;
  const parts: Uint8Array[] = [];
  if (json) {
    parts.push(OPEN);
    messages.forEach((m, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(m);
    });
    parts.push(CLOSE);
  } else {
    parts.push(...messages);
  }
  const bytes = concatBytes(parts);
  const body = { bytes, hash: hash(bytes) };
  encoded.set(messages, body);
  return body;
}

// 64-bit FNV-1a in two 32-bit halves: entity tags need to tell bodies apart,
// not resist an adversary (a forged tag only earns its sender a 304).
function hash(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i], 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i] ^ (h1 >>> 16), 0x01000193);
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36);
}

/**
 * The entity tag of a read (HTTP-READ-8): the range, a hash of the body, and
 * the up-to-date and closure signals, so that a 304 never hides new data,
 * a new tail or the end of the stream. The hash covers a stream deleted and
 * created again at the same path, whose offsets repeat with other content.
 */
export function etagOf(result: ReadResult, body: EncodedBody): string {
  const flags = (result.upToDate ? ":u" : "") + (result.closed ? ":c" : "");
  return `"${result.offset}-${result.nextOffset}-${body.hash}${flags}"`;
}

/** Whether `If-None-Match` matches an entity tag (weak comparison, RFC 9110 §13.1.2). */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  const target = strip(etag);
  return header.split(",").some((tag) => tag.trim() === "*" || strip(tag) === target);
}

/**
 * A `Stream-Cursor` value (HTTP-POLL-4): the number of the current cursor
 * interval, and past the client's cursor when that one is not behind, by a
 * random jump of up to an hour so that collapsed caches do not cycle.
 */
export function nextCursor(ctx: ServerContext, client: bigint | undefined): string {
  const interval = Math.max(1, ctx.timing.cursorIntervalMs);
  const current = BigInt(Math.max(0, Math.floor(ctx.clock() / interval)));
  if (client === undefined || client < current) return String(current);
  const maxJump = Math.max(1, Math.ceil(3_600_000 / interval));
  return String(client + BigInt(1 + Math.floor(Math.random() * maxJump)));
}
