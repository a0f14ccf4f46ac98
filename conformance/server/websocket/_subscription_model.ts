// The model behind the multiplexed-subscription property (websocket.md §6–9):
// streams as arrays of messages with their producer state, subscriptions
// with their delivered and acknowledged offsets, and every frame of the
// connection checked in arrival order against them.
//
// The model never guesses when the server produced a frame. The property
// waits for the answer to every append before it reads frames on, so the
// model's tail bounds the tail any frame saw from above. From below, a frame
// saw at least the tail the model had when the check sent a frame the server
// answered earlier on the same connection (a floor).

import type { ProblemSlug } from "../../../src/protocol/problem.ts";
import type { CheckContext } from "../../check.ts";
import { type Frame, Session } from "./_subscription_kit.ts";
import { checkFrame } from "./_subscription_frames.ts";

/** A stream as the model holds it. */
export interface StreamModel {
  readonly path: string;
  readonly url: string;
  /** Every message, `{ k, v }`: a key no other message has and a value. */
  readonly messages: { readonly k: string; readonly v: unknown }[];
  closed: boolean;
  deleted: boolean;
  /** Producer id → epoch and the highest sequence number accepted in it. */
  readonly producers: Map<string, { epoch: number; seq: number }>;
  /** The messages of each accepted producer request, by `id/epoch/seq`, for retries. */
  readonly sent: Map<string, unknown[]>;
  /** The last accepted Stream-Seq, as a number of the padded form; -1 for none. */
  streamSeq: number;
  /** Whether any append reached it over WebSocket. */
  viaWs: boolean;
}

/** A client's subscription slot: one sub id, subscribed, lost and resumed over time. */
export interface Reader {
  readonly sub: string;
  stream: StreamModel | undefined;
  window: number | undefined;
  phase: "idle" | "pending" | "active";
  /** Ended by a dropped connection or an error: resumes at `delivered` (WS-RESUME-1). */
  lost: boolean;
  delivered: number;
  /** Highest offset acknowledged on the current subscription. */
  acked: number;
  /** Started at an offset the server minted for an earlier subscription. */
  resumed: boolean;
  sawData: boolean;
  /** Started at the tail, with the tail known: the first data frame is empty (WS-DATA-6). */
  atTail: boolean;
  /** Sent its closed data frame: `unsubscribed` must follow. */
  closing: boolean;
  stalled: boolean;
  ackedAfterStall: boolean;
  lowerAck: boolean;
}

/** The least tail and closure a frame can have seen, per stream. */
export type Snapshot = Map<StreamModel, { tail: number; closed: boolean }>;

/** What answering a subscribe should look like. */
export type SubscribeExpect =
  | { readonly ok: true; readonly from: "-1" | "now" | number }
  | { readonly ok: false; readonly slug: ProblemSlug; readonly requirement: string };

/** A frame the check sent that the server answers on the same subscription id. */
export type Request =
  | {
    readonly kind: "subscribe";
    readonly reader: Reader | undefined;
    readonly path: string;
    readonly expect: SubscribeExpect;
    readonly snapshot: Snapshot;
    tailKnown: boolean;
  }
  | { readonly kind: "unsubscribe"; readonly snapshot: Snapshot }
  | { readonly kind: "duplicate" | "bad-ack"; readonly snapshot: Snapshot };

/** What answering an append should look like. */
export type AppendExpect =
  | {
    readonly ok: true;
    readonly nextOffset: number;
    readonly duplicate: boolean;
    readonly closed: boolean;
    readonly producer?: { epoch: number; seq: number };
  }
  | { readonly ok: false; readonly slug: ProblemSlug; readonly members?: Record<string, number> };

/** An append frame awaiting its answer. */
export interface PendingAppend {
  readonly stream: StreamModel;
  readonly expect: AppendExpect;
  readonly snapshot: Snapshot;
}

/** One connection and the model's view of what is in flight on it. */
export class Connection {
  readonly session: Session;
  readonly floors: Snapshot = new Map();
  readonly requests = new Map<string, Request[]>();
  readonly appends = new Map<string, PendingAppend>();
  readonly appendOrder = new Map<StreamModel, string[]>();
  readonly active = new Map<string, Reader>();
  /** Ids whose subscription ended and that have no newer one (WS-UNSUB-2). */
  readonly ended = new Set<string>();
  /** Ids whose last answered subscribe was refused (WS-SUB-10). */
  readonly refused = new Set<string>();

  constructor(session: Session) {
    this.session = session;
  }

  /** Whether a request for `sub` awaits its answer. */
  busy(sub: string): boolean {
    return (this.requests.get(sub)?.length ?? 0) > 0;
  }

  queue(sub: string): Request[] {
    let queue = this.requests.get(sub);
    if (!queue) this.requests.set(sub, queue = []);
    return queue;
  }

  raise(snapshot: Snapshot): void {
    for (const [stream, floor] of snapshot) {
      const now = this.floors.get(stream);
      this.floors.set(stream, {
        tail: Math.max(now?.tail ?? 0, floor.tail),
        closed: (now?.closed ?? false) || floor.closed,
      });
    }
  }
}

/** The model and the checks it makes of every frame. */
export class Model {
  readonly t: CheckContext;
  readonly streams: StreamModel[] = [];
  readonly readers: Reader[] = [];
  conn!: Connection;
  /** The subscriber buffer (§8), when the server states one. */
  buffer: number | undefined;
  maxRead = Infinity;
  #reqs = 0;

  constructor(t: CheckContext) {
    this.t = t;
  }

