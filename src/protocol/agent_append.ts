import * as v from "valibot";
import { type Envelope, EnvelopeSchema } from "./envelope.ts";

/**
 * The body of an append to an agent stream: one envelope, or an array of one
 * or more envelopes appended atomically in order.
 *
 * @example
 * ```ts
 * import type { AgentAppend } from "@agent-stream/agent-stream/protocol";
 * const body: AgentAppend = [
 *   { type: "run.started", runId: "r1" },
 *   { type: "text.delta", runId: "r1", delta: "Hi" },
 * ];
 * ```
 */
export type AgentAppend = Envelope | Envelope[];

const EnvelopeBatchSchema: v.GenericSchema<Envelope[]> = v.pipe(
  v.array(EnvelopeSchema),
  v.minLength(1, "Expected at least one envelope"),
);

/**
 * Valibot schema of an {@linkcode AgentAppend} (JSON Schema
 * `agent-append.schema.json`). Issue paths point into the body, so a bad
 * third message reports `/2/type`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AgentAppendSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(AgentAppendSchema, { type: "run.started" }); // true
 * v.is(AgentAppendSchema, []); // false: an empty batch
 * ```
 */
export const AgentAppendSchema: v.GenericSchema<AgentAppend> = v.lazy(
  // Dispatching on the shape instead of `v.union` keeps the item paths: a
  // union whose branches both fail reports one issue at the root.
  (input): v.GenericSchema<AgentAppend> =>
    Array.isArray(input) ? EnvelopeBatchSchema : EnvelopeSchema,
);

/**
 * The envelopes of an append body in stream order: the array itself, or the
 * single envelope as a one-element array (the one-level flattening of JSON
 * mode).
 *
 * @example
 * ```ts
 * import { agentAppendMessages } from "@agent-stream/agent-stream/protocol";
 * agentAppendMessages({ type: "run.started" }).length; // 1
 * ```
 */
export function agentAppendMessages(body: AgentAppend): Envelope[] {
  return Array.isArray(body) ? body : [body];
}
