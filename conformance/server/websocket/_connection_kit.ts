// What the connection checks of websocket.md share: opening a session,
// reading replies past heartbeat pings, and the facts of the spec they test
// against (close codes, frame types, the size of a frame in UTF-8 bytes).

import fc from "fast-check";
import * as v from "valibot";
import { WsServerFrameSchema } from "../../../src/protocol/ws_server_frame.ts";
import type { CheckContext } from "../../check.ts";
import type { WsNext, WsProbe } from "../../ws_probe.ts";

/** A JSON object frame. */
export type Frame = Record<string, unknown>;

/** An open connection after `hello` and `welcome`. */
export interface Session {
  /** The connection. */
  readonly ws: WsProbe;
  /** The `welcome` frame. */
  readonly welcome: Frame;
}

/** Every frame type of version 1.0, both directions (websocket.md §4.5). */
export const KNOWN_FRAME_TYPES: readonly string[] = [
  "hello",
  "welcome",
  "subscribe",
  "subscribed",
  "data",
  "unsubscribe",
  "unsubscribed",
  "ack",
  "append",
  "appended",
  "error",
  "ping",
  "pong",
  "goodbye",
];

/** Every member a client frame of version 1.0 defines (websocket.md §4.5). */
export const CLIENT_FRAME_MEMBERS: readonly string[] = [
  "type",
  "version",
  "client",
  "sub",
  "path",
  "offset",
  "window",
  "req",
  "messages",
  "close",
  "producer",
  "streamSeq",
  "nonce",
];

/** The close codes of the table in websocket.md §12.2. */
export const TABLE_CLOSE_CODES: readonly number[] = [1000, 1001, 1008, 1009, 1011, 1012];

/**
 * Codes that do not count against WS-CLOSE-7: those a WebSocket layer sends
 * on its own (1002, 1007), and those a client reports when the server sent
 * none (1005) or dropped the connection (1006).
 */
export const LAYER_CLOSE_CODES: readonly number[] = [1002, 1005, 1006, 1007];

/** The problem type URI of a slug. */
export function problemUri(slug: string): string {
  return `https://agent-stream.dev/problems/${slug}`;
}

/** Whether `frame` is an `error` frame whose problem has type `slug`. */
export function isError(frame: Frame, slug?: string): boolean {
  if (frame.type !== "error") return false;
  if (slug === undefined) return true;
  const problem = frame.problem as { type?: unknown } | undefined;
  return problem?.type === problemUri(slug);
}

/** A JSON object, as frames are. */
export function isFrame(value: unknown): value is Frame {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `text` is JSON. */
export function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** Why a received item is not a valid server frame (WS-FRAME-1), or `undefined`. */
export function frameDefect(next: WsNext): string | undefined {
  if (next.kind === "binary") return `a binary frame of ${next.bytes} bytes`;
  if (next.kind !== "frame") return undefined;
  if (!isFrame(next.frame)) return `a text frame that is not a JSON object: ${clip(next.text)}`;
  const parsed = v.safeParse(WsServerFrameSchema, next.frame);
  if (parsed.success) return undefined;
  const issues = parsed.issues.map((i) => `${v.getDotPath(i) ?? "(frame)"}: ${i.message}`);
  return `${clip(next.text)} is not valid against ws-server-frame.schema.json: ${
    issues.join("; ")
  }`;
}

/**
 * Opens a connection and completes `hello`/`welcome`. Failing here breaks a
 * precondition of the calling check, not the requirement it tests, so it
 * throws a plain error (the check errs) rather than a violation.
 */
export async function openSession(t: CheckContext, version = "1.0"): Promise<Session> {
  const ws = await t.ws();
  if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
  ws.send({ type: "hello", version, client: { name: "agent-stream-conformance" } });
  const first = await ws.next(t.timeoutMs);
  if (first.kind !== "frame" || !isFrame(first.frame) || first.frame.type !== "welcome") {
    throw new Error(`the server did not answer hello with welcome (got ${describe(first)})`);
  }
  return { ws, welcome: first.frame };
}

/** The endpoint as an absolute http(s) URL, for requests made without WebSocket. */
export function endpointUrl(t: CheckContext): string {
  const path = t.discovery.bindings?.websocket?.path;
  if (!path) t.skip("the server advertises no WebSocket binding");
  return new URL(path, t.baseUrl).href;
}

/** The next item that is not a server `ping`; pings are answered with `pong`. */
export async function nextReply(ws: WsProbe, timeoutMs: number): Promise<WsNext> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const next = await ws.next(Math.max(0, deadline - Date.now()));
    if (next.kind === "frame" && isFrame(next.frame) && next.frame.type === "ping") {
      ws.send(
        next.frame.nonce === undefined ? { type: "pong" } : {
          type: "pong",
          nonce: next.frame.nonce,
        },
      );
      continue;
    }
    return next;
  }
}

