// An `append` frame is its equivalent HTTP request (WS-APPEND-1): a POST of
// the JSON array `messages` with Content-Type application/json, with
// Stream-Closed, the producer headers and Stream-Seq taken from the frame.
// The checks run in the HTTP handler's order and the body goes through the
// same splitter and envelope check (_http_messages.ts), so both bindings
// store the same bytes and refuse with the same problems.

import { formatOffset } from "../protocol/offset.ts";
import type { Problem } from "../protocol/problem.ts";
import type { AppendFrame } from "../protocol/ws_client_frame.ts";
import type { AppendedFrame, ErrorFrame } from "../protocol/ws_server_frame.ts";
import { checkStreamPath, isJsonContentType } from "../stores/_log_rules.ts";
import { type AppendResult, JSON_CONTENT_TYPE, StoreError } from "../stores/event_store.ts";
import type { ServerContext } from "./_context.ts";
import { bodyMessages } from "./_http_messages.ts";
import { problemBody, storeErrorProblem } from "./_problem.ts";
import { rawMessagesText } from "./_ws_raw_messages.ts";

const encoder = new TextEncoder();

/** An append on its way: `answer` settles with the frame that answers it, never rejects. */
export interface DispatchedAppend {
  readonly answer: Promise<AppendedFrame | ErrorFrame>;
}

/**
 * Checks an append and hands it to the store. Resolves once the store has
 * queued it, so appends dispatched one after another are applied in that
 * order (WS-APPEND-13); the answer follows separately.
 */
export async function dispatchAppend(
  ctx: ServerContext,
  frame: AppendFrame,
  frameText: string,
): Promise<DispatchedAppend> {
  const refuse = (problem: Problem): DispatchedAppend => ({
    answer: Promise.resolve({ type: "error", req: frame.req, problem }),
  });
  try {
    checkStreamPath(frame.path, ctx.limits.maxStreamPathBytes);
    let body: Uint8Array | undefined;
    if (frame.messages !== undefined) {
      // Section 13: the body is the `messages` member's text as it appears in the frame.
      body = encoder.encode(rawMessagesText(frameText) ?? "[]");
      if (body.length > ctx.limits.maxBodyBytes) {
        return refuse(problemBody("payload-too-large", {
          detail: `messages exceeds maxBodyBytes (${ctx.limits.maxBodyBytes})`,
        }));
      }
    }
    const stream = await ctx.store.head(frame.path);
    let messages: Uint8Array[] = [];
    if (body !== undefined && stream.closed) {
      // As over HTTP: the store refuses it, or recognises the closing producer's retry.
      messages = [body];
    } else if (body !== undefined) {
      if (!isJsonContentType(stream.contentType)) {
        return refuse(problemBody("content-type-mismatch", {
          detail: `The stream holds ${stream.contentType}, not ${JSON_CONTENT_TYPE}`,
        }));
      }
      // LOG-MSG-2, maxMessageBytes, and WS-APPEND-12: pointers into `messages`.
      const parsed = bodyMessages(body, true, stream.kind, ctx.limits);
      if (!parsed.ok) return refuse(await parsed.response.json());
      messages = parsed.messages;
    }
    const pending = ctx.store.append(frame.path, {
      messages,
      ...(frame.close === true ? { close: true } : {}),
      ...(frame.producer
        ? {
          producer: { id: frame.producer.id, epoch: frame.producer.epoch, seq: frame.producer.seq },
        }
        : {}),
      ...(frame.streamSeq !== undefined ? { streamSeq: frame.streamSeq } : {}),
      ...(body !== undefined ? { contentType: JSON_CONTENT_TYPE } : {}),
    });
    return {
      answer: pending.then(
        (result) => appendedFrame(frame, result),
        (error) => ({ type: "error", req: frame.req, problem: problemOf(error) }),
      ),
    };
  } catch (error) {
    return refuse(problemOf(error));
  }
}

function appendedFrame(frame: AppendFrame, result: AppendResult): AppendedFrame {
  // WS-APPEND-7: what the HTTP binding sends in Producer-Epoch and Producer-Seq.
  const producer = frame.producer &&
    (result.producer ?? { epoch: frame.producer.epoch, seq: frame.producer.seq });
  return {
    type: "appended",
    req: frame.req,
    nextOffset: formatOffset(result.nextOffset), // WS-APPEND-3
    ...(result.duplicate ? { duplicate: true } : {}), // WS-APPEND-4, WS-APPEND-5
    ...(result.closed ? { closed: true } : {}), // WS-APPEND-6
    ...(producer ? { producer: { epoch: producer.epoch, seq: producer.seq } } : {}),
  };
}

/** The problem for a failure (WS-APPEND-8); store errors keep their producer members (WS-APPEND-9, -10). */
export function problemOf(error: unknown): Problem {
  if (error instanceof StoreError) {
    const { slug, detail, members } = storeErrorProblem(error);
    return problemBody(slug, { detail, members });
  }
  return problemBody("internal-error", { detail: "The server met an unexpected condition" });
}
