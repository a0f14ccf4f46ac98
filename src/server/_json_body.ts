// Splits a JSON request body into messages without ever re-encoding them
// (LOG-MSG-1/2): the raw bytes are validated against RFC 8259, a top-level
// array is flattened one level (LOG-APPEND-2), and each message keeps its
// exact member order, string escapes and number literals. Only whitespace
// between tokens is dropped, which the spec allows.
//
// The scanner works on bytes and keeps an explicit stack instead of
// recursing, so a hostile body can neither blow the call stack nor cost more
// than one linear pass (plus one more per message to drop whitespace).

/** How deep arrays and objects may nest; RFC 8259 §9 lets parsers set a limit. */
export const MAX_JSON_DEPTH = 512;

/** A body that is well-formed JSON, split into messages. */
export interface JsonMessages {
  readonly ok: true;
  /** Whether the body was a top-level array (whose elements are the messages). */
  readonly array: boolean;
  /** Each message's JSON text, whitespace between tokens removed, UTF-8. */
  readonly messages: Uint8Array[];
  /** Each message's size in the request: UTF-8 bytes of its text as sent. */
  readonly sizes: number[];
}

/** A body that is not well-formed JSON. */
export interface JsonError {
  readonly ok: false;
  /** Why, for a problem's `detail`. */
  readonly message: string;
}

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

class Malformed extends Error {}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function fail(b: Uint8Array, i: number, expected: string): never {
  const found = i >= b.length
    ? "the end of the body"
    : b[i] < 0x20 || b[i] >= 0x7f
    ? `byte 0x${b[i].toString(16).padStart(2, "0")}`
    : `'${String.fromCharCode(b[i])}'`;
  throw new Malformed(`Expected ${expected} at byte ${i}, found ${found}`);
}

function skipWhitespace(b: Uint8Array, i: number): number {
  while (i < b.length && isWhitespace(b[i])) i++;
  return i;
}

/** The index after a string starting at `i` (which holds the opening quote). */
function scanString(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) fail(b, i, "a string");
  i++;
  for (;;) {
    if (i >= b.length) fail(b, i, "the end of the string");
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c < 0x20) fail(b, i, "an escaped control character");
    if (c !== BACKSLASH) {
      i++;
      continue;
    }
    const e = b[i + 1];
    if (
      e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e ||
      e === 0x72 || e === 0x74
    ) {
      i += 2;
    } else if (e === 0x75) {
      for (let k = 2; k < 6; k++) {
        if (!isHex(b[i + k])) fail(b, i + k, "a hexadecimal digit");
      }
      i += 6;
    } else {
      fail(b, i + 1, "an escape character");
    }
  }
}

function scanDigits(b: Uint8Array, i: number): number {
  if (!isDigit(b[i])) fail(b, i, "a digit");
  while (isDigit(b[i])) i++;
  return i;
}

function scanNumber(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === ZERO) i++;
  else i = scanDigits(b, i);
  if (b[i] === DOT) i = scanDigits(b, i + 1);
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    i = scanDigits(b, i);
  }
  return i;
}

const LITERALS: Record<number, readonly number[]> = {
  0x74: [0x74, 0x72, 0x75, 0x65], // true
  0x66: [0x66, 0x61, 0x6c, 0x73, 0x65], // false
  0x6e: [0x6e, 0x75, 0x6c, 0x6c], // null
};

function scanLiteral(b: Uint8Array, i: number): number {
  const word = LITERALS[b[i]];
  for (let k = 0; k < word.length; k++) {
    if (b[i + k] !== word[k]) fail(b, i + k, "true, false or null");
  }
  return i + word.length;
}

/** Object member name and colon; returns where the member's value starts. */
function scanMemberName(b: Uint8Array, i: number): number {
  i = skipWhitespace(b, scanString(b, i));
  if (b[i] !== COLON) fail(b, i, "':'");
  return skipWhitespace(b, i + 1);
}

