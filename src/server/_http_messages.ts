// From a request body to the messages a create or append stores: split JSON
// bodies without re-encoding them, hold each message to `maxMessageBytes`,
// and check envelopes on agent streams, all before the store is touched, so
// a refused request leaves the log as it was (HTTP-ERR-2).

import { EnvelopeSchema } from "../protocol/envelope.ts";
import type { ProblemError } from "../protocol/problem.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import { validate } from "../protocol/validate.ts";
import type { ServerLimits } from "./server_options.ts";
import { problemResponse } from "./_problem.ts";
import { splitJsonBody } from "./_json_body.ts";

/** The messages of a body, or the response refusing it. */
export type BodyMessages =
  | { readonly ok: true; readonly messages: Uint8Array[] }
  | { readonly ok: false; readonly response: Response };

// Beyond this many invalid messages, each one gets a single error entry:
// every invalid message is still named (ERR-EXT-1), but the problem body
// stays within a small multiple of the request body.
const DETAILED_MESSAGES = 100;

const decoder = new TextDecoder();

/**
 * The messages of a non-empty body: the body itself for a byte stream, the
 * flattened JSON values for a JSON stream (LOG-APPEND-2), each checked
 * against the envelope schema on an agent stream (HTTP-APPEND-8).
 */
export function bodyMessages(
  body: Uint8Array,
  json: boolean,
  kind: StreamKind,
  limits: ServerLimits,
): BodyMessages {
  if (!json) {
    if (body.length > limits.maxMessageBytes) return tooLarge(body.length, limits);
    return { ok: true, messages: [body] };
  }
  const split = splitJsonBody(body);
  if (!split.ok) {
    return { ok: false, response: problemResponse("invalid-json", { detail: split.message }) };
  }
  let largest = 0;
  for (const size of split.sizes) largest = Math.max(largest, size);
  if (largest > limits.maxMessageBytes) return tooLarge(largest, limits);
  if (kind === "agent") {
    const errors = envelopeErrors(split.messages, split.array);
    if (errors.length > 0) {
      return {
        ok: false,
        response: problemResponse("invalid-envelope", {
          detail: "A message is not a valid envelope; nothing was stored",
          members: { errors },
        }),
      };
    }
  }
  return { ok: true, messages: split.messages };
}

function tooLarge(size: number, limits: ServerLimits): BodyMessages {
  return {
    ok: false,
    response: problemResponse("payload-too-large", {
      detail: `A message of ${size} bytes exceeds maxMessageBytes (${limits.maxMessageBytes})`,
    }),
  };
}

/** Every envelope violation, with JSON Pointers into the request body (ENV-AGENT-2). */
function envelopeErrors(messages: readonly Uint8Array[], array: boolean): ProblemError[] {
  const errors: ProblemError[] = [];
  let invalid = 0;
  messages.forEach((message, index) => {
    const result = validate(EnvelopeSchema, JSON.parse(decoder.decode(message)));
    if (result.ok) return;
    invalid++;
    const found = invalid > DETAILED_MESSAGES ? result.errors.slice(0, 1) : result.errors;
    for (const error of found) {
      errors.push({ path: (array ? `/${index}` : "") + error.path, message: error.message });
    }
  });
  return errors;
}
