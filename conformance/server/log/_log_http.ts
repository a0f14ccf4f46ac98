// The log operations as http.md spells them, for the checks of log.md: create,
// append, read and metadata requests, and the judgement of a read answer
// against the messages a stream is known to hold (log.md §3, §5).

import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { arrayBody, canonicalJson, messageMismatch, splitJsonArray } from "./_log_json.ts";

/** A minted offset: 16 zero-padded decimal digits (LOG-OFFSET-1). */
export const OFFSET_PATTERN: RegExp = /^[0-9]{16}$/;

/** The offset of position `n`, as a server mints it. */
export function offsetText(n: number): string {
  return String(n).padStart(16, "0");
}

/** Whether a `Stream-*` flag header says `true`. */
export function flag(reply: HttpReply, name: string): boolean {
  return reply.headers.get(name)?.trim().toLowerCase() === "true";
}

/**
 * The `Stream-Next-Offset` of a reply as a number. Fails `formatId` (an
 * offset the server minted, LOG-OFFSET-1 unless said otherwise) when it is
 * missing or not 16 digits.
 */
export function nextOffset(t: CheckContext, reply: HttpReply, formatId = "LOG-OFFSET-1"): number {
  const value = reply.headers.get("stream-next-offset");
  t.expect(
    formatId,
    value !== null && OFFSET_PATTERN.test(value),
    `Stream-Next-Offset is ${JSON.stringify(value)}, not a 16-digit offset`,
    { expected: "16 digits", actual: value },
  );
  return Number(value);
}

/** Options of a create. */
export interface CreateOptions {
  /** Create it closed (`Stream-Closed: true`). */
  readonly closed?: boolean;
  /** Initial messages. */
  readonly body?: string;
  /** More request headers. */
  readonly headers?: Record<string, string>;
}

/** `PUT` of a JSON stream; returns the reply. */
export function putStream(
  t: CheckContext,
  url: string,
  options: CreateOptions = {},
): Promise<HttpReply> {
  return t.http.request("PUT", url, {
    headers: {
      "Content-Type": "application/json",
      ...(options.closed ? { "Stream-Closed": "true" } : {}),
      ...options.headers,
    },
    body: options.body,
  });
}

/**
 * Creates a fresh JSON stream and returns its URL; a refusal fails
 * `requirement`, the requirement the check is about.
 */
export async function createJsonStream(
  t: CheckContext,
  requirement: string,
  options: CreateOptions = {},
): Promise<string> {
  const url = t.streamUrl(t.stream());
  const reply = await putStream(t, url, options);
  t.expectStatus(requirement, reply, 201);
  return url;
}

