// The vocabulary's definitions against spec/v1/events.md and its schemas:
// the same types, the same members, the same required members; every
// example decodes (valid) or is refused with JSON Pointers (invalid).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type * as v from "valibot";
import { EventValidationError } from "../events/mod.ts";
import { FIELDS_SCHEMAS } from "../events/_fields_schemas.ts";
import { RESERVED_NAMESPACES } from "../protocol/envelope.ts";
import { STANDARD_EVENT_DEFINITIONS, standardEvents } from "./standard_events.ts";

const SPEC = new URL("../../spec/v1/", import.meta.url);
const TYPES: readonly string[] = STANDARD_EVENT_DEFINITIONS.map((definition) => definition.type);

/** Members and whether each is required, by type, from a source. */
type Members = Record<string, Record<string, boolean>>;

function fromDefinitions(): Members {
  const out: Members = {};
  for (const definition of STANDARD_EVENT_DEFINITIONS) {
    const fields = FIELDS_SCHEMAS.get(definition) as v.LooseObjectSchema<
      v.ObjectEntries,
      undefined
    >;
    out[definition.type] = Object.fromEntries(
      Object.entries(fields.entries)
        .filter(([name]) => name !== "type")
        .map(([name, schema]) => [name, schema.type !== "optional"]),
    );
  }
  return out;
}

function fromSchemas(): Members {
  const out: Members = {};
  for (const type of TYPES) {
    const file = new URL(`schemas/events/${type}.schema.json`, SPEC);
    const schema = JSON.parse(readFileSync(file, "utf8"));
    const own = schema.allOf[1] as { required: string[]; properties: Record<string, unknown> };
    out[type] = Object.fromEntries(
      Object.keys(own.properties)
        .filter((name) => name !== "type")
        .map((name) => [name, own.required.includes(name)]),
    );
  }
  return out;
}

/** The member tables of events.md: a `### n. \`type\`` heading, then `| \`member\` | yes/no |` rows. */
function fromSpec(): Members {
  const out: Members = {};
  let current: string | undefined;
  for (const line of readFileSync(new URL("events.md", SPEC), "utf8").split("\n")) {
    const heading = /^###\s+[\d.]+\s+`([a-z.-]+)`$/.exec(line);
    if (heading) {
      current = heading[1];
      out[current] = {};
      continue;
    }
    if (line.startsWith("#")) current = undefined;
    const row = /^\|\s*`([A-Za-z]+)`\s*\|\s*(yes|no)\s*\|/.exec(line);
    if (current !== undefined && row) out[current][row[1]] = row[2] === "yes";
  }
  return out;
}

describe("the vocabulary", () => {
  test("has 49 types, each once, in the reserved namespaces, all of them used", () => {
    assert.equal(TYPES.length, 49);
    assert.equal(new Set(TYPES).size, TYPES.length);
    const namespaces = new Set(TYPES.map((type) => type.split(".")[0]));
    assert.deepEqual([...namespaces].sort(), [...RESERVED_NAMESPACES].sort());
  });

  test("the spec, the schemas and the definitions name the same members, equally required", () => {
    const definitions = fromDefinitions();
    assert.deepEqual(fromSchemas(), definitions, "schemas");
    assert.deepEqual(fromSpec(), definitions, "events.md");
  });
});

function examples(kind: "valid" | "invalid"): [string, unknown][] {
  const dir = new URL(`examples/events/${kind}/`, SPEC);
  return readdirSync(dir).sort().map((
    file,
  ) => [file, JSON.parse(readFileSync(new URL(file, dir), "utf8"))]);
}

describe("standardEvents", () => {
  const encoder = new TextEncoder();

  test("decodes every valid example of a vocabulary type as known, unchanged", () => {
    for (const [file, example] of examples("valid")) {
      const decoded = standardEvents.decode(encoder.encode(JSON.stringify(example)));
      const type = (example as { type: string }).type;
      assert.equal(decoded.known, TYPES.includes(type), file);
      assert.deepEqual(decoded.event, example, file);
    }
  });

  test("refuses every invalid example, saying where", () => {
    for (const [file, example] of examples("invalid")) {
      assert.throws(
        () => standardEvents.decode(encoder.encode(JSON.stringify(example))),
        (error: unknown) => {
          assert.ok(error instanceof EventValidationError, file);
          assert.ok(error.errors.length > 0, file);
          for (const e of error.errors) assert.match(e.path, /^(\/[^/]*)*$/, file);
          return true;
        },
        file,
      );
    }
  });
});
