// The checks the multiplexed-subscription model makes of each frame a
// server sends (websocket.md §6–9), in arrival order: subscribed, data,
// unsubscribed, error and appended frames against the streams, the
// subscriptions and the requests in flight.

import { isDeepStrictEqual } from "node:util";
import {
  expectErrorFrame,
  type Frame,
  offset,
  offsetValue,
  problemSlugOf,
} from "./_subscription_kit.ts";
import type { AppendExpect, Connection, Model, SubscribeExpect } from "./_subscription_model.ts";

/** Checks one frame of connection `c` against the model, and applies it. */
export function checkFrame(m: Model, c: Connection, f: Frame): void {
  switch (f.type) {
    case "subscribed":
      return subscribed(m, c, f);
    case "data":
      return data(m, c, f);
    case "unsubscribed":
      return unsubscribed(m, c, f);
    case "appended":
      return answer(m, c, f);
    case "error":
      if (f.req !== undefined) return answer(m, c, f);
      if (f.sub !== undefined) return subscriptionError(m, c, f);
      return m.t.note(`connection error frame: ${JSON.stringify(f.problem)}`);
  }
}

function subscribed(m: Model, c: Connection, f: Frame): void {
  const t = m.t;
  const sub = String(f.sub);
  const head = c.requests.get(sub)?.[0];
  if (head?.kind !== "subscribe") {
    const id = c.refused.has(sub) ? "WS-SUB-10" : "WS-SUB-1";
    return t.expect(id, false, `subscribed for ${sub} answers no subscribe in flight`);
  }
  c.requests.get(sub)!.shift();
  c.raise(head.snapshot);
  if (!head.expect.ok) {
    t.expect(
      head.expect.requirement,
      false,
      `subscribe ${sub} answered subscribed, expected ${head.expect.slug}`,
    );
  }
  const expect = head.expect as Extract<SubscribeExpect, { ok: true }>;
  const reader = head.reader!;
  const stream = reader.stream!;
  t.expectEqual("WS-SUB-1", f.path, head.path, "subscribed.path");
  const start = offsetValue(f.offset);
  if (expect.from === "-1") {
    t.expectEqual("WS-SUB-2", f.offset, offset(0), "subscribed.offset for -1");
  } else if (typeof expect.from === "number") {
    t.expectEqual("WS-SUB-2", f.offset, offset(expect.from), "subscribed.offset");
  } else {
    const low = head.snapshot.get(stream)!.tail;
    const high = head.tailKnown ? low : stream.messages.length;
    t.expect("WS-SUB-2", start >= low && start <= high, `subscribed.offset ${f.offset} for now`, {
      expected: low === high ? offset(low) : `${offset(low)}..${offset(high)}`,
      actual: f.offset,
    });
  }
  Object.assign(reader, {
    phase: "active",
    delivered: start,
    acked: start,
    sawData: false,
    atTail: head.tailKnown && start === stream.messages.length,
    closing: false,
    stalled: false,
    ackedAfterStall: false,
    lowerAck: false,
  });
  c.active.set(sub, reader);
  c.ended.delete(sub);
  c.refused.delete(sub);
}

