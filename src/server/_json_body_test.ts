import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MAX_JSON_DEPTH, splitJsonBody } from "./_json_body.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function split(text: string) {
  return splitJsonBody(encoder.encode(text));
}

function texts(text: string): string[] {
  const result = split(text);
  assert.ok(result.ok, `expected ${JSON.stringify(text)} to be valid`);
  return result.messages.map((m) => decoder.decode(m));
}

describe("splitJsonBody", () => {
  it("flattens one level of a top-level array (LOG-APPEND-2)", () => {
    assert.deepEqual(texts('{"event": "created"}'), ['{"event":"created"}']);
    assert.deepEqual(texts('[{"event": "a"}, {"event": "b"}]'), ['{"event":"a"}', '{"event":"b"}']);
    assert.deepEqual(texts("[[1,2], [3,4]]"), ["[1,2]", "[3,4]"]);
    assert.deepEqual(texts("[[[1,2,3]]]"), ["[[1,2,3]]"]);
    assert.deepEqual(texts(" [ ] "), []);
    const empty = split("[]");
    const object = split("{}");
    assert.ok(empty.ok && empty.array);
    assert.ok(object.ok && !object.array);
  });

  it("keeps member order, escapes and number literals byte for byte (LOG-MSG-1, LOG-MSG-2)", () => {
    assert.deepEqual(
      texts('{ "b" : 1.0 , "a" : 12345678901234567890123456789, "c": -0.10e-00 }'),
      ['{"b":1.0,"a":12345678901234567890123456789,"c":-0.10e-00}'],
    );
    assert.deepEqual(texts('"a \\u0041\\/ \\n b"'), ['"a \\u0041\\/ \\n b"']);
    assert.deepEqual(texts('["\u00e9 \ud83d\ude00", "tab\\t"]'), [
      '"\u00e9 \ud83d\ude00"',
      '"tab\\t"',
    ]);
  });

  it("reports each message's size as sent, whitespace inside it included", () => {
    const result = split('[ {"a" : 1} ,"\u00e9"]');
    assert.ok(result.ok);
    assert.deepEqual(result.sizes, [9, 4]);
    assert.deepEqual(result.messages.map((m) => m.length), [7, 4]);
  });

  it("refuses what RFC 8259 refuses (LOG-MSG-3)", () => {
    for (
      const bad of [
        "",
        " ",
        "{ invalid json }",
        "[1,]",
        "[,1]",
        "[1 2]",
        "{'a':1}",
        '{"a" 1}',
        '{"a":1,}',
        "01",
        "1.",
        ".5",
        "+1",
        "1e",
        "-",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        '"\t"',
        '"\\x"',
        '"\\u12"',
        '"open',
        "[1]]",
        "1 2",
        "\ufeff1",
        "[",
        "{",
        '{"a":',
      ]
    ) {
      assert.equal(split(bad).ok, false, JSON.stringify(bad));
    }
  });

  it("refuses bytes that are not UTF-8", () => {
    assert.equal(splitJsonBody(new Uint8Array([0x22, 0xff, 0x22])).ok, false);
    assert.equal(splitJsonBody(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22])).ok, false);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels without exhausting the stack`, () => {
    assert.ok(split("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH)).ok);
    assert.equal(split("[".repeat(100_000) + "]".repeat(100_000)).ok, false);
    assert.equal(split('{"a":'.repeat(100_000) + "1" + "}".repeat(100_000)).ok, false);
  });
});

// ---------------------------------------------------------------- properties

/** A JSON text as sent (random whitespace) and as stored (none). */
interface Json {
  readonly sent: string;
  readonly stored: string;
}

const ws = fc.array(fc.constantFrom(" ", "\t", "\n", "\r"), { maxLength: 3 }).map((a) =>
  a.join("")
);

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) =>
    a.join("")
  );

// Number literals as text, big ones included: they must survive unparsed.
const numberText = fc.tuple(
  fc.constantFrom("", "-"),
  fc.oneof(
    fc.constant("0"),
    fc.tuple(fc.constantFrom(..."123456789"), digits(0, 40)).map(([a, b]) => a + b),
  ),
  fc.option(digits(1, 25).map((d) => "." + d), { nil: "" }),
  fc.option(
    fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), digits(1, 4)).map((p) =>
      p.join("")
    ),
    { nil: "" },
  ),
).map((parts) => parts.join(""));

// Strings as text, with the escapes JSON.stringify would not choose.
const stringText = fc.tuple(fc.string({ unit: "grapheme", maxLength: 8 }), fc.boolean()).map(
  ([s, escape]) =>
    escape
      ? '"' + [...s].map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")).join("") +
        "\\/" + '"'
      : JSON.stringify(s),
);

const leaf: fc.Arbitrary<Json> = fc.oneof(
  numberText,
  stringText,
  fc.constantFrom("true", "false", "null"),
).map((t) => ({ sent: t, stored: t }));

const { value: jsonValue, object: jsonObject } = fc.letrec<
  { value: Json; array: Json; object: Json }
>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 4 }, leaf, tie("array"), tie("object")),
  array: fc.tuple(ws, fc.array(fc.tuple(ws, tie("value"), ws), { maxLength: 4 })).map(
    ([empty, items]) =>
      items.length === 0 ? { sent: `[${empty}]`, stored: "[]" } : {
        sent: "[" + items.map(([a, v, b]) => a + v.sent + b).join(",") + "]",
        stored: "[" + items.map(([, v]) => v.stored).join(",") + "]",
      },
  ),
  object: fc.tuple(
    ws,
    fc.array(fc.tuple(ws, stringText, ws, ws, tie("value"), ws), { maxLength: 4 }),
  )
    .map(([empty, members]) =>
      members.length === 0 ? { sent: `{${empty}}`, stored: "{}" } : {
        sent: "{" +
          members.map(([a, k, b, c, v, d]) => a + k + b + ":" + c + v.sent + d).join(",") +
          "}",
        stored: "{" + members.map(([, k, , , v]) => k + ":" + v.stored).join(",") + "}",
      }
    ),
}));

/** A request body: one value other than an array, or an array whose elements are the messages. */
const body = fc.oneof(
  fc.tuple(ws, fc.oneof(leaf, jsonObject), ws).map(([a, v, b]) => ({
    text: a + v.sent + b,
    messages: [v.stored],
  })),
  fc.tuple(ws, fc.array(fc.tuple(ws, jsonValue, ws), { maxLength: 5 }), ws).map((
    [a, items, b],
  ) => ({
    text: a + "[" + items.map(([x, v, y]) => x + v.sent + y).join(",") + "]" + b,
    messages: items.map(([, v]) => v.stored),
  })),
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("splitJsonBody properties", () => {
  it("splits a body with random whitespace into the minified element texts", () => {
    fc.assert(
      fc.property(body, ({ text, messages }) => {
        const result = split(text);
        assert.ok(result.ok, text);
        assert.deepEqual(result.messages.map((m) => decoder.decode(m)), messages);
        // Every stored message is JSON that means what was sent.
        for (const m of result.messages) assert.ok(parses(decoder.decode(m)));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps number literals, big ones included, byte for byte (LOG-MSG-2)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ws, numberText, ws), { minLength: 1, maxLength: 5 }),
        (items) => {
          const result = split("[" + items.map(([a, n, b]) => a + n + b).join(",") + "]");
          assert.ok(result.ok);
          assert.deepEqual(result.messages.map((m) => decoder.decode(m)), items.map(([, n]) => n));
        },
      ),
    );
  });

  it("accepts exactly what JSON.parse accepts, on random and on corrupted texts", () => {
    const corrupted = fc.tuple(body, fc.nat(), fc.nat(), fc.string({ maxLength: 2 })).map(
      ([{ text }, at, cut, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (cut % 3));
      },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), corrupted), (raw) => {
        const bytes = encoder.encode(raw);
        assert.equal(splitJsonBody(bytes).ok, parses(decoder.decode(bytes)), JSON.stringify(raw));
      }),
      { numRuns: 1000 },
    );
  });
});
