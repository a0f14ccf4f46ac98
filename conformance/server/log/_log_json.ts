// JSON text as literals (log.md §2): a tokenizer that keeps every string and
// number literal as written, so that a check compares what a server returns
// with what was appended token for token, and arbitraries for message texts
// whose literals a re-encoding server would change.

import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";

/** One token of a JSON text, exactly as written. */
export interface JsonToken {
  /** Punctuation, a string or number literal, or `true`, `false`, `null`. */
  readonly type: "punct" | "string" | "number" | "literal";
  /** The token's text as written. */
  readonly text: string;
}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// deno-lint-ignore no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /true|false|null/y;
const MAX_DEPTH = 256;

/** The tokens of a well-formed JSON text (RFC 8259), or undefined when it is not one. */
export function tokenizeJson(text: string): JsonToken[] | undefined {
  const tokens: JsonToken[] = [];
  let pos = 0;
  const skip = () => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const take = (re: RegExp, type: JsonToken["type"]): boolean => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return false;
    tokens.push({ type, text: m[0] });
    pos = re.lastIndex;
    return true;
  };
  const punct = (c: string): boolean => {
    skip();
    if (text[pos] !== c) return false;
    tokens.push({ type: "punct", text: c });
    pos++;
    return true;
  };
  const members = (close: string, member: () => boolean): boolean => {
    if (punct(close)) return true;
    do {
      if (!member()) return false;
    } while (punct(","));
    return punct(close);
  };
  const value = (depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    skip();
    const c = text[pos];
    if (c === "[") {
      punct("[");
      return members("]", () => value(depth + 1));
    }
    if (c === "{") {
      punct("{");
      return members("}", () => {
        skip();
        return take(STRING, "string") && punct(":") && value(depth + 1);
      });
    }
    if (c === '"') return take(STRING, "string");
    if (c === "-" || (c >= "0" && c <= "9")) return take(NUMBER, "number");
    return take(LITERAL, "literal");
  };
  if (!value(0)) return undefined;
  skip();
  return pos === text.length ? tokens : undefined;
}

/** A JSON text without the whitespace between its tokens. */
export function compactJson(text: string): string | undefined {
  return tokenizeJson(text)?.map((t) => t.text).join("");
}

/** The compact texts of the elements of a JSON array text, or undefined when it is not one. */
export function splitJsonArray(text: string): string[] | undefined {
  const tokens = tokenizeJson(text);
  if (tokens === undefined || tokens[0].text !== "[") return undefined;
  const elements: string[] = [];
  let current = "";
  let depth = 0;
  for (const token of tokens.slice(1, -1)) {
    if (token.type === "punct") {
      if (token.text === "[" || token.text === "{") depth++;
      else if (token.text === "]" || token.text === "}") depth--;
      else if (token.text === "," && depth === 0) {
        elements.push(current);
        current = "";
        continue;
      }
    }
    current += token.text;
  }
  if (tokens.length > 2) elements.push(current);
  return elements;
}

/**
 * The messages an append body stores (LOG-APPEND-2): the elements of a
 * top-level array, one level deep, or the body itself; compact texts.
 */
export function messagesOfBody(body: string): string[] {
  const compact = compactJson(body);
  if (compact === undefined) throw new Error(`not JSON: ${body}`);
  return compact.startsWith("[") ? splitJsonArray(body)! : [compact];
}

/**
 * How a returned message differs from the appended one: `numbers` when only
 * number literals changed and each still denotes the same value (LOG-MSG-2),
 * `literals` when the value is the same but other literals or the member
 * order changed (LOG-MSG-1), `other` when it is another message.
 */
export function messageMismatch(
  expected: string,
  actual: string,
): "numbers" | "literals" | "other" | undefined {
  if (expected === actual) return undefined;
  const a = tokenizeJson(expected);
  const b = tokenizeJson(actual);
  if (a === undefined || b === undefined) return "other";
  if (a.length === b.length && a.every((t, i) => t.text === b[i].text)) return undefined;
  if (
    a.length === b.length &&
    a.every((t, i) =>
      t.text === b[i].text ||
      (t.type === "number" && b[i].type === "number" && Number(t.text) === Number(b[i].text))
    )
  ) {
    return "numbers";
  }
  try {
    return isDeepStrictEqual(JSON.parse(expected), JSON.parse(actual)) ? "literals" : "other";
  } catch {
    return "other";
  }
}

