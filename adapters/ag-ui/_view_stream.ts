// The body of an AG-UI response: the stream's events from an offset, mapped
// and written as Server-Sent Events, read from the store only as fast as the
// reader takes them, live once caught up, with heartbeats while idle.

import { formatOffset } from "../../src/protocol/offset.ts";
import type { EventStore, ReadResult } from "../../src/stores/event_store.ts";
import type { AgUiEvent } from "./ag_ui_events.ts";
import type { AgUiEventMapper } from "./to_ag_ui_events.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEARTBEAT = encoder.encode(": keep-alive\n\n");

/** What a view stream reads, where it starts, and when it ends. */
export interface ViewStreamOptions {
  readonly store: EventStore;
  readonly path: string;
  /** The offset of the first event to map; the mapper has read those before. */
  readonly start: number;
  readonly mapper: AgUiEventMapper;
  /** Events to write first, with `id` = `start`. */
  readonly first: readonly AgUiEvent[];
  /** Messages per store read. */
  readonly batchLimit: number;
  /** Silence after which a comment line is written. */
  readonly heartbeatMs: number;
  /** Ends the response. */
  readonly shutdown: AbortSignal;
  /** Called after each event is mapped; a true answer ends the response there. */
  readonly settled?: (next: number) => boolean;
}

/** Pushes the events of `[0, until)` into the mapper, writing nothing. */
export async function replayInto(
  store: EventStore,
  path: string,
  mapper: AgUiEventMapper,
  until: number,
  batchLimit: number,
): Promise<void> {
  let offset = 0;
  while (offset < until) {
    const batch = await store.read(path, { offset, limit: Math.min(batchLimit, until - offset) });
    if (batch.messages.length === 0) return;
    batch.messages.forEach((bytes, i) => mapper.push(parse(bytes), batch.offset + i));
    offset = batch.nextOffset;
  }
}

/** The `text/event-stream` body of an AG-UI response. */
export function viewStream(options: ViewStreamOptions): ReadableStream<Uint8Array> {
  const { store, path, mapper, settled } = options;
  let position = options.start;
  let done = false;
  let stopWaiting: (() => void) | undefined;
  const queue: Uint8Array[] = options.first.length > 0
    ? [encodeGroup(options.first, options.start, options.start)]
    : [];
  const onShutdown = () => {
    done = true;
    stopWaiting?.();
  };
  options.shutdown.addEventListener("abort", onShutdown);
  const finish = () => options.shutdown.removeEventListener("abort", onShutdown);

  const take = (batch: ReadResult): void => {
    batch.messages.forEach((bytes, i) => {
      if (done) return;
      const offset = batch.offset + i;
      const events = mapper.push(parse(bytes), offset);
      if (events.length > 0) queue.push(encodeGroup(events, offset, offset + 1));
      position = offset + 1;
      if (settled?.(position)) done = true;
    });
  };

  // Resolves once the stream has something after `position`, is closed or
  // gone, or `heartbeatMs` passed; true when there may be more to read.
  const wait = (): Promise<boolean> =>
    new Promise((resolve) => {
      let over = false;
      let unsubscribe: (() => void) | undefined;
      const end = (more: boolean) => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        stopWaiting = undefined;
        unsubscribe?.();
        resolve(more);
      };
      const timer = setTimeout(() => {
        queue.push(HEARTBEAT);
        end(true);
      }, options.heartbeatMs);
      stopWaiting = () => end(false);
      store.subscribe(path, { offset: position, batchLimit: 1 }, (event) => {
        if (event.type === "end") end(event.reason === "closed");
        else if (event.messages.length > 0 || event.closed) end(true);
      }).then((subscription) => {
        if (over) subscription.unsubscribe();
        else unsubscribe = () => subscription.unsubscribe();
      }, () => end(false));
    });

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (true) {
          const next = queue.shift();
          if (next !== undefined) {
            controller.enqueue(next);
            return;
          }
          if (done || settled?.(position)) break;
          const batch = await store.read(path, { offset: position, limit: options.batchLimit });
          if (batch.messages.length > 0) take(batch);
          else if (batch.closed) done = true;
          else if (!(await wait())) done = true;
        }
      } catch {
        // The stream went away or the store failed: end; a reader resumes from its last id.
      }
      finish();
      controller.close();
    },
    cancel() {
      done = true;
      stopWaiting?.();
      finish();
    },
  }, { highWaterMark: 0 });
}

/** One group of events from one stream event: the last carries the offset after it. */
function encodeGroup(events: readonly AgUiEvent[], before: number, after: number): Uint8Array {
  const text = events.map((event, i) =>
    `id: ${formatOffset(i === events.length - 1 ? after : before)}\ndata: ${
      JSON.stringify(event)
    }\n\n`
  ).join("");
  return encoder.encode(text);
}

function parse(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}