function data(m: Model, c: Connection, f: Frame): void {
  const t = m.t;
  const sub = String(f.sub);
  const r = c.active.get(sub);
  if (!r) {
    const id = c.ended.has(sub) ? "WS-UNSUB-2" : "WS-SUB-1";
    return t.expect(id, false, `data for ${sub}, which has no active subscription`);
  }
  const s = r.stream!;
  t.expect("WS-UNSUB-3", !r.closing, `data for ${sub} after its closed data frame`);
  const messages = f.messages;
  t.expect("WS-DATA-2", Array.isArray(messages), "data.messages is not an array");
  const got = messages as { k?: unknown; v?: unknown }[];
  const upToDate = f.upToDate === true;
  const closed = f.closed === true;
  t.expect(
    "WS-DATA-11",
    got.length > 0 || upToDate || closed,
    "empty data frame, neither upToDate nor closed",
  );
  t.expect(
    "WS-DATA-12",
    got.length <= m.maxRead,
    `${got.length} messages, maxReadMessages ${m.maxRead}`,
  );
  const from = r.delivered;
  const want = s.messages.slice(from, from + got.length);
  const keys = got.map((m) => m?.k);
  t.expectEqual(
    r.resumed ? "WS-RESUME-2" : "WS-DATA-2",
    keys,
    [...want.map((m) => m.k), ...Array(got.length - want.length).fill("(none)")],
    `messages of ${sub} from offset ${from}`,
  );
  for (let i = 0; i < got.length; i++) {
    if (!isDeepStrictEqual(got[i], want[i])) {
      t.expectEqual("WS-DATA-3", got[i], want[i], `message at offset ${from + i}`);
    }
  }
  const next = from + got.length;
  t.expectEqual(
    "WS-DATA-1",
    f.nextOffset,
    offset(next),
    `nextOffset of ${sub} (from ${offset(from)})`,
  );
  if (r.window !== undefined) {
    t.expect(
      "WS-FLOW-1",
      next <= r.acked + r.window,
      `${sub}: nextOffset ${next} beyond ack ${r.acked} + window ${r.window}`,
    );
  }
  if (r.atTail && !r.sawData) {
    t.expect(
      "WS-DATA-6",
      got.length === 0 && upToDate,
      `${sub} started at the tail; its first data frame is not empty and upToDate`,
    );
  }
  const tail = s.messages.length;
  if (closed) {
    t.expect(
      "WS-DATA-10",
      s.closed && next === tail,
      `${sub}: closed at ${next}, tail ${tail}, stream ${s.closed ? "closed" : "open"}`,
    );
  }
  if (next === tail) {
    t.expect("WS-DATA-4", upToDate, `${sub}: nextOffset ${next} is the tail, upToDate not true`);
  }
  const floor = c.floors.get(s);
  if (upToDate && floor) {
    t.expect(
      "WS-DATA-5",
      next >= floor.tail,
      `${sub}: upToDate at ${next}, tail at least ${floor.tail}`,
    );
  }
  if (!closed && floor?.closed && next === tail) {
    t.expect(
      "WS-DATA-8",
      false,
      `${sub}: at the final tail ${next} of a closed stream, closed not true`,
    );
  }
  r.delivered = next;
  r.sawData = true;
  if (r.window !== undefined && next === r.acked + r.window && next < tail) r.stalled = true;
  if (closed) r.closing = true;
}

function unsubscribed(m: Model, c: Connection, f: Frame): void {
  const t = m.t;
  const sub = String(f.sub);
  const r = c.active.get(sub);
  if (f.reason === "closed") {
    t.expect(
      "WS-UNSUB-3",
      r?.closing === true,
      `unsubscribed (closed) for ${sub} without a closed data frame before it`,
    );
    return m.end(c, sub, false);
  }
  if (f.reason === "deleted") {
    t.expect(
      "WS-UNSUB-4",
      r?.stream?.deleted === true,
      `unsubscribed (deleted) for ${sub}, whose stream exists`,
    );
    return m.end(c, sub, false);
  }
  const head = c.requests.get(sub)?.[0];
  t.expect(
    "WS-UNSUB-1",
    head?.kind === "unsubscribe",
    `unsubscribed for ${sub} answers no unsubscribe`,
  );
  t.expectEqual("WS-UNSUB-1", f.reason, "client", `unsubscribed.reason for ${sub}`);
  c.requests.get(sub)!.shift();
  c.raise(head!.snapshot);
  if (r) m.end(c, sub, false);
  else c.ended.add(sub);
}

