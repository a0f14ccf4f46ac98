// Pure decisions of the log layer (spec/v1/log.md), shared by every store.

import { STREAM_PATH_MAX_LENGTH, STREAM_PATH_PATTERN } from "../protocol/stream_path.ts";
import type { ProducerId } from "./event_store.ts";
import { JSON_CONTENT_TYPE, StoreError } from "./event_store.ts";
import type { StoredProducer } from "./backend.ts";

const encoder = new TextEncoder();

/** Refuses a path that breaks http.md §2 (HTTP-PATH-1) with `invalid-stream-name`. */
export function checkStreamPath(path: string, maxPathBytes: number): void {
  const reason = typeof path !== "string"
    ? "is not a string"
    : path.length === 0
    ? "is empty"
    : [...path].length > STREAM_PATH_MAX_LENGTH
    ? `is longer than ${STREAM_PATH_MAX_LENGTH} characters`
    : encoder.encode(path).length > maxPathBytes
    ? `is longer than ${maxPathBytes} bytes`
    : !path.isWellFormed()
    ? "holds a lone surrogate"
    : !STREAM_PATH_PATTERN.test(path)
    ? 'has an empty, "." or ".." segment, a control character or a backslash'
    : undefined;
  if (reason !== undefined) {
    throw new StoreError("invalid-stream-name", `Stream path ${describe(path)} ${reason}`);
  }
}

function describe(path: unknown): string {
  if (typeof path !== "string") return String(path);
  return JSON.stringify(path.length > 64 ? `${path.slice(0, 64)}…` : path);
}

/** The media type without parameters, lower-cased: the part streams are compared by. */
export function mediaType(contentType: string): string {
  return contentType.split(";", 1)[0].trim().toLowerCase();
}

/** Whether a content type makes a JSON stream (offsets count messages). */
export function isJsonContentType(contentType: string): boolean {
  return mediaType(contentType) === JSON_CONTENT_TYPE;
}

/** Byte-wise comparison of the UTF-8 encodings, as `Stream-Seq` requires. */
export function compareUtf8(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/** The outcome of the producer table of log.md §7 for one append. */
export type ProducerDecision =
  | { readonly outcome: "accept" }
  | { readonly outcome: "duplicate"; readonly state: StoredProducer };

/**
 * Decides a producer append against the stored state (LOG-PRODUCER-1),
 * throwing the spec's problem for a rejection.
 */
export function decideProducer(
  state: StoredProducer | undefined,
  producer: ProducerId,
): ProducerDecision {
  const { epoch, seq } = producer;
  if (state === undefined) {
    if (seq === 0) return { outcome: "accept" };
    throw seqGap(0, seq);
  }
  if (epoch < state.epoch) {
    throw new StoreError(
      "producer-stale-epoch",
      `Producer epoch ${epoch} is older than the current epoch ${state.epoch}`,
      { producerEpoch: state.epoch },
    );
  }
  if (epoch > state.epoch) {
    if (seq === 0) return { outcome: "accept" };
    throw new StoreError(
      "producer-epoch-start",
      `A new producer epoch (${epoch}) has to start at sequence 0, not ${seq}`,
    );
  }
  if (seq <= state.seq) return { outcome: "duplicate", state };
  if (seq === state.seq + 1) return { outcome: "accept" };
  throw seqGap(state.seq + 1, seq);
}

function seqGap(expected: number, received: number): StoreError {
  return new StoreError(
    "producer-seq-gap",
    `Producer sequence ${received} skips ahead of the expected ${expected}`,
    { expectedSeq: expected, receivedSeq: received },
  );
}

/** Refuses a producer identity that is not well formed (HTTP-HDR-3). */
export function checkProducer(producer: ProducerId): void {
  const ok = typeof producer.id === "string" && producer.id.length > 0 &&
    Number.isSafeInteger(producer.epoch) && producer.epoch >= 0 &&
    Number.isSafeInteger(producer.seq) && producer.seq >= 0;
  if (!ok) {
    throw new StoreError(
      "invalid-header",
      "A producer needs a non-empty id and an epoch and sequence number between 0 and 2^53-1",
    );
  }
}

/** Refuses a TTL or expiry that is not well formed, or both together (LOG-TTL-3). */
export function checkLifetime(ttlSeconds?: number, expiresAt?: number): void {
  if (ttlSeconds !== undefined && expiresAt !== undefined) {
    throw new StoreError("invalid-header", "A stream takes a TTL or an expiry, not both");
  }
  if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds >= 0)) {
    throw new StoreError("invalid-header", `TTL ${ttlSeconds} is not a non-negative integer`);
  }
  if (expiresAt !== undefined && !Number.isFinite(expiresAt)) {
    throw new StoreError("invalid-header", `Expiry ${expiresAt} is not an instant`);
  }
}
