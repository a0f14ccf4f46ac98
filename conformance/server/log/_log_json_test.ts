import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  compactJson,
  fcJsonText,
  messageMismatch,
  messagesOfBody,
  splitJsonArray,
  tokenizeJson,
} from "./_log_json.ts";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("JSON literals", () => {
  it("accepts exactly the texts JSON.parse accepts", () => {
    const nearJson = fc.tuple(
      fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
      fc.nat(),
      fc.constantFrom("", ",", "]", "}", " x", "\u00a0", "'", "01", "\t", '"'),
    ).map(([text, at, junk]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk + text.slice(i);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), nearJson), (text) => {
        assert.equal(tokenizeJson(text) !== undefined, parses(text), JSON.stringify(text));
      }),
      { numRuns: 500 },
    );
  });

  it("compacts a text to JSON.stringify's form and splits arrays one level", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.integer({ min: 0, max: 3 }), (values, indent) => {
        const text = JSON.stringify(values, null, indent);
        assert.equal(compactJson(text), JSON.stringify(values));
        assert.deepEqual(splitJsonArray(text), values.map((v) => JSON.stringify(v)));
        assert.deepEqual(messagesOfBody(text), values.map((v) => JSON.stringify(v)));
      }),
    );
  });

  it("generates well-formed texts and keeps their literals", () => {
    fc.assert(
      fc.property(fcJsonText({ rich: true }), (text) => {
        assert.ok(parses(text), text);
        assert.equal(messageMismatch(compactJson(text)!, text), undefined);
      }),
    );
  });

  it("tells re-encoded numbers from other literal changes and from other messages", () => {
    assert.equal(messageMismatch('{"a":1.0}', '{"a":1}'), "numbers");
    assert.equal(
      messageMismatch("[12345678901234567890123]", "[1.2345678901234568e+22]"),
      "numbers",
    );
    assert.equal(messageMismatch('{"a":1,"b":2}', '{"b":2,"a":1}'), "literals");
    assert.equal(messageMismatch('"\\u00e9"', '"é"'), "literals");
    assert.equal(messageMismatch('{"n":1}', '{"n":2}'), "other");
    assert.equal(messageMismatch("[1, 2]", "[1,2]"), undefined);
  });
});
