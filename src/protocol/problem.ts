import * as v from "valibot";
import { boundedString, integerAtLeast, jsonObject, pattern } from "./_common.ts";
import { NonNegativeIntegerSchema } from "./non_negative_integer.ts";
import { type Offset, OffsetSchema } from "./offset.ts";

/**
 * The slug of every problem type this version defines; its URI is
 * `https://agent-stream.dev/problems/<slug>`.
 *
 * @example
 * ```ts
 * import type { ProblemSlug } from "@agent-stream/agent-stream/protocol";
 * const slug: ProblemSlug = "stream-not-found";
 * ```
 */
export type ProblemSlug =
  | "invalid-offset"
  | "offset-out-of-range"
  | "invalid-parameter"
  | "invalid-header"
  | "invalid-json"
  | "invalid-request"
  | "empty-append"
  | "invalid-stream-name"
  | "invalid-envelope"
  | "invalid-frame"
  | "producer-epoch-start"
  | "unsupported-version"
  | "producer-stale-epoch"
  | "stream-not-found"
  | "not-found"
  | "method-not-allowed"
  | "stream-exists"
  | "stream-closed"
  | "content-type-mismatch"
  | "not-agent-stream"
  | "stream-seq-conflict"
  | "producer-seq-gap"
  | "stream-gone"
  | "payload-too-large"
  | "unsupported-media-type"
  | "rate-limited"
  | "subscriber-limit"
  | "subscriber-overflow"
  | "stream-limit"
  | "internal-error"
  | "unavailable";

/**
 * What the catalogue says about one problem type: the HTTP status that goes
 * with it and its short, fixed title.
 *
 * @example
 * ```ts
 * import type { ProblemTypeInfo } from "@agent-stream/agent-stream/protocol";
 * const info: ProblemTypeInfo = { status: 404, title: "Stream not found" };
 * ```
 */
export interface ProblemTypeInfo {
  /** HTTP status of a response carrying this problem (also used over WebSocket). */
  readonly status: number;
  /** Short summary that does not change from occurrence to occurrence. */
  readonly title: string;
}

/**
 * The problem-type catalogue of version 1.0: slug → status and title.
 *
 * @example
 * ```ts
 * import { PROBLEM_TYPES } from "@agent-stream/agent-stream/protocol";
 * PROBLEM_TYPES["stream-closed"].status; // 409
 * ```
 */
