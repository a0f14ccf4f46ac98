// What the clients hold themselves to once they know the server's discovery
// document: no feature it does not list (DISC-FEATURE-7), no request beyond
// its advertised limits (DISC-LIMIT-9). Both fail before anything is sent.

import type { Discovery } from "../protocol/discovery.ts";
import { StreamError } from "./stream_error.ts";

const encoder = new TextEncoder();

/** Throws unless the document lists `token` (no document: nothing to hold to). */
export function requireFeature(doc: Discovery | undefined, token: string, what: string): void {
  if (doc === undefined || doc.features.includes(token)) return;
  throw new StreamError(`The server does not offer ${what} (no "${token}" in its features)`, {
    code: "protocol",
    transient: false,
  });
}

/** The limits that bound an append. */
export interface AppendLimits {
  readonly maxMessageBytes?: number;
  readonly maxBodyBytes?: number;
  readonly maxWsFrameBytes?: number;
}

function tooLarge(message: string): StreamError {
  return new StreamError(message, { code: "payload-too-large", status: 413, transient: false });
}

/**
 * Throws `payload-too-large` when a message or the batch is larger than the
 * server said it accepts, or the frame (`frameText`, WebSocket) is.
 */
export function checkAppendSize(
  messages: readonly unknown[],
  limits: AppendLimits | undefined,
  frameText?: string,
): void {
  if (limits === undefined) return;
  const { maxMessageBytes, maxBodyBytes, maxWsFrameBytes } = limits;
  if (typeof maxMessageBytes === "number") {
    for (const [i, message] of messages.entries()) {
      const size = encoder.encode(JSON.stringify(message)).byteLength;
      if (size > maxMessageBytes) {
        throw tooLarge(`Message ${i} is ${size} bytes; the server accepts ${maxMessageBytes}`);
      }
    }
  }
  if (typeof maxBodyBytes === "number" && messages.length > 0) {
    const size = encoder.encode(JSON.stringify(messages)).byteLength;
    if (size > maxBodyBytes) {
      throw tooLarge(`The batch is ${size} bytes; the server accepts ${maxBodyBytes}`);
    }
  }
  if (typeof maxWsFrameBytes === "number" && frameText !== undefined) {
    const size = encoder.encode(frameText).byteLength;
    if (size > maxWsFrameBytes) {
      throw tooLarge(`The frame is ${size} bytes; the server accepts ${maxWsFrameBytes}`);
    }
  }
}
