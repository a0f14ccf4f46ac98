// House rules for spec/v1/schemas: identity and documentation of every
// schema, no `format`, nothing that would reject unknown members, and one
// regular expression per pattern shared with the valibot schemas.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as protocol from "../src/protocol/mod.ts";
import { STANDARD_EVENT_DEFINITIONS } from "../src/vocabulary/mod.ts";
import { type JsonSchema, loadSchemaFiles, SCHEMA_BASE } from "./_schema_support.ts";

const files = loadSchemaFiles();

type Visit = (node: JsonSchema, where: string) => void;

/** Calls `visit` on every subschema, with a JSON Pointer to it. */
function walk(node: unknown, where: string, visit: Visit): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${where}/${i}`, visit));
    return;
  }
  if (node === null || typeof node !== "object") return;
  const schema = node as JsonSchema;
  visit(schema, where);
  for (const keyword of ["properties", "$defs"]) {
    const members = schema[keyword] as Record<string, unknown> | undefined;
    for (const [name, sub] of Object.entries(members ?? {})) {
      walk(sub, `${where}/${keyword}/${name}`, visit);
    }
  }
  for (const keyword of ["items", "contains", "if", "then", "else", "not"]) {
    walk(schema[keyword], `${where}/${keyword}`, visit);
  }
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    walk(schema[keyword], `${where}/${keyword}`, visit);
  }
}

test("the schemas of the protocol are present, and events/ holds one per event type", () => {
  assert.deepEqual([...files.keys()].filter((file) => !file.includes("/")).sort(), [
    "agent-append.schema.json",
    "common.schema.json",
    "discovery.schema.json",
    "envelope.schema.json",
    "events.schema.json",
    "problem.schema.json",
    "sse-control.schema.json",
    "ws-client-frame.schema.json",
    "ws-server-frame.schema.json",
  ]);
  const events = [...files.keys()].filter((file) => file.startsWith("events/"));
  assert.equal(events.length, STANDARD_EVENT_DEFINITIONS.length + 1);
  assert.ok(events.includes("events/vocabulary.schema.json"));
});

for (const [file, schema] of files) {
  describe(file, () => {
    test("is a 2020-12 schema with its own $id, a title and a description", () => {
      assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
      assert.equal(schema.$id, SCHEMA_BASE + file);
      assert.equal(typeof schema.title, "string");
      assert.equal(typeof schema.description, "string");
    });

    test("every property and definition is described", () => {
      const missing: string[] = [];
      walk(schema, "", (node, where) => {
        // Members named inside if/then/else only restate a condition.
        const named = /\/(properties|\$defs)\/[^/]+$/.test(where) &&
          !/\/(if|then|else)(\/|$)/.test(where);
        if (named && typeof node.description !== "string") missing.push(where);
      });
      assert.deepEqual(missing, []);
    });

    test("uses pattern, never format, and never closes an object", () => {
      const offences: string[] = [];
      walk(schema, "", (node, where) => {
        if ("format" in node) offences.push(`${where}/format`);
        for (const keyword of ["additionalProperties", "unevaluatedProperties"]) {
          if (node[keyword] === false) offences.push(`${where}/${keyword}`);
        }
      });
      assert.deepEqual(offences, []);
    });
  });
}

test("every schema pattern is an exported valibot pattern, and vice versa", () => {
  const inSchemas = new Set<string>();
  for (const schema of files.values()) {
    walk(schema, "", (node) => {
      if (typeof node.pattern === "string") {
        // Ajv compiles patterns with the "u" flag; so must the valibot side.
        inSchemas.add(new RegExp(node.pattern, "u").source);
      }
    });
  }
  const exported = new Map<string, string>();
  for (const [name, value] of Object.entries(protocol)) {
    if (value instanceof RegExp) {
      assert.equal(value.flags, "u", `${name} flags`);
      exported.set(value.source, name);
    }
  }
  assert.deepEqual([...inSchemas].filter((source) => !exported.has(source)), []);
  assert.deepEqual(
    [...exported].filter(([source]) => !inSchemas.has(source)).map(([, name]) => name),
    [],
  );
});
