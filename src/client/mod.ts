/**
 * Reference clients of agent-stream, over web standards only (`fetch`,
 * `ReadableStream`, `TextDecoder`, `WebSocket`, `AbortSignal`), so they run in
 * Deno, Bun, Node.js 20+ and browsers.
 *
 * - {@linkcode StreamClient}: HTTP. Create, append, read (catch-up,
 *   long-poll, SSE) with resumption from the last offset, no gap and no
 *   duplicate; idempotent producers whose retries are never stored twice.
 * - {@linkcode WsClient}: WebSocket. One connection, many subscriptions,
 *   appends with acknowledgements, resubscription after reconnects.
 *
 * @example Reading a conversation live, by event type
 * ```ts
 * import { StreamClient } from "@agent-stream/agent-stream/client";
 *
 * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
 * const reader = client.read("chats/42", { live: "sse" });
 * reader.on("text.delta", (message) => console.log(message.delta));
 * reader.on("run.*", (message) => console.log(message.type));
 * await reader.run(); // ends when the stream is closed
 * ```
 *
 * @module
 */

// Protocol types that appear in the clients' signatures.
export type {
  Discovery,
  DiscoveryBindings,
  DiscoveryLimits,
  DiscoveryServer,
  GoodbyeFrame,
  HttpBinding,
  LongPollBinding,
  Offset,
  Problem,
  ProblemError,
  ProblemInit,
  ProblemSlug,
  ProtocolVersion,
  RequestOffset,
  SseBinding,
  StreamKind,
  WebSocketBinding,
} from "../protocol/mod.ts";
export * from "./backoff.ts";
export * from "./stream_error.ts";
export * from "./type_pattern.ts";
export * from "./stream_reader.ts";
export * from "./stream_client_options.ts";
export * from "./stream_client.ts";
export * from "./producer.ts";
export * from "./ws_client_options.ts";
export * from "./ws_subscription.ts";
export * from "./ws_client.ts";
