// Long-poll reads (spec/v1/http.md §9): answer at once when there is
// something to say, otherwise wait on a store subscription until messages
// arrive, the stream closes or goes away, or the timeout passes.

import type { ReadResult, StreamInfo, Subscription } from "../stores/event_store.ts";
import { formatOffset } from "../protocol/offset.ts";
import { problemResponse } from "./_problem.ts";
import { byteReadLimit, type HttpEnv, SUBSCRIBER_RETRY_MS } from "./_http_env.ts";
import type { ReadQuery } from "./_http_request.ts";
import {
  encodeBody,
  etagOf,
  HISTORY_CACHE_CONTROL,
  isJsonStream,
  nextCursor,
  readHeaders,
} from "./_http_response.ts";

/** How a wait ended. */
type Outcome =
  | { readonly type: "batch"; readonly batch: ReadResult }
  | { readonly type: "deleted" }
  | { readonly type: "timeout" }
  | { readonly type: "failed"; readonly error: unknown };

/** Answers `live=long-poll` for a stream known to exist. */
export async function handleLongPoll(
  env: HttpEnv,
  request: Request,
  path: string,
  info: StreamInfo,
  query: ReadQuery,
): Promise<Response> {
  const { ctx } = env;
  if (query.offset === undefined) {
    return problemResponse("invalid-offset", { detail: "A long-poll read needs an offset" });
  }
  const json = isJsonStream(info);
  const limit = json ? query.limit ?? ctx.limits.maxReadMessages : byteReadLimit(ctx);
  // HTTP-POLL-5: `now` waits for what is appended after the request.
  const start = query.offset === "now" ? info.tail : query.offset;
  const first = await ctx.store.read(path, { offset: start, limit });
  // HTTP-POLL-1 and HTTP-POLL-3: nothing to wait for.
  if (first.messages.length > 0) return dataResponse(env, info, first, query);
  if (first.closed) return noContent(env, info, first, query);

  if (!ctx.subscribers.acquire(path)) {
    return problemResponse("subscriber-limit", {
      detail: "Too many live readers; try again later",
      members: { retryAfterMs: SUBSCRIBER_RETRY_MS },
    });
  }
  try {
    const outcome = await wait(env, request, path, first.nextOffset, limit);
    switch (outcome.type) {
      case "batch":
        return outcome.batch.messages.length > 0
          ? dataResponse(env, info, outcome.batch, query)
          : noContent(env, info, outcome.batch, query);
      case "deleted":
        // HTTP-POLL-6.
        return problemResponse("stream-not-found", { detail: "The stream was deleted" });
      case "timeout":
        return noContent(env, info, first, query);
      case "failed":
        throw outcome.error;
    }
  } finally {
    ctx.subscribers.release(path);
  }
}

function dataResponse(
  env: HttpEnv,
  info: StreamInfo,
  result: ReadResult,
  query: ReadQuery,
): Response {
  const body = encodeBody(result.messages, isJsonStream(info));
  const headers = readHeaders(info, result);
  headers.set("etag", etagOf(result, body));
  headers.set("cache-control", HISTORY_CACHE_CONTROL);
  if (!result.closed) headers.set("stream-cursor", nextCursor(env.ctx, query.cursor));
  return new Response(body.bytes, { status: 200, headers });
}

/** 204: caught up (HTTP-POLL-2), or at the end of a closed stream (HTTP-POLL-3). */
function noContent(env: HttpEnv, info: StreamInfo, result: ReadResult, query: ReadQuery): Response {
  const headers = new Headers({
    "agent-stream-kind": info.kind,
    "stream-next-offset": formatOffset(result.nextOffset),
    "stream-up-to-date": "true",
    "cache-control": "no-store",
  });
  if (result.closed) headers.set("stream-closed", "true");
  else headers.set("stream-cursor", nextCursor(env.ctx, query.cursor));
  return new Response(null, { status: 204, headers });
}

/**
 * Waits for the first batch after `offset` that carries messages or closes
 * the stream. Ends early, as a timeout, on server shutdown or when the
 * client goes away.
 */
function wait(
  env: HttpEnv,
  request: Request,
  path: string,
  offset: number,
  limit: number,
): Promise<Outcome> {
  const { ctx } = env;
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    let subscription: Subscription | undefined;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.shutdown.removeEventListener("abort", onAbort);
      request.signal.removeEventListener("abort", onAbort);
      subscription?.unsubscribe();
      resolve(outcome);
    };
    const onAbort = () => finish({ type: "timeout" });
    const timer = setTimeout(onAbort, ctx.timing.longPollTimeoutMs);
    ctx.shutdown.addEventListener("abort", onAbort);
    request.signal.addEventListener("abort", onAbort);
    if (ctx.shutdown.aborted || request.signal.aborted) onAbort();
    ctx.store.subscribe(path, { offset, batchLimit: limit }, (event) => {
      if (event.type === "end") {
        if (event.reason === "deleted") finish({ type: "deleted" });
      } else if (event.messages.length > 0 || event.closed) {
        finish({ type: "batch", batch: event });
      }
    }).then(
      (s) => {
        subscription = s;
        if (settled) s.unsubscribe();
        s.done.catch((error) => finish({ type: "failed", error }));
      },
      (error) => finish({ type: "failed", error }),
    );
  });
}
