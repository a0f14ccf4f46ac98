import * as v from "valibot";
import { integerAtLeast, jsonObject, pattern, uniqueStrings } from "./_common.ts";
import { type ProtocolVersion, ProtocolVersionSchema } from "./protocol_version.ts";

/**
 * Value of the discovery document's `protocol` member.
 *
 * @example
 * ```ts
 * import { PROTOCOL_NAME } from "@agent-stream/agent-stream/protocol";
 * PROTOCOL_NAME; // "agent-stream"
 * ```
 */
export const PROTOCOL_NAME = "agent-stream" as const;

/**
 * Feature tokens defined by version 1.0. Servers may list others; clients
 * ignore tokens they do not know.
 *
 * @example
 * ```ts
 * import { KNOWN_FEATURES } from "@agent-stream/agent-stream/protocol";
 * KNOWN_FEATURES.includes("websocket"); // true
 * ```
 */
export const KNOWN_FEATURES: readonly KnownFeature[] = Object.freeze([
  "long-poll",
  "sse",
  "websocket",
  "idempotent-producer",
  "stream-seq",
  "ttl",
  "fork",
  "agent",
  "ag-ui",
  "ai-sdk",
]);

/**
 * A feature token defined by version 1.0.
 *
 * @example
 * ```ts
 * import type { KnownFeature } from "@agent-stream/agent-stream/protocol";
 * const f: KnownFeature = "sse";
 * ```
 */
export type KnownFeature =
  | "long-poll"
  | "sse"
  | "websocket"
  | "idempotent-producer"
  | "stream-seq"
  | "ttl"
  | "fork"
  | "agent"
  | "ag-ui"
  | "ai-sdk";

/**
 * The regular expression of a feature token.
 *
 * @example
 * ```ts
 * import { FEATURE_PATTERN } from "@agent-stream/agent-stream/protocol";
 * FEATURE_PATTERN.test("idempotent-producer"); // true
 * ```
 */
export const FEATURE_PATTERN: RegExp = pattern(String.raw`^[a-z][a-z0-9-]*$`);

/**
 * The regular expression of `bindings.http.streamPrefix`: an absolute path
 * that ends with `/`, without whitespace.
 *
 * @example
 * ```ts
 * import { STREAM_PREFIX_PATTERN } from "@agent-stream/agent-stream/protocol";
 * STREAM_PREFIX_PATTERN.test("/v1/stream/"); // true
 * STREAM_PREFIX_PATTERN.test("/v1/stream"); // false
 * ```
 */
export const STREAM_PREFIX_PATTERN: RegExp = pattern(
  String.raw`^/(?:[^\s]*/)?$`,
);

/**
 * The regular expression of `bindings.websocket.path`: an absolute path
 * without whitespace.
 *
 * @example
 * ```ts
 * import { ENDPOINT_PATH_PATTERN } from "@agent-stream/agent-stream/protocol";
 * ENDPOINT_PATH_PATTERN.test("/v1/ws"); // true
 * ```
 */
export const ENDPOINT_PATH_PATTERN: RegExp = pattern(String.raw`^/[^\s]*$`);

/**
 * Identification of the server software.
 *
 * @example
 * ```ts
 * import type { DiscoveryServer } from "@agent-stream/agent-stream/protocol";
 * const server: DiscoveryServer = { name: "agent-stream-ref", version: "0.1.0" };
 * ```
 */
