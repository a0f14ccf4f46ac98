// One connection of a read, per binding: a catch-up or long-poll request
// (http.md §8–9) or an SSE response (sse.md). Each yields what it learnt as
// chunks; continuity, resumption and retries are the read loop's business.

import { isOffset, parseOffset } from "../protocol/offset.ts";
import { splitJsonArray } from "./_json_array.ts";
import { type SseItem, SseParser } from "./_sse_parser.ts";
import { errorFromResponse, StreamError } from "./stream_error.ts";
import type { ReadChunk } from "./_continuity.ts";

/** Everything a connection needs from the read loop. */
export interface SourceContext {
  readonly fetch: (request: Request) => Promise<Response>;
  readonly url: string;
  readonly headers: Headers;
  /** Aborted when the reader is cancelled; the connection also has its own. */
  readonly signal: AbortSignal;
  /** SSE: silence after which the connection counts as dead. */
  readonly deadAfterMs?: number;
  /** Long-poll: longest wait for a response before giving up on it. */
  readonly timeoutMs?: number;
  readonly onBytes: (bytes: number) => void;
}

const decoder = new TextDecoder();

function protocolError(message: string, transient = true): StreamError {
  return new StreamError(message, { code: "protocol", transient });
}

function nextOffsetHeader(response: Response): number {
  const value = response.headers.get("stream-next-offset");
  if (value === null || !isOffset(value)) {
    throw protocolError(`Missing or malformed Stream-Next-Offset: ${JSON.stringify(value)}`);
  }
  return parseOffset(value);
}

function isTrue(value: string | null): boolean {
  return value !== null && value.toLowerCase() === "true";
}

