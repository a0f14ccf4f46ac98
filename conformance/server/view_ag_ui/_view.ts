// What the checks of view-ag-ui.md share: agent streams written over the HTTP
// binding, the view read as Server-Sent Events, the reference mapping with
// the id of each event, and the projection a client should end up holding.

import type { CheckContext } from "../../check.ts";
import type { SseEvent, SseItem } from "../../http_probe.ts";
import { SseParser } from "../../../src/client/_sse_parser.ts";
import { AgUiEventMapper } from "../../../adapters/ag-ui/to_ag_ui_events.ts";
import type { AgUiEvent } from "../../../adapters/ag-ui/ag_ui_events.ts";
import type { Conversation } from "../../../src/conversation/conversation.ts";
import { projectConversation } from "../../../src/conversation/project_conversation.ts";
import { formatOffset } from "../../../src/protocol/offset.ts";

/** The endpoint's prefix. */
export const AG_UI_PREFIX = "/v1/ag-ui/";

type Event = { type: string; [key: string]: unknown };

/** The view's URL path of a stream. */
export function viewPath(path: string): string {
  return AG_UI_PREFIX + path.split("/").map(encodeURIComponent).join("/");
}

/** A new agent stream holding `events`, written over the HTTP binding. */
export async function agentStream(t: CheckContext, events: readonly unknown[]): Promise<string> {
  const path = t.stream("ag-ui");
  await t.createStream(path, { headers: { "Agent-Stream-Kind": "agent" } });
  await appendEvents(t, path, events);
  return path;
}

/** Appends events over the HTTP binding, a few at a time. */
export async function appendEvents(
  t: CheckContext,
  path: string,
  events: readonly unknown[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 20) {
    const reply = await t.http.request("POST", t.streamUrl(path), {
      body: { json: events.slice(i, i + 20) },
    });
    if (reply.status >= 300) throw new Error(`setup: an append answered ${reply.status}`);
  }
}

/** Every message of a stream, read over the HTTP binding. */
export async function storedEvents(t: CheckContext, path: string): Promise<Event[]> {
  const reply = await t.http.request("GET", `${t.streamUrl(path)}?offset=-1`);
  if (reply.status !== 200 || !Array.isArray(reply.json)) {
    throw new Error(`setup: reading ${path} answered ${reply.status}`);
  }
  return reply.json as Event[];
}

/** An event of the view as read: its id field, its data parsed, its SSE shape. */
export interface ViewEvent {
  readonly id: string;
  readonly data: unknown;
  readonly sse: SseEvent;
}

/** What a read of the view gave. */
export interface ViewRead {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: ViewEvent[];
  readonly comments: number;
  /** The body ended (rather than the wait). */
  readonly ended: boolean;
}

/** Reads a GET of the view until `count` events came, the body ended, or `waitMs` passed. */
export async function readView(
  t: CheckContext,
  path: string,
  count: number,
  options: { headers?: Record<string, string>; waitMs?: number } = {},
): Promise<ViewRead> {
  const sse = await t.http.openSse(viewPath(path), options.headers);
  const events: ViewEvent[] = [];
  let comments = 0;
  let ended = false;
  try {
    if (sse.status !== 200) {
      return { status: sse.status, contentType: null, events, comments, ended };
    }
    const items = await sse.collect((item: SseItem) => {
      if (item.kind === "comment") comments++;
      if (item.kind !== "event") return false;
      events.push({ id: item.lastEventId, data: parseData(item.data), sse: item });
      return events.length >= count;
      // With nothing to wait for, a short wait shows what is written anyway.
    }, options.waitMs ?? (count === 0 ? Math.min(300, t.timeoutMs) : t.timeoutMs));
    ended = items.at(-1)?.kind === "end";
    return {
      status: sse.status,
      contentType: sse.headers.get("content-type"),
      events,
      comments,
      ended,
    };
  } finally {
    await sse.close();
  }
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** An event of the reference view: the id the spec gives it, and whether it ends its group. */
export interface ReferenceEvent {
  readonly event: AgUiEvent;
  readonly id: string;
  readonly last: boolean;
}

/** The reference view of a stream: each AG-UI event with the id the spec gives it. */
export function referenceView(events: readonly unknown[], path: string): ReferenceEvent[] {
  const mapper = new AgUiEventMapper({ threadId: path });
  const out: ReferenceEvent[] = [];
  events.forEach((event, offset) => {
    const group = mapper.push(event, offset);
    group.forEach((e, i) => {
      const last = i === group.length - 1;
      out.push({ event: e, id: formatOffset(last ? offset + 1 : offset), last });
    });
  });
  return JSON.parse(JSON.stringify(out));
}

/** The events a reader of the view gets: all but those held after the last run. */
export function delivered(events: readonly Event[]): Event[] {
  let active = false;
  let end = 0;
  events.forEach((event, i) => {
    if (event.type === "run.started") active = true;
    if (event.type === "run.finished" || event.type === "run.error") {
      active = false;
      end = i + 1;
    }
  });
  return active ? [...events] : events.slice(0, end);
}

/** The projection of a sequence of events. */
export function projection(events: readonly unknown[]): Conversation {
  return projectConversation(events);
}

/** Sequences the checks write: valid, of the whole vocabulary, short. */
export const SEQUENCE_OPTIONS = { maxRuns: 3, maxStepsPerRun: 10 } as const;

/** The data of the events of a whole `text/event-stream` body, parsed as JSON. */
export function sseEvents(text: string): unknown[] {
  const parser = new SseParser();
  const items: SseItem[] = [];
  parser.feed(new TextEncoder().encode(text), items);
  parser.end(items);
  return items.flatMap((item) => item.kind === "event" ? [parseData(item.data)] : []);
}
