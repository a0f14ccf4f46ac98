/**
 * What the scripted server records of a WebSocket connection: every frame
 * in both directions, with its time, and how the connection ended.
 *
 * @module
 */

import type { WsFrame } from "./fault_script.ts";

/**
 * One frame as recorded.
 *
 * @example
 * ```ts
 * import type { WsFrameRecord } from "@agent-stream/agent-stream/conformance";
 * const isPong = (entry: WsFrameRecord) => entry.frame?.type === "pong";
 * ```
 */
export interface WsFrameRecord {
  /** When it passed (`Date.now()`). */
  readonly at: number;
  /** Its text (binary frames: `undefined`). */
  readonly text?: string;
  /** Its JSON, when it is a JSON object. */
  readonly frame?: WsFrame;
  /** Binary frames: the size. */
  readonly binary?: number;
}

/**
 * One WebSocket connection as recorded.
 *
 * @example
 * ```ts
 * import type { WsRecord } from "@agent-stream/agent-stream/conformance";
 * const closedByClient = (record: WsRecord) => record.closedBy === "client";
 * ```
 */
export interface WsRecord {
  /** Index among the run's connections. */
  readonly index: number;
  /** When it opened. */
  readonly openedAt: number;
  /** Frames the client sent, in order. */
  readonly incoming: WsFrameRecord[];
  /** Frames the client got, in order. */
  readonly outgoing: WsFrameRecord[];
  /** When it closed. */
  closedAt?: number;
  /** Who closed it first. */
  closedBy?: "server" | "client";
}