/** A JSON text's value with object members sorted, to find a message whatever its literals. */
export function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === "object"
      ? Object.fromEntries(
        Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      )
      : v;
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** Whether a message differs from the expected one only in number literals. */
export function onlyNumbersDiffer(expected: string, actual: string): boolean {
  const a = tokenizeJson(expected);
  const b = tokenizeJson(actual);
  return a !== undefined && b !== undefined && a.length === b.length &&
    a.every((t, i) => t.text === b[i].text || t.type === "number");
}

// ------------------------------------------------------------ arbitraries

const ws = fc.constantFrom("", "", "", " ", "\n", "\t", "\r\n ");

/** Number literals a server that parses and re-serialises numbers would change. */
export const fcNumberLiteral: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "12345678901234567890123",
    "-12345678901234567890123",
    "9007199254740993",
    "0.1000000000000000055511151231257827",
    "1.0",
    "1.10",
    "-0",
    "-0.0",
    "1e2",
    "1E+2",
    "2.5e-7",
    "1e400",
    "123456789012345678901234567890.000000000000000000001",
    "0",
    "42",
  ),
  fc.tuple(
    fc.boolean(),
    fc.stringMatching(/^(?:0|[1-9][0-9]{0,24})$/),
    fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/), { nil: undefined }),
  ).map(([minus, int, frac, exp]) =>
    `${minus ? "-" : ""}${int}${frac !== undefined ? `.${frac}` : ""}${exp ?? ""}`
  ),
);

const plainString = fc.stringMatching(/^[a-z ]{0,6}$/).map((s) => `"${s}"`);

/** String literals with escapes and non-ASCII text, each to come back as written (LOG-MSG-1). */
export const fcStringLiteral: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 .:-]{1,5}$/) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"),
    },
    {
      weight: 2,
      arbitrary: fc.stringMatching(/^[0-9a-fA-F]{4}$/).map((hex) => `\\u${hex}`),
    },
    { weight: 1, arbitrary: fc.constantFrom("\\ud83d\\ude00", "\\uD834\\uDD1E", "\\ud800") },
    { weight: 3, arbitrary: fc.constantFrom("é", "ß", "日本語", "😀", "\u2028", "Ω≈ç", "\u00a0") },
  ),
  { maxLength: 5 },
).map((parts) => `"${parts.join("")}"`);

/** Member names a JavaScript object would reorder (integer-like) or that need escapes. */
const richKey = fc.oneof(
  fcStringLiteral,
  fc.constantFrom('"2"', '"10"', '"0"', '"b"', '"a"', '"é"'),
);

interface LiteralOptions {
  /** String literals and member names with escapes, non-ASCII text and integer-like names. */
  readonly rich: boolean;
}

/**
 * A JSON text with random whitespace between tokens, whose number and
 * string literals and member order a re-encoding server would change.
 * With `rich: false` only number literals are unusual, so a mismatch in such
 * a message can only be a re-encoded number (LOG-MSG-2).
 */
export function fcJsonText(options: LiteralOptions, maxDepth = 2): fc.Arbitrary<string> {
  const str = options.rich ? fcStringLiteral : plainString;
  const key = options.rich ? richKey : fc.stringMatching(/^[a-z]{1,4}$/).map((k) => `"${k}"`);
  const scalar = fc.oneof(
    { weight: 4, arbitrary: fcNumberLiteral },
    { weight: 3, arbitrary: str },
    { weight: 1, arbitrary: fc.constantFrom("true", "false", "null") },
  );
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", maxDepth, withCrossShrink: true },
      scalar,
      fc.tuple(fc.array(tie("value"), { maxLength: 4 }), ws, ws).map(([items, a, b]) =>
        `[${a}${items.join(`${b},${a}`)}${b}]`
      ),
      fc.tuple(
        fc.uniqueArray(fc.tuple(key, tie("value")), {
          maxLength: 4,
          selector: ([k]) => JSON.parse(k),
        }),
        ws,
        ws,
      ).map(([members, a, b]) =>
        `{${a}${members.map(([k, v]) => `${k}${b}:${a}${v}`).join(`${b},${a}`)}${b}}`
      ),
    ),
  }));
  return value;
}

/** A JSON array body of `texts` with random whitespace around the elements. */
export function arrayBody(texts: readonly string[], pad = " "): string {
  return `[${pad}${texts.join(`,${pad}`)}${pad}]`;
}
