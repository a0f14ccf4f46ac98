/**
 * Where the events suite gets a producer's events: a file (JSON lines or a
 * JSON array) or a stream of a running server, read from the start with
 * HTTP catch-up reads. Each event keeps where it came from, so that a
 * report can point at it.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { StreamClient } from "../../src/client/stream_client.ts";

/**
 * One event of a producer, with its place: its position in the list, and
 * the stream offset or file line it was read from.
 *
 * @example
 * ```ts
 * import type { ProducedEvent } from "@agent-stream/agent-stream/conformance";
 * const event: ProducedEvent = { index: 0, line: 1, event: { type: "run.started", runId: "r1" } };
 * ```
 */
export interface ProducedEvent {
  /** Position in the list, from 0: the offset the projection uses. */
  readonly index: number;
  /** The stream offset, for events read from a server. */
  readonly offset?: string;
  /** The line of the file, from 1, for a JSON-lines file. */
  readonly line?: number;
  /** The event as parsed; absent when the line is not JSON. */
  readonly event?: unknown;
  /** Why the line could not be parsed, when it could not. */
  readonly parseError?: string;
}

/**
 * Where an event sits, for people: `event #3 (offset 0000000000000003)`,
 * `event #3 (line 4)`, or `event #3`.
 *
 * @example
 * ```ts
 * import { describePlace } from "@agent-stream/agent-stream/conformance";
 * describePlace({ index: 2, line: 3, event: {} }); // "event #2 (line 3)"
 * ```
 */
export function describePlace(event: ProducedEvent): string {
  const where = event.offset !== undefined
    ? ` (offset ${event.offset})`
    : event.line !== undefined
    ? ` (line ${event.line})`
    : "";
  return `event #${event.index}${where}`;
}

/**
 * The events of a list of values, numbered from 0.
 *
 * @example
 * ```ts
 * import { eventsOfValues } from "@agent-stream/agent-stream/conformance";
 * eventsOfValues([{ type: "run.started", runId: "r1" }])[0].index; // 0
 * ```
 */
export function eventsOfValues(values: readonly unknown[]): ProducedEvent[] {
  return values.map((event, index) => ({ index, event }));
}

/**
 * Parses the text of an events file: a JSON array of events when the whole
 * text is one, else JSON lines (one event per line; empty lines skipped). A
 * line that is not JSON stays in the list, with its error, so that the
 * checks report it.
 *
 * @example
 * ```ts
 * import { parseEventsText } from "@agent-stream/agent-stream/conformance";
 * const events = parseEventsText('{"type":"run.started","runId":"r1"}\n\n{"type":"run.finished"');
 * console.log(events.length, events[1].line, events[1].parseError !== undefined); // 2 3 true
 * ```
 */
export function parseEventsText(text: string): ProducedEvent[] {
  const body = text.replace(/^\uFEFF/, "");
  const lines = body.split("\n");
  const filled = lines.filter((line) => line.trim() !== "").length;
  if (body.trimStart().startsWith("[")) {
    // One JSON array is a list of events; several lines may be JSON lines.
    try {
      const values = JSON.parse(body);
      if (Array.isArray(values)) return eventsOfValues(values);
    } catch (error) {
      if (filled <= 1) {
        throw new Error(`the file is not a JSON array of events: ${(error as Error).message}`);
      }
    }
  }
  const events: ProducedEvent[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    try {
      events.push({ index: events.length, line: i + 1, event: JSON.parse(line) });
    } catch (error) {
      events.push({ index: events.length, line: i + 1, parseError: (error as Error).message });
    }
  }
  return events;
}

/**
 * Reads an events file (`.jsonl`, `.ndjson` or `.json`).
 *
 * @example
 * ```ts ignore
 * import { readEventsFile } from "@agent-stream/agent-stream/conformance";
 * const events = await readEventsFile("recorded/run-1.jsonl");
 * ```
 */
export async function readEventsFile(path: string): Promise<ProducedEvent[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return parseEventsText(text);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/**
 * Reads every event of stream `path` of the server at `baseUrl`, from the
 * start to the tail, with HTTP catch-up reads (no live read).
 *
 * @example
 * ```ts ignore
 * import { readStreamEvents } from "@agent-stream/agent-stream/conformance";
 * const events = await readStreamEvents("http://127.0.0.1:8787", "chats/42");
 * ```
 */
export async function readStreamEvents(
  baseUrl: string,
  path: string,
  options: { readonly timeoutMs?: number; readonly fetch?: (r: Request) => Promise<Response> } = {},
): Promise<ProducedEvent[]> {
  const client = new StreamClient({
    baseUrl,
    backoff: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const events: ProducedEvent[] = [];
  try {
    for await (const event of client.read(path, { offset: "-1", signal })) {
      events.push({ index: events.length, offset: event.offset, event: event.message });
    }
  } catch (error) {
    throw new Error(
      `cannot read stream ${path} of ${baseUrl}: ${(error as Error).message}`,
    );
  }
  return events;
}
