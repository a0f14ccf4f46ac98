// Helpers shared by the checks of http.md and overview.md: offsets, raw
// stream URLs, snapshots of a stream for "nothing changed" assertions, and
// the arbitraries of messages and malformed input.

import fc from "fast-check";
import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";

/** A dense offset as the wire writes it: 16 zero-padded digits. */
export function offset16(n: number): string {
  return String(n).padStart(16, "0");
}

/** The value of a 16-digit offset header, or undefined when absent or malformed. */
export function offsetOf(reply: HttpReply): number | undefined {
  const text = reply.headers.get("stream-next-offset");
  return text !== null && /^[0-9]{16}$/.test(text) ? Number(text) : undefined;
}

/** Whether a header is present with the value `true` (case-insensitive). */
export function flag(reply: HttpReply, name: string): boolean {
  return reply.headers.get(name)?.trim().toLowerCase() === "true";
}

/** The stream prefix the server advertises. */
export function streamPrefix(t: CheckContext): string {
  return t.discovery.bindings?.http?.streamPrefix ?? "/v1/stream/";
}

/** The URL of a stream whose path is given already percent-encoded, exactly as sent. */
export function rawStreamUrl(t: CheckContext, encodedPath: string): string {
  return streamPrefix(t) + encodedPath;
}

/** The long-poll timeout the server advertises, or the default of Durable Streams. */
export function longPollTimeoutMs(t: CheckContext): number {
  return t.discovery.bindings?.longPoll?.timeoutMs ?? 30_000;
}

/** Appends a JSON value (an array appends its elements). */
export function appendJson(
  t: CheckContext,
  url: string,
  value: unknown,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  return t.http.request("POST", url, {
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(value),
  });
}

/** What a stream looks like from outside: existence, tail, closure and every message. */
export interface Snapshot {
  readonly status: number;
  readonly tail?: number;
  readonly closed: boolean;
  readonly messages: readonly string[];
}

/**
 * Everything a reader can see of a stream, messages as canonical JSON text;
 * reads page by page from `-1` until up to date.
 */
export async function snapshot(t: CheckContext, url: string): Promise<Snapshot> {
  const head = await t.http.request("HEAD", url);
  if (head.status !== 200) return { status: head.status, closed: false, messages: [] };
  const messages: string[] = [];
  let offset = "-1";
  for (let page = 0; page < 1000; page++) {
    const reply = await t.http.request("GET", `${url}?offset=${offset}`);
    if (reply.status !== 200 || !Array.isArray(reply.json)) break;
    for (const message of reply.json) messages.push(JSON.stringify(message));
    const next = reply.headers.get("stream-next-offset");
    if (flag(reply, "stream-up-to-date") || next === null || next === offset) break;
    offset = next;
  }
  return {
    status: head.status,
    tail: offsetOf(head),
    closed: flag(head, "stream-closed"),
    messages,
  };
}

/** A JSON value that survives a round trip, small enough for any message limit. */
export function fcMessage(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2, depthSize: "small" }).filter((v) =>
    JSON.stringify(v).length <= 200
  );
}

/** A batch of messages as an append sends it: one value, or an array of values. */
export interface Batch {
  /** The body as sent. */
  readonly body: string;
  /** The messages it appends, as canonical JSON text. */
  readonly messages: readonly string[];
}

/** A non-empty append body and the messages it stands for (one level of flattening). */
export function fcBatch(maxLength = 5): fc.Arbitrary<Batch> {
  return fc.oneof(
    fcMessage().filter((v) => !Array.isArray(v)).map((v) => ({
      body: JSON.stringify(v),
      messages: [JSON.stringify(v)],
    })),
    fc.array(fcMessage(), { minLength: 1, maxLength }).map((vs) => ({
      body: JSON.stringify(vs),
      messages: vs.map((v) => JSON.stringify(v)),
    })),
  );
}

/** Canonical JSON text of each element of a read body, or undefined when it is not an array. */
export function messagesOf(reply: HttpReply): string[] | undefined {
  return Array.isArray(reply.json) ? reply.json.map((m) => JSON.stringify(m)) : undefined;
}

