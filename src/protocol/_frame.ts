// Frame building blocks shared by the client and server frame unions.
// Unannotated on purpose: `v.variant` needs their object types to list them
// as options; the public, annotated schemas live in the ws_*_frame.ts files.

import * as v from "valibot";

export const pingFrame = v.looseObject({
  type: v.literal("ping"),
  nonce: v.optional(v.string()),
});
export const pongFrame = v.looseObject({
  type: v.literal("pong"),
  nonce: v.optional(v.string()),
});

// The catch-all option of a frame union: receivers ignore frame types they
// do not know (WS-FRAME-7/8), so such frames are valid.
export function unknownFrame(known: readonly string[]) {
  return v.looseObject({
    type: v.pipe(
      v.string(),
      v.check((type) => !known.includes(type), "Expected an unknown type"),
    ),
  });
}
