// The discovery document (spec/v1/discovery.md), built once from the
// server's options: features and bindings list what this server runs, and
// limits are the ones it enforces.

import type { Discovery, KnownFeature } from "../protocol/discovery.ts";
import { WS_SUBPROTOCOL } from "../protocol/ws_frame.ts";
import type { ServerContext } from "./_context.ts";
import { STREAM_PREFIX } from "./_http_path.ts";
import { SUPPORTED_VERSIONS } from "./_http_version.ts";

/** Path of the discovery document. */
export const DISCOVERY_PATH = "/v1";

/** Path of the WebSocket endpoint. */
export const WS_PATH = "/v1/ws";

/** The discovery document of a server (DISC-GET-2, DISC-BIND-*, DISC-FEATURE-1/2). */
export function discoveryDocument(
  ctx: ServerContext,
  websocket: boolean,
  contentTypes: readonly string[],
  extraFeatures: readonly string[] = [],
): Discovery {
  const { limits, timing } = ctx;
  const features: KnownFeature[] = ["long-poll", "sse"];
  if (websocket) features.push("websocket");
  features.push("idempotent-producer", "stream-seq", "ttl", "fork", "agent");
  const listed: string[] = [
    ...features,
    ...extraFeatures.filter((f) => !features.includes(f as KnownFeature)),
  ];
  return {
    protocol: "agent-stream",
    versions: [...SUPPORTED_VERSIONS],
    server: { name: ctx.server.name, version: ctx.server.version },
    bindings: {
      http: { streamPrefix: STREAM_PREFIX },
      longPoll: { timeoutMs: timing.longPollTimeoutMs },
      sse: {
        heartbeatMs: timing.heartbeatMs,
        rotationMs: timing.sseRotationMs,
        retryMs: timing.sseRetryMs,
      },
      ...(websocket
        ? {
          websocket: {
            path: WS_PATH,
            subprotocols: [WS_SUBPROTOCOL],
            heartbeatMs: timing.heartbeatMs,
            maxSubscriptions: limits.maxWsSubscriptions,
          },
        }
        : {}),
    },
    limits: {
      maxMessageBytes: limits.maxMessageBytes,
      maxBodyBytes: limits.maxBodyBytes,
      maxReadMessages: limits.maxReadMessages,
      maxStreamPathBytes: limits.maxStreamPathBytes,
      maxStreams: limits.maxStreams,
      maxSubscribersPerStream: limits.maxSubscribersPerStream,
      maxSubscribers: limits.maxSubscribers,
      ...(websocket
        ? {
          maxWsFrameBytes: limits.maxWsFrameBytes,
          subscriberBufferMessages: limits.subscriberBufferMessages,
        }
        : {}),
    },
    features: listed,
    contentTypes: [...contentTypes],
  };
}

/** GET and HEAD of the discovery document (DISC-GET-1, DISC-GET-5, DISC-CACHE-1). */
export function discoveryResponse(document: string, head: boolean): Response {
  return new Response(head ? null : document, {
    status: 200,
    headers: {
      "content-type": "application/json",
      "cache-control": "public, max-age=60",
    },
  });
}
