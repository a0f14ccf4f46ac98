/**
 * The one error type of the clients: a problem the server reported
 * (errors.md), or a failure on the way (network, heartbeat, protocol).
 *
 * @module
 */

import { type Problem, type ProblemSlug, problemSlug } from "../protocol/problem.ts";
import { retryAfterMs } from "./backoff.ts";

/**
 * What went wrong: a catalogued problem slug, or one of the client's own
 * codes for failures that have no problem body.
 *
 * - `network`: the request or the connection failed (fetch rejected, body
 *   stream errored, WebSocket dropped);
 * - `heartbeat-timeout`: nothing arrived for twice the heartbeat interval;
 * - `protocol`: the server answered something this client cannot read;
 * - `offset-gap`: the server skipped messages (dense offsets show it);
 * - `connection-lost`: a WebSocket append was sent but never answered, so its
 *   outcome is unknown (WS-APPEND-16);
 * - `http`: an error status without a problem body of a known type.
 *
 * @example
 * ```ts
 * import type { StreamErrorCode } from "@agent-stream/agent-stream/client";
 * const code: StreamErrorCode = "stream-not-found";
 * ```
 */
export type StreamErrorCode =
  | ProblemSlug
  | "network"
  | "heartbeat-timeout"
  | "protocol"
  | "offset-gap"
  | "connection-lost"
  | "http";

/**
 * What a {@linkcode StreamError} is made from.
 *
 * @example
 * ```ts
 * import type { StreamErrorInit } from "@agent-stream/agent-stream/client";
 * const init: StreamErrorInit = { code: "network", cause: new TypeError("fetch failed") };
 * ```
 */
export interface StreamErrorInit {
  /** Classification; see {@linkcode StreamErrorCode}. */
  readonly code: StreamErrorCode;
  /** HTTP status, or the problem's status over WebSocket. */
  readonly status?: number;
  /** The problem details the server sent. */
  readonly problem?: Problem;
  /** Response headers, when the error came from an HTTP response. */
  readonly headers?: Headers;
  /** How long the server asked to wait before retrying. */
  readonly retryAfterMs?: number;
  /** The underlying error. */
  readonly cause?: unknown;
  /** Overrides the classification of `code` as transient or final. */
  readonly transient?: boolean;
}

const TRANSIENT: ReadonlySet<string> = new Set([
  "rate-limited",
  "subscriber-limit",
  "unavailable",
  "internal-error",
  "network",
  "heartbeat-timeout",
  "protocol",
  "offset-gap",
]);

function numberMember(problem: Problem | undefined, member: string): number | undefined {
  const value = problem?.[member];
  return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
}

function numberHeader(headers: Headers | undefined, name: string): number | undefined {
  const value = headers?.get(name);
  return value !== null && value !== undefined && /^[0-9]+$/.test(value)
    ? Number(value)
    : undefined;
}

/**
 * A failed operation. Identify it by `code` (ERR-TYPE-5: by the problem type,
 * never by its title); `transient` tells whether repeating it later can
 * succeed (errors.md §6).
 *
 * @example
 * ```ts
 * import { StreamClient, StreamError } from "@agent-stream/agent-stream/client";
 * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
 * try {
 *   await client.append("chats/1", [{ type: "text.delta", delta: "hi" }]);
 * } catch (error) {
 *   if (error instanceof StreamError && error.code === "stream-not-found") {
 *     await client.create("chats/1");
 *   }
 * }
 * ```
 */
export class StreamError extends Error {
  /** Classification; see {@linkcode StreamErrorCode}. */
  readonly code: StreamErrorCode;
  /** HTTP status, or the problem's status over WebSocket. */
  readonly status: number | undefined;
  /** The problem details the server sent, unknown members included. */
  readonly problem: Problem | undefined;
  /** Response headers, when the error came from an HTTP response. */
  readonly headers: Headers | undefined;
  /** How long the server asked to wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly #transient: boolean | undefined;

  /** Creates an error; `message` is for people only. */
  constructor(message: string, init: StreamErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "StreamError";
    this.code = init.code;
    this.status = init.status ?? init.problem?.status;
    this.problem = init.problem;
    this.headers = init.headers;
    this.retryAfterMs = init.retryAfterMs;
    this.#transient = init.transient;
  }

  /**
   * Whether the same request may succeed later: the transient problem types,
   * and any unknown type whose status is 429 or 5xx (ERR-TYPE-6).
   */
  get transient(): boolean {
    if (this.#transient !== undefined) return this.#transient;
    if (TRANSIENT.has(this.code)) return true;
    if (this.code !== "http") return false;
    return this.status === 429 || (this.status !== undefined && this.status >= 500);
  }

  /** The producer's current epoch, for `producer-stale-epoch`. */
  get producerEpoch(): number | undefined {
    return numberMember(this.problem, "producerEpoch") ??
      numberHeader(this.headers, "producer-epoch");
  }

  /** The sequence number the server expected, for `producer-seq-gap`. */
  get expectedSeq(): number | undefined {
    return numberMember(this.problem, "expectedSeq") ??
      numberHeader(this.headers, "producer-expected-seq");
  }

  /** The sequence number the request carried, for `producer-seq-gap`. */
  get receivedSeq(): number | undefined {
    return numberMember(this.problem, "receivedSeq") ??
      numberHeader(this.headers, "producer-received-seq");
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.type === "string" && typeof p.status === "number";
}

/**
 * The code of a problem, by its type alone (ERR-TYPE-5); a type outside the
 * catalogue is `http`, to be judged by its status (ERR-TYPE-6).
 *
 * @example
 * ```ts
 * import { problemCode } from "@agent-stream/agent-stream/client";
 * problemCode({ type: "https://agent-stream.dev/problems/stream-gone", title: "Gone", status: 410 }); // "stream-gone"
 * problemCode({ type: "https://example.com/quota", title: "Quota", status: 429 }); // "http"
 * ```
 */
export function problemCode(problem: Problem | undefined): StreamErrorCode {
  return (problem === undefined ? undefined : problemSlug(problem.type)) ?? "http";
}

/**
 * The error an HTTP error response stands for, read from its problem body
 * when it has one. Consumes the body.
 *
 * @example
 * ```ts
 * import { errorFromResponse } from "@agent-stream/agent-stream/client";
 * const response = new Response(
 *   JSON.stringify({ type: "https://agent-stream.dev/problems/stream-not-found", title: "Stream not found", status: 404 }),
 *   { status: 404, headers: { "content-type": "application/problem+json" } },
 * );
 * const error = await errorFromResponse(response);
 * console.log(error.code); // "stream-not-found"
 * ```
 */
export async function errorFromResponse(response: Response): Promise<StreamError> {
  let problem: Problem | undefined;
  try {
    const text = await response.text();
    const parsed: unknown = text === "" ? undefined : JSON.parse(text);
    if (isProblem(parsed)) problem = parsed;
  } catch {
    // Not a problem body (a proxy's HTML page, say): judged by status alone.
  }
  const code = problemCode(problem);
  const detail = problem?.detail ?? problem?.title ?? response.statusText;
  return new StreamError(`HTTP ${response.status}${detail ? `: ${detail}` : ""}`, {
    code,
    status: response.status,
    problem,
    headers: response.headers,
    retryAfterMs: retryAfterMs(response.headers, problem),
  });
}
