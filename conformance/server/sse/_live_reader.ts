// A live SSE reader that judges every item it reads against a model of the
// stream (the messages appended so far, in order, and its closure), the way
// a reconnecting EventSource would consume it: resuming from its last id.

import { isDeepStrictEqual } from "node:util";
import * as v from "valibot";
import { formatOffset } from "../../../src/protocol/offset.ts";
import { SseControlSchema } from "../../../src/protocol/sse_control.ts";
import type { CheckContext } from "../../check.ts";
import type { SseNext, SseProbe } from "../../http_probe.ts";
import type { StreamModel } from "./_stream_model.ts";

/** How a dropped reader comes back: `Last-Event-ID` (with a decoy `offset`), or `offset=`. */
export type Resume =
  | { readonly via: "last-event-id"; readonly decoy: string }
  | { readonly via: "offset" };

interface Connection {
  readonly sse: SseProbe;
  /** Where it started. */
  readonly start: number;
  /** Messages acknowledged before it was requested. */
  readonly tailAtOpen: number;
  /** Whether the close was acknowledged before it was requested. */
  readonly closedAtOpen: boolean;
  /** Opened with `Last-Event-ID`. */
  readonly resumed: boolean;
  /** A fresh read at the final tail of a closed stream (SSE-CLOSE-2). */
  readonly single: boolean;
  /** Events read on it. */
  events: number;
  /** A control event with `streamClosed: true` was read on it. */
  closedSeen: boolean;
  /** A data event was read and its control event was not. */
  pendingData: boolean;
  /** The body ended. */
  ended: boolean;
}

/** The starting offset of an SSE read as the request writes it, and what it resolves to. */
export interface Start {
  /** The `offset` parameter: `-1`, `now` or an offset. */
  readonly query: string;
  /** The position it names. */
  readonly offset: number;
}

/**
 * One reader over successive connections. Each method fails the check with
 * the most specific requirement the server broke.
 */
export class LiveReader {
  /** The offset after the last message delivered, over all connections. */
  position: number;
  /** A control event with `streamClosed: true` was read, or a resumption answered 204. */
  finished = false;
  /** Connections the reader has opened. */
  connections = 0;
  readonly #t: CheckContext;
  readonly #model: StreamModel;
  readonly #waitMs: number;
  #conn: Connection | undefined;
  /** The position of the last control event with `upToDate: true` on this connection. */
  #upToDateAt = -1;

  /** A reader of the stream `model` describes; `waitMs` bounds each wait for the server. */
  constructor(t: CheckContext, model: StreamModel, waitMs: number) {
    this.#t = t;
    this.#model = model;
    this.#waitMs = waitMs;
    this.position = 0;
  }