export const PROBLEM_TYPES: Readonly<Record<ProblemSlug, ProblemTypeInfo>> = Object.freeze({
  "invalid-offset": { status: 400, title: "Invalid offset" },
  "offset-out-of-range": { status: 400, title: "Offset beyond the tail" },
  "invalid-parameter": { status: 400, title: "Invalid query parameter" },
  "invalid-header": { status: 400, title: "Invalid header" },
  "invalid-json": { status: 400, title: "Body is not valid JSON" },
  "invalid-request": { status: 400, title: "Invalid request body" },
  "empty-append": { status: 400, title: "Empty append" },
  "invalid-stream-name": { status: 400, title: "Invalid stream name" },
  "invalid-envelope": { status: 400, title: "Invalid envelope" },
  "invalid-frame": { status: 400, title: "Invalid frame" },
  "producer-epoch-start": {
    status: 400,
    title: "New producer epoch must start at sequence 0",
  },
  "unsupported-version": { status: 400, title: "Unsupported version" },
  "producer-stale-epoch": { status: 403, title: "Stale producer epoch" },
  "stream-not-found": { status: 404, title: "Stream not found" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "stream-exists": { status: 409, title: "Stream already exists" },
  "stream-closed": { status: 409, title: "Stream closed" },
  "content-type-mismatch": { status: 409, title: "Content type mismatch" },
  "not-agent-stream": { status: 409, title: "Not an agent stream" },
  "stream-seq-conflict": { status: 409, title: "Stream-Seq not increasing" },
  "producer-seq-gap": { status: 409, title: "Producer sequence gap" },
  "stream-gone": { status: 410, title: "Stream deleted" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "subscriber-limit": { status: 429, title: "Too many subscribers" },
  "subscriber-overflow": { status: 503, title: "Subscriber fell behind" },
  "stream-limit": { status: 507, title: "Stream limit reached" },
  "internal-error": { status: 500, title: "Internal server error" },
  "unavailable": { status: 503, title: "Service unavailable" },
});

/**
 * The URI prefix of the problem types this specification defines.
 *
 * @example
 * ```ts
 * import { PROBLEM_TYPE_BASE } from "@agent-stream/agent-stream/protocol";
 * const uri = `${PROBLEM_TYPE_BASE}stream-gone`;
 * ```
 */
export const PROBLEM_TYPE_BASE: string = "https://agent-stream.dev/problems/";

/**
 * Media type of a problem details body.
 *
 * @example
 * ```ts
 * import { PROBLEM_CONTENT_TYPE } from "@agent-stream/agent-stream/protocol";
 * const headers = { "Content-Type": PROBLEM_CONTENT_TYPE };
 * ```
 */
export const PROBLEM_CONTENT_TYPE: string = "application/problem+json";

/**
 * The regular expression a problem `type` matches: any absolute URI. The
 * specification's own types are the subset `PROBLEM_TYPE_BASE` + slug;
 * extensions use URIs of their own.
 *
 * @example
 * ```ts
 * import { PROBLEM_TYPE_PATTERN } from "@agent-stream/agent-stream/protocol";
 * PROBLEM_TYPE_PATTERN.test("https://example.com/probs/quota"); // true
 * PROBLEM_TYPE_PATTERN.test("/relative"); // false
 * ```
 */
export const PROBLEM_TYPE_PATTERN: RegExp = pattern(
  String.raw`^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$`,
);

/**
 * The regular expression of an RFC 6901 JSON Pointer, used by
 * `errors[].path`. The empty string points at the whole document.
 *
 * @example
 * ```ts
 * import { JSON_POINTER_PATTERN } from "@agent-stream/agent-stream/protocol";
 * JSON_POINTER_PATTERN.test("/2/type"); // true
 * JSON_POINTER_PATTERN.test("/a~2"); // false: "~" must be "~0" or "~1"
 * ```
 */
export const JSON_POINTER_PATTERN: RegExp = pattern(
  String.raw`^(/([^~/]|~[01])*)*$`,
);

/**
 * One violation listed in a problem's `errors`.
 *
 * @example
 * ```ts
 * import type { ProblemError } from "@agent-stream/agent-stream/protocol";
 * const e: ProblemError = { path: "/0/type", message: "Expected a string" };
 * ```
 */
export interface ProblemError {
  /** JSON Pointer into the offending document (request body or frame). */
  path: string;
  /** Human-readable description of the violation. */
  message: string;
  /** Members added by later versions or by extensions. */
  [member: string]: unknown;
}

/**
 * The optional members of a {@linkcode Problem}, as accepted by
 * {@linkcode createProblem}.
 *
 * @example
 * ```ts
 * import type { ProblemInit } from "@agent-stream/agent-stream/protocol";
 * const init: ProblemInit = { detail: "No stream at chats/9" };
 * ```
 */
export interface ProblemInit {
  /** Explanation specific to this occurrence. */
  detail?: string;
  /** Reference to this occurrence, e.g. the request path. */
  instance?: string;
  /** Individual violations, for validation problems. */
  errors?: ProblemError[];
  /** Versions the server implements, for `unsupported-version`. */
  supported?: string[];
  /** How long to wait before retrying, in milliseconds. */
  retryAfterMs?: number;
  /** An offset relevant to the problem, e.g. where to resume. */
  offset?: Offset;
  /** The producer's current epoch, for `producer-stale-epoch`. */
  producerEpoch?: number;
  /** The sequence number the server expected, for `producer-seq-gap`. */
  expectedSeq?: number;
  /** The sequence number the request carried, for `producer-seq-gap`. */
  receivedSeq?: number;
  /** Extension members. */
  [member: string]: unknown;
}

/**
 * RFC 9457 problem details as agent-stream uses them: every error response
 * body, WebSocket `error.problem` and `goodbye.problem`.
 *
 * @example
 * ```ts
 * import type { Problem } from "@agent-stream/agent-stream/protocol";
 * const p: Problem = {
 *   type: "https://agent-stream.dev/problems/stream-not-found",
 *   title: "Stream not found",
 *   status: 404,
 * };
 * ```
 */
export interface Problem extends ProblemInit {
  /** Absolute URI naming the problem type. */
  type: string;
  /** Short summary of the problem type. */
  title: string;
  /** HTTP status code, 400 to 599. */
  status: number;
}

/**
 * The URI of a catalogued problem type.
 *
 * @example
 * ```ts
 * import { problemType } from "@agent-stream/agent-stream/protocol";
 * problemType("invalid-offset");
 * // "https://agent-stream.dev/problems/invalid-offset"
 * ```
 */
export function problemType(slug: ProblemSlug): string {
  return PROBLEM_TYPE_BASE + slug;
}

/**
 * The catalogue slug of a problem `type` URI, or `undefined` for a type the
 * catalogue does not list (an extension, or a later version's type).
 *
 * @example
 * ```ts
 * import { problemSlug } from "@agent-stream/agent-stream/protocol";
 * problemSlug("https://agent-stream.dev/problems/stream-gone"); // "stream-gone"
 * problemSlug("https://example.com/quota"); // undefined
 * ```
 */
export function problemSlug(type: string): ProblemSlug | undefined {
  if (!type.startsWith(PROBLEM_TYPE_BASE)) return undefined;
  const slug = type.slice(PROBLEM_TYPE_BASE.length);
  return Object.hasOwn(PROBLEM_TYPES, slug) ? slug as ProblemSlug : undefined;
}

/**
 * A problem of a catalogued type, with its status and title filled in.
 *
 * @example
 * ```ts
 * import { createProblem } from "@agent-stream/agent-stream/protocol";
 * const body = createProblem("invalid-envelope", {
 *   errors: [{ path: "/2/type", message: "Expected a string" }],
 * });
 * body.status; // 400
 * ```
 */
export function createProblem(slug: ProblemSlug, init?: ProblemInit): Problem {
  const { status, title } = PROBLEM_TYPES[slug];
  return { type: problemType(slug), title, status, ...init };
}

/**
 * Valibot schema of a {@linkcode ProblemError}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ProblemErrorSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(ProblemErrorSchema, { path: "", message: "Expected an object" }); // true
 * ```
 */
export const ProblemErrorSchema: v.GenericSchema<ProblemError> = jsonObject({
  path: v.pipe(
    v.string(),
    v.regex(JSON_POINTER_PATTERN, "Expected a JSON Pointer"),
  ),
  message: boundedString(1),
});

/**
 * Valibot schema of a {@linkcode Problem} (JSON Schema `problem.schema.json`).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ProblemSchema, createProblem } from "@agent-stream/agent-stream/protocol";
 * v.is(ProblemSchema, createProblem("not-found")); // true
 * ```
 */
export const ProblemSchema: v.GenericSchema<Problem> = jsonObject({
  type: v.pipe(
    v.string(),
    v.regex(PROBLEM_TYPE_PATTERN, "Expected an absolute URI"),
  ),
  title: boundedString(1),
  status: integerAtLeast(400, 599),
  detail: v.optional(v.string()),
  instance: v.optional(v.string()),
  errors: v.optional(v.array(ProblemErrorSchema)),
  supported: v.optional(v.array(v.string())),
  retryAfterMs: v.optional(NonNegativeIntegerSchema),
  offset: v.optional(OffsetSchema),
  producerEpoch: v.optional(NonNegativeIntegerSchema),
  expectedSeq: v.optional(NonNegativeIntegerSchema),
  receivedSeq: v.optional(NonNegativeIntegerSchema),
});
