import fc from "fast-check";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { TOKEN_MAX_LENGTH, TokenSchema } from "./token.ts";

const ALPHABET = [..."ABCXYZabcxyz0189._:~-"];

test("1 to 128 characters from the token alphabet form a token", () => {
  fc.assert(fc.property(
    fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: TOKEN_MAX_LENGTH }),
    (token) => assert.ok(v.is(TokenSchema, token)),
  ));
});

test("one character too many, or any character outside the alphabet, is rejected", () => {
  assert.ok(!v.is(TokenSchema, "t".repeat(TOKEN_MAX_LENGTH + 1)));
  assert.ok(!v.is(TokenSchema, ""));
  fc.assert(fc.property(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) =>
      !/^[A-Za-z0-9._:~-]$/.test(c)
    ),
    (c) => assert.ok(!v.is(TokenSchema, `a${c}b`), JSON.stringify(c)),
  ));
});