async function send(ctx: SourceContext, accept: string): Promise<{
  response: Response;
  controller: AbortController;
  dispose: () => void;
}> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  const dispose = (): void => ctx.signal.removeEventListener("abort", onAbort);
  const headers = new Headers(ctx.headers);
  headers.set("accept", accept);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const request = new Request(ctx.url, { headers, signal: controller.signal });
    const pending = ctx.fetch(request);
    const response = ctx.timeoutMs === undefined ? await pending : await new Promise<Response>(
      (resolve, reject) => {
        timer = setTimeout(() => {
          const error = new StreamError(`No response within ${ctx.timeoutMs} ms`, {
            code: "network",
          });
          controller.abort(error);
          reject(error);
        }, ctx.timeoutMs);
        pending.then(resolve, reject);
      },
    );
    return { response, controller, dispose };
  } catch (error) {
    dispose();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (error instanceof StreamError) throw error;
    throw new StreamError(`Request failed: ${String(error)}`, { code: "network", cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** A catch-up (`live` absent) or long-poll read: one request, one chunk. */
export async function* pollConnection(ctx: SourceContext): AsyncGenerator<ReadChunk> {
  const { response, controller, dispose } = await send(ctx, "application/json");
  try {
    const cursor = response.headers.get("stream-cursor") ?? undefined;
    const closed = isTrue(response.headers.get("stream-closed"));
    if (response.status === 204) {
      // HTTP-POLL-2/3: the wait ended with nothing new.
      await response.body?.cancel();
      yield { raws: [], next: nextOffsetHeader(response), upToDate: true, closed, cursor };
      return;
    }
    if (!response.ok) throw await errorFromResponse(response);
    const type = response.headers.get("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      await response.body?.cancel();
      throw protocolError(`Cannot read a stream of content type ${JSON.stringify(type)}`, false);
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw new StreamError(`Response body failed: ${String(error)}`, {
        code: "network",
        cause: error,
      });
    }
    ctx.onBytes(bytes.byteLength);
    let raws: string[];
    try {
      raws = splitJsonArray(decoder.decode(bytes));
    } catch (error) {
      throw protocolError(`Response body is not a JSON array: ${String(error)}`);
    }
    yield {
      raws,
      next: nextOffsetHeader(response),
      upToDate: isTrue(response.headers.get("stream-up-to-date")),
      closed,
      cursor,
    };
  } finally {
    dispose();
    controller.abort();
  }
}

interface Control {
  readonly streamNextOffset?: unknown;
  readonly streamCursor?: unknown;
  readonly upToDate?: unknown;
  readonly streamClosed?: unknown;
}

function readControl(data: string): ReadChunk {
  let control: Control;
  try {
    control = JSON.parse(data);
  } catch {
    throw protocolError("SSE control event is not JSON");
  }
  if (!isOffset(control?.streamNextOffset)) {
    throw protocolError("SSE control event without a valid streamNextOffset");
  }
  return {
    raws: [],
    next: parseOffset(control.streamNextOffset),
    upToDate: control.upToDate === true,
    closed: control.streamClosed === true,
    cursor: typeof control.streamCursor === "string" ? control.streamCursor : undefined,
  };
}

function readData(data: string, id: string, hasId: boolean): ReadChunk {
  // SSE-ID-1: the id is the offset after the event's messages.
  if (!hasId || !isOffset(id)) throw protocolError(`SSE data event with id ${JSON.stringify(id)}`);
  try {
    return { raws: splitJsonArray(data), next: parseOffset(id) };
  } catch (error) {
    throw protocolError(`SSE data event is not a JSON array: ${String(error)}`);
  }
}

/**
 * An SSE read. A data event is held until the control event that follows
 * it (SSE-EVENT-2), so that the chunk carries `upToDate` and `closed`; it is
 * released early by anything else, the connection's end or failure included.
 */
export async function* sseConnection(ctx: SourceContext): AsyncGenerator<ReadChunk> {
  const { response, controller, dispose } = await send(ctx, "text/event-stream");
  const body = response.body;
  const reader = response.status === 200 ? body?.getReader() : undefined;
  try {
    if (response.status === 204) {
      // SSE-RESUME-3: the stream is closed and this is its final tail.
      await body?.cancel();
      const closed = isTrue(response.headers.get("stream-closed"));
      yield { raws: [], next: nextOffsetHeader(response), upToDate: true, closed };
      return;
    }
    if (!response.ok) throw await errorFromResponse(response);
    const type = response.headers.get("content-type") ?? "";
    if (!/^text\/event-stream\s*(;|$)/i.test(type) || reader === undefined) {
      await body?.cancel();
      throw protocolError(`Expected text/event-stream, got ${JSON.stringify(type)}`, false);
    }
    const parser = new SseParser();
    const items: SseItem[] = [];
    let pending: ReadChunk | undefined;
    let failure: unknown;
    let ended = false;
    while (!ended) {
      try {
        const result = await readWithin(reader, ctx.deadAfterMs, controller);
        if (result.done) {
          parser.end(items);
          ended = true;
        } else {
          ctx.onBytes(result.value.byteLength);
          parser.feed(result.value, items);
        }
      } catch (error) {
        failure = error;
        ended = true;
      }
      for (const item of items.splice(0)) {
        if (item.kind !== "event") {
          if (pending !== undefined && item.kind === "comment") {
            yield pending;
            pending = undefined;
          }
          continue;
        }
        if (item.event === "control") {
          const control = readControl(item.data);
          if (pending !== undefined && pending.next === control.next) {
            yield { ...pending, ...control, raws: pending.raws };
          } else {
            if (pending !== undefined) yield pending;
            yield control;
          }
          pending = undefined;
        } else if (item.event === "data") {
          if (pending !== undefined) yield pending;
          pending = readData(item.data, item.lastEventId, item.hasId);
        }
        // Other event types are for later versions (VER-FWD-2).
      }
    }
    if (pending !== undefined) yield pending;
    if (failure !== undefined) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (failure instanceof StreamError) throw failure;
      throw new StreamError(`SSE connection failed: ${String(failure)}`, {
        code: "network",
        cause: failure,
      });
    }
  } finally {
    dispose();
    controller.abort();
    reader?.cancel().catch(() => {});
  }
}

// SSE-HEARTBEAT-3: a read that waits longer than `ms` means a dead connection.
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number | undefined,
  controller: AbortController,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (ms === undefined || ms <= 0) return await reader.read();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StreamError(`No byte for ${ms} ms`, { code: "heartbeat-timeout" });
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([reader.read(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
