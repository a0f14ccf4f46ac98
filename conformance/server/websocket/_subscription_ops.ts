// How each step of the multiplexed-subscription property acts on the server
// and the model: appends over HTTP and WebSocket (idempotent producers,
// retries, gaps, stale epochs, Stream-Seq), subscribes, acks, unsubscribes,
// dropped connections resumed at the delivered offset, closes and deletes.

import { PROBLEM_TYPES } from "../../../src/protocol/problem.ts";
import type { CheckContext } from "../../check.ts";
import { offset } from "./_subscription_kit.ts";
import type { AppendExpect, Model, Reader, StreamModel } from "./_subscription_model.ts";
import { BAD_OFFSETS, badPaths, type Op, type ProducerMove } from "./_subscription_steps.ts";

/** Runs the steps of one property run against the server and the model. */
export class Driver {
  readonly m: Model;
  readonly t: CheckContext;
  readonly producers: boolean;
  readonly streamSeqs: boolean;
  #keys = 0;
  #refusals = 0;

  constructor(m: Model) {
    this.m = m;
    this.t = m.t;
    this.producers = m.t.features.has("idempotent-producer");
    this.streamSeqs = m.t.features.has("stream-seq");
  }

  async run(op: Op): Promise<void> {
    switch (op.op) {
      case "append":
        return await this.#append(op);
      case "burst":
        return await this.#burst(op);
      case "subscribe":
        return await this.#subscribe(op);
      case "refused":
        return await this.#refused(op);
      case "ack":
        return await this.#ack(op);
      case "drain":
        return await this.m.drain();
      case "drop":
        return await this.drop();
      case "unsubscribe": {
        const r = this.m.readers[op.r];
        r.lost = false;
        this.m.request(r.sub, "unsubscribe", { type: "unsubscribe", sub: r.sub });
        return;
      }
      case "close":
        return await this.#close(op);
      case "delete":
        return await this.#delete(op);
    }
  }

  /** Settles the model, then sends `unsubscribe` for a fresh id: a floor for the frames after it. */
  sync(): void {
    const sub = this.m.conn.session.syncId();
    this.m.request(sub, "unsubscribe", { type: "unsubscribe", sub });
  }

