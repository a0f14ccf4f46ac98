// What a received WebSocket message is: a usable client frame, a frame of a
// later version to ignore, or a defect with the problem that answers it
// (WS-FRAME-3..6, WS-SUB-6, WS-SUB-8, WS-APPEND-11).

import * as v from "valibot";
import type { ProblemSlug } from "../protocol/problem.ts";
import { validate, type ValidationError } from "../protocol/validate.ts";
import { TokenSchema } from "../protocol/token.ts";
import { PingFrameSchema, PongFrameSchema } from "../protocol/ws_frame.ts";
import {
  AckFrameSchema,
  AppendFrameSchema,
  HelloFrameSchema,
  SubscribeFrameSchema,
  UnsubscribeFrameSchema,
  type WsClientFrame,
} from "../protocol/ws_client_frame.ts";

/** A received message, classified. */
export type Inbound =
  | { readonly kind: "frame"; readonly frame: WsClientFrame; readonly text: string }
  | { readonly kind: "unknown"; readonly type: string }
  | Defect;

/** A message that cannot be used, with what the error frame says about it. */
export interface Defect {
  readonly kind: "defect";
  readonly slug: ProblemSlug;
  readonly detail: string;
  readonly errors?: ValidationError[];
  /** The request id or subscription id to copy into the error frame (WS-FRAME-6). */
  readonly req?: string;
  readonly sub?: string;
  /** The parsed object, when the message was one. */
  readonly value?: Record<string, unknown>;
}

const SCHEMAS: Record<WsClientFrame["type"], v.GenericSchema<unknown, WsClientFrame>> = {
  hello: HelloFrameSchema,
  subscribe: SubscribeFrameSchema,
  unsubscribe: UnsubscribeFrameSchema,
  ack: AckFrameSchema,
  append: AppendFrameSchema,
  ping: PingFrameSchema,
  pong: PongFrameSchema,
};

/** Classifies one received message; never throws. */
export function readClientFrame(data: string | ArrayBuffer | Uint8Array): Inbound {
  if (typeof data !== "string") {
    return defect("Binary frames are not part of the protocol; send JSON text frames");
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return defect("The frame is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return defect("The frame is not a JSON object");
  }
  const object = value as Record<string, unknown>;
  const type = object.type;
  if (typeof type !== "string") {
    return defect("The frame has no string member type", { value: object });
  }
  if (!Object.hasOwn(SCHEMAS, type)) return { kind: "unknown", type };
  const result = validate(SCHEMAS[type as WsClientFrame["type"]], object);
  if (result.ok) return { kind: "frame", frame: result.value, text: data };
  return {
    ...specificDefect(type, object, result.errors),
    ...(type === "append" && v.is(TokenSchema, object.req) ? { req: object.req as string } : {}),
    ...(type !== "append" && v.is(TokenSchema, object.sub) ? { sub: object.sub as string } : {}),
  };
}

// A defect confined to one member can have a problem type more specific than
// invalid-frame (WS-FRAME-5); a frame with several defects gets invalid-frame.
function specificDefect(
  type: string,
  value: Record<string, unknown>,
  errors: ValidationError[],
): Defect {
  const only = (member: string) =>
    errors.every((e) => e.path === `/${member}` || e.path.startsWith(`/${member}/`));
  if (type === "append" && Array.isArray(value.messages) && value.messages.length === 0) {
    return { kind: "defect", slug: "empty-append", detail: "messages is empty", value };
  }
  if ((type === "append" || type === "subscribe") && only("path")) {
    return {
      kind: "defect",
      slug: "invalid-stream-name",
      detail: `Stream path ${describe(value.path)} breaks the naming rules`,
      value,
    };
  }
  if (type === "subscribe" && only("offset")) {
    return {
      kind: "defect",
      slug: "invalid-offset",
      detail: `${describe(value.offset)} is not a request offset`,
      value,
    };
  }
  return defect(`The ${type} frame is not valid`, { errors, value });
}

function defect(
  detail: string,
  extra: { errors?: ValidationError[]; value?: Record<string, unknown> } = {},
): Defect {
  return { kind: "defect", slug: "invalid-frame", detail, ...extra };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
