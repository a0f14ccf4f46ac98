// What the HTTP handlers share beyond the server context.

import type { ServerContext } from "./_context.ts";
import type { StreamCount } from "./_http_stream_count.ts";

/** The handlers' view of the server. */
export interface HttpEnv {
  readonly ctx: ServerContext;
  /** The `maxStreams` count. */
  readonly streams: StreamCount;
  /** Media types (lower case, no parameters) a create accepts (HTTP-CREATE-7). */
  readonly contentTypes: readonly string[];
}

/**
 * Media types served by default: JSON, and as byte streams (log.md §11) the
 * types Durable Streams clients commonly create.
 */
export const DEFAULT_CONTENT_TYPES: readonly string[] = Object.freeze([
  "application/json",
  "application/octet-stream",
  "text/plain",
  "application/ndjson",
  "application/x-protobuf",
  "image/png",
]);

/** How long a client refused by `subscriber-limit` should wait (ERR-EXT-4). */
export const SUBSCRIBER_RETRY_MS = 1000;

/** Largest byte-stream read (bytes), where `limit` does not apply (log.md §11). */
export function byteReadLimit(ctx: ServerContext): number {
  return ctx.limits.maxBodyBytes;
}
