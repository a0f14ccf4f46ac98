// PUT /v1/stream/{path}: create a stream, or a fork of one (spec/v1/http.md §4).

import type { StreamInfo } from "../stores/event_store.ts";
import { StoreError } from "../stores/event_store.ts";
import type { StreamKind } from "../protocol/stream_kind.ts";
import { errorResponse, problemResponse } from "./_problem.ts";
import type { HttpEnv } from "./_http_env.ts";
import { readBody } from "./_http_body.ts";
import { bodyMessages } from "./_http_messages.ts";
import { decodeForkSource } from "./_http_path.ts";
import {
  closeRequested,
  isMediaType,
  mediaTypeOf,
  parseForkOffset,
  parseKind,
  parseLifetime,
} from "./_http_request.ts";
import { JSON_MEDIA_TYPE, metadataHeaders } from "./_http_response.ts";

/** Answers a create: 201 created, 200 identical, 409 different (HTTP-CREATE-1…3). */
export async function handleCreate(
  env: HttpEnv,
  request: Request,
  path: string,
): Promise<Response> {
  const { ctx } = env;
  const headers = request.headers;
  const kind = parseKind(headers);
  if (!kind.ok) return problemResponse(kind.slug, { detail: kind.detail });
  const lifetime = parseLifetime(headers);
  if (!lifetime.ok) return problemResponse(lifetime.slug, { detail: lifetime.detail });

  const forkedFrom = headers.get("stream-forked-from");
  let source: string | undefined;
  if (forkedFrom !== null) {
    const decoded = decodeForkSource(forkedFrom, ctx.limits.maxStreamPathBytes);
    if (!decoded.ok) return problemResponse("invalid-stream-name", { detail: decoded.detail });
    source = decoded.path;
  }
  const forkOffset = parseForkOffset(headers, source !== undefined);
  if (!forkOffset.ok) return problemResponse(forkOffset.slug, { detail: forkOffset.detail });

  const contentTypeHeader = headers.get("content-type");
  let contentType: string | undefined;
  if (contentTypeHeader !== null) {
    const media = mediaTypeOf(contentTypeHeader);
    if (!isMediaType(contentTypeHeader) || !env.contentTypes.includes(media)) {
      return problemResponse("unsupported-media-type", {
        detail: `This server does not serve streams of ${JSON.stringify(media.slice(0, 80))}`,
      });
    }
    contentType = media === JSON_MEDIA_TYPE ? JSON_MEDIA_TYPE : contentTypeHeader.trim();
  } else if (source === undefined) {
    contentType = JSON_MEDIA_TYPE;
  }

  let sourceInfo: StreamInfo | undefined;
  if (source !== undefined) {
    try {
      sourceInfo = await ctx.store.head(source);
    } catch (error) {
      return createError(error);
    }
  }
  const effectiveType = contentType ?? sourceInfo!.contentType;
  const effectiveKind: StreamKind = kind.value ?? sourceInfo?.kind ?? "json";
  const json = mediaTypeOf(effectiveType) === JSON_MEDIA_TYPE;
  // HTTP-CREATE-10 judges the kind a request asks for; a fork that inherits
  // `agent` and names another content type differs from its source (HTTP-FORK-1).
  if (kind.value === "agent" && !json) {
    return problemResponse("invalid-header", {
      detail: "Agent-Stream-Kind: agent needs the content type application/json",
    });
  }

  const body = await readBody(request, ctx.limits.maxBodyBytes);
  if (!body.ok) return bodyTooLarge(env);
  let messages: Uint8Array[] = [];
  if (body.bytes.length > 0) {
    const parsed = bodyMessages(body.bytes, json, effectiveKind, ctx.limits);
    if (!parsed.ok) return parsed.response;
    messages = parsed.messages;
  }

  const reserved = await env.streams.reserve();
  if (!reserved && !(await exists(env, path))) {
    return problemResponse("stream-limit", {
      detail: `The server holds maxStreams (${ctx.limits.maxStreams}) streams`,
    });
  }
  let created = false;
  try {
    const result = await ctx.store.create(path, {
      contentType,
      kind: kind.value,
      ttlSeconds: lifetime.value.ttlSeconds,
      expiresAt: lifetime.value.expiresAt,
      closed: closeRequested(headers),
      messages,
      fork: source === undefined ? undefined : { path: source, offset: forkOffset.value },
    });
    created = result.created;
    const response = metadataHeaders(result.stream);
    if (result.created) {
      // HTTP-CREATE-9: the request's own URL, already percent-encoded.
      const url = new URL(request.url);
      response.set("location", url.origin + url.pathname);
    }
    return new Response(null, { status: result.created ? 201 : 200, headers: response });
  } catch (error) {
    return createError(error);
  } finally {
    if (reserved) env.streams.settle(path, created);
  }
}

/**
 * A soft-deleted fork source answers 409, as in Durable Streams: the path is
 * held, and only a delete of its forks frees it.
 */
function createError(error: unknown): Response {
  if (error instanceof StoreError && error.slug === "stream-gone") {
    return problemResponse("stream-exists", {
      detail: "The fork source was deleted and is kept only for its forks",
    });
  }
  return errorResponse(error);
}

function bodyTooLarge(env: HttpEnv): Response {
  return problemResponse("payload-too-large", {
    detail: `The body exceeds maxBodyBytes (${env.ctx.limits.maxBodyBytes})`,
  });
}

async function exists(env: HttpEnv, path: string): Promise<boolean> {
  try {
    await env.ctx.store.head(path);
    return true;
  } catch (error) {
    return error instanceof StoreError && error.slug === "stream-gone";
  }
}
