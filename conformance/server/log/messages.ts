// log.md §2: messages come back exactly as appended, literal for literal;
// a body that is not JSON is refused whole.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import {
  arrayBody,
  compactJson,
  fcJsonText,
  messageMismatch,
  onlyNumbersDiffer,
  splitJsonArray,
  tokenizeJson,
} from "./_log_json.ts";
import { createJsonStream, getAt, headTail, nextOffset, offsetText, post } from "./_log_http.ts";

/**
 * Appends `texts` (one array body, or a lone non-array value as it is),
 * reads them back and returns pairs of sent and returned compact texts;
 * a missing message fails `requirement`.
 */
async function roundTrip(
  t: CheckContext,
  requirement: string,
  texts: readonly string[],
  asArray: boolean,
): Promise<[sent: string, got: string][]> {
  const url = await createJsonStream(t, requirement, { body: "[0]" });
  const single = !asArray && texts.length === 1 && !compactJson(texts[0])!.startsWith("[");
  const reply = await post(t, url, single ? texts[0] : arrayBody(texts, "\n"));
  t.expectStatus(requirement, reply, [200, 204]);
  const read = await getAt(t, url, offsetText(1), texts.length);
  t.expectStatus(requirement, read, 200);
  const got = splitJsonArray(read.text) ?? [];
  t.expectEqual(requirement, got.length, texts.length, "messages read back");
  return texts.map((text, i) => [compactJson(text)!, got[i]]);
}

/** Checks of log.md §2 (messages). */
export const logMessagesChecks: readonly Check[] = [
  defineCheck({
    id: "log.msg.round-trip",
    title:
      "messages come back with the same member order, string escapes, non-ASCII text and number literals",
    section: "log.md §2",
    requirements: ["LOG-MSG-1", "LOG-MSG-2"],
    async run(t) {
      await t.property(
        fc.tuple(
          fc.array(fcJsonText({ rich: true }), { minLength: 1, maxLength: 5 }),
          fc.boolean(),
        ),
        async ([texts, asArray], run) => {
          for (const [sent, got] of await roundTrip(run, "LOG-MSG-1", texts, asArray)) {
            const mismatch = messageMismatch(sent, got);
            run.expect(
              mismatch === "numbers" ? "LOG-MSG-2" : "LOG-MSG-1",
              mismatch === undefined,
              `appended ${sent}, read back ${got}`,
              { expected: sent, actual: got },
            );
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.msg.number-literals",
    title: "number literals survive digit for digit: big integers, trailing zeros, exponents, -0",
    section: "log.md §2",
    requirements: ["LOG-MSG-1", "LOG-MSG-2"],
    async run(t) {
      await t.property(
        fc.array(fcJsonText({ rich: false }), { minLength: 1, maxLength: 5 }),
        async (texts, run) => {
          for (const [sent, got] of await roundTrip(run, "LOG-MSG-2", texts, true)) {
            run.expect(
              onlyNumbersDiffer(sent, got) ? "LOG-MSG-2" : "LOG-MSG-1",
              sent === got,
              `appended ${sent}, read back ${got}`,
              { expected: sent, actual: got },
            );
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.msg.invalid-json",
    title:
      "an append whose body is not well-formed JSON is refused with invalid-json, storing nothing",
    section: "log.md §2",
    requirements: ["LOG-MSG-3"],
    async run(t) {
      await t.property(
        fc.array(fcMalformedBody(), { minLength: 3, maxLength: 6 }),
        async (bodies, run) => {
          const url = await createJsonStream(run, "LOG-MSG-3", { body: "[1,2]" });
          for (const body of bodies) {
            const reply = await run.http.request("POST", url, {
              headers: { "Content-Type": "application/json" },
              body,
            });
            run.expectProblem("LOG-MSG-3", reply, 400, "invalid-json");
          }
          run.expectEqual(
            "LOG-MSG-3",
            await headTail(run, "LOG-MSG-3", url),
            2,
            "tail after refusals",
          );
          const read = await getAt(run, url, "-1");
          run.expectEqual(
            "LOG-MSG-3",
            splitJsonArray(read.text),
            ["1", "2"],
            "messages after refusals",
          );
          nextOffset(run, read, "LOG-MSG-3");
        },
      );
    },
  }),
];

const BAD_LITERALS = [
  "01",
  "+1",
  ".5",
  "1.",
  "1e",
  "-",
  "NaN",
  "Infinity",
  "undefined",
  "'a'",
  "{a:1}",
  '{"a" 1}',
  '{"a":1,}',
  "[1 2]",
  "[1,,2]",
  "tru",
  "nul",
  '"\\x"',
  '"a\tb"',
  '"unterminated',
  "// c\n1",
  "/*c*/1",
  "\u00a01",
  "[1]]",
  "{}}",
  "0x10",
];

/** A body that is not well-formed JSON: broken literals, truncations, garbage, bad UTF-8. */
function fcMalformedBody(): fc.Arbitrary<string | Uint8Array> {
  const valid = fc.oneof(
    fcJsonText({ rich: false }, 1),
    fc.array(fc.nat(99).map(String), { minLength: 1, maxLength: 4 }).map((a) => arrayBody(a)),
  );
  const text = fc.oneof(
    fc.constantFrom(...BAD_LITERALS),
    fc.tuple(fc.constantFrom(...BAD_LITERALS), fc.nat(3)).map(([bad, n]) =>
      `[${"1,".repeat(n)}${bad}]`
    ),
    fc.tuple(valid, fc.constantFrom(" x", ",", "]", "}", " 1", " {}", "\u0000")).map(([v, g]) =>
      v + g
    ),
    fc.array(fc.nat(99).map(String), { minLength: 1, maxLength: 4 }).map((a) =>
      `[${a.join(",")},]`
    ),
    fc.tuple(valid, fc.nat()).map(([v, n]) => v.slice(0, 1 + (n % Math.max(1, v.length - 1)))),
  ).filter((body) => tokenizeJson(body) === undefined && body.trim() !== "");
  const badUtf8 = fc.tuple(
    fc.stringMatching(/^[a-z]{0,4}$/),
    fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]),
  ).map(([s, bytes]) => {
    const head = new TextEncoder().encode(`["${s}`);
    return new Uint8Array([...head, ...bytes, 0x22, 0x5d]);
  });
  return fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: badUtf8 });
}
