// The parts every kind of refused request is built from.

import fc from "fast-check";
import type { ProblemSlug } from "../../../src/protocol/problem.ts";
import type { CheckContext } from "../../check.ts";
import type { HttpBody, HttpReply } from "../../http_probe.ts";
import { tryRequest } from "./_setup.ts";

/** The answer to one refused request, and the types the spec allows for it. */
export interface Provoked {
  /** The request, in a few words. */
  readonly what: string;
  /** The answer; `undefined` when none came in time. */
  readonly reply: HttpReply | undefined;
  /** The problem types the spec names for the defect. */
  readonly slugs: readonly ProblemSlug[];
  /** The JSON body sent, when there was one. */
  readonly body?: unknown;
}

/** One kind of refused request: its random parameters and how to send it. */
export interface BadRequestKind<P = unknown> {
  readonly kind: string;
  /** Whether the server's features and limits make the request meaningful. */
  readonly applies?: (t: CheckContext) => boolean;
  readonly params: (t: CheckContext) => fc.Arbitrary<P>;
  readonly send: (t: CheckContext, params: P) => Promise<Provoked>;
}

/** Methods that no resource of the protocol defines and that every runtime's fetch sends as they are. */
export const UNDEFINED_METHODS: readonly string[] = [
  "PATCH",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "REPORT",
  "SEARCH",
  "PURGE",
  "LINK",
  "UNLINK",
];

const LIVE_TIMEOUT_MS = 3_000;
/** How a read is made: catch-up, or one of the live modes. */
export type ReadMode = "catch-up" | "long-poll" | "sse";

/** The read modes the server's features offer. */
export function readModes(t: CheckContext): ReadMode[] {
  return [
    "catch-up",
    ...(t.features.has("long-poll") ? ["long-poll" as const] : []),
    ...(t.features.has("sse") ? ["sse" as const] : []),
  ];
}

/** A read in `mode`, in words: "a catch-up read", "an SSE read". */
export function readName(mode: ReadMode): string {
  return mode === "sse" ? "an SSE read" : `a ${mode} read`;
}

/** The query of a read in `mode`. */
export function readQuery(mode: ReadMode, query: Record<string, string>): Record<string, string> {
  return mode === "catch-up" ? query : { ...query, live: mode };
}

function timeoutFor(mode: ReadMode | "write"): number | undefined {
  return mode === "long-poll" || mode === "sse" ? LIVE_TIMEOUT_MS : undefined;
}

/** A request offset: `-1`, `now` or 16 digits (log.md §3). */
export function isRequestOffset(text: string): boolean {
  return text === "-1" || text === "now" || /^[0-9]{16}$/.test(text);
}

/** Offsets that are neither a sentinel nor 16 digits. */
export function fcMalformedOffset(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      "",
      "abc",
      "-2",
      "0",
      "1",
      "-1.0",
      "NOW",
      "000000000000000",
      "00000000000000000",
      "000000000000000x",
      "+000000000000001",
      "1e15",
      "0x00000000000001",
      "-0000000000000001",
    ),
    fc.stringMatching(/^[0-9]{1,20}$/),
    fc.string({ maxLength: 18 }),
  ).filter((text) => !isRequestOffset(text));
}

/** A stream path with each segment percent-encoded, as `Stream-Forked-From` carries it. */
export function encodedPath(path: string): string {
  return path.split("/").map((segment) => encodeURIComponent(segment)).join("/");
}

/** A request that gets `undefined` instead of failing when no answer comes in time (live reads wait less). */
export function request(
  t: CheckContext,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: HttpBody; mode?: ReadMode } = {},
): Promise<HttpReply | undefined> {
  return tryRequest(t, method, url, {
    headers: options.headers,
    body: options.body,
    timeoutMs: timeoutFor(options.mode ?? "write"),
  });
}

/** Erases a kind's parameter type, for lists of kinds. */
export function kind<P>(definition: BadRequestKind<P>): BadRequestKind {
  return definition as BadRequestKind;
}

/** The headers of a JSON body. */
export const JSON_HEADERS: Record<string, string> = { "Content-Type": "application/json" };

/** Whether a text parses as JSON. */
export function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
