// The UI message stream of one run of a stored stream, as a Server-Sent
// Events response: the run's chunks so far, then its chunks live until the
// run ends, then `data: [DONE]`.

import type { EventStore, Subscription } from "../../src/stores/event_store.ts";
import { UiMessageChunkMapper } from "./to_ui_message_chunks.ts";
import { UI_MESSAGE_STREAM_HEADERS, type UiMessageChunk } from "./ui_message_chunk.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A stream message as JSON, or undefined when it is not JSON. */
export function parseMessage(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

/** Every message of a stream, parsed, from offset 0 to the tail at the time of reading. */
export async function readAll(store: EventStore, path: string): Promise<unknown[]> {
  const values: unknown[] = [];
  for (;;) {
    const read = await store.read(path, { offset: values.length });
    for (const bytes of read.messages) values.push(parseMessage(bytes));
    if (read.upToDate || read.messages.length === 0) return values;
  }
}

/**
 * Which run to stream: the first that starts at or after `after` (an
 * offset), or the one active at the end of the history (`"active"`).
 */
export type RunChoice = { readonly after: number } | "active";

/** Where a stream stands after its history: the run chosen and its chunks so far. */
interface Position {
  readonly mapper: UiMessageChunkMapper;
  runId: string | undefined;
  chunks: UiMessageChunk[];
  ended: boolean;
}

/** Feeds one message to the mapper and keeps the chosen run's chunks. */
function feed(position: Position, value: unknown, offset: number, choice: RunChoice): void {
  const mapped = position.mapper.push(value);
  if (mapped === undefined) return;
  if (mapped.chunks[0]?.type === "start") {
    if (choice === "active") {
      position.runId = mapped.runId;
      position.chunks = [];
      position.ended = false;
    } else if (position.runId === undefined && offset >= choice.after) {
      position.runId = mapped.runId;
    }
  }
  if (position.ended || position.runId !== mapped.runId) return;
  position.chunks.push(...mapped.chunks);
  if (position.mapper.activeRunId !== position.runId) position.ended = true;
}

/** The mapper and the chosen run after the stream's history. */
export function replay(
  history: readonly unknown[],
  choice: RunChoice,
  passthrough: boolean,
): Position {
  const position: Position = {
    mapper: new UiMessageChunkMapper({ passthrough }),
    runId: undefined,
    chunks: [],
    ended: false,
  };
  history.forEach((value, offset) => feed(position, value, offset, choice));
  if (choice === "active" && position.mapper.activeRunId === undefined) {
    position.runId = undefined;
    position.chunks = [];
  }
  return position;
}

function sse(chunk: UiMessageChunk): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`);
}

const DONE = encoder.encode("data: [DONE]\n\n");
const HEARTBEAT = encoder.encode(": keep-alive\n\n");

/** What the response needs besides the position. */
export interface RunStreamOptions {
  readonly store: EventStore;
  readonly path: string;
  readonly choice: RunChoice;
  readonly heartbeatMs: number;
  readonly shutdown: AbortSignal;
}

/**
 * The SSE response that streams the chosen run: the chunks of `position`,
 * then, unless the run has ended, the chunks of the messages appended from
 * offset `from` on, until the run ends or the stream is closed or deleted.
 */
export function runStreamResponse(
  position: Position,
  from: number,
  options: RunStreamOptions,
): Response {
  let subscription: Subscription | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let finished = false;
  let stop = (): void => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const finish = (done: boolean): void => {
        if (finished) return;
        finished = true;
        subscription?.unsubscribe();
        clearInterval(heartbeat);
        options.shutdown.removeEventListener("abort", stop);
        if (done) controller.enqueue(DONE);
        controller.close();
      };
      stop = () => finish(false);
      for (const chunk of position.chunks) controller.enqueue(sse(chunk));
      position.chunks = [];
      if (position.ended) return finish(true);
      if (options.shutdown.aborted) return finish(false);
      options.shutdown.addEventListener("abort", stop);
      heartbeat = setInterval(() => {
        if (!finished) controller.enqueue(HEARTBEAT);
      }, options.heartbeatMs);
      let offset = from;
      try {
        subscription = await options.store.subscribe(options.path, { offset: from }, (event) => {
          if (finished) return;
          if (event.type === "end") return finish(true);
          for (const bytes of event.messages) {
            feed(position, parseMessage(bytes), offset++, options.choice);
            for (const chunk of position.chunks) controller.enqueue(sse(chunk));
            position.chunks = [];
            if (position.ended) return finish(true);
          }
        });
        if (finished) subscription.unsubscribe();
      } catch {
        finish(true);
      }
    },
    cancel() {
      finished = true;
      subscription?.unsubscribe();
      clearInterval(heartbeat);
      options.shutdown.removeEventListener("abort", stop);
    },
  });
  return new Response(body, { status: 200, headers: { ...UI_MESSAGE_STREAM_HEADERS } });
}
