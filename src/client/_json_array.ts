// Splits the text of a JSON array into the exact texts of its elements, so
// that a reader can hand out each message as the server stored it
// (LOG-MSG-1/2: number literals beyond 2^53 survive) as well as parsed.

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The element texts of a JSON array, whitespace around them trimmed.
 * Throws `SyntaxError` when the text is not an array; the elements
 * themselves are checked when they are parsed.
 */
export function splitJsonArray(text: string): string[] {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(start) !== OPEN_BRACKET || text.charCodeAt(end - 1) !== CLOSE_BRACKET) {
    throw new SyntaxError("Expected a JSON array");
  }
  const elements: string[] = [];
  let depth = 0;
  let from = start + 1;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, escapes included, so brackets inside do not count.
      for (i++; i < end - 1; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth < 0) throw new SyntaxError("Unbalanced JSON array");
    } else if (c === COMMA && depth === 0) {
      elements.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (depth !== 0) throw new SyntaxError("Unbalanced JSON array");
  const last = text.slice(from, end - 1).trim();
  if (last !== "") elements.push(last);
  else if (elements.length > 0) throw new SyntaxError("Trailing comma in JSON array");
  if (elements.some((element) => element === "")) throw new SyntaxError("Empty JSON array element");
  return elements;
}

// Index just past the JSON value starting at `i` (whitespace before it
// skipped by the caller); strings, objects and arrays are skipped whole.
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
      if (depth === 0) return i + 1;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === COMMA || isSpace(c))) {
      return i;
    }
  }
  return i;
}

/**
 * The exact text of the member `name` of the JSON object `text`, or
 * `undefined` when it has none. Only the top level is searched; the text
 * is expected to be valid JSON (JSON.parse it too).
 */
export function jsonMemberText(text: string, name: string): string | undefined {
  let i = text.indexOf("{");
  if (i < 0) return undefined;
  i++;
  while (i < text.length) {
    while (i < text.length && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === COMMA)) i++;
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = skipValue(text, i);
    const key: string = JSON.parse(text.slice(i, keyEnd));
    i = keyEnd;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    i++; // the colon
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const valueEnd = skipValue(text, i);
    if (key === name) return text.slice(i, valueEnd);
    i = valueEnd;
  }
  return undefined;
}