function subscriptionError(m: Model, c: Connection, f: Frame): void {
  const t = m.t;
  const sub = String(f.sub);
  const queue = c.requests.get(sub) ?? [];
  const head = queue[0];
  const slug = problemSlugOf(f);
  if (head?.kind === "subscribe") {
    queue.shift();
    c.raise(head.snapshot);
    if (head.expect.ok) t.expect("WS-SUB-1", false, `subscribe ${sub} refused with ${slug}`);
    const expect = head.expect as Extract<SubscribeExpect, { ok: false }>;
    expectErrorFrame(t, expect.requirement, f, expect.slug, { sub });
    if (head.reader) Object.assign(head.reader, { phase: "idle", lost: false });
    c.refused.add(sub);
    c.ended.add(sub);
    return;
  }
  if (head?.kind === "duplicate" || head?.kind === "bad-ack") {
    queue.shift();
    c.raise(head.snapshot);
    const id = head.kind === "duplicate" ? "WS-SUB-9" : "WS-FLOW-4";
    expectErrorFrame(t, id, f, "invalid-frame", { sub });
    return m.end(c, sub, true);
  }
  const r = c.active.get(sub);
  t.expect("WS-UNSUB-2", r !== undefined, `error for ${sub}, which has no active subscription`);
  if (slug === "subscriber-overflow") {
    const bounded = r!.window !== undefined && m.buffer !== undefined &&
      r!.window <= m.buffer;
    t.expect(
      "WS-OVERFLOW-2",
      !bounded,
      `${sub} (window ${r!.window}) ended for overflow; buffer ${m.buffer}`,
    );
    t.expectEqual("WS-OVERFLOW-3", f.resumeOffset, offset(r!.delivered), "resumeOffset");
    return m.end(c, sub, true);
  }
  const id = r!.stream!.deleted ? "WS-UNSUB-4" : "WS-DATA-7";
  t.expect(id, false, `${sub} ended by an error: ${JSON.stringify(f.problem)}`);
}

function answer(m: Model, c: Connection, f: Frame): void {
  const t = m.t;
  const req = String(f.req);
  const pending = c.appends.get(req);
  t.expect(
    "WS-APPEND-2",
    pending !== undefined,
    `a second answer, or an answer to no append: ${req}`,
  );
  const order = c.appendOrder.get(pending!.stream)!;
  t.expectEqual(
    "WS-APPEND-14",
    req,
    order[0],
    "the answered append (oldest unanswered on its stream)",
  );
  order.shift();
  c.appends.delete(req);
  const expect = pending!.expect;
  c.raise(pending!.snapshot);
  if (f.type === "appended") {
    if (!expect.ok) {
      t.expect("WS-APPEND-8", false, `append ${req} answered appended, expected ${expect.slug}`);
    }
    const ok = expect as Extract<AppendExpect, { ok: true }>;
    c.raise(new Map([[pending!.stream, { tail: ok.nextOffset, closed: ok.closed }]]));
    t.expectEqual(
      "WS-APPEND-3",
      f.nextOffset,
      offset(ok.nextOffset),
      `appended.nextOffset of ${req}`,
    );
    if (ok.duplicate) {
      t.expectEqual("WS-APPEND-4", f.duplicate, true, `appended.duplicate of ${req}`);
    } else {t.expect(
        "WS-APPEND-5",
        f.duplicate !== true,
        `${req} stored messages or closed, yet duplicate is true`,
      );}
    t.expectEqual("WS-APPEND-6", f.closed === true, ok.closed, `appended.closed of ${req}`);
    if (ok.producer) {
      const p = f.producer as { epoch?: unknown; seq?: unknown } | undefined;
      t.expectEqual(
        "WS-APPEND-7",
        { epoch: p?.epoch, seq: p?.seq },
        ok.producer,
        `appended.producer of ${req}`,
      );
    }
    return;
  }
  if (expect.ok) {
    t.expect("WS-APPEND-3", false, `append ${req} refused: ${JSON.stringify(f.problem)}`);
  }
  const no = expect as Extract<AppendExpect, { ok: false }>;
  expectErrorFrame(t, "WS-APPEND-8", f, no.slug, { req });
  const problem = f.problem as Record<string, unknown>;
  for (const [member, value] of Object.entries(no.members ?? {})) {
    const id = member === "producerEpoch" ? "WS-APPEND-9" : "WS-APPEND-10";
    t.expectEqual(id, problem[member], value, `problem.${member} of ${req}`);
  }
}