/** Printable ASCII text usable as a header value (no leading or trailing space). */
export function fcHeaderText(maxLength = 12): fc.Arbitrary<string> {
  return fc.stringMatching(new RegExp(`^[!-~]{0,${maxLength}}$`));
}

/** A body that is not well-formed JSON. */
export function fcInvalidJson(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      "{",
      "[1,",
      "[1 2]",
      "{'a':1}",
      "{a:1}",
      "undefined",
      "NaN",
      "01",
      "[1,]",
      '{"a":1,}',
      '"unterminated',
      "tru",
      "1 2",
      "[] []",
      "\u00ff",
    ),
    fcMessage().map((v) => JSON.stringify([v]) + "]"),
    fcMessage().map((v) => "[" + JSON.stringify(v)),
  );
}

/**
 * Holds a read answer to http.md §8 for a stream of `model` messages,
 * closed or not, read from `offset` with `limit`.
 */
export function expectCatchUp(
  t: CheckContext,
  reply: HttpReply,
  model: readonly string[],
  closed: boolean,
  offset: number,
  limit: number | undefined,
  ids = {
    read: "HTTP-READ-1",
    upToDate: "HTTP-READ-2",
    closed: "HTTP-READ-3",
    limit: "HTTP-READ-4",
  },
): void {
  t.expectStatus(ids.read, reply, 200);
  const type = (reply.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  t.expectEqual(ids.read, type, "application/json", "Content-Type of the read");
  const got = messagesOf(reply);
  t.expect(ids.read, got !== undefined, "the body is not a JSON array");
  const k = got!.length;
  t.expectEqual(ids.read, got, model.slice(offset, offset + k), `messages from offset ${offset}`);
  t.expectEqual(ids.read, reply.headers.get("stream-next-offset"), offset16(offset + k), "next");
  if (limit !== undefined) t.expect(ids.limit, k <= limit, `${k} messages for limit=${limit}`);
  if (offset < model.length) t.expect(ids.limit, k >= 1, "no message though some exist");
  const atTail = offset + k === model.length;
  t.expectEqual(ids.upToDate, flag(reply, "stream-up-to-date"), atTail, "Stream-Up-To-Date");
  t.expectEqual(ids.closed, flag(reply, "stream-closed"), closed && atTail, "Stream-Closed");
}

/** Requests of many kinds, each answered somehow; every answer is returned. */
export async function assortedReplies(t: CheckContext): Promise<[string, HttpReply][]> {
  const url = t.streamUrl(t.stream("h"));
  const json = { "Content-Type": "application/json" };
  const out: [string, HttpReply][] = [];
  const send = async (what: string, method: string, path: string, init = {}) => {
    out.push([what, await t.http.request(method, path, init)]);
  };
  await send("discovery", "GET", "/v1");
  await send("create", "PUT", url, { headers: json });
  await send("create again", "PUT", url, { headers: json });
  await send("create conflicting", "PUT", url, { headers: { "Content-Type": "text/x-other" } });
  await send("append", "POST", url, { headers: json, body: "[1,2]" });
  await send("append invalid JSON", "POST", url, { headers: json, body: "[1," });
  await send("read", "GET", `${url}?offset=-1`);
  const etag = out.at(-1)![1].headers.get("etag");
  if (etag) {
    await send("conditional read", "GET", `${url}?offset=-1`, {
      headers: { "If-None-Match": etag },
    });
  }
  await send("read bad offset", "GET", `${url}?offset=x`);
  await send("metadata", "HEAD", url);
  await send("unsupported method", "PATCH", url);
  await send("preflight", "OPTIONS", url, {
    headers: { Origin: "https://example.com", "Access-Control-Request-Method": "POST" },
  });
  await send("unknown resource", "GET", "/v1/zz-nothing-here");
  await send("delete", "DELETE", url);
  await send("metadata of missing", "HEAD", url);
  await send("read of missing", "GET", url);
  return out;
}
