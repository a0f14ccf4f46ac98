/**
 * agent-stream: a versioned wire protocol for durable, replayable event
 * streams of AI-agent conversations, with its reference implementation and
 * conformance suite.
 *
 * The package is split into sub-path exports:
 *
 * - `@agent-stream/agent-stream` (this module): everything that is runtime-free,
 *   currently the protocol definitions re-exported from `./protocol`.
 * - `@agent-stream/agent-stream/protocol`: valibot schemas and types for every
 *   message on the wire, matching the JSON Schemas under `spec/v1/schemas/`.
 * - `@agent-stream/agent-stream/conformance`: the requirement catalogue of the
 *   spec and the tooling conformance checks build on.
 *
 * The normative text is the spec shipped with the package (`spec/README.md`).
 *
 * @example Importing the protocol definitions
 * ```ts
 * import * as agentStream from "@agent-stream/agent-stream";
 *
 * console.log(Object.keys(agentStream));
 * ```
 *
 * @module @agent-stream/agent-stream
 */

export * from "./protocol/mod.ts";