  /** Opens a new connection, which becomes the model's. */
  async connect(): Promise<Connection> {
    const session = await Session.open(this.t);
    this.conn = new Connection(session);
    this.buffer = session.limit("subscriberBufferMessages", this.t);
    this.maxRead = session.limit("maxReadMessages", this.t) ?? Infinity;
    return this.conn;
  }

  snapshot(): Snapshot {
    return new Map(
      this.streams.map((s) => [s, { tail: s.messages.length, closed: s.closed }] as const),
    );
  }

  /** The tail of a stream may have moved: subscribes in flight no longer know it. */
  tailMoved(): void {
    for (const queue of this.conn.requests.values()) {
      for (const request of queue) if (request.kind === "subscribe") request.tailKnown = false;
    }
  }

  subscribe(
    reader: Reader | undefined,
    sub: string,
    path: string,
    expect: SubscribeExpect,
    frame: Record<string, unknown>,
  ): void {
    this.conn.queue(sub).push({
      kind: "subscribe",
      reader,
      path,
      expect,
      snapshot: this.snapshot(),
      tailKnown: true,
    });
    if (reader) reader.phase = "pending";
    this.conn.session.send({ type: "subscribe", sub, path, ...frame });
  }

  request(sub: string, kind: "unsubscribe" | "duplicate" | "bad-ack", frame: Frame): void {
    this.conn.queue(sub).push({ kind, snapshot: this.snapshot() });
    this.conn.session.send(frame);
  }

  /** Sends an append frame; `expect` is computed by the caller from the model before the send. */
  append(stream: StreamModel, frame: Frame, expect: AppendExpect): string {
    const req = `q${++this.#reqs}`;
    stream.viaWs = true;
    this.conn.appends.set(req, { stream, expect, snapshot: this.snapshot() });
    let order = this.conn.appendOrder.get(stream);
    if (!order) this.conn.appendOrder.set(stream, order = []);
    order.push(req);
    this.conn.session.send({ type: "append", req, path: stream.path, ...frame });
    return req;
  }

  /** Checks every frame that has arrived, in order. */
  processAll(): void {
    const frames = this.conn.session.frames;
    while (frames.length > 0) checkFrame(this, this.conn, frames.shift()!);
  }

  /** Waits for the answers of the given appends, then checks every frame. */
  async answered(reqs: readonly string[]): Promise<void> {
    const session = this.conn.session;
    const want = new Set(reqs);
    const all = () => {
      const seen = new Set(session.frames.map((f) => f.req));
      return [...want].every((req) => seen.has(req));
    };
    await session.waitFor(all, this.#waitMs());
    this.processAll();
    for (const req of reqs) {
      this.t.expect("WS-APPEND-2", !this.conn.appends.has(req), `append ${req} got no answer`);
    }
  }

  /** Waits until every request is answered and every subscription has what it should have. */
  async drain(): Promise<void> {
    const deadline = Date.now() + this.#waitMs();
    while (true) {
      this.processAll();
      const why = this.#unsettled();
      if (!why) return;
      const session = this.conn.session;
      if (session.closed) {
        this.t.expect(why[0], false, `${why[1]}; the connection closed (${session.closed.code})`);
      }
      if (Date.now() >= deadline) this.t.expect(why[0], false, why[1]);
      await session.waitFor(() => true, deadline - Date.now());
    }
  }

  #waitMs(): number {
    return Math.min(this.t.timeoutMs, 3_000);
  }

  #unsettled(): [string, string] | undefined {
    const c = this.conn;
    for (const [sub, queue] of c.requests) {
      const head = queue[0];
      if (!head) continue;
      if (head.kind === "subscribe") {
        return [
          head.expect.ok ? "WS-SUB-1" : head.expect.requirement,
          `subscribe ${sub} unanswered`,
        ];
      }
      if (head.kind === "unsubscribe") return ["WS-UNSUB-1", `unsubscribe ${sub} unanswered`];
      if (head.kind === "duplicate") return ["WS-SUB-9", `repeated subscribe ${sub} unanswered`];
      return ["WS-FLOW-4", `ack beyond the delivered offset of ${sub} unanswered`];
    }
    for (const req of c.appends.keys()) return ["WS-APPEND-2", `append ${req} unanswered`];
    for (const r of c.active.values()) {
      const s = r.stream!;
      const tail = s.messages.length;
      if (s.deleted) return ["WS-UNSUB-4", `${r.sub}: no unsubscribed (deleted) after deletion`];
      if (r.closing) return ["WS-UNSUB-3", `${r.sub}: no unsubscribed (closed) after closed data`];
      if (r.atTail && !r.sawData) return ["WS-DATA-6", `${r.sub}: no empty data frame at the tail`];
      const target = r.window === undefined ? tail : Math.min(tail, r.acked + r.window);
      if (r.delivered < target) {
        const id = r.lowerAck
          ? "WS-FLOW-3"
          : r.stalled && r.ackedAfterStall
          ? "WS-FLOW-2"
          : "WS-DATA-7";
        return [id, `${r.sub}: delivered ${r.delivered} of ${target} deliverable messages`];
      }
      if (s.closed && r.delivered === tail) {
        return ["WS-DATA-9", `${r.sub}: no closed data frame at the final tail`];
      }
    }
    return undefined;
  }

  /** Ends the subscription `sub`; `lost` ones resume where they stood. */
  end(c: Connection, sub: string, lost: boolean): void {
    const r = c.active.get(sub);
    c.active.delete(sub);
    c.ended.add(sub);
    if (r) Object.assign(r, { phase: "idle", lost, closing: false });
  }
}
