// Parsing of the request headers and query parameters of the HTTP binding.
// Each parser returns the value or a problem slug with a detail; none
// throws, so handlers can check everything before touching the store.

import { TIMESTAMP_PATTERN } from "../protocol/timestamp.ts";
import type { ProblemSlug } from "../protocol/problem.ts";
import type { ProducerId } from "../stores/event_store.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import { OFFSET_PATTERN } from "../protocol/offset.ts";

/** A request value, or the problem that rejects it. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly slug: ProblemSlug; readonly detail: string };

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function bad<T>(slug: ProblemSlug, detail: string): Parsed<T> {
  return { ok: false, slug, detail };
}

const DECIMAL = /^[0-9]+$/;
const CANONICAL_DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** `Stream-Closed` counts only as `true`, any case; other values are absent (http.md §3.1). */
export function closeRequested(headers: Headers): boolean {
  return headers.get("stream-closed")?.trim().toLowerCase() === "true";
}

/** The media type of a `Content-Type` value: lower-cased, parameters dropped. */
export function mediaTypeOf(contentType: string): string {
  return contentType.split(";", 1)[0].trim().toLowerCase();
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);

/** Whether a `Content-Type` value names a syntactically valid media type. */
export function isMediaType(contentType: string): boolean {
  return MEDIA_TYPE.test(mediaTypeOf(contentType));
}

/**
 * The producer identity of an append: all three headers or none, a
 * non-empty id, and epoch and sequence as decimal integers up to 2^53−1
 * (HTTP-HDR-3).
 */
export function parseProducer(headers: Headers): Parsed<ProducerId | undefined> {
  const id = headers.get("producer-id");
  const epoch = headers.get("producer-epoch");
  const seq = headers.get("producer-seq");
  if (id === null && epoch === null && seq === null) return ok(undefined);
  if (id === null || epoch === null || seq === null) {
    return bad("invalid-header", "Producer-Id, Producer-Epoch and Producer-Seq go together");
  }
  if (id.length === 0) return bad("invalid-header", "Producer-Id is empty");
  const e = safeInteger(epoch, DECIMAL);
  const s = safeInteger(seq, DECIMAL);
  if (e === undefined) {
    return bad("invalid-header", "Producer-Epoch is not an integer in 0..2^53-1");
  }
  if (s === undefined) return bad("invalid-header", "Producer-Seq is not an integer in 0..2^53-1");
  return ok({ id, epoch: e, seq: s });
}

