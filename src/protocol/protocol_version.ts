import * as v from "valibot";
import { pattern } from "./_common.ts";

/**
 * A protocol version of major 1 as `"1.<minor>"`, used in `Agent-Stream-Version`,
 * WebSocket `hello`/`welcome` and discovery `versions`.
 *
 * @example
 * ```ts
 * import type { ProtocolVersion } from "@agent-stream/agent-stream/protocol";
 * const spoken: ProtocolVersion = "1.0";
 * ```
 */
export type ProtocolVersion = string;

/**
 * The version this package implements.
 *
 * @example
 * ```ts
 * import { PROTOCOL_VERSION } from "@agent-stream/agent-stream/protocol";
 * const headers = { "Agent-Stream-Version": PROTOCOL_VERSION };
 * ```
 */
export const PROTOCOL_VERSION: ProtocolVersion = "1.0";

/**
 * The regular expression for {@linkcode ProtocolVersion} (JSON Schema
 * `common.schema.json#/$defs/protocolVersion`).
 *
 * @example
 * ```ts
 * import { PROTOCOL_VERSION_PATTERN } from "@agent-stream/agent-stream/protocol";
 * PROTOCOL_VERSION_PATTERN.test("1.3"); // true
 * PROTOCOL_VERSION_PATTERN.test("2.0"); // false: another major
 * ```
 */
export const PROTOCOL_VERSION_PATTERN: RegExp = pattern(String.raw`^1\.[0-9]+$`);

/**
 * Valibot schema of a {@linkcode ProtocolVersion}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ProtocolVersionSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(ProtocolVersionSchema, "1.0"); // true
 * ```
 */
export const ProtocolVersionSchema: v.GenericSchema<ProtocolVersion> = v.pipe(
  v.string(),
  v.regex(PROTOCOL_VERSION_PATTERN, 'Expected a version "1.<minor>"'),
);
