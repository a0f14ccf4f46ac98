/**
 * Where a client must resume: for each stream, the scripted server records
 * every (re)start of a live read and what it had delivered before it, so a
 * check can compare the offset the client asked for with the one it had to
 * ask for (SSE-RESUME-4, WS-RESUME-1).
 *
 * @module
 */

/**
 * One start of a live read: an SSE request, or a WebSocket `subscribe`.
 *
 * @example
 * ```ts
 * import type { ReadStart } from "@agent-stream/agent-stream/conformance";
 * const show = (s: ReadStart) => `${s.via} from ${s.requested}`;
 * ```
 */
export interface ReadStart {
  /** When it arrived. */
  readonly at: number;
  /** The binding. */
  readonly via: "sse" | "websocket";
  /** The offset as the client sent it (`Last-Event-ID` over `offset` for SSE). */
  readonly requested: string | undefined;
  /** The offset as a number (`-1` is 0); undefined for `now` or a malformed value. */
  readonly offset: number | undefined;
  /** SSE: whether the offset came from `Last-Event-ID`. */
  readonly lastEventId?: boolean;
  /**
   * For every start after the first: the range a correct resume falls in,
   * from what the client surely had to what the server had sent.
   */
  readonly expected?: { readonly low: number; readonly high: number };
}

/**
 * The live reads of one stream over a run.
 *
 * @example
 * ```ts
 * import type { ReadTrace } from "@agent-stream/agent-stream/conformance";
 * const reconnects = (trace: ReadTrace) => trace.starts.length - 1;
 * ```
 */
export interface ReadTrace {
  /** Every start, in order. */
  readonly starts: ReadStart[];
  /** SSE: the `id` of the last event written; WebSocket: the delivered offset. */
  written: number | undefined;
  /** What the client surely received: `written` as of the last connection that ended cleanly. */
  sure: number | undefined;
  /** SSE: when a control event with `streamClosed: true` was surely received. */
  closedAt: number | undefined;
}

/**
 * A fresh trace.
 *
 * @example
 * ```ts
 * import { emptyTrace } from "@agent-stream/agent-stream/conformance";
 * console.log(emptyTrace().starts.length); // 0
 * ```
 */
export function emptyTrace(): ReadTrace {
  return { starts: [], written: undefined, sure: undefined, closedAt: undefined };
}

/**
 * Records a start: what was asked for, and, after the first, what was due.
 *
 * @example
 * ```ts
 * import { emptyTrace, recordStart } from "@agent-stream/agent-stream/conformance";
 * const trace = emptyTrace();
 * recordStart(trace, "sse", "-1");
 * console.log(trace.starts[0].offset); // 0
 * ```
 */
export function recordStart(
  trace: ReadTrace,
  via: ReadStart["via"],
  requested: string | undefined,
  lastEventId?: boolean,
): ReadStart {
  const offset = requested === "-1"
    ? 0
    : requested !== undefined && /^[0-9]{16}$/.test(requested)
    ? Number(requested)
    : undefined;
  // Before anything with an offset was sent, the read starts over where it began.
  const first = trace.starts[0]?.offset;
  const high = trace.written ?? first;
  const low = trace.sure ?? first ?? high;
  const due = trace.starts.length > 0 && high !== undefined && low !== undefined
    ? { expected: { low: Math.min(low, high), high } }
    : {};
  const start: ReadStart = {
    at: Date.now(),
    via,
    requested,
    offset,
    ...(lastEventId !== undefined ? { lastEventId } : {}),
    ...due,
  };
  trace.starts.push(start);
  return start;
}
