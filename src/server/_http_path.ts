// Stream paths as the HTTP binding receives them (spec/v1/http.md §2): the
// rest of the URL after `/v1/stream/`, percent-decoded as UTF-8, then held to
// the naming rules. Decoding happens exactly once, so `%252F` names a stream
// whose path contains `%2F`, never one with a slash (HTTP-PATH-2).

import { STREAM_PATH_MAX_LENGTH, STREAM_PATH_PATTERN } from "../protocol/stream_path.ts";

/** Where streams live, below the server's base. */
export const STREAM_PREFIX = "/v1/stream/";

const encoder = new TextEncoder();

/** A decoded, valid stream path, or why the raw one is not. */
export type StreamPathResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly detail: string };

/**
 * Decodes and checks the raw (still percent-encoded) path of a stream URL
 * (HTTP-PATH-1). `decodeURIComponent` refuses malformed escapes and escapes
 * that are not UTF-8, lone surrogates included.
 */
export function decodeStreamPath(raw: string, maxPathBytes: number): StreamPathResult {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { ok: false, detail: "The stream path holds a percent-encoding that is not UTF-8" };
  }
  const reason = checkPath(path, maxPathBytes);
  return reason === undefined
    ? { ok: true, path }
    : { ok: false, detail: `The stream path ${reason}` };
}

function checkPath(path: string, maxPathBytes: number): string | undefined {
  if (path.length === 0) return "is empty";
  if (path.length > STREAM_PATH_MAX_LENGTH * 2 || [...path].length > STREAM_PATH_MAX_LENGTH) {
    return `is longer than ${STREAM_PATH_MAX_LENGTH} characters`;
  }
  if (encoder.encode(path).length > maxPathBytes) return `is longer than ${maxPathBytes} bytes`;
  if (!STREAM_PATH_PATTERN.test(path)) {
    return 'has an empty, "." or ".." segment, a control character or a backslash';
  }
  return undefined;
}

/**
 * The stream path a `Stream-Forked-From` header names. The spec's form is the
 * path as it appears after `/v1/stream/`; Durable Streams clients send the
 * source URL's whole path (`/v1/stream/…`) or an absolute URL, so those are
 * accepted too (spec/v1/http.md §4 makes this binding a Durable Streams profile).
 */
export function decodeForkSource(header: string, maxPathBytes: number): StreamPathResult {
  let raw = header.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try {
      raw = new URL(raw).pathname;
    } catch {
      return { ok: false, detail: "Stream-Forked-From is not a stream path or URL" };
    }
  }
  if (raw.startsWith("/")) {
    if (!raw.startsWith(STREAM_PREFIX)) {
      return {
        ok: false,
        detail: `Stream-Forked-From does not name a path below ${STREAM_PREFIX}`,
      };
    }
    raw = raw.slice(STREAM_PREFIX.length);
  }
  return decodeStreamPath(raw, maxPathBytes);
}
