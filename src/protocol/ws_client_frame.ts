import * as v from "valibot";
import { boundedString, integerAtLeast, jsonObject } from "./_common.ts";
import { pingFrame, pongFrame, unknownFrame } from "./_frame.ts";
import { NonNegativeIntegerSchema } from "./non_negative_integer.ts";
import { type Offset, OffsetSchema, type RequestOffset, RequestOffsetSchema } from "./offset.ts";
import { type ProtocolVersion, ProtocolVersionSchema } from "./protocol_version.ts";
import { type StreamPath, StreamPathSchema } from "./stream_path.ts";
import { type Token, TokenSchema } from "./token.ts";
import type { PingFrame, PongFrame, UnknownFrame } from "./ws_frame.ts";

/**
 * The client's first frame: the minor version it speaks.
 *
 * @example
 * ```ts
 * import type { HelloFrame } from "@agent-stream/agent-stream/protocol";
 * const hello: HelloFrame = { type: "hello", version: "1.0", client: { name: "cli" } };
 * ```
 */
export interface HelloFrame {
  /** Frame type. */
  type: "hello";
  /** Version the client speaks, `"1.<minor>"`. */
  version: ProtocolVersion;
  /** Client software, for diagnostics. */
  client?: {
    /** Product name. */
    name?: string;
    /** Product version. */
    version?: string;
    /** Members added later. */
    [member: string]: unknown;
  };
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Starts a subscription to a stream.
 *
 * @example
 * ```ts
 * import type { SubscribeFrame } from "@agent-stream/agent-stream/protocol";
 * const sub: SubscribeFrame = { type: "subscribe", sub: "s1", path: "chats/42", offset: "now" };
 * ```
 */
export interface SubscribeFrame {
  /** Frame type. */
  type: "subscribe";
  /** Subscription id chosen by the client, unique among its active subscriptions. */
  sub: Token;
  /** Stream to read. */
  path: StreamPath;
  /** Where to start; `"-1"` (the start) when absent. */
  offset?: RequestOffset;
  /** Most messages the server may send beyond the last acknowledged offset. */
  window?: number;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Ends a subscription.
 *
 * @example
 * ```ts
 * import type { UnsubscribeFrame } from "@agent-stream/agent-stream/protocol";
 * const frame: UnsubscribeFrame = { type: "unsubscribe", sub: "s1" };
 * ```
 */
export interface UnsubscribeFrame {
  /** Frame type. */
  type: "unsubscribe";
  /** The subscription to end. */
  sub: Token;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Flow control: the client has consumed every message before `offset`.
 *
 * @example
 * ```ts
 * import type { AckFrame } from "@agent-stream/agent-stream/protocol";
 * const ack: AckFrame = { type: "ack", sub: "s1", offset: "0000000000000010" };
 * ```
 */
export interface AckFrame {
  /** Frame type. */
  type: "ack";
  /** The subscription acknowledged. */
  sub: Token;
  /** Offset just after the last consumed message. */
  offset: Offset;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Idempotent-producer coordinates of an append.
 *
 * @example
 * ```ts
 * import type { AppendProducer } from "@agent-stream/agent-stream/protocol";
 * const producer: AppendProducer = { id: "worker-7", epoch: 0, seq: 12 };
 * ```
 */
export interface AppendProducer {
  /** Producer id, 1 to 256 characters. */
  id: string;
  /** Producer epoch; a new epoch fences off older ones. */
  epoch: number;
  /** Sequence number of this append within the epoch. */
  seq: number;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Appends messages to a stream, closes it, or both. `messages` is required
 * unless `close` is `true`, and is never empty.
 *
 * @example
 * ```ts
 * import type { AppendFrame } from "@agent-stream/agent-stream/protocol";
 * const append: AppendFrame = {
 *   type: "append",
 *   req: "r1",
 *   path: "chats/42",
 *   messages: [{ type: "text.delta", delta: "Hi" }],
 * };
 * ```
 */
export interface AppendFrame {
  /** Frame type. */
  type: "append";
  /** Request id the answer carries. */
  req: Token;
  /** Stream to append to. */
  path: StreamPath;
  /** Messages to append atomically, in order; one or more. */
  messages?: unknown[];
  /** `true` to close the stream after the messages (if any). */
  close?: boolean;
  /** Idempotent-producer coordinates. */
  producer?: AppendProducer;
  /** Writer sequence value; must increase (as strings) per stream. */
  streamSeq?: string;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * A frame of a type that version 1.0 lets a client send.
 *
 * @example
 * ```ts
 * import type { WsClientFrame } from "@agent-stream/agent-stream/protocol";
 * const frames: WsClientFrame[] = [
 *   { type: "hello", version: "1.0" },
 *   { type: "subscribe", sub: "s1", path: "chats/42" },
 * ];
 * ```
 */
export type WsClientFrame =
  | HelloFrame
  | SubscribeFrame
  | UnsubscribeFrame
  | AckFrame
  | AppendFrame
  | PingFrame
  | PongFrame;

/**
 * The `type` of every {@linkcode WsClientFrame}.
 *
 * @example
 * ```ts
 * import { WS_CLIENT_FRAME_TYPES } from "@agent-stream/agent-stream/protocol";
 * WS_CLIENT_FRAME_TYPES.includes("ack"); // true
 * ```
 */
export const WS_CLIENT_FRAME_TYPES: readonly WsClientFrame["type"][] = Object
  .freeze([
    "hello",
    "subscribe",
    "unsubscribe",
    "ack",
    "append",
    "ping",
    "pong",
  ]);

const helloFrame = v.looseObject({
  type: v.literal("hello"),
  version: ProtocolVersionSchema,
  client: v.optional(jsonObject({
    name: v.optional(v.string()),
    version: v.optional(v.string()),
  })),
});

const subscribeFrame = v.looseObject({
  type: v.literal("subscribe"),
  sub: TokenSchema,
  path: StreamPathSchema,
  offset: v.optional(RequestOffsetSchema),
  window: v.optional(integerAtLeast(1)),
});

const unsubscribeFrame = v.looseObject({
  type: v.literal("unsubscribe"),
  sub: TokenSchema,
});

const ackFrame = v.looseObject({
  type: v.literal("ack"),
  sub: TokenSchema,
  offset: OffsetSchema,
});

const appendFrame = v.looseObject({
  type: v.literal("append"),
  req: TokenSchema,
  path: StreamPathSchema,
  messages: v.optional(
    v.pipe(
      v.array(v.unknown()),
      v.minLength(1, "Expected at least one message"),
    ),
  ),
  close: v.optional(v.boolean()),
  producer: v.optional(jsonObject({
    id: boundedString(1, 256),
    epoch: NonNegativeIntegerSchema,
    seq: NonNegativeIntegerSchema,
  })),
  streamSeq: v.optional(boundedString(1)),
});

// `v.variant` options cannot carry pipes, so the append rule is checked on
// the whole union as well as on the standalone schema.
function appendHasContent(
  frame: { type: string; messages?: unknown; close?: unknown },
): boolean {
  return frame.type !== "append" || frame.close === true ||
    frame.messages !== undefined;
}
const APPEND_RULE = "Expected messages unless close is true";

/**
 * Valibot schema of a {@linkcode HelloFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { HelloFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(HelloFrameSchema, { type: "hello", version: "1.0" }); // true
 * ```
 */
export const HelloFrameSchema: v.GenericSchema<HelloFrame> = helloFrame;

/**
 * Valibot schema of a {@linkcode SubscribeFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubscribeFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(SubscribeFrameSchema, { type: "subscribe", sub: "s1", path: "a/b" }); // true
 * ```
 */
export const SubscribeFrameSchema: v.GenericSchema<SubscribeFrame> = subscribeFrame;

/**
 * Valibot schema of an {@linkcode UnsubscribeFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { UnsubscribeFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(UnsubscribeFrameSchema, { type: "unsubscribe", sub: "s1" }); // true
 * ```
 */
export const UnsubscribeFrameSchema: v.GenericSchema<UnsubscribeFrame> = unsubscribeFrame;

/**
 * Valibot schema of an {@linkcode AckFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AckFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(AckFrameSchema, { type: "ack", sub: "s1", offset: "0000000000000001" }); // true
 * ```
 */
export const AckFrameSchema: v.GenericSchema<AckFrame> = ackFrame;

/**
 * Valibot schema of an {@linkcode AppendFrame}, including the rule that
 * `messages` is present unless `close` is `true`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AppendFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(AppendFrameSchema, { type: "append", req: "r1", path: "a", close: true }); // true
 * v.is(AppendFrameSchema, { type: "append", req: "r1", path: "a" }); // false
 * ```
 */
export const AppendFrameSchema: v.GenericSchema<AppendFrame> = v.pipe(
  appendFrame,
  v.forward(v.check((frame) => appendHasContent(frame), APPEND_RULE), [
    "messages",
  ]),
);

/**
 * Valibot schema of any frame a client may send (JSON Schema
 * `ws-client-frame.schema.json`): a known frame, valid for its type, or a
 * frame of a type this version does not define, which receivers ignore.
 * Use {@linkcode isKnownClientFrame} to tell the two apart.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { WsClientFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(WsClientFrameSchema, { type: "ack", sub: "s1", offset: "7" }); // false
 * v.is(WsClientFrameSchema, { type: "from-the-future" }); // true
 * ```
 */
export const WsClientFrameSchema: v.GenericSchema<
  WsClientFrame | UnknownFrame
> = v.pipe(
  v.variant("type", [
    helloFrame,
    subscribeFrame,
    unsubscribeFrame,
    ackFrame,
    appendFrame,
    pingFrame,
    pongFrame,
    unknownFrame(WS_CLIENT_FRAME_TYPES),
  ]),
  v.forward(v.check((frame) => appendHasContent(frame), APPEND_RULE), [
    "messages",
  ]),
);

/**
 * Whether a valid client frame has a type this version defines.
 *
 * @example
 * ```ts
 * import { isKnownClientFrame } from "@agent-stream/agent-stream/protocol";
 * isKnownClientFrame({ type: "ping" }); // true
 * isKnownClientFrame({ type: "resume" }); // false: ignore it
 * ```
 */
export function isKnownClientFrame(
  frame: WsClientFrame | UnknownFrame,
): frame is WsClientFrame {
  return (WS_CLIENT_FRAME_TYPES as readonly string[]).includes(frame.type);
}
