// Differential test: for each JSON Schema (and common definition), Ajv and
// the valibot schema in src/protocol must agree on every document — valid
// ones by construction, mutants of them, and arbitrary JSON. A second group
// plants a known divergence in a valibot schema and checks that the same
// property catches it, so a silent, toothless property fails the suite.
//
// Replay a failure with FC_SEED=<seed printed below>.

import fc from "fast-check";
import assert from "node:assert/strict";
import process from "node:process";
import { describe, test } from "node:test";
import * as v from "valibot";
import {
  AckFrameSchema,
  AppendFrameSchema,
  ENVELOPE_TYPE_PATTERN,
  EnvelopeSchema,
  HelloFrameSchema,
  JSON_POINTER_PATTERN,
  OffsetSchema,
  PingFrameSchema,
  PongFrameSchema,
  SubscribeFrameSchema,
  TimestampSchema,
  TokenSchema,
  UnsubscribeFrameSchema,
  validate,
  WsServerFrameSchema,
} from "../src/protocol/mod.ts";
import { boundedString, jsonObject } from "../src/protocol/_common.ts";
import { anyEventSchema } from "../src/vocabulary/_definitions.ts";
import { type Sample, samples } from "./_schema_arbitraries.ts";
import { compileTargets, TARGETS } from "./_schema_support.ts";

const SEED = Number(process.env.FC_SEED ?? 20250601);
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 1000);
console.log(`schema_differential_test: FC_SEED=${SEED} FC_NUM_RUNS=${NUM_RUNS}`);

const ajv = compileTargets();

interface Tally {
  accepted: number;
  rejected: number;
}

/**
 * Ajv and `schema` agree on `sample.doc`; valid-by-construction documents are
 * accepted by both; every valibot error carries a JSON Pointer.
 */
function agreement(
  name: string,
  schema: v.GenericSchema<unknown>,
  tally?: Tally,
): fc.IPropertyWithHooks<[Sample]> {
  const json = ajv.get(name)!;
  return fc.property(samples(name), (sample) => {
    const byAjv = json(sample.doc);
    const result = validate(schema, sample.doc);
    if (tally) byAjv ? tally.accepted++ : tally.rejected++;
    assert.equal(
      result.ok,
      byAjv,
      `Ajv ${byAjv ? "accepts" : "rejects"} but valibot ${
        result.ok ? "accepts" : `rejects: ${JSON.stringify(result.errors)}`
      }`,
    );
    if (sample.origin === "valid") assert.ok(byAjv, "valid by construction");
    if (!result.ok) {
      for (const error of result.errors) assert.match(error.path, JSON_POINTER_PATTERN);
    }
  });
}

describe("Ajv and valibot agree", () => {
  for (const target of TARGETS) {
    test(`${target.name} (${NUM_RUNS} runs)`, () => {
      const tally: Tally = { accepted: 0, rejected: 0 };
      fc.assert(agreement(target.name, target.schema, tally), {
        seed: SEED,
        numRuns: NUM_RUNS,
      });
      // Both outcomes must be common, or the agreement says little.
      const total = tally.accepted + tally.rejected;
      assert.ok(tally.accepted > total * 0.1, `only ${tally.accepted}/${total} accepted`);
      assert.ok(tally.rejected > total * 0.1, `only ${tally.rejected}/${total} rejected`);
    });
  }
});

// The envelope schema of src/protocol, rebuilt with some entries replaced.
function envelopeWith(entries: v.ObjectEntries): v.GenericSchema<unknown> {
  return jsonObject({
    type: v.pipe(boundedString(3, 128), v.regex(ENVELOPE_TYPE_PATTERN)),
    id: v.optional(boundedString(1, 256)),
    time: v.optional(TimestampSchema),
    runId: v.optional(boundedString(1, 256)),
    meta: v.optional(jsonObject({})),
    ...entries,
  });
}

// The events schema with one type's definition replaced by a loose one.
function eventsWith(type: string, entries: v.ObjectEntries): v.GenericSchema<unknown> {
  const replaced = v.pipe(EnvelopeSchema, v.looseObject({ type: v.literal(type), ...entries }));
  return v.lazy((input) =>
    typeof input === "object" && input !== null && (input as { type?: unknown }).type === type
      ? replaced
      : anyEventSchema
  );
}

