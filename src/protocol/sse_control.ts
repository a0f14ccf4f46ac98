import * as v from "valibot";
import { jsonObject } from "./_common.ts";
import { type Offset, OffsetSchema } from "./offset.ts";

/**
 * The data of an SSE `event: control`: where the stream stands after the
 * messages delivered so far on the connection.
 *
 * `streamCursor` is required unless `streamClosed` is `true`: an open
 * stream's reader needs the cursor to reconnect, a closed stream has nothing
 * more to read.
 *
 * @example
 * ```ts
 * import type { SseControl } from "@agent-stream/agent-stream/protocol";
 * const control: SseControl = {
 *   streamNextOffset: "0000000000000012",
 *   streamCursor: "c-12",
 *   upToDate: true,
 * };
 * ```
 */
export interface SseControl {
  /** Offset just after the last message delivered on this connection. */
  streamNextOffset: Offset;
  /** Opaque cursor for the next request (cache collapsing), as in Durable Streams. */
  streamCursor?: string;
  /** `true` when the reader has caught up with the tail. */
  upToDate?: boolean;
  /** `true` when the stream is closed and every message has been delivered. */
  streamClosed?: boolean;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Valibot schema of an {@linkcode SseControl} (JSON Schema
 * `sse-control.schema.json`).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SseControlSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(SseControlSchema, { streamNextOffset: "0000000000000003", streamClosed: true }); // true
 * v.is(SseControlSchema, { streamNextOffset: "0000000000000003" }); // false: no cursor
 * ```
 */
export const SseControlSchema: v.GenericSchema<SseControl> = v.pipe(
  jsonObject({
    streamNextOffset: OffsetSchema,
    streamCursor: v.optional(v.string()),
    upToDate: v.optional(v.boolean()),
    streamClosed: v.optional(v.boolean()),
  }),
  v.forward(
    v.check(
      (control) => control.streamClosed === true || control.streamCursor !== undefined,
      "Expected streamCursor unless streamClosed is true",
    ),
    ["streamCursor"],
  ),
);
