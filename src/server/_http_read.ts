// GET /v1/stream/{path}: catch-up reads (spec/v1/http.md §8), and the
// dispatch to long-poll (§9) and SSE (sse.md).

import { errorResponse, problemResponse } from "./_problem.ts";
import { byteReadLimit, type HttpEnv } from "./_http_env.ts";
import { handleLongPoll } from "./_http_long_poll.ts";
import { parseReadQuery } from "./_http_request.ts";
import {
  encodeBody,
  etagOf,
  HISTORY_CACHE_CONTROL,
  ifNoneMatchMatches,
  isJsonStream,
  readHeaders,
} from "./_http_response.ts";
import { sseResponse } from "./sse.ts";

const EMPTY_ARRAY = new Uint8Array([0x5b, 0x5d]);

/** Answers a GET on a stream URL. */
export async function handleRead(
  env: HttpEnv,
  request: Request,
  path: string,
  url: URL,
): Promise<Response> {
  const { ctx } = env;
  // SSE takes its start from Last-Event-ID when present, so its query is its own business.
  const live = url.searchParams.getAll("live");
  if (live.length === 1 && live[0] === "sse") return await sseResponse(ctx, path, request);
  const query = parseReadQuery(url.searchParams, ctx.limits.maxReadMessages);
  if (!query.ok) return problemResponse(query.slug, { detail: query.detail });

  try {
    const info = await ctx.store.head(path);
    if (query.value.live === "long-poll") {
      return await handleLongPoll(env, request, path, info, query.value);
    }
    const json = isJsonStream(info);
    const offset = query.value.offset ?? 0;
    if (offset === "now") {
      // HTTP-READ-6. The read at the tail returns nothing but restarts the TTL (LOG-TTL-2).
      await ctx.store.read(path, { offset: info.tail, limit: 1 });
      const headers = readHeaders(info, {
        offset: info.tail,
        messages: [],
        nextOffset: info.tail,
        upToDate: true,
        closed: info.closed,
      });
      headers.set("cache-control", "no-store");
      return new Response(json ? EMPTY_ARRAY : null, { status: 200, headers });
    }
    const limit = json ? query.value.limit ?? ctx.limits.maxReadMessages : byteReadLimit(ctx);
    const result = await ctx.store.read(path, { offset, limit });
    const body = encodeBody(result.messages, json);
    const headers = readHeaders(info, result);
    const etag = etagOf(result, body);
    headers.set("etag", etag);
    headers.set(
      "cache-control",
      result.upToDate && !result.closed ? "no-cache" : HISTORY_CACHE_CONTROL,
    );
    if (ifNoneMatchMatches(request.headers.get("if-none-match"), etag)) {
      headers.delete("content-type");
      return new Response(null, { status: 304, headers });
    }
    return new Response(body.bytes, { status: 200, headers });
  } catch (error) {
    return errorResponse(error);
  }
}