export interface DiscoveryServer {
  /** Product name. */
  name: string;
  /** Product version. */
  version: string;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * The HTTP binding as a server exposes it.
 *
 * @example
 * ```ts
 * import type { HttpBinding } from "@agent-stream/agent-stream/protocol";
 * const http: HttpBinding = { streamPrefix: "/v1/stream/" };
 * ```
 */
export interface HttpBinding {
  /** Path below which stream paths are appended, starting and ending with `/`. */
  streamPrefix: string;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Long-poll settings.
 *
 * @example
 * ```ts
 * import type { LongPollBinding } from "@agent-stream/agent-stream/protocol";
 * const longPoll: LongPollBinding = { timeoutMs: 30000 };
 * ```
 */
export interface LongPollBinding {
  /** How long a long-poll waits for data before answering 204. */
  timeoutMs?: number;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * Server-Sent Events settings.
 *
 * @example
 * ```ts
 * import type { SseBinding } from "@agent-stream/agent-stream/protocol";
 * const sse: SseBinding = { heartbeatMs: 15000, rotationMs: 60000, retryMs: 1000 };
 * ```
 */
export interface SseBinding {
  /** Longest silence before the server writes a comment line. */
  heartbeatMs?: number;
  /** Roughly how often the server ends a connection so the client reconnects. */
  rotationMs?: number;
  /** Reconnection delay announced in the `retry:` field. */
  retryMs?: number;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * WebSocket settings.
 *
 * @example
 * ```ts
 * import type { WebSocketBinding } from "@agent-stream/agent-stream/protocol";
 * const ws: WebSocketBinding = { path: "/v1/ws", subprotocols: ["agent-stream.v1"] };
 * ```
 */
export interface WebSocketBinding {
  /** Endpoint path on the discovery document's host. */
  path?: string;
  /** Subprotocols the endpoint accepts. */
  subprotocols?: string[];
  /** Longest silence before the server sends `ping`. */
  heartbeatMs?: number;
  /** Most subscriptions one connection may hold at once. */
  maxSubscriptions?: number;
  /** Members added later. */
  [member: string]: unknown;
}

/**
 * The bindings a server offers.
 *
 * @example
 * ```ts
 * import type { DiscoveryBindings } from "@agent-stream/agent-stream/protocol";
 * const bindings: DiscoveryBindings = { http: { streamPrefix: "/v1/stream/" } };
 * ```
 */
export interface DiscoveryBindings {
  /** The HTTP binding; always offered. */
  http: HttpBinding;
  /** Present when long-poll reads are offered. */
  longPoll?: LongPollBinding;
  /** Present when SSE reads are offered. */
  sse?: SseBinding;
  /** Present when the WebSocket binding is offered. */
  websocket?: WebSocketBinding;
  /** Bindings added later. */
  [member: string]: unknown;
}

/**
 * Limits a server enforces. All values are integers >= 1.
 *
 * @example
 * ```ts
 * import type { DiscoveryLimits } from "@agent-stream/agent-stream/protocol";
 * const limits: DiscoveryLimits = {
 *   maxMessageBytes: 1048576,
 *   maxBodyBytes: 4194304,
 *   maxReadMessages: 1000,
 *   maxStreamPathBytes: 1024,
 * };
 * ```
 */
export interface DiscoveryLimits {
  /** Largest message, in UTF-8 bytes of its JSON text. */
  maxMessageBytes: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Most messages one read returns. */
  maxReadMessages: number;
  /** Longest stream path, in UTF-8 bytes. */
  maxStreamPathBytes: number;
  /** Most streams the server holds. */
  maxStreams?: number;
  /** Most live readers of one stream. */
  maxSubscribersPerStream?: number;
  /** Most live readers in total. */
  maxSubscribers?: number;
  /** Largest WebSocket frame the server accepts, in UTF-8 bytes. */
  maxWsFrameBytes?: number;
  /** Messages buffered per live reader before it counts as overflowing. */
  subscriberBufferMessages?: number;
  /** Limits added later. */
  [member: string]: unknown;
}

/**
 * The discovery document served at `GET /v1`.
 *
 * @example
 * ```ts
 * import type { Discovery } from "@agent-stream/agent-stream/protocol";
 * const doc: Discovery = {
 *   protocol: "agent-stream",
 *   versions: ["1.0"],
 *   bindings: { http: { streamPrefix: "/v1/stream/" } },
 *   limits: {
 *     maxMessageBytes: 1048576,
 *     maxBodyBytes: 4194304,
 *     maxReadMessages: 1000,
 *     maxStreamPathBytes: 1024,
 *   },
 *   features: ["sse", "agent"],
 * };
 * ```
 */
export interface Discovery {
  /** Always `"agent-stream"`. */
  protocol: "agent-stream";
  /** Versions the server implements, each `"1.<minor>"`, no duplicates. */
  versions: ProtocolVersion[];
  /** Server software, for diagnostics. */
  server?: DiscoveryServer;
  /** Bindings offered. */
  bindings: DiscoveryBindings;
  /** Limits enforced. */
  limits: DiscoveryLimits;
  /** Feature tokens, no duplicates; unknown ones are allowed. */
  features: string[];
  /** Media types accepted at stream creation; includes `application/json`. */
  contentTypes?: string[];
  /** Members added later. */
  [member: string]: unknown;
}

const positive = integerAtLeast(1);

/**
 * Valibot schema of a {@linkcode Discovery} document (JSON Schema
 * `discovery.schema.json`).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DiscoverySchema } from "@agent-stream/agent-stream/protocol";
 * v.is(DiscoverySchema, { protocol: "agent-stream" }); // false: members missing
 * ```
 */
export const DiscoverySchema: v.GenericSchema<Discovery> = jsonObject({
  protocol: v.literal(PROTOCOL_NAME),
  versions: v.pipe(
    v.array(ProtocolVersionSchema),
    v.minLength(1, "Expected at least one version"),
    v.check(uniqueStrings, "Expected no duplicate versions"),
  ),
  server: v.optional(jsonObject({ name: v.string(), version: v.string() })),
  bindings: jsonObject({
    http: jsonObject({
      streamPrefix: v.pipe(
        v.string(),
        v.regex(STREAM_PREFIX_PATTERN, 'Expected a path ending with "/"'),
      ),
    }),
    longPoll: v.optional(jsonObject({ timeoutMs: v.optional(positive) })),
    sse: v.optional(jsonObject({
      heartbeatMs: v.optional(positive),
      rotationMs: v.optional(positive),
      retryMs: v.optional(integerAtLeast(0)),
    })),
    websocket: v.optional(jsonObject({
      path: v.optional(
        v.pipe(
          v.string(),
          v.regex(ENDPOINT_PATH_PATTERN, 'Expected a path starting with "/"'),
        ),
      ),
      subprotocols: v.optional(
        v.pipe(
          v.array(v.string()),
          v.minLength(1, "Expected at least one subprotocol"),
        ),
      ),
      heartbeatMs: v.optional(positive),
      maxSubscriptions: v.optional(positive),
    })),
  }),
  limits: jsonObject({
    maxMessageBytes: positive,
    maxBodyBytes: positive,
    maxReadMessages: positive,
    maxStreamPathBytes: positive,
    maxStreams: v.optional(positive),
    maxSubscribersPerStream: v.optional(positive),
    maxSubscribers: v.optional(positive),
    maxWsFrameBytes: v.optional(positive),
    subscriberBufferMessages: v.optional(positive),
  }),
  features: v.pipe(
    v.array(
      v.pipe(
        v.string(),
        v.regex(FEATURE_PATTERN, "Expected a feature token"),
      ),
    ),
    v.check(uniqueStrings, "Expected no duplicate features"),
  ),
  contentTypes: v.optional(
    v.pipe(
      v.array(v.string()),
      v.minLength(1, "Expected at least one media type"),
      v.check(
        (types) => types.includes("application/json"),
        'Expected "application/json" among the media types',
      ),
    ),
  ),
});
