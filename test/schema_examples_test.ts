// Every example under spec/v1/examples is checked by Ajv against the JSON
// Schema and by the valibot schema from src/protocol: valid examples must
// pass both, invalid ones must fail both.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { describe, test } from "node:test";
import {
  JSON_POINTER_PATTERN,
  validate,
  WS_CLIENT_FRAME_TYPES,
  WS_SERVER_FRAME_TYPES,
} from "../src/protocol/mod.ts";
import { STANDARD_EVENT_DEFINITIONS } from "../src/vocabulary/mod.ts";
import { compileTargets, EXAMPLES_DIR, loadSchemaFiles, TARGETS } from "./_schema_support.ts";

const MIN_EXAMPLES = 3;
const ajv = compileTargets();

function exampleFiles(target: string, kind: "valid" | "invalid"): string[] {
  const dir = new URL(`${target}/${kind}/`, EXAMPLES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith(".json")).sort();
}

function readExample(target: string, kind: string, file: string): unknown {
  const url = new URL(`${target}/${kind}/${file}`, EXAMPLES_DIR);
  return JSON.parse(readFileSync(url, "utf8"));
}

for (const target of TARGETS) {
  describe(`examples of ${target.name}`, () => {
    for (const kind of ["valid", "invalid"] as const) {
      test(`has at least ${MIN_EXAMPLES} ${kind} examples`, () => {
        const count = exampleFiles(target.name, kind).length;
        assert.ok(
          count >= MIN_EXAMPLES,
          `${target.name}/${kind} has ${count} examples, needs ${MIN_EXAMPLES}`,
        );
      });

      for (const file of exampleFiles(target.name, kind)) {
        test(`${kind}/${file}`, () => {
          const value = readExample(target.name, kind, file);
          const expected = kind === "valid";
          const result = validate(target.schema, value);
          assert.equal(ajv.get(target.name)!(value), expected, "Ajv");
          assert.equal(
            result.ok,
            expected,
            `valibot: ${JSON.stringify(result.ok ? "accepted" : result.errors)}`,
          );
          if (!result.ok) {
            assert.ok(result.errors.length > 0);
            for (const error of result.errors) {
              assert.match(error.path, JSON_POINTER_PATTERN);
              assert.ok(error.message.length > 0);
            }
          }
        });
      }
    }
  });
}

describe("example tree", () => {
  test("every example directory belongs to a schema or common definition", () => {
    const known = new Set(TARGETS.map((target) => target.name));
    const found: string[] = [];
    for (const name of readdirSync(EXAMPLES_DIR)) {
      if (name === "common") {
        for (const def of readdirSync(new URL("common/", EXAMPLES_DIR))) {
          found.push(`common/${def}`);
        }
      } else if (statSync(new URL(name, EXAMPLES_DIR)).isDirectory()) {
        found.push(name);
      }
    }
    assert.deepEqual(found.filter((name) => !known.has(name)), []);
  });

  test("every schema file and every common definition has examples", () => {
    const files = loadSchemaFiles();
    // The schemas in events/ are reached through events.schema.json, whose
    // examples cover every type (see below).
    const expected = [...files.keys()]
      .filter((file) => file !== "common.schema.json" && !file.startsWith("events/"))
      .map((file) => file.replace(/\.schema\.json$/, ""));
    const defs = Object.keys(
      files.get("common.schema.json")!.$defs as Record<string, unknown>,
    );
    expected.push(...defs.map((def) => `common/${def}`));
    const targets = TARGETS.map((target) => target.name);
    assert.deepEqual([...expected].sort(), [...targets].sort());
  });

  test("every frame type has a valid example", () => {
    for (
      const [target, types] of [
        ["ws-client-frame", WS_CLIENT_FRAME_TYPES],
        ["ws-server-frame", WS_SERVER_FRAME_TYPES],
      ] as const
    ) {
      const covered = new Set(
        exampleFiles(target, "valid").map((file) =>
          (readExample(target, "valid", file) as { type: string }).type
        ),
      );
      assert.deepEqual(types.filter((type) => !covered.has(type)), [], target);
    }
  });

  test("every event type has a schema, reached from events.schema.json", () => {
    const files = loadSchemaFiles();
    const types = STANDARD_EVENT_DEFINITIONS.map((definition) => definition.type).sort();
    const perType = [...files.keys()]
      .filter((file) => file.startsWith("events/") && file !== "events/vocabulary.schema.json")
      .map((file) => file.slice("events/".length, -".schema.json".length))
      .sort();
    assert.deepEqual(perType, types);
    const dispatch = files.get("events.schema.json")!.allOf as {
      if?: { properties: { type: { const: string } } };
      then?: { $ref: string };
    }[];
    const reached = dispatch
      .filter((branch) => branch.if !== undefined)
      .map((branch) => {
        const type = branch.if!.properties.type.const;
        assert.equal(branch.then?.$ref, `events/${type}.schema.json`, type);
        return type;
      });
    assert.deepEqual(reached.sort(), types);
  });

  test("every event type has valid and invalid examples", () => {
    for (const kind of ["valid", "invalid"] as const) {
      const covered = new Set(
        exampleFiles("events", kind).map((file) =>
          (readExample("events", kind, file) as { type?: unknown }).type
        ),
      );
      const missing = STANDARD_EVENT_DEFINITIONS
        .map((definition) => definition.type)
        .filter((type) => !covered.has(type));
      assert.deepEqual(missing, [], kind);
    }
  });

  test("each sub-directory holds only valid/ and invalid/", () => {
    for (const target of TARGETS) {
      const dir = new URL(`${target.name}/`, EXAMPLES_DIR);
      assert.deepEqual(readdirSync(dir).sort(), ["invalid", "valid"]);
    }
  });
});
