import type * as v from "valibot";
import { pingFrame, pongFrame } from "./_frame.ts";

/**
 * The WebSocket subprotocol of major version 1, offered by the client and
 * selected by the server in the opening handshake.
 *
 * @example
 * ```ts
 * import { WS_SUBPROTOCOL } from "@agent-stream/agent-stream/protocol";
 * const socket = { protocols: [WS_SUBPROTOCOL] };
 * ```
 */
export const WS_SUBPROTOCOL = "agent-stream.v1" as const;

/**
 * The WebSocket close codes the binding uses, by meaning.
 *
 * @example
 * ```ts
 * import { WS_CLOSE_CODES } from "@agent-stream/agent-stream/protocol";
 * WS_CLOSE_CODES.policyViolation; // 1008
 * ```
 */
export const WS_CLOSE_CODES: {
  /** Normal closure. */
  readonly normal: 1000;
  /** The server is going away (shutdown). */
  readonly goingAway: 1001;
  /** Protocol misuse, e.g. a frame before `hello`. */
  readonly policyViolation: 1008;
  /** A frame larger than `maxWsFrameBytes`. */
  readonly messageTooBig: 1009;
  /** Unexpected server condition. */
  readonly internalError: 1011;
  /** The server is restarting; reconnect. */
  readonly serviceRestart: 1012;
} = Object.freeze({
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  serviceRestart: 1012,
});

/**
 * A frame whose `type` this version does not define. Receivers ignore such
 * frames, so the frame schemas accept them.
 *
 * @example
 * ```ts
 * import type { UnknownFrame } from "@agent-stream/agent-stream/protocol";
 * const later: UnknownFrame = { type: "resume", token: "abc" };
 * ```
 */
export interface UnknownFrame {
  /** A frame type added by a later version. */
  type: string;
  /** Whatever that version defines. */
  [member: string]: unknown;
}

/**
 * Heartbeat request; either side may send it and the peer answers `pong`.
 *
 * @example
 * ```ts
 * import type { PingFrame } from "@agent-stream/agent-stream/protocol";
 * const ping: PingFrame = { type: "ping", nonce: "42" };
 * ```
 */
export interface PingFrame {
  /** Frame type. */
  type: "ping";
  /** Opaque value the `pong` echoes. */
  nonce?: string;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Heartbeat answer.
 *
 * @example
 * ```ts
 * import type { PongFrame } from "@agent-stream/agent-stream/protocol";
 * const pong: PongFrame = { type: "pong", nonce: "42" };
 * ```
 */
export interface PongFrame {
  /** Frame type. */
  type: "pong";
  /** The `nonce` of the `ping` being answered, if it had one. */
  nonce?: string;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Valibot schema of a {@linkcode PingFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PingFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(PingFrameSchema, { type: "ping" }); // true
 * ```
 */
export const PingFrameSchema: v.GenericSchema<PingFrame> = pingFrame;

/**
 * Valibot schema of a {@linkcode PongFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PongFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(PongFrameSchema, { type: "pong", nonce: "n1" }); // true
 * ```
 */
export const PongFrameSchema: v.GenericSchema<PongFrame> = pongFrame;
