import * as v from "valibot";
import { integerAtLeast, jsonObject } from "./_common.ts";
import { pingFrame, pongFrame, unknownFrame } from "./_frame.ts";
import { NonNegativeIntegerSchema } from "./non_negative_integer.ts";
import { type Offset, OffsetSchema } from "./offset.ts";
import { type Problem, ProblemSchema } from "./problem.ts";
import { type ProtocolVersion, ProtocolVersionSchema } from "./protocol_version.ts";
import type { StreamKind } from "./stream_kind.ts";
import { type StreamPath, StreamPathSchema } from "./stream_path.ts";
import { type Token, TokenSchema } from "./token.ts";
import type { PingFrame, PongFrame, UnknownFrame } from "./ws_frame.ts";

/**
 * The server's answer to `hello`: the version spoken on the connection.
 *
 * @example
 * ```ts
 * import type { WelcomeFrame } from "@agent-stream/agent-stream/protocol";
 * const welcome: WelcomeFrame = { type: "welcome", version: "1.0", session: "c7", heartbeatMs: 15000 };
 * ```
 */
export interface WelcomeFrame {
  /** Frame type. */
  type: "welcome";
  /** Version spoken on this connection, `"1.<minor>"`. */
  version: ProtocolVersion;
  /** Identifier of the connection, for diagnostics. */
  session: Token;
  /** Longest silence before the server sends `ping`. */
  heartbeatMs: number;
  /** Limits for this connection, named as in discovery `limits`. */
  limits?: Record<string, unknown>;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Confirms a subscription and states where it starts.
 *
 * @example
 * ```ts
 * import type { SubscribedFrame } from "@agent-stream/agent-stream/protocol";
 * const frame: SubscribedFrame = {
 *   type: "subscribed",
 *   sub: "s1",
 *   path: "chats/42",
 *   offset: "0000000000000000",
 *   kind: "agent",
 * };
 * ```
 */
export interface SubscribedFrame {
  /** Frame type. */
  type: "subscribed";
  /** The subscription id from `subscribe`. */
  sub: Token;
  /** The stream path from `subscribe`. */
  path: StreamPath;
  /** Resolved start offset. */
  offset: Offset;
  /** Kind of the stream. */
  kind?: StreamKind;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Delivers the next messages of a subscription. `messages` may be empty only
 * when `upToDate` or `closed` is `true`.
 *
 * @example
 * ```ts
 * import type { DataFrame } from "@agent-stream/agent-stream/protocol";
 * const data: DataFrame = {
 *   type: "data",
 *   sub: "s1",
 *   messages: [{ type: "text.delta", delta: "Hi" }],
 *   nextOffset: "0000000000000001",
 *   upToDate: true,
 * };
 * ```
 */
export interface DataFrame {
  /** Frame type. */
  type: "data";
  /** The subscription the messages belong to. */
  sub: Token;
  /** Messages in stream order. */
  messages: unknown[];
  /** Offset just after the last message delivered. */
  nextOffset: Offset;
  /** `true` when the subscription has caught up with the tail. */
  upToDate?: boolean;
  /** `true` when the stream is closed and nothing more will come. */
  closed?: boolean;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Producer state after an idempotent append.
 *
 * @example
 * ```ts
 * import type { AppendedProducer } from "@agent-stream/agent-stream/protocol";
 * const producer: AppendedProducer = { epoch: 0, seq: 12 };
 * ```
 */
export interface AppendedProducer {
  /** Current epoch of the producer. */
  epoch: number;
  /** Highest sequence number accepted in that epoch. */
  seq: number;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Reports a successful append (including a duplicate one).
 *
 * @example
 * ```ts
 * import type { AppendedFrame } from "@agent-stream/agent-stream/protocol";
 * const ok: AppendedFrame = { type: "appended", req: "r1", nextOffset: "0000000000000005" };
 * ```
 */
export interface AppendedFrame {
  /** Frame type. */
  type: "appended";
  /** The request id from `append`. */
  req: Token;
  /** Stream tail after the append. */
  nextOffset: Offset;
  /** `true` when the append repeated an already accepted producer sequence. */
  duplicate?: boolean;
  /** `true` when the stream is now closed. */
  closed?: boolean;
  /** Producer state, for idempotent appends. */
  producer?: AppendedProducer;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Why a subscription ended: the client asked, the stream was closed and fully
 * delivered, or the stream was deleted.
 *
 * @example
 * ```ts
 * import type { UnsubscribeReason } from "@agent-stream/agent-stream/protocol";
 * const reason: UnsubscribeReason = "closed";
 * ```
 */
export type UnsubscribeReason = "client" | "closed" | "deleted";

/**
 * States that a subscription has ended.
 *
 * @example
 * ```ts
 * import type { UnsubscribedFrame } from "@agent-stream/agent-stream/protocol";
 * const frame: UnsubscribedFrame = { type: "unsubscribed", sub: "s1", reason: "client" };
 * ```
 */
export interface UnsubscribedFrame {
  /** Frame type. */
  type: "unsubscribed";
  /** The subscription that ended. */
  sub: Token;
  /** Why it ended. */
  reason?: UnsubscribeReason;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Reports a failure, of a request (`req`), a subscription (`sub`) or the
 * connection (neither).
 *
 * @example
 * ```ts
 * import { createProblem, type ErrorFrame } from "@agent-stream/agent-stream/protocol";
 * const frame: ErrorFrame = {
 *   type: "error",
 *   sub: "s1",
 *   problem: createProblem("subscriber-overflow"),
 *   resumeOffset: "0000000000000040",
 * };
 * ```
 */
export interface ErrorFrame {
  /** Frame type. */
  type: "error";
  /** The failed request. */
  req?: Token;
  /** The failed (and now ended) subscription. */
  sub?: Token;
  /** What went wrong. */
  problem: Problem;
  /** Where to resubscribe from, when the subscription can be resumed. */
  resumeOffset?: Offset;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Announces that the server is about to close the connection.
 *
 * @example
 * ```ts
 * import type { GoodbyeFrame } from "@agent-stream/agent-stream/protocol";
 * const bye: GoodbyeFrame = { type: "goodbye", reconnect: true, retryAfterMs: 500 };
 * ```
 */
export interface GoodbyeFrame {
  /** Frame type. */
  type: "goodbye";
  /** `true` when the client should connect again. */
  reconnect: boolean;
  /** How long to wait before reconnecting. */
  retryAfterMs?: number;
  /** Why the connection ends. */
  problem?: Problem;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * A frame of a type that version 1.0 lets a server send.
 *
 * @example
 * ```ts
 * import type { WsServerFrame } from "@agent-stream/agent-stream/protocol";
 * function describe(frame: WsServerFrame): string {
 *   return frame.type === "data" ? `${frame.messages.length} messages` : frame.type;
 * }
 * ```
 */
export type WsServerFrame =
  | WelcomeFrame
  | SubscribedFrame
  | DataFrame
  | AppendedFrame
  | UnsubscribedFrame
  | ErrorFrame
  | PingFrame
  | PongFrame
  | GoodbyeFrame;

/**
 * The `type` of every {@linkcode WsServerFrame}.
 *
 * @example
 * ```ts
 * import { WS_SERVER_FRAME_TYPES } from "@agent-stream/agent-stream/protocol";
 * WS_SERVER_FRAME_TYPES.includes("goodbye"); // true
 * ```
 */
export const WS_SERVER_FRAME_TYPES: readonly WsServerFrame["type"][] = Object
  .freeze([
    "welcome",
    "subscribed",
    "data",
    "appended",
    "unsubscribed",
    "error",
    "ping",
    "pong",
    "goodbye",
  ]);

const welcomeFrame = v.looseObject({
  type: v.literal("welcome"),
  version: ProtocolVersionSchema,
  session: TokenSchema,
  heartbeatMs: integerAtLeast(1),
  limits: v.optional(jsonObject({})),
});

const subscribedFrame = v.looseObject({
  type: v.literal("subscribed"),
  sub: TokenSchema,
  path: StreamPathSchema,
  offset: OffsetSchema,
  kind: v.optional(v.picklist(["json", "agent"])),
});

const dataFrame = v.looseObject({
  type: v.literal("data"),
  sub: TokenSchema,
  messages: v.array(v.unknown()),
  nextOffset: OffsetSchema,
  upToDate: v.optional(v.boolean()),
  closed: v.optional(v.boolean()),
});

const appendedFrame = v.looseObject({
  type: v.literal("appended"),
  req: TokenSchema,
  nextOffset: OffsetSchema,
  duplicate: v.optional(v.boolean()),
  closed: v.optional(v.boolean()),
  producer: v.optional(jsonObject({
    epoch: NonNegativeIntegerSchema,
    seq: NonNegativeIntegerSchema,
  })),
});

const unsubscribedFrame = v.looseObject({
  type: v.literal("unsubscribed"),
  sub: TokenSchema,
  reason: v.optional(v.picklist(["client", "closed", "deleted"])),
});

const errorFrame = v.looseObject({
  type: v.literal("error"),
  req: v.optional(TokenSchema),
  sub: v.optional(TokenSchema),
  problem: ProblemSchema,
  resumeOffset: v.optional(OffsetSchema),
});

const goodbyeFrame = v.looseObject({
  type: v.literal("goodbye"),
  reconnect: v.boolean(),
  retryAfterMs: v.optional(NonNegativeIntegerSchema),
  problem: v.optional(ProblemSchema),
});

// `v.variant` options cannot carry pipes, so the data rule is checked on the
// whole union as well as on the standalone schema.
function dataIsProgress(
  frame: { type: string; messages?: unknown; upToDate?: unknown; closed?: unknown },
): boolean {
  return frame.type !== "data" || !Array.isArray(frame.messages) ||
    frame.messages.length > 0 || frame.upToDate === true ||
    frame.closed === true;
}
const DATA_RULE = "Expected messages unless upToDate or closed is true";

/**
 * Valibot schema of a {@linkcode WelcomeFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { WelcomeFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(WelcomeFrameSchema, { type: "welcome", version: "1.0", session: "c1", heartbeatMs: 1 }); // true
 * ```
 */
export const WelcomeFrameSchema: v.GenericSchema<WelcomeFrame> = welcomeFrame;

/**
 * Valibot schema of a {@linkcode SubscribedFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubscribedFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(SubscribedFrameSchema, {
 *   type: "subscribed", sub: "s1", path: "a", offset: "0000000000000000",
 * }); // true
 * ```
 */
export const SubscribedFrameSchema: v.GenericSchema<SubscribedFrame> = subscribedFrame;

/**
 * Valibot schema of a {@linkcode DataFrame}, including the rule that an empty
 * `messages` needs `upToDate` or `closed`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DataFrameSchema } from "@agent-stream/agent-stream/protocol";
 * const empty = { type: "data", sub: "s1", messages: [], nextOffset: "0000000000000003" };
 * v.is(DataFrameSchema, empty); // false
 * v.is(DataFrameSchema, { ...empty, upToDate: true }); // true
 * ```
 */
export const DataFrameSchema: v.GenericSchema<DataFrame> = v.pipe(
  dataFrame,
  v.forward(v.check((frame) => dataIsProgress(frame), DATA_RULE), [
    "messages",
  ]),
);

/**
 * Valibot schema of an {@linkcode AppendedFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AppendedFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(AppendedFrameSchema, { type: "appended", req: "r1", nextOffset: "0000000000000001" }); // true
 * ```
 */
export const AppendedFrameSchema: v.GenericSchema<AppendedFrame> = appendedFrame;

/**
 * Valibot schema of an {@linkcode UnsubscribedFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { UnsubscribedFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(UnsubscribedFrameSchema, { type: "unsubscribed", sub: "s1", reason: "gone" }); // false
 * ```
 */
export const UnsubscribedFrameSchema: v.GenericSchema<UnsubscribedFrame> = unsubscribedFrame;

/**
 * Valibot schema of an {@linkcode ErrorFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ErrorFrameSchema, createProblem } from "@agent-stream/agent-stream/protocol";
 * v.is(ErrorFrameSchema, { type: "error", problem: createProblem("invalid-frame") }); // true
 * ```
 */
export const ErrorFrameSchema: v.GenericSchema<ErrorFrame> = errorFrame;

/**
 * Valibot schema of a {@linkcode GoodbyeFrame}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { GoodbyeFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(GoodbyeFrameSchema, { type: "goodbye", reconnect: false }); // true
 * ```
 */
export const GoodbyeFrameSchema: v.GenericSchema<GoodbyeFrame> = goodbyeFrame;

/**
 * Valibot schema of any frame a server may send (JSON Schema
 * `ws-server-frame.schema.json`): a known frame, valid for its type, or a
 * frame of a type this version does not define, which clients ignore.
 * Use {@linkcode isKnownServerFrame} to tell the two apart.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { WsServerFrameSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(WsServerFrameSchema, { type: "goodbye", reconnect: true }); // true
 * v.is(WsServerFrameSchema, { type: "goodbye" }); // false
 * ```
 */
export const WsServerFrameSchema: v.GenericSchema<
  WsServerFrame | UnknownFrame
> = v.pipe(
  v.variant("type", [
    welcomeFrame,
    subscribedFrame,
    dataFrame,
    appendedFrame,
    unsubscribedFrame,
    errorFrame,
    pingFrame,
    pongFrame,
    goodbyeFrame,
    unknownFrame(WS_SERVER_FRAME_TYPES),
  ]),
  v.forward(v.check((frame) => dataIsProgress(frame), DATA_RULE), [
    "messages",
  ]),
);

/**
 * Whether a valid server frame has a type this version defines.
 *
 * @example
 * ```ts
 * import { isKnownServerFrame } from "@agent-stream/agent-stream/protocol";
 * isKnownServerFrame({ type: "welcome", version: "1.0", session: "c1", heartbeatMs: 1 }); // true
 * isKnownServerFrame({ type: "rebalance" }); // false: ignore it
 * ```
 */
export function isKnownServerFrame(
  frame: WsServerFrame | UnknownFrame,
): frame is WsServerFrame {
  return (WS_SERVER_FRAME_TYPES as readonly string[]).includes(frame.type);
}
