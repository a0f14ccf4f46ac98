/**
 * The kind of a stream: `"json"` holds any JSON messages (plain Durable
 * Streams JSON mode); `"agent"` holds envelopes, checked on append.
 *
 * @example
 * ```ts
 * import type { StreamKind } from "@agent-stream/agent-stream/protocol";
 * const kind: StreamKind = "agent";
 * ```
 */
export type StreamKind = "json" | "agent";

/**
 * Every {@linkcode StreamKind}, as sent in `Agent-Stream-Kind` and in the
 * WebSocket `subscribed` frame.
 *
 * @example
 * ```ts
 * import { STREAM_KINDS } from "@agent-stream/agent-stream/protocol";
 * STREAM_KINDS.includes("json"); // true
 * ```
 */
export const STREAM_KINDS: readonly StreamKind[] = Object.freeze([
  "json",
  "agent",
]);
