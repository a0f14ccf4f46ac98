import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonMemberText, splitJsonArray } from "./_json_array.ts";

test("splitJsonArray returns each element's exact text, whatever the whitespace", () => {
  fc.assert(fc.property(
    fc.array(fc.jsonValue()),
    fc.constantFrom("", " ", "\n", "\t ", "\r\n"),
    (values, space) => {
      const texts = values.map((value) => JSON.stringify(value));
      const array = `${space}[${space}${texts.join(`${space},${space}`)}${space}]${space}`;
      assert.deepEqual(splitJsonArray(array), texts);
      const pretty = splitJsonArray(JSON.stringify(values, null, 2)).map((t) => JSON.parse(t));
      assert.deepEqual(pretty, JSON.parse(JSON.stringify(values)));
    },
  ));
});

test("number literals survive digit for digit (LOG-MSG-2)", () => {
  assert.deepEqual(splitJsonArray('[12345678901234567890, 1.10, {"a":"],\\"["}]'), [
    "12345678901234567890",
    "1.10",
    '{"a":"],\\"["}',
  ]);
});

test("splitJsonArray rejects what is not an array", () => {
  for (const text of ["", "{}", "[1,]", "[,1]", "[1,,2]", "[[1]", "[1]]", '"[]"']) {
    assert.throws(() => splitJsonArray(text), SyntaxError, text);
  }
  assert.deepEqual(splitJsonArray(" [ ] "), []);
});

test("jsonMemberText finds a top-level member's exact text", () => {
  fc.assert(fc.property(
    fc.dictionary(fc.string(), fc.jsonValue()),
    fc.string(),
    fc.jsonValue(),
    fc.constantFrom("", " ", "\n  "),
    (others, name, value, space) => {
      const rest = { ...others };
      delete rest[name];
      const members = Object.entries(rest).map(([k, v]) =>
        `${JSON.stringify(k)}:${space}${JSON.stringify(v)}`
      );
      const at = members.length === 0 ? 0 : JSON.stringify(name).length % (members.length + 1);
      members.splice(at, 0, `${JSON.stringify(name)}${space}:${space}${JSON.stringify(value)}`);
      const text = `${space}{${space}${members.join(`${space},${space}`)}${space}}`;
      assert.equal(jsonMemberText(text, name), JSON.stringify(value));
      assert.equal(jsonMemberText(JSON.stringify(rest), name), undefined);
    },
  ));
  assert.equal(
    jsonMemberText('{"type":"data","messages":[{"n":12345678901234567890}],"x":1}', "messages"),
    '[{"n":12345678901234567890}]',
  );
});