  #messages(vs: readonly unknown[]): { k: string; v: unknown }[] {
    return vs.map((v) => ({ k: `m${++this.#keys}`, v }));
  }

  /** The outcome an append has by log.md's rules, applied to the model. */
  #decide(
    s: StreamModel,
    messages: { k: string; v: unknown }[],
    extra: {
      producer?: { id: string; epoch: number; seq: number };
      streamSeq?: number;
      close?: boolean;
    },
  ): AppendExpect {
    const tail = s.messages.length;
    if (s.deleted) return { ok: false, slug: "stream-not-found" };
    if (s.closed) {
      return messages.length > 0
        ? { ok: false, slug: "stream-closed" }
        : { ok: true, nextOffset: tail, duplicate: false, closed: true };
    }
    const p = extra.producer;
    let state: { epoch: number; seq: number } | undefined;
    if (p) {
      const known = s.producers.get(p.id);
      if (known && p.epoch < known.epoch) {
        return { ok: false, slug: "producer-stale-epoch", members: { producerEpoch: known.epoch } };
      }
      if (known && p.epoch === known.epoch && p.seq <= known.seq) {
        return {
          ok: true,
          nextOffset: tail,
          duplicate: true,
          closed: false,
          producer: { ...known },
        };
      }
      if (known && p.epoch > known.epoch && p.seq !== 0) {
        return { ok: false, slug: "producer-epoch-start" };
      }
      const expected = known && p.epoch === known.epoch ? known.seq + 1 : 0;
      if (p.seq !== expected) {
        return {
          ok: false,
          slug: "producer-seq-gap",
          members: { expectedSeq: expected, receivedSeq: p.seq },
        };
      }
      state = { epoch: p.epoch, seq: p.seq };
    }
    if (extra.streamSeq !== undefined && extra.streamSeq <= s.streamSeq) {
      return { ok: false, slug: "stream-seq-conflict" };
    }
    s.messages.push(...messages);
    if (extra.close) s.closed = true;
    if (p) {
      s.producers.set(p.id, state!);
      s.sent.set(`${p.id}/${p.epoch}/${p.seq}`, messages);
    }
    if (extra.streamSeq !== undefined) s.streamSeq = extra.streamSeq;
    return {
      ok: true,
      nextOffset: s.messages.length,
      duplicate: false,
      closed: s.closed,
      ...(state ? { producer: state } : {}),
    };
  }

  #producer(
    s: StreamModel,
    id: string,
    move: ProducerMove,
  ): { id: string; epoch: number; seq: number } {
    const known = s.producers.get(id);
    if (!known) {
      if (move === "gap" || move === "bump-bad") return { id, epoch: 0, seq: 2 };
      return { id, epoch: move === "bump" ? 1 : 0, seq: 0 };
    }
    switch (move) {
      case "next":
        return { id, epoch: known.epoch, seq: known.seq + 1 };
      case "retry":
        return { id, epoch: known.epoch, seq: Math.max(0, known.seq - (this.#keys % 2)) };
      case "gap":
        return { id, epoch: known.epoch, seq: known.seq + 2 + (this.#keys % 2) };
      case "stale":
        return known.epoch > 0
          ? { id, epoch: known.epoch - 1, seq: known.seq + 1 }
          : { id, epoch: known.epoch + 1, seq: 0 };
      case "bump":
        return { id, epoch: known.epoch + 1, seq: 0 };
      case "bump-bad":
        return { id, epoch: known.epoch + 1, seq: 1 };
    }
  }

  async #append(op: Extract<Op, { op: "append" }>): Promise<void> {
    const s = this.m.streams[op.s];
    const via = s.deleted || s.closed ? "ws" : op.via;
    let messages = this.#messages(op.values);
    const producer = op.producer && this.producers && !s.closed && !s.deleted
      ? this.#producer(s, op.producer.id, op.producer.move)
      : undefined;
    if (producer) {
      // A retry sends what the original request sent.
      messages =
        (s.sent.get(`${producer.id}/${producer.epoch}/${producer.seq}`) as typeof messages) ??
          messages;
    }
    // "same" repeats the last accepted Stream-Seq (a conflict); the first one is always new.
    const streamSeq = !producer && op.streamSeq && this.streamSeqs && !s.closed && !s.deleted
      ? Math.max(0, s.streamSeq + (op.streamSeq === "up" ? 1 : 0))
      : undefined;
    const seqText = streamSeq === undefined
      ? undefined
      : `seq-${String(streamSeq).padStart(6, "0")}`;
    const expect = this.#decide(s, messages, { producer, streamSeq });
    if (via === "ws") {
      const req = this.m.append(s, {
        messages,
        ...(producer
          ? { producer: { id: producer.id, epoch: producer.epoch, seq: producer.seq } }
          : {}),
        ...(seqText ? { streamSeq: seqText } : {}),
      }, expect);
      return await this.m.answered([req]);
    }
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (producer) {
      Object.assign(headers, {
        "Producer-Id": producer.id,
        "Producer-Epoch": String(producer.epoch),
        "Producer-Seq": String(producer.seq),
      });
    }
    if (seqText) headers["Stream-Seq"] = seqText;
    const reply = await this.t.http.request("POST", s.url, { headers, body: { json: messages } });
    const id = producer ? "LOG-PRODUCER-1" : seqText ? "LOG-SEQ-1" : "HTTP-APPEND-1";
    if (expect.ok) {
      this.t.expectStatus(id, reply, [200, 204]);
      this.t.expectEqual(
        "HTTP-APPEND-1",
        reply.headers.get("stream-next-offset"),
        offset(expect.nextOffset),
        "Stream-Next-Offset",
      );
    } else {
      this.t.expectProblem(id, reply, PROBLEM_TYPES[expect.slug].status, expect.slug);
    }
    this.m.tailMoved();
    this.sync();
  }

  async #burst(op: Extract<Op, { op: "burst" }>): Promise<void> {
    const s = this.m.streams[op.s];
    const reqs: string[] = [];
    for (let i = 0; i < op.count; i++) {
      const messages = this.#messages([i]);
      const producer = op.chain && this.producers && !s.closed && !s.deleted
        ? this.#producer(s, "burst", "next")
        : undefined;
      const expect = this.#decide(s, messages, { producer });
      const frame = {
        messages,
        ...(producer
          ? { producer: { id: producer.id, epoch: producer.epoch, seq: producer.seq } }
          : {}),
      };
      reqs.push(this.m.append(s, frame, expect));
    }
    await this.m.answered(reqs);
  }

  /** Subscribes `r`: again from its delivered offset when it was lost, else afresh. */
  subscribe(
    r: Reader,
    fresh?: { s: StreamModel; from: string; frac: number; window?: number },
  ): void {
    if (r.lost && r.stream) {
      r.resumed = true;
      const s = r.stream;
      const window = r.window === undefined ? {} : { window: r.window };
      return this.m.subscribe(
        r,
        r.sub,
        s.path,
        s.deleted
          ? { ok: false, slug: "stream-not-found", requirement: "WS-SUB-4" }
          : { ok: true, from: r.delivered },
        { offset: offset(r.delivered), ...window },
      );
    }
    if (!fresh) return;
    const { s, from } = fresh;
    Object.assign(r, { stream: s, window: fresh.window, resumed: false, lost: false });
    const tail = s.messages.length;
    const mid = Math.min(tail, Math.floor(fresh.frac * (tail + 1)));
    const frame = from === "absent" ? {} : { offset: from === "mid" ? offset(mid) : from };
    this.m.subscribe(
      r,
      r.sub,
      s.path,
      s.deleted
        ? { ok: false, slug: "stream-not-found", requirement: "WS-SUB-4" }
        : { ok: true, from: from === "mid" ? mid : from === "now" ? "now" : "-1" },
      { ...frame, ...(fresh.window === undefined ? {} : { window: fresh.window }) },
    );
  }

  async #subscribe(op: Extract<Op, { op: "subscribe" }>): Promise<void> {
    const r = this.m.readers[op.r];
    const live = r.stream && !r.stream.closed && !r.stream.deleted;
    if (r.phase === "active" && live && !r.closing && !this.m.conn.busy(r.sub)) {
      // WS-SUB-9: the id names an active subscription.
      this.m.request(r.sub, "duplicate", {
        type: "subscribe",
        sub: r.sub,
        path: this.m.streams[op.s].path,
      });
      return await this.m.drain();
    }
    if (r.phase !== "idle") return;
    this.subscribe(r, { s: this.m.streams[op.s], from: op.from, frac: op.frac, window: op.window });
    if (op.wait) await this.m.drain();
  }

  async #refused(op: Extract<Op, { op: "refused" }>): Promise<void> {
    const sub = `x${++this.#refusals}`;
    const s = this.m.streams.find((s) => !s.deleted);
    if (op.kind === "missing" || !s) {
      this.m.subscribe(undefined, sub, this.t.stream("missing"), {
        ok: false,
        slug: "stream-not-found",
        requirement: "WS-SUB-4",
      }, { offset: "-1" });
    } else if (op.kind === "bad-offset") {
      const bad = BAD_OFFSETS[op.pick % BAD_OFFSETS.length];
      this.m.subscribe(undefined, sub, s.path, {
        ok: false,
        slug: "invalid-offset",
        requirement: "WS-SUB-6",
      }, { offset: bad });
    } else if (op.kind === "beyond") {
      const beyond = offset(s.messages.length + 1 + (op.pick % 3));
      this.m.subscribe(undefined, sub, s.path, {
        ok: false,
        slug: "offset-out-of-range",
        requirement: "WS-SUB-7",
      }, { offset: beyond });
    } else {
      const paths = badPaths(this.m.conn.session.limit("maxStreamPathBytes", this.t));
      this.m.subscribe(undefined, sub, paths[op.pick % paths.length], {
        ok: false,
        slug: "invalid-stream-name",
        requirement: "WS-SUB-8",
      }, { offset: "-1" });
    }
    await this.m.drain();
  }

  async #ack(op: Extract<Op, { op: "ack" }>): Promise<void> {
    const r = this.m.readers[op.r];
    if (r.phase !== "active" || r.closing || this.m.conn.busy(r.sub)) return;
    const s = r.stream!;
    let at: number;
    if (op.how === "beyond") {
      if (s.closed || s.deleted) return;
      at = s.messages.length + 1 + Math.floor(op.frac * 3);
      this.m.request(r.sub, "bad-ack", { type: "ack", sub: r.sub, offset: offset(at) });
      return await this.m.drain();
    }
    if (op.how === "all") at = r.delivered;
    else if (op.how === "part") at = r.acked + Math.floor(op.frac * (r.delivered - r.acked));
    else {
      if (r.acked === 0) return;
      at = Math.min(r.acked - 1, Math.floor(op.frac * r.acked));
      r.lowerAck = true;
    }
    this.m.conn.session.send({ type: "ack", sub: r.sub, offset: offset(at) });
    if (at > r.acked) {
      if (r.stalled) r.ackedAfterStall = true;
      r.acked = at;
    }
  }

  /** Drops the connection and resumes every subscription on a new one (§6.4). */
  async drop(): Promise<void> {
    this.m.processAll();
    const old = this.m.conn.session;
    old.close();
    for (const r of this.m.readers) {
      if (r.phase === "active") r.lost = true;
      else if (r.phase === "pending" && !r.lost) r.stream = undefined;
      r.phase = "idle";
      r.closing = false;
    }
    // Give the server the close, so the old subscriptions no longer count against limits.
    await old.waitFor(() => false, 1_000).catch(() => {});
    await this.m.connect();
    for (const r of this.m.readers) if (r.lost) this.subscribe(r);
  }

  async #close(op: Extract<Op, { op: "close" }>): Promise<void> {
    await this.m.drain();
    const s = this.m.streams[op.s];
    if (s.deleted) return;
    const messages = this.#messages(op.values);
    if (op.via === "ws" || s.closed) {
      const expect = this.#decide(s, messages, { close: true });
      const req = this.m.append(
        s,
        { close: true, ...(messages.length ? { messages } : {}) },
        expect,
      );
      return await this.m.answered([req]);
    }
    this.#decide(s, messages, { close: true });
    const reply = await this.t.http.request("POST", s.url, {
      headers: { "Content-Type": "application/json", "Stream-Closed": "true" },
      ...(messages.length ? { body: { json: messages } } : {}),
    });
    this.t.expectStatus("HTTP-APPEND-1", reply, [200, 204]);
    this.t.expectEqual(
      "HTTP-APPEND-1",
      reply.headers.get("stream-closed"),
      "true",
      "Stream-Closed",
    );
    this.m.tailMoved();
    this.sync();
  }

  async #delete(op: Extract<Op, { op: "delete" }>): Promise<void> {
    await this.m.drain();
    const s = this.m.streams[op.s];
    if (s.deleted) return;
    const reply = await this.t.http.request("DELETE", s.url);
    this.t.expectStatus("HTTP-DELETE-1", reply, 204);
    s.deleted = true;
    this.m.tailMoved();
    this.sync();
  }
}
