import * as v from "valibot";
import { boundedString, pattern } from "./_common.ts";

/**
 * The name of a stream as it appears after `/v1/stream/`, percent-decoded:
 * segments separated by `/`, none empty, none `.` or `..`, no control
 * characters and no backslash. Servers may bound it further in UTF-8 bytes
 * (discovery `limits.maxStreamPathBytes`).
 *
 * @example
 * ```ts
 * import type { StreamPath } from "@agent-stream/agent-stream/protocol";
 * const path: StreamPath = "tenants/acme/chats/42";
 * ```
 */
export type StreamPath = string;

/**
 * The longest {@linkcode StreamPath} a schema accepts, in characters.
 *
 * @example
 * ```ts
 * import { STREAM_PATH_MAX_LENGTH } from "@agent-stream/agent-stream/protocol";
 * const longest = "p".repeat(STREAM_PATH_MAX_LENGTH);
 * ```
 */
export const STREAM_PATH_MAX_LENGTH: number = 1024;

/**
 * The regular expression for {@linkcode StreamPath} (JSON Schema
 * `common.schema.json#/$defs/streamPath`). The look-aheads scan with
 * `[\s\S]` rather than `.`, which stops at U+2028/U+2029 and would let
 * `"a\u2028//b"` through.
 *
 * @example
 * ```ts
 * import { STREAM_PATH_PATTERN } from "@agent-stream/agent-stream/protocol";
 * STREAM_PATH_PATTERN.test("chats/42"); // true
 * STREAM_PATH_PATTERN.test("chats//42"); // false
 * STREAM_PATH_PATTERN.test("chats/../42"); // false
 * ```
 */
export const STREAM_PATH_PATTERN: RegExp = pattern(
  String
    .raw`^(?!/)(?![\s\S]*//)(?![\s\S]*/$)(?!(?:[\s\S]*/)?\.\.?(?:/|$))[^\u0000-\u001F\u007F\\]+$`,
);

/**
 * Valibot schema of a {@linkcode StreamPath}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { StreamPathSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(StreamPathSchema, "chats/42"); // true
 * v.is(StreamPathSchema, "/chats/42"); // false
 * ```
 */
export const StreamPathSchema: v.GenericSchema<StreamPath> = v.pipe(
  boundedString(1, STREAM_PATH_MAX_LENGTH),
  v.regex(
    STREAM_PATH_PATTERN,
    'Expected a stream path: "/"-separated non-empty segments, no "." or "..", no control characters or backslash',
  ),
);