/** `POST` of a JSON body (or of nothing) with extra headers. */
export function post(
  t: CheckContext,
  url: string,
  body: string | undefined,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  return t.http.request("POST", url, {
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
}

/** `PUT` of a fork of `source` at `offset` (default: none sent); returns its URL and the reply. */
export async function forkOf(
  t: CheckContext,
  source: string,
  offset?: number | string,
  headers: Record<string, string> = {},
): Promise<{ url: string; reply: HttpReply }> {
  const url = t.streamUrl(t.stream("fork"));
  const reply = await t.http.request("PUT", url, {
    headers: {
      "Stream-Forked-From": source.slice(t.streamUrl("").length),
      ...(offset === undefined
        ? {}
        : { "Stream-Fork-Offset": typeof offset === "number" ? offsetText(offset) : offset }),
      ...headers,
    },
  });
  return { url, reply };
}

/** A catch-up read: `GET ?offset=…[&limit=…]`. */
export function getAt(
  t: CheckContext,
  url: string,
  offset: string,
  limit?: number,
): Promise<HttpReply> {
  const query = new URLSearchParams({ offset });
  if (limit !== undefined) query.set("limit", String(limit));
  return t.http.request("GET", `${url}?${query}`);
}

/**
 * Reads the whole stream by following `Stream-Next-Offset`; fails
 * `requirement` when a read is refused, `readId` when reads do not follow
 * each other.
 */
export async function readAll(
  t: CheckContext,
  requirement: string,
  url: string,
  from = 0,
  readId = requirement,
): Promise<string[]> {
  const out: string[] = [];
  let offset = from;
  for (let round = 0; round < 1000; round++) {
    const reply = await getAt(t, url, offsetText(offset));
    t.expectStatus(requirement, reply, 200);
    const got = splitJsonArray(reply.text);
    t.expect(readId, got !== undefined, "a read answered no JSON array");
    out.push(...got!);
    const next = nextOffset(t, reply);
    t.expect(readId, next === offset + got!.length, "Stream-Next-Offset does not follow");
    offset = next;
    if (flag(reply, "stream-up-to-date") || got!.length === 0) return out;
  }
  t.expect(requirement, false, "the stream never came up to date");
  return out;
}

/**
 * The tail a `HEAD` reports; fails `requirement` unless the stream exists
 * and reports its tail as a 16-digit offset.
 */
export async function headTail(t: CheckContext, requirement: string, url: string): Promise<number> {
  const reply = await t.http.request("HEAD", url);
  t.expectStatus(requirement, reply, 200);
  return nextOffset(t, reply, requirement);
}

/** What a read should return: the stream's messages and the requested range. */
export interface ReadExpectation {
  /** Every message of the stream, compact JSON texts, in offset order. */
  readonly content: readonly string[];
  /** Whether the stream is closed. */
  readonly closed: boolean;
  /** The offset as requested: `-1`, `now` or 16 digits. */
  readonly requested: string;
  /** The `limit` parameter, if sent. */
  readonly limit?: number;
  /**
   * Which requirement a wrong message at `index` (`got`, or none at all)
   * breaks, when it is more specific than LOG-READ-1.
   */
  readonly blame?: (index: number, got?: string) => string | undefined;
  /** Which requirement a next offset that is not 16 digits breaks (default LOG-OFFSET-1). */
  readonly formatId?: string;
}

/** The start a requested offset denotes, for a stream of `tail` messages. */
export function startOf(requested: string, tail: number): number {
  return requested === "-1" ? 0 : requested === "now" ? tail : Number(requested);
}

/**
 * Judges a catch-up read (log.md §5) and returns the messages it carried:
 * status, limit (LOG-READ-5), messages (LOG-READ-1, LOG-MSG-1/2), next offset
 * (LOG-OFFSET-1, LOG-READ-2), up-to-date (LOG-READ-3) and closure
 * (LOG-READ-4); a sentinel offset answers to LOG-OFFSET-2.
 */
export function checkRead(t: CheckContext, reply: HttpReply, e: ReadExpectation): string[] {
  const tail = e.content.length;
  const start = startOf(e.requested, tail);
  const sentinel = e.requested === "-1" || e.requested === "now";
  t.expectStatus(sentinel ? "LOG-OFFSET-2" : "LOG-READ-1", reply, 200);
  const got = splitJsonArray(reply.text);
  t.expect("LOG-READ-1", got !== undefined, "the read answered no JSON array");
  if (e.limit !== undefined) {
    t.expect("LOG-READ-5", got!.length <= e.limit, `${got!.length} messages for limit=${e.limit}`, {
      expected: `at most ${e.limit}`,
      actual: got!.length,
    });
  }
  if (e.requested === "now") {
    t.expectEqual("LOG-OFFSET-2", got, [], "offset=now returned messages");
  }
  got!.forEach((message, i) => {
    const index = start + i;
    t.expect(
      "LOG-READ-1",
      index < tail,
      `the answer holds ${got!.length} messages from offset ${start}, but the tail is ${tail}`,
    );
    const expected = e.content[index];
    const mismatch = messageMismatch(expected, message);
    if (mismatch === undefined) return;
    const id = mismatch === "numbers"
      ? "LOG-MSG-2"
      : mismatch === "literals"
      ? "LOG-MSG-1"
      : e.blame?.(index, message) ?? "LOG-READ-1";
    t.expect(id, false, `message at offset ${index} is ${message}, expected ${expected}`, {
      expected,
      actual: message,
    });
  });
  t.expect(
    e.blame?.(start) ?? (e.requested === "-1" ? "LOG-OFFSET-2" : "LOG-READ-1"),
    got!.length > 0 || start >= tail,
    `no message returned from offset ${e.requested}, although the stream holds ${tail}`,
  );
  const next = nextOffset(t, reply, e.formatId);
  t.expectEqual(
    e.requested === "now" ? "LOG-OFFSET-2" : "LOG-READ-2",
    next,
    start + got!.length,
    `Stream-Next-Offset after ${got!.length} messages from ${start}`,
  );
  t.expectEqual(
    "LOG-READ-3",
    flag(reply, "stream-up-to-date"),
    next === tail,
    `up-to-date at ${next} with the tail at ${tail}`,
  );
  t.expectEqual(
    "LOG-READ-4",
    flag(reply, "stream-closed"),
    e.closed && next === tail,
    `closed at ${next} (stream ${e.closed ? "closed" : "open"}, tail ${tail})`,
  );
  return got!;
}

/** The HTTP status of each problem type the log checks meet (errors.md §5). */
export const PROBLEM_STATUS: Readonly<Record<string, number>> = {
  "invalid-offset": 400,
  "offset-out-of-range": 400,
  "invalid-header": 400,
  "invalid-json": 400,
  "empty-append": 400,
  "producer-epoch-start": 400,
  "producer-stale-epoch": 403,
  "stream-not-found": 404,
  "stream-exists": 409,
  "stream-closed": 409,
  "stream-seq-conflict": 409,
  "producer-seq-gap": 409,
  "stream-gone": 410,
};

/** Fails `requirement` unless the reply is the problem `slug` (a HEAD answer: its status). */
export function expectRefusal(
  t: CheckContext,
  requirement: string,
  reply: HttpReply,
  slug: string,
  head = false,
): void {
  const status = PROBLEM_STATUS[slug];
  if (head) t.expectStatus(requirement, reply, status);
  else t.expectProblem(requirement, reply, status, slug);
}

/** The problem type slug of a reply, if it is a problem of this protocol. */
export function problemSlug(reply: HttpReply): string | undefined {
  const type = (reply.json as { type?: unknown } | undefined)?.type;
  const prefix = "https://agent-stream.dev/problems/";
  return typeof type === "string" && type.startsWith(prefix)
    ? type.slice(prefix.length)
    : undefined;
}

/**
 * Appends `batches` to an open stream all at once, with two readers racing
 * them, and judges the outcome: every batch stored contiguously and whole
 * (LOG-APPEND-1: no reader comes up to date inside a batch), each at the
 * position its reported tail names, the tails distinct (LOG-APPEND-6).
 * `content` (the stream's messages, compact) is extended with what was stored.
 */
export async function concurrentAppends(
  t: CheckContext,
  url: string,
  content: string[],
  batches: readonly (readonly string[])[],
): Promise<void> {
  const base = content.length;
  const [appends, reads] = await Promise.all([
    Promise.all(batches.map((batch) => post(t, url, arrayBody(batch)))),
    Promise.all([getAt(t, url, "-1"), getAt(t, url, "-1")]),
  ]);
  const tails = appends.map((reply) => {
    t.expectStatus("LOG-APPEND-6", reply, [200, 204]);
    return nextOffset(t, reply);
  });
  const all = await readAll(t, "LOG-APPEND-1", url, base, "LOG-READ-2");
  // Literals first: a server that re-encodes messages is told so, not that it lost them.
  const sent = batches.flat();
  const keys = sent.map(canonicalJson);
  for (const got of all) {
    const i = keys.indexOf(canonicalJson(got));
    const mismatch = i < 0 ? undefined : messageMismatch(sent[i], got);
    t.expect(
      mismatch === "numbers" ? "LOG-MSG-2" : "LOG-MSG-1",
      mismatch === undefined,
      `appended ${sent[i]}, read back ${got}`,
    );
  }
  const total = batches.reduce((n, b) => n + b.length, 0);
  t.expectEqual("LOG-APPEND-1", all.length, total, "messages stored by concurrent appends");
  const bounds = new Set([base]);
  batches.forEach((batch, i) => {
    const at = all.indexOf(batch[0]);
    t.expectEqual(
      "LOG-APPEND-1",
      all.slice(at, at + batch.length),
      batch,
      `batch ${i} stored contiguously`,
    );
    bounds.add(base + at + batch.length);
  });
  batches.forEach((batch, i) => {
    t.expectEqual(
      "LOG-APPEND-6",
      tails[i],
      base + all.indexOf(batch[0]) + batch.length,
      `tail reported to concurrent appender ${i}`,
    );
  });
  content.push(...all);
  for (const read of reads) {
    t.expectStatus("LOG-APPEND-1", read, 200);
    const got = splitJsonArray(read.text);
    t.expect("LOG-READ-1", got !== undefined, "a read answered no JSON array");
    t.expectEqual("LOG-READ-1", got, content.slice(0, got!.length), "a read racing appends");
    t.expectEqual("LOG-READ-2", nextOffset(t, read), got!.length, "Stream-Next-Offset");
    t.expect(
      "LOG-APPEND-1",
      !flag(read, "stream-up-to-date") || bounds.has(got!.length),
      `a concurrent reader came up to date at ${got!.length}, inside a batch`,
    );
  }
}

/**
 * Fails `requirement` unless a refusal states each value in its header or
 * its problem member (log.md §7: "states the current epoch", "the expected
 * and the received sequence numbers").
 */
export function stated(
  t: CheckContext,
  requirement: string,
  reply: HttpReply,
  values: readonly (readonly [header: string, member: string, value: number])[],
): void {
  const problem = (reply.json ?? {}) as Record<string, unknown>;
  for (const [header, member, value] of values) {
    const inHeader = reply.headers.get(header);
    const inMember = problem[member];
    t.expect(
      requirement,
      inHeader !== null || inMember !== undefined,
      `the refusal states no ${member}`,
    );
    if (inHeader !== null) t.expectEqual(requirement, Number(inHeader), value, header);
    if (inMember !== undefined) t.expectEqual(requirement, inMember, value, member);
  }
}