function safeInteger(text: string, form: RegExp): number | undefined {
  if (!form.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `Stream-Seq`: any non-empty value; compared byte-wise by the store. */
export function parseStreamSeq(headers: Headers): Parsed<string | undefined> {
  const seq = headers.get("stream-seq");
  if (seq === null) return ok(undefined);
  if (seq.length === 0) return bad("invalid-header", "Stream-Seq is empty");
  return ok(seq);
}

/** The lifetime of a create: TTL or expiry, not both (HTTP-CREATE-5, LOG-TTL-3). */
export function parseLifetime(
  headers: Headers,
): Parsed<{ ttlSeconds?: number; expiresAt?: number }> {
  const ttl = headers.get("stream-ttl");
  const expires = headers.get("stream-expires-at");
  if (ttl !== null && expires !== null) {
    return bad("invalid-header", "Stream-TTL and Stream-Expires-At exclude each other");
  }
  if (ttl !== null) {
    const seconds = safeInteger(ttl, CANONICAL_DECIMAL);
    if (seconds === undefined) {
      return bad(
        "invalid-header",
        "Stream-TTL is not a non-negative integer without sign or leading zeros",
      );
    }
    return ok({ ttlSeconds: seconds });
  }
  if (expires !== null) {
    const at = parseInstant(expires);
    if (at === undefined) {
      return bad("invalid-header", "Stream-Expires-At is not an RFC 3339 instant");
    }
    return ok({ expiresAt: at });
  }
  return ok({});
}

/** Milliseconds since the epoch of an RFC 3339 date-time, or undefined. */
export function parseInstant(text: string): number | undefined {
  // RFC 3339 allows lower-case `t` and `z`; the protocol's pattern is upper-case.
  const value = text.trim().toUpperCase();
  if (!TIMESTAMP_PATTERN.test(value)) return undefined;
  // Computed by hand: Date.parse differs between runtimes on long fractions,
  // leap seconds and two-digit years.
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|([+-])(\d\d):(\d\d))$/
    .exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() -
    (month === 2 && !isLeapYear(year) ? 1 : 0);
  if (day > daysInMonth) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number((m[7] ?? "").slice(0, 3).padEnd(3, "0")));
  const offsetMinutes = m[8] === undefined ? 0 : Number(m[9]) * 60 + Number(m[10]);
  const ms = date.getTime() - (m[8] === "-" ? -1 : 1) * offsetMinutes * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** `Agent-Stream-Kind` of a create; absent means `json` (HTTP-CREATE-6). */
export function parseKind(headers: Headers): Parsed<StreamKind | undefined> {
  const kind = headers.get("agent-stream-kind");
  if (kind === null) return ok(undefined);
  if (kind === "json" || kind === "agent") return ok(kind);
  return bad("invalid-header", 'Agent-Stream-Kind is neither "json" nor "agent"');
}

/** A read offset: `-1`, `now`, or 16 digits (LOG-OFFSET-2/3). */
export type ReadOffset = number | "now";

/**
 * Parses a 16-digit offset, or undefined when it is not one. An offset past
 * 2^53 is well formed but beyond every tail: it parses as the largest safe
 * integer, which the store refuses as `offset-out-of-range` (LOG-OFFSET-4).
 */
export function parseDenseOffset(text: string): number | undefined {
  if (!OFFSET_PATTERN.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** The query of a read: offset, limit, live mode and cursor, each at most once. */
export interface ReadQuery {
  /** Absent means from the start (catch-up only). */
  readonly offset: ReadOffset | undefined;
  readonly limit: number | undefined;
  readonly live: "long-poll" | "sse" | undefined;
  readonly cursor: bigint | undefined;
}

/**
 * Parses the query of a GET on a stream (HTTP-READ-5, HTTP-READ-7). Unknown
 * parameters are ignored (VER-FWD-1); a repeated known one is an error.
 */
export function parseReadQuery(
  params: URLSearchParams,
  maxReadMessages: number,
): Parsed<ReadQuery> {
  const single = (name: string): Parsed<string | undefined> => {
    const values = params.getAll(name);
    if (values.length > 1) {
      return bad(
        name === "offset" ? "invalid-offset" : "invalid-parameter",
        `${name} is given twice`,
      );
    }
    return ok(values[0]);
  };
  const offsetText = single("offset");
  if (!offsetText.ok) return offsetText;
  let offset: ReadOffset | undefined;
  if (offsetText.value !== undefined) {
    const text = offsetText.value;
    const parsed = text === "-1" ? 0 : text === "now" ? "now" : parseDenseOffset(text);
    if (parsed === undefined) {
      return bad(
        "invalid-offset",
        `Offset ${JSON.stringify(text.slice(0, 40))} is not -1, now or 16 digits`,
      );
    }
    offset = parsed;
  }
  const limitText = single("limit");
  if (!limitText.ok) return limitText;
  let limit: number | undefined;
  if (limitText.value !== undefined) {
    const text = limitText.value;
    if (!/^[0-9]+$/.test(text) || /^0+$/.test(text)) {
      return bad("invalid-parameter", "limit is not a decimal integer of at least 1");
    }
    // Anything longer than the ceiling's digits is above it.
    limit = text.length > 15 ? maxReadMessages : Math.min(Number(text), maxReadMessages);
  }
  const liveText = single("live");
  if (!liveText.ok) return liveText;
  const live = liveText.value;
  if (live !== undefined && live !== "long-poll" && live !== "sse") {
    return bad("invalid-parameter", `live=${JSON.stringify(live.slice(0, 40))} is not a live mode`);
  }
  const cursorText = single("cursor");
  if (!cursorText.ok) return cursorText;
  // The cursor is opaque to clients; one that is not ours is simply not compared.
  const cursor = cursorText.value !== undefined && /^[0-9]{1,40}$/.test(cursorText.value)
    ? BigInt(cursorText.value)
    : undefined;
  return ok({ offset, limit, live, cursor });
}

/**
 * The fork offset of a create (HTTP-FORK-2). `Stream-Fork-Sub-Offset`, a
 * Durable Streams refinement, counts units past the offset; with dense
 * offsets that is simply a later offset.
 */
export function parseForkOffset(headers: Headers, forking: boolean): Parsed<number | undefined> {
  const offsetText = headers.get("stream-fork-offset");
  const subText = headers.get("stream-fork-sub-offset");
  if (!forking) {
    if (offsetText !== null || subText !== null) {
      return bad(
        "invalid-header",
        "Stream-Fork-Offset and Stream-Fork-Sub-Offset need Stream-Forked-From",
      );
    }
    return ok(undefined);
  }
  let offset: number | undefined;
  if (offsetText !== null) {
    offset = parseDenseOffset(offsetText.trim());
    if (offset === undefined) return bad("invalid-offset", "Stream-Fork-Offset is not 16 digits");
  }
  if (subText === null) return ok(offset);
  const sub = safeInteger(subText.trim(), CANONICAL_DECIMAL);
  if (sub === undefined) {
    return bad("invalid-header", "Stream-Fork-Sub-Offset is not a non-negative integer");
  }
  if (sub === 0) return ok(offset);
  if (offset === undefined) {
    return bad("invalid-header", "Stream-Fork-Sub-Offset needs Stream-Fork-Offset");
  }
  const total = offset + sub;
  if (!Number.isSafeInteger(total)) {
    return bad("invalid-header", "Stream-Fork-Sub-Offset is too large");
  }
  return ok(total);
}
