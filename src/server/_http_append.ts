// POST /v1/stream/{path}: append, close, or both (spec/v1/http.md §5).

import { formatOffset } from "../protocol/offset.ts";
import { errorResponse, problemResponse } from "./_problem.ts";
import type { HttpEnv } from "./_http_env.ts";
import { readBody } from "./_http_body.ts";
import { bodyMessages } from "./_http_messages.ts";
import { closeRequested, mediaTypeOf, parseProducer, parseStreamSeq } from "./_http_request.ts";
import { isJsonStream } from "./_http_response.ts";

/**
 * Answers an append. Checks run cheapest first and all before the store is
 * written: headers, body size, the stream, content type, the body itself.
 * A closed stream is left to the store, which judges closure before any
 * other conflict and recognises the producer request that closed it
 * (HTTP-APPEND-4, HTTP-APPEND-9).
 */
export async function handleAppend(
  env: HttpEnv,
  request: Request,
  path: string,
): Promise<Response> {
  const { ctx } = env;
  const headers = request.headers;
  const close = closeRequested(headers);
  const producer = parseProducer(headers);
  if (!producer.ok) return problemResponse(producer.slug, { detail: producer.detail });
  const streamSeq = parseStreamSeq(headers);
  if (!streamSeq.ok) return problemResponse(streamSeq.slug, { detail: streamSeq.detail });
  const contentType = headers.get("content-type");

  const body = await readBody(request, ctx.limits.maxBodyBytes);
  if (!body.ok) {
    return problemResponse("payload-too-large", {
      detail: `The body exceeds maxBodyBytes (${ctx.limits.maxBodyBytes})`,
    });
  }
  const empty = body.bytes.length === 0;
  if (!empty && contentType === null) {
    return problemResponse("invalid-header", {
      detail: "An append with a body needs a Content-Type",
    });
  }

  try {
    const info = await ctx.store.head(path);
    let messages: Uint8Array[] = [];
    if (empty) {
      // HTTP-APPEND-6: a close-only request is judged without its Content-Type.
      if (!close) {
        return problemResponse("empty-append", {
          detail: "An empty body needs Stream-Closed: true",
        });
      }
    } else if (info.closed) {
      // Never stored: the store refuses it, or answers the closing producer's retry.
      messages = [body.bytes];
    } else {
      if (mediaTypeOf(contentType!) !== mediaTypeOf(info.contentType)) {
        return problemResponse("content-type-mismatch", {
          detail: `The stream holds ${info.contentType}, not ${contentType!.slice(0, 80)}`,
        });
      }
      const parsed = bodyMessages(body.bytes, isJsonStream(info), info.kind, ctx.limits);
      if (!parsed.ok) return parsed.response;
      if (parsed.messages.length === 0) {
        return problemResponse("empty-append", { detail: "An empty array appends nothing" });
      }
      messages = parsed.messages;
    }

    const result = await ctx.store.append(path, {
      messages,
      close,
      producer: producer.value,
      streamSeq: streamSeq.value,
      contentType: contentType ?? undefined,
    });
    const response = new Headers({
      "agent-stream-kind": info.kind,
      "stream-next-offset": formatOffset(result.nextOffset),
    });
    if (result.closed) response.set("stream-closed", "true");
    if (result.producer !== undefined) {
      response.set("producer-epoch", String(result.producer.epoch));
      response.set("producer-seq", String(result.producer.seq));
    }
    // HTTP-APPEND-2: 200 only when a producer's request stored new data.
    const stored = producer.value !== undefined && !result.duplicate && messages.length > 0;
    return new Response(null, { status: stored ? 200 : 204, headers: response });
  } catch (error) {
    return errorResponse(error);
  }
}
