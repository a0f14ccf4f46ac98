// Maps a stream path to the name of its file: one flat directory, one file
// per stream, so no path can name anything but a plain file inside it
// (HTTP-PATH-3). The mapping is a pure function of the path, hence stable
// across restarts, and injective: decoding a direct name gives the path back,
// and hashed names carry a `~` that direct names never contain.
//
// Names are built from lower-case ASCII, digits and `._-+%~` only, so that
// case-insensitive file systems (macOS, Windows) cannot merge two streams and
// no name is hidden, looks like a flag, or is a Windows device name.

import { createHash } from "node:crypto";

/** The suffix of every stream file; other files in the directory are not streams. */
export const STREAM_FILE_SUFFIX = ".jsonl";

/** Encoded names longer than this are replaced by a hashed one (NAME_MAX is 255 bytes). */
const MAX_DIRECT_LENGTH = 160;
/** How much of the encoded path a hashed name keeps, for people listing the directory. */
const HASHED_PREFIX_LENGTH = 80;

// Windows refuses these as the part of a name before the first dot.
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|$)/;

const encoder = new TextEncoder();

/**
 * The file name of the stream at `path`, or a `TypeError` for a string no
 * file name can stand for (empty, or with a lone surrogate, which UTF-8
 * cannot carry and which would otherwise share a name with U+FFFD).
 */
export function streamFileName(path: string): string {
  if (typeof path !== "string" || path.length === 0 || !path.isWellFormed()) {
    throw new TypeError(`No file name for stream path ${JSON.stringify(path)}`);
  }
  const tokens = encodeTokens(path);
  if (WINDOWS_DEVICE.test(tokens.join(""))) tokens[0] = escape(tokens[0].charCodeAt(0));
  const direct = tokens.join("");
  if (direct.length <= MAX_DIRECT_LENGTH) return direct + STREAM_FILE_SUFFIX;
  // Cut at a token boundary so the prefix stays decodable by eye.
  let prefix = "";
  for (const token of tokens) {
    if (prefix.length + token.length > HASHED_PREFIX_LENGTH) break;
    prefix += token;
  }
  const digest = createHash("sha256").update(encoder.encode(path)).digest("hex");
  return `${prefix}~${digest}${STREAM_FILE_SUFFIX}`;
}

/** One token per UTF-8 byte: itself, `+` and its lower case, or `%xx`. */
function encodeTokens(path: string): string[] {
  const bytes = encoder.encode(path);
  const tokens: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const lower = (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x5f;
    const dotOrDash = b === 0x2e || b === 0x2d;
    if (lower || (dotOrDash && i > 0)) tokens.push(String.fromCharCode(b));
    else if (b >= 0x41 && b <= 0x5a) tokens.push("+" + String.fromCharCode(b + 0x20));
    else tokens.push(escape(b));
  }
  return tokens;
}

function escape(byte: number): string {
  return "%" + byte.toString(16).padStart(2, "0");
}