/** The index after one JSON value starting at `i` (no leading whitespace). */
function scanValue(b: Uint8Array, i: number, depth: number): number {
  // true: an object is open; false: an array.
  const open: boolean[] = [];
  for (;;) {
    // A value starts at i.
    const c = b[i];
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth + open.length >= MAX_JSON_DEPTH) {
        throw new Malformed(`Nesting deeper than ${MAX_JSON_DEPTH} levels at byte ${i}`);
      }
      const isObject = c === OPEN_OBJECT;
      i = skipWhitespace(b, i + 1);
      if (b[i] !== (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        open.push(isObject);
        if (isObject) i = scanMemberName(b, i);
        continue;
      }
      i++;
    } else if (c === QUOTE) {
      i = scanString(b, i);
    } else if (c === MINUS || isDigit(c)) {
      i = scanNumber(b, i);
    } else if (LITERALS[c] !== undefined) {
      i = scanLiteral(b, i);
    } else {
      fail(b, i, "a JSON value");
    }
    // A value ended at i: close containers until one continues.
    for (;;) {
      if (open.length === 0) return i;
      const isObject = open[open.length - 1];
      i = skipWhitespace(b, i);
      if (b[i] === COMMA) {
        i = skipWhitespace(b, i + 1);
        if (isObject) i = scanMemberName(b, i);
        break;
      }
      if (b[i] !== (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        fail(b, i, isObject ? "',' or '}'" : "',' or ']'");
      }
      open.pop();
      i++;
    }
  }
}

/** The bytes of `b[start, end)` without whitespace outside strings. */
function minify(b: Uint8Array, start: number, end: number): Uint8Array {
  let length = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (inString) {
      length++;
      if (c === BACKSLASH) {
        length++;
        i++;
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (!isWhitespace(c)) {
      length++;
      if (c === QUOTE) inString = true;
    }
  }
  if (length === end - start) return b.slice(start, end);
  const out = new Uint8Array(length);
  let o = 0;
  inString = false;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (inString) {
      out[o++] = c;
      if (c === BACKSLASH) out[o++] = b[++i];
      else if (c === QUOTE) inString = false;
    } else if (!isWhitespace(c)) {
      out[o++] = c;
      if (c === QUOTE) inString = true;
    }
  }
  return out;
}

/**
 * Validates a body as strict RFC 8259 JSON (UTF-8, no byte order mark) and
 * splits it into messages: the elements of a top-level array, or the body's
 * single value. An empty array yields no messages; the caller decides
 * whether that is allowed (PUT) or an `empty-append` (POST).
 */
export function splitJsonBody(body: Uint8Array): JsonMessages | JsonError {
  try {
    utf8.decode(body);
  } catch {
    return { ok: false, message: "The body is not valid UTF-8" };
  }
  try {
    const spans: [number, number][] = [];
    let i = skipWhitespace(body, 0);
    const array = body[i] === OPEN_ARRAY;
    if (array) {
      i = skipWhitespace(body, i + 1);
      if (body[i] === CLOSE_ARRAY) {
        i++;
      } else {
        for (;;) {
          const end = scanValue(body, i, 1);
          spans.push([i, end]);
          i = skipWhitespace(body, end);
          if (body[i] === CLOSE_ARRAY) {
            i++;
            break;
          }
          if (body[i] !== COMMA) fail(body, i, "',' or ']'");
          i = skipWhitespace(body, i + 1);
        }
      }
    } else {
      const end = scanValue(body, i, 0);
      spans.push([i, end]);
      i = end;
    }
    i = skipWhitespace(body, i);
    if (i < body.length) fail(body, i, "the end of the body");
    return {
      ok: true,
      array,
      messages: spans.map(([start, end]) => minify(body, start, end)),
      sizes: spans.map(([start, end]) => end - start),
    };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, message: error.message };
    throw error;
  }
}