/** What {@linkcode roundTrip} saw. */
export interface RoundTrip {
  /** Everything received before the `pong` (server pings left out). */
  readonly items: WsNext[];
  /** How it ended: the `pong`, the close of the connection, or the end of the wait. */
  readonly end: "pong" | "close" | "timeout";
  /** The close code when `end` is `"close"`. */
  readonly code?: number;
}

let roundTrips = 0;

/**
 * Sends a `ping` with a fresh nonce and reads until its `pong`: since the
 * server processes frames in order, what it sends in answer to earlier frames
 * arrives before that `pong` unless the server defers it.
 */
export async function roundTrip(ws: WsProbe, timeoutMs: number): Promise<RoundTrip> {
  const nonce = `conformance-sync-${++roundTrips}`;
  ws.send({ type: "ping", nonce });
  const items: WsNext[] = [];
  while (true) {
    const next = await nextReply(ws, timeoutMs);
    if (next.kind === "timeout") return { items, end: "timeout" };
    if (next.kind === "close") return { items, end: "close", code: next.code };
    if (
      next.kind === "frame" && isFrame(next.frame) && next.frame.type === "pong" &&
      next.frame.nonce === nonce
    ) {
      return { items, end: "pong" };
    }
    items.push(next);
  }
}

/** Reads until the connection closes (server pings answered when `answerPings`). */
export async function untilClose(
  ws: WsProbe,
  timeoutMs: number,
  answerPings = false,
): Promise<{ items: WsNext[]; code?: number }> {
  const deadline = Date.now() + timeoutMs;
  const items: WsNext[] = [];
  while (true) {
    const left = Math.max(0, deadline - Date.now());
    const next = answerPings ? await nextReply(ws, left) : await ws.next(left);
    if (next.kind === "timeout") return { items };
    if (next.kind === "close") return { items, code: next.code };
    items.push(next);
  }
}

/** The JSON object frames among `items`. */
export function framesOf(items: readonly WsNext[]): Frame[] {
  return items.flatMap((i) => i.kind === "frame" && isFrame(i.frame) ? [i.frame] : []);
}

/** A short description of a received item, for messages. */
export function describe(next: WsNext | undefined): string {
  if (next === undefined) return "nothing";
  switch (next.kind) {
    case "frame":
      return clip(next.text);
    case "binary":
      return `a binary frame of ${next.bytes} bytes`;
    case "close":
      return `close ${next.code}${next.reason ? ` (${next.reason})` : ""}`;
    default:
      return "nothing in time";
  }
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A token (schemas/common.schema.json). */
export function fcToken(): fc.Arbitrary<string> {
  return fc.stringMatching(/^[A-Za-z0-9._:~-]{1,24}$/);
}

/** Frame types no version 1.0 peer knows. */
export function fcUnknownType(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/),
    fc.string({ maxLength: 20 }),
  ).filter((type) => !KNOWN_FRAME_TYPES.includes(type));
}

/** Members no client frame of version 1.0 defines, with JSON values. */
export function fcExtraMembers(): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(
    fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,12}$/), fc.string({ maxLength: 12 }))
      .filter((name) => !CLIENT_FRAME_MEMBERS.includes(name) && name !== "__proto__"),
    fc.jsonValue({ maxDepth: 2 }),
    { minKeys: 1, maxKeys: 4 },
  );
}

/**
 * The text of a `ping` frame of exactly `bytes` UTF-8 bytes, its nonce
 * padded with characters of `charBytes` bytes each (1 to 4) and ASCII for
 * the rest, so that a server that counts UTF-16 units rather than bytes
 * misjudges it.
 */
export function pingOfBytes(bytes: number, charBytes: 1 | 2 | 3 | 4, nonce = "pad"): string {
  const head = `{"type":"ping","nonce":"${nonce}`;
  const tail = `"}`;
  let room = bytes - utf8Bytes(head) - utf8Bytes(tail);
  if (room < 0) throw new RangeError(`a ping cannot be as small as ${bytes} bytes`);
  const wide = ["a", "é", "€", "😀"][charBytes - 1];
  const count = Math.floor(room / charBytes);
  room -= count * charBytes;
  return head + wide.repeat(count) + "a".repeat(room) + tail;
}