// Each plant loosens or distorts one constraint the way a plausible bug would.
const PLANTS: { target: string; bug: string; schema: v.GenericSchema<unknown> }[] = [
  {
    target: "envelope",
    bug: "type without its pattern",
    schema: envelopeWith({ type: boundedString(3, 128) }),
  },
  {
    target: "envelope",
    bug: "meta as a plain v.looseObject, which accepts arrays",
    schema: envelopeWith({ meta: v.optional(v.looseObject({})) }),
  },
  {
    target: "envelope",
    bug: "id bounded in UTF-16 units (v.maxLength) instead of code points",
    schema: v.pipe(
      EnvelopeSchema,
      v.check(
        (envelope) => typeof envelope.id !== "string" || envelope.id.length <= 256,
      ),
    ),
  },
  {
    target: "sse-control",
    bug: "streamCursor conditional dropped",
    schema: jsonObject({
      streamNextOffset: OffsetSchema,
      streamCursor: v.optional(v.string()),
      upToDate: v.optional(v.boolean()),
      streamClosed: v.optional(v.boolean()),
    }),
  },
  {
    target: "ws-client-frame",
    bug: "closed union: frames of unknown type rejected",
    schema: v.union([
      HelloFrameSchema,
      SubscribeFrameSchema,
      UnsubscribeFrameSchema,
      AckFrameSchema,
      AppendFrameSchema,
      PingFrameSchema,
      PongFrameSchema,
    ]),
  },
  {
    target: "ws-server-frame",
    bug: "data rule on the standalone schema only, not on the union",
    schema: v.union([
      v.looseObject({
        type: v.literal("data"),
        sub: TokenSchema,
        messages: v.array(v.unknown()),
        nextOffset: OffsetSchema,
        upToDate: v.optional(v.boolean()),
        closed: v.optional(v.boolean()),
      }),
      v.pipe(WsServerFrameSchema, v.check((frame) => frame.type !== "data")),
    ]),
  },
  {
    target: "common/streamPath",
    bug: "the look-aheads scan with `.`, which stops at U+2028 (the brief's regex)",
    schema: v.pipe(
      v.string(),
      v.minLength(1),
      v.maxCodePoints(1024),
      v.regex(
        new RegExp(
          String.raw`^(?!/)(?!.*//)(?!.*/$)(?!(?:.*/)?\.\.?(?:/|$))[^\u0000-\u001F\u007F\\]+$`,
          "u",
        ),
      ),
    ),
  },
  {
    target: "events",
    bug: "identifiers bounded with v.maxLength, in UTF-16 units",
    schema: eventsWith("text.start", {
      messageId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
    }),
  },
  {
    target: "events",
    bug: "metrics as v.record, which skips members named constructor",
    schema: eventsWith("task.metrics", {
      taskId: v.string(),
      metrics: v.record(v.string(), v.number()),
    }),
  },
  {
    target: "events",
    bug: "usage as a plain v.looseObject, which accepts arrays",
    schema: eventsWith("run.error", {
      message: v.string(),
      usage: v.optional(v.looseObject({})),
    }),
  },
  {
    target: "events",
    bug: "patch operations without the value/from conditionals",
    schema: eventsWith("state.delta", {
      patch: v.array(v.looseObject({
        op: v.picklist(["add", "remove", "replace", "move", "copy", "test"]),
        path: v.pipe(v.string(), v.regex(JSON_POINTER_PATTERN)),
      })),
    }),
  },
  {
    target: "common/offset",
    bug: "offset digits matched with \\d+ instead of exactly 16",
    schema: v.pipe(v.string(), v.regex(/^\d+$/)),
  },
];

describe("the differential property bites", () => {
  for (const plant of PLANTS) {
    test(`${plant.target}: ${plant.bug}`, () => {
      const outcome = fc.check(agreement(plant.target, plant.schema), {
        seed: SEED,
        numRuns: NUM_RUNS,
        endOnFailure: true,
      });
      assert.ok(outcome.failed, `planted bug not found in ${outcome.numRuns} runs`);
      console.log(
        `  caught after ${outcome.numRuns} runs: ${JSON.stringify(outcome.counterexample)}`
          .slice(0, 300),
      );
    });
  }
});