  /** Opens the first connection at `start`. */
  async start(start: Start): Promise<void> {
    this.position = start.offset;
    await this.#open(
      this.#model.url + `?${new URLSearchParams({ offset: start.query, live: "sse" })}`,
      {},
      false,
    );
  }

  /** Drops the connection (if any) and comes back from the current position. */
  async resume(how: Resume): Promise<void> {
    await this.close();
    const offset = formatOffset(this.position);
    if (how.via === "offset") {
      await this.#open(
        this.#model.url + `?${new URLSearchParams({ offset, live: "sse" })}`,
        {},
        false,
      );
    } else {
      const query = new URLSearchParams({ offset: how.decoy, live: "sse" });
      await this.#open(`${this.#model.url}?${query}`, { "Last-Event-ID": offset }, true);
    }
  }

  /** Drops the connection. */
  async close(): Promise<void> {
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn && !conn.ended) await conn.sse.close();
  }

  /** Whether a connection is open and not ended. */
  get live(): boolean {
    return this.#conn !== undefined && !this.#conn.ended;
  }

  async #open(path: string, headers: Record<string, string>, resumed: boolean): Promise<void> {
    const t = this.#t;
    const model = this.#model;
    const atClosedTail = model.closed && this.position === model.acked;
    const sse = await t.http.openSse(path, headers);
    this.connections++;
    this.#upToDateAt = -1;
    if (resumed && atClosedTail) {
      await sse.close();
      t.expectStatus("SSE-RESUME-3", sse, 204);
      this.finished = true;
      return;
    }
    const id = resumed ? "SSE-RESUME-1" : atClosedTail ? "SSE-CLOSE-2" : "SSE-EVENT-1";
    if (sse.status !== 200) await sse.close();
    t.expectStatus(id, sse, 200);
    const type = sse.headers.get("content-type") ?? "";
    if (!/^text\/event-stream\s*(;|$)/i.test(type)) await sse.close();
    t.expect("SSE-EVENT-1", /^text\/event-stream\s*(;|$)/i.test(type), `Content-Type is ${type}`);
    this.#conn = {
      sse,
      start: this.position,
      tailAtOpen: model.acked,
      closedAtOpen: model.closed,
      resumed,
      single: atClosedTail,
      events: 0,
      closedSeen: false,
      pendingData: false,
      ended: false,
    };
  }

  /** Reads and judges one item of the current connection. */
  async step(waitMs = this.#waitMs): Promise<SseNext> {
    const conn = this.#conn;
    if (!conn || conn.ended) return { kind: "end" };
    const item = await conn.sse.next(waitMs);
    if (item.kind === "timeout") return item;
    if (item.kind === "end" || item.kind === "error") {
      conn.ended = true;
      this.#judgeEnd(conn);
      return item;
    }
    if (conn.closedSeen) {
      this.#t.expect(
        conn.single ? "SSE-CLOSE-2" : "SSE-CLOSE-1",
        false,
        "the response went on after the control event with streamClosed: true " +
          `instead of ending (${item.kind === "event" ? `event: ${item.event}` : item.kind})`,
      );
    }
    if (item.kind !== "event") return item;
    if (item.event === "data") this.#judgeData(conn, item.data, item.hasId, item.lastEventId);
    else if (item.event === "control") {
      this.#judgeControl(conn, item.data, item.hasId, item.lastEventId);
    }
    // Other event types may come with a later minor version; a reader ignores them.
    return item;
  }

  #judgeEnd(conn: Connection): void {
    const t = this.#t;
    t.expect(
      "SSE-ROTATE-1",
      !conn.pendingData,
      "the response ended after a data event and before its control event",
    );
    if (conn.closedAtOpen && this.position === this.#model.acked) {
      t.expect(
        conn.single ? "SSE-CLOSE-2" : "SSE-CLOSE-1",
        conn.closedSeen,
        "the response of a closed stream ended without a control event carrying streamClosed: true",
      );
    }
  }

  #judgeData(conn: Connection, data: string, hasId: boolean, id: string): void {
    const t = this.#t;
    const first = conn.events === 0 || (conn.resumed && this.position === conn.start);
    conn.events++;
    t.expect(
      "SSE-EVENT-2",
      !conn.pendingData,
      "a data event followed a data event with no control event between them",
    );
    let messages: unknown;
    try {
      messages = JSON.parse(data);
    } catch {
      t.expect("SSE-EVENT-1", false, `the data of a data event is not JSON: ${data.slice(0, 200)}`);
    }
    t.expect(
      "SSE-EVENT-1",
      Array.isArray(messages) && messages.length > 0,
      `the data of a data event is not a JSON array of one or more messages: ${data.slice(0, 200)}`,
    );
    const batch = messages as unknown[];
    const expected = this.#model.messages.slice(this.position, this.position + batch.length);
    const where = first && conn.resumed ? "SSE-RESUME-1" : "SSE-EVENT-1";
    const at = formatOffset(this.position);
    if (!isDeepStrictEqual(batch, expected)) {
      t.expectEqual(
        where,
        batch,
        expected,
        `the data event at ${at} does not hold the stream's next ${batch.length} message(s)` +
          (first && conn.resumed
            ? ` (resumed with Last-Event-ID: ${formatOffset(conn.start)})`
            : ""),
      );
    }
    this.position += batch.length;
    conn.pendingData = true;
    t.expect("SSE-ID-1", hasId, `the data event at ${at} has no id field`);
    t.expectEqual("SSE-ID-1", id, formatOffset(this.position), `the id of the data event at ${at}`);
  }

  #judgeControl(conn: Connection, data: string, hasId: boolean, id: string): void {
    const t = this.#t;
    const model = this.#model;
    const beforeData = conn.events === 0 || (conn.resumed && this.position === conn.start);
    conn.events++;
    conn.pendingData = false;
    let control: Record<string, unknown> = {};
    try {
      control = JSON.parse(data);
    } catch {
      t.expect(
        "SSE-EVENT-2",
        false,
        `the data of a control event is not JSON: ${data.slice(0, 200)}`,
      );
    }
    t.expect(
      "SSE-EVENT-2",
      typeof control === "object" && control !== null && !Array.isArray(control),
      `the data of a control event is not a JSON object: ${data.slice(0, 200)}`,
    );
    const next = formatOffset(this.position);
    t.expectEqual(
      beforeData && conn.resumed ? "SSE-RESUME-1" : "SSE-EVENT-2",
      control.streamNextOffset,
      next,
      "streamNextOffset of a control event (the offset after the last message sent)",
    );
    t.expect("SSE-ID-1", hasId, `the control event at ${next} has no id field`);
    t.expectEqual("SSE-ID-1", id, next, "the id of a control event");
    const closed = control.streamClosed === true;
    if (!closed) {
      t.expect(
        "SSE-EVENT-5",
        typeof control.streamCursor === "string",
        `a control event of an open stream has no streamCursor: ${data}`,
      );
    }
    const parsed = v.safeParse(SseControlSchema, control);
    t.expect(
      "SSE-EVENT-2",
      parsed.success,
      `the control event is not valid against sse-control.schema.json: ${
        parsed.issues?.map((i) => `${v.getDotPath(i) ?? "(root)"}: ${i.message}`).join("; ")
      }`,
    );
    // Every message this check appended or is appending counts, so the tail
    // when the event was written is at most model.messages.length.
    if (this.position === model.messages.length) {
      t.expect(
        conn.start === this.position && conn.events === 1 ? "SSE-EVENT-4" : "SSE-EVENT-3",
        control.upToDate === true,
        `a control event at the tail (${next}) lacks upToDate: true`,
      );
    }
    if (control.upToDate === true) {
      t.expect(
        "SSE-EVENT-3",
        this.position >= conn.tailAtOpen,
        `a control event carries upToDate: true at ${next}, before the tail ${
          formatOffset(conn.tailAtOpen)
        } the stream had when the request was sent`,
      );
      this.#upToDateAt = this.position;
    }
    if (closed) {
      t.expect(
        "SSE-CLOSE-1",
        model.closed && this.position === model.messages.length,
        `a control event carries streamClosed: true at ${next}, but the stream ${
          model.closed ? `ends at ${formatOffset(model.messages.length)}` : "is open"
        }`,
      );
      conn.closedSeen = true;
      this.finished = true;
    } else if (conn.closedAtOpen && this.position === model.messages.length) {
      t.expect(
        conn.single ? "SSE-CLOSE-2" : "SSE-CLOSE-1",
        false,
        `the control event at the final tail ${next} of a closed stream lacks streamClosed: true`,
      );
    }
    if (conn.single) {
      t.expect(
        "SSE-CLOSE-2",
        closed && control.upToDate === true,
        "a read at the final tail of a closed stream did not answer a control event with " +
          `streamClosed: true and upToDate: true first: ${data}`,
      );
    }
  }

  /**
   * Reads until the reader holds every message and has been told it is up to
   * date, or, on a closed stream, until the response ended after
   * `streamClosed`. An ended connection is resumed with `how`.
   */
  async catchUp(how: Resume): Promise<void> {
    const model = this.#model;
    await this.#readWhile(how, () => {
      if (model.closed) return !(this.finished && !this.live);
      return !(this.live && this.#upToDateAt === model.messages.length);
    });
  }

  /** Reads until `n` more messages arrived (or the reader caught up). */
  async readSome(n: number, how: Resume): Promise<void> {
    const target = Math.min(this.position + n, this.#model.messages.length);
    await this.#readWhile(how, () => this.position < target && !this.finished);
  }

  /**
   * Reads while `more` says so, resuming ended connections with `how`. The
   * server stalls when no event (comments do not count) arrives for the wait.
   */
  async #readWhile(how: Resume, more: () => boolean): Promise<void> {
    let reconnects = 0;
    let deadline = Date.now() + this.#waitMs;
    while (more()) {
      if (!this.live) {
        this.#t.expect(
          "SSE-EVENT-1",
          reconnects++ < 20,
          "the server kept ending responses before the reader caught up",
        );
        await this.resume(how);
        deadline = Date.now() + this.#waitMs;
        continue;
      }
      const item = await this.step(Math.max(0, deadline - Date.now()));
      if (item.kind === "timeout") this.#stalled();
      if (item.kind === "event") deadline = Date.now() + this.#waitMs;
    }
  }

  /**
   * Waits for a heartbeat comment on a caught-up connection; `limitMs` is the
   * longest silence accepted. An ended connection (a rotation) is resumed.
   */
  async heartbeat(limitMs: number, how: Resume): Promise<void> {
    if (!this.live || this.finished) return;
    const deadline = Date.now() + limitMs;
    while (true) {
      const item = await this.step(Math.max(0, deadline - Date.now()));
      if (item.kind === "comment") return;
      if (item.kind === "end" || item.kind === "error") return await this.resume(how);
      this.#t.expect(
        "SSE-HEARTBEAT-1",
        item.kind !== "timeout",
        `no comment line arrived within ${limitMs} ms on a silent connection`,
      );
    }
  }

  #stalled(): never {
    const t = this.#t;
    const conn = this.#conn!;
    const model = this.#model;
    const waited = `within ${this.#waitMs} ms`;
    if (conn.pendingData) {
      t.expect("SSE-EVENT-2", false, `no control event followed a data event ${waited}`);
    }
    if (this.position < model.messages.length) {
      t.expect(
        conn.resumed && this.position === conn.start ? "SSE-RESUME-1" : "SSE-EVENT-1",
        false,
        `the messages from ${formatOffset(this.position)} to ${
          formatOffset(model.messages.length)
        } did not arrive ${waited}`,
      );
    }
    if (conn.closedSeen) {
      t.expect(
        conn.single ? "SSE-CLOSE-2" : "SSE-CLOSE-1",
        false,
        `the response did not end ${waited} after the control event with streamClosed: true`,
      );
    }
    if (model.closed) {
      t.expect(
        conn.single ? "SSE-CLOSE-2" : "SSE-CLOSE-1",
        false,
        `no control event with streamClosed: true arrived ${waited} at the final tail`,
      );
    }
    t.expect(
      conn.events === 0 && conn.start === conn.tailAtOpen ? "SSE-EVENT-4" : "SSE-EVENT-3",
      false,
      `no control event with upToDate: true arrived ${waited} at the tail ${
        formatOffset(this.position)
      }`,
    );
    throw new Error("unreachable");
  }
}

/** How long a reader waits for the server before it calls the server stalled. */
export function liveWaitMs(t: CheckContext): number {
  const heartbeat = t.discovery.bindings?.sse?.heartbeatMs ?? 0;
  return Math.min(t.timeoutMs, Math.max(1500, 3 * heartbeat));
}

/** Requirements any live read may break; a check that reads with {@linkcode LiveReader} cites them. */
export const READ_IDS: readonly string[] = [
  "SSE-EVENT-1",
  "SSE-EVENT-2",
  "SSE-EVENT-3",
  "SSE-EVENT-4",
  "SSE-EVENT-5",
  "SSE-ID-1",
  "SSE-ROTATE-1",
];
