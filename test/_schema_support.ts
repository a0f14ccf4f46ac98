// Shared by the schema tests: loads spec/v1/schemas into Ajv and pairs each
// JSON Schema (or common definition) with the valibot schema that must
// accept exactly the same documents.

import { Ajv2020 } from "ajv/dist/2020.js";
import { readdirSync, readFileSync } from "node:fs";
import type * as v from "valibot";
import {
  AgentAppendSchema,
  DiscoverySchema,
  EnvelopeSchema,
  NonNegativeIntegerSchema,
  OffsetSchema,
  ProblemSchema,
  ProtocolVersionSchema,
  RequestOffsetSchema,
  SseControlSchema,
  StreamPathSchema,
  TimestampSchema,
  TokenSchema,
  WsClientFrameSchema,
  WsServerFrameSchema,
} from "../src/protocol/mod.ts";
import { anyEventSchema } from "../src/vocabulary/_definitions.ts";

export const SCHEMA_DIR: URL = new URL("../spec/v1/schemas/", import.meta.url);
export const EXAMPLES_DIR: URL = new URL(
  "../spec/v1/examples/",
  import.meta.url,
);
export const SCHEMA_BASE = "https://agent-stream.dev/schemas/v1/";

/** A JSON Schema (by `$id`, optionally with a fragment) and its valibot twin. */
export interface Target {
  /** Example directory below spec/v1/examples/, e.g. `envelope` or `common/offset`. */
  name: string;
  /** Schema id relative to SCHEMA_BASE. */
  ref: string;
  schema: v.GenericSchema<unknown>;
}

export const TARGETS: readonly Target[] = [
  { name: "envelope", ref: "envelope.schema.json", schema: EnvelopeSchema },
  {
    name: "agent-append",
    ref: "agent-append.schema.json",
    schema: AgentAppendSchema,
  },
  { name: "problem", ref: "problem.schema.json", schema: ProblemSchema },
  { name: "discovery", ref: "discovery.schema.json", schema: DiscoverySchema },
  {
    name: "sse-control",
    ref: "sse-control.schema.json",
    schema: SseControlSchema,
  },
  {
    name: "ws-client-frame",
    ref: "ws-client-frame.schema.json",
    schema: WsClientFrameSchema,
  },
  {
    name: "ws-server-frame",
    ref: "ws-server-frame.schema.json",
    schema: WsServerFrameSchema,
  },
  // Every event type of the vocabulary, through the schema that dispatches
  // on `type` to events/<type>.schema.json; the twin is the definitions.
  { name: "events", ref: "events.schema.json", schema: anyEventSchema },
  ...([
    ["offset", OffsetSchema],
    ["requestOffset", RequestOffsetSchema],
    ["timestamp", TimestampSchema],
    ["token", TokenSchema],
    ["streamPath", StreamPathSchema],
    ["nonNegativeInteger", NonNegativeIntegerSchema],
    ["protocolVersion", ProtocolVersionSchema],
  ] as const).map(([def, schema]) => ({
    name: `common/${def}`,
    ref: `common.schema.json#/$defs/${def}`,
    schema: schema as v.GenericSchema<unknown>,
  })),
];

export type JsonSchema = Record<string, unknown>;

/** Folders below spec/v1/schemas that hold schemas too. */
export const SCHEMA_SUBDIRS: readonly string[] = ["events/"];

/**
 * Every schema file, parsed, by file name relative to spec/v1/schemas
 * (`envelope.schema.json`, `events/text.delta.schema.json`).
 */
export function loadSchemaFiles(): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  for (const dir of ["", ...SCHEMA_SUBDIRS]) {
    for (const name of readdirSync(new URL(dir, SCHEMA_DIR)).sort()) {
      if (!name.endsWith(".schema.json")) continue;
      files.set(
        dir + name,
        JSON.parse(readFileSync(new URL(dir + name, SCHEMA_DIR), "utf8")),
      );
    }
  }
  return files;
}

/** An Ajv validator per target, compiled once with every schema registered. */
export function compileTargets(): Map<string, (value: unknown) => boolean> {
  // strictRequired is off because `required` inside if/else legitimately
  // names members declared in the enclosing schema.
  const ajv = new Ajv2020({ strict: true, strictRequired: false });
  for (const schema of loadSchemaFiles().values()) ajv.addSchema(schema);
  const validators = new Map<string, (value: unknown) => boolean>();
  for (const target of TARGETS) {
    const validate = ajv.getSchema(SCHEMA_BASE + target.ref);
    if (validate === undefined) throw new Error(`No schema ${target.ref}`);
    validators.set(target.name, (value) => validate(value) === true);
  }
  return validators;
}
