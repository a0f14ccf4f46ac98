import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { defineEvent } from "./define_event.ts";
import { EventRegistry } from "./event_registry.ts";
import { EventValidationError } from "./event_validation_error.ts";

const Added = defineEvent("com.example.counter.added", {
  amount: v.number(),
  reason: v.optional(v.string()),
});
const Renamed = defineEvent("com.example.counter.renamed", {
  name: v.pipe(v.string(), v.minLength(1)),
  tags: v.array(v.string()),
});
const Noted = defineEvent("com.example.note.taken", {
  note: v.record(v.string(), v.unknown()),
  pinned: v.nullable(v.boolean()),
});
const registry = new EventRegistry([Added, Renamed, Noted]);
const OWN_MEMBERS = new Set(["type", "id", "time", "runId", "meta", "amount", "reason", "name"]);
for (const member of ["tags", "note", "pinned"]) OWN_MEMBERS.add(member);

// JSON round-trips drop `undefined` and turn -0 into 0: generated values are
// normalised to what JSON text can say, which is what an event is.
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

const boundedId = fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" });
const envelopeMembers = fc.record({
  id: boundedId,
  time: fc.date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("9999-12-31T23:59:59Z"),
    noInvalidDate: true,
  }).map((d) => d.toISOString()),
  runId: boundedId,
  meta: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
}, { requiredKeys: [] });
const extraMembers = fc.dictionary(
  fc.string({ maxLength: 8 }).filter((key) => !OWN_MEMBERS.has(key)),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

const registeredEvent = fc.tuple(
  fc.oneof(
    fc.record({
      type: fc.constant(Added.type),
      amount: fc.double({ noNaN: true, noDefaultInfinity: true }),
      reason: fc.option(fc.string(), { nil: undefined }),
    }),
    fc.record({
      type: fc.constant(Renamed.type),
      name: fc.string({ minLength: 1 }),
      tags: fc.array(fc.string(), { maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant(Noted.type),
      note: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      pinned: fc.option(fc.boolean(), { nil: null }),
    }),
  ),
  envelopeMembers,
  extraMembers,
).map(([fields, envelope, extra]) => plainJson({ ...extra, ...envelope, ...fields }));

// Raw JSON text, so that number literals JSON.parse would round (beyond 2^53,
// beyond double range, trailing zeros) and odd spacing reach the decoder.
const numberLiteral = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom("9007199254740993", "1e400", "-0", "-0.0", "1.50", "0.1e-999", "1E+2"),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);
const space = fc.constantFrom("", " ", "\n", "\t", "  \r\n");
const { jsonText } = fc.letrec<{ jsonText: string; member: string }>((tie) => ({
  jsonText: fc.oneof(
    { depthSize: "small" },
    numberLiteral,
    fc.string().map((s) => JSON.stringify(s)),
    fc.constantFrom("true", "false", "null", '"\\u00e9\\ud83d\\ude00"'),
    fc.array(tie("jsonText"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
    fc.array(tie("member"), { maxLength: 3 }).map((members) => `{${members.join(",")}}`),
  ),
  member: fc.tuple(fc.string({ maxLength: 6 }), space, tie("jsonText"))
    .map(([key, s, value]) => `${JSON.stringify(key)}${s}:${s}${value}`),
}));
const unknownType = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}(\.[a-z][a-z0-9_-]{0,6}){1,3}$/u)
  .filter((type) => !registry.has(type));
const unknownEnvelopeText = fc.tuple(
  unknownType,
  fc.array(
    fc.tuple(
      fc.string({ maxLength: 6 }).filter((key) => !OWN_MEMBERS.has(key)),
      space,
      jsonText,
    ),
    { maxLength: 4 },
  ),
  fc.nat(4),
  space,
).map(([type, members, at, s]) => {
  const parts = members.map(([key, s, value]) => `${JSON.stringify(key)}${s}:${s}${value}`);
  parts.splice(Math.min(at, parts.length), 0, `"type":${s}${JSON.stringify(type)}`);
  return `${s}{${s}${parts.join(`,${s}`)}${s}}${s}`;
});

const text = new TextEncoder();

describe("EventRegistry properties", () => {
  it("decode(encode(e)) is e for every registered event", () => {
    fc.assert(fc.property(registeredEvent, (event) => {
      const decoded = registry.decode(registry.encode(event as never));
      assert.equal(decoded.known, true);
      assert.deepEqual(decoded.event, event);
    }));
  });

  it("an unknown type passes through byte for byte", () => {
    fc.assert(fc.property(unknownEnvelopeText, (json) => {
      const bytes = text.encode(json);
      const original = bytes.slice();
      const decoded = registry.decode(bytes);
      assert.equal(decoded.known, false);
      assert.deepEqual(decoded.event, JSON.parse(json));
      const encoded = registry.encode(decoded);
      assert.deepEqual(encoded, original);
    }));
  });

  it("a decoded registered event re-encodes as its original bytes", () => {
    fc.assert(fc.property(registeredEvent, jsonText, (event, extra) => {
      const json = `${JSON.stringify(event).slice(0, -1)},"zz-extra": ${extra}}`;
      const bytes = text.encode(json);
      const decoded = registry.decode(bytes);
      assert.equal(decoded.known, true);
      assert.deepEqual(registry.encode(decoded), text.encode(json));
    }));
  });

  it("an invalid registered event is rejected at the broken member, both ways", () => {
    const breakages = fc.constantFrom(
      ["amount", "1", Added.type],
      ["reason", 0, Added.type],
      ["name", "", Renamed.type],
      ["tags", [1], Renamed.type],
      ["note", "x", Noted.type],
      ["pinned", "yes", Noted.type],
      ["id", "", undefined],
      ["runId", 5, undefined],
      ["time", "2025-13-01T00:00:00Z", undefined],
      ["meta", null, undefined],
    );
    fc.assert(fc.property(registeredEvent, breakages, (event, [member, bad, typeFilter]) => {
      fc.pre(typeFilter === undefined || typeFilter === event.type);
      const broken = { ...event, [member as string]: bad };
      const expected = member === "tags" ? "/tags/0" : `/${member}`;
      for (
        const run of [
          () => registry.encode(broken as never),
          () => registry.decode(text.encode(JSON.stringify(broken))),
        ]
      ) {
        assert.throws(run, (error: unknown) => {
          assert.ok(error instanceof EventValidationError);
          assert.deepEqual(error.errors.map((e) => e.path), [expected]);
          return true;
        });
      }
    }));
  });
});
