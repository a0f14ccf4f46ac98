// Runs one sequence of operations of the multiplexed-subscription model:
// sets up streams and subscription slots, runs the steps, and finishes with
// the checks that need everything settled.

import type { CheckContext } from "../../check.ts";
import { offset } from "./_subscription_kit.ts";
import { Model, type Reader } from "./_subscription_model.ts";
import { Driver } from "./_subscription_ops.ts";
import type { Op } from "./_subscription_steps.ts";

/** What opening a session and creating a stream can fail with. */
export const SESSION_REQUIREMENTS: readonly string[] = [
  "WS-HANDSHAKE-2",
  "WS-HELLO-3",
  "HTTP-CREATE-1",
];

/** Every requirement a model run can report: a check that runs the model cites them all. */
export const MODEL_REQUIREMENTS: readonly string[] = [
  ...SESSION_REQUIREMENTS,
  "WS-SUB-1",
  "WS-SUB-2",
  "WS-SUB-4",
  "WS-SUB-6",
  "WS-SUB-7",
  "WS-SUB-8",
  "WS-SUB-9",
  "WS-SUB-10",
  "WS-DATA-1",
  "WS-DATA-2",
  "WS-DATA-3",
  "WS-DATA-4",
  "WS-DATA-5",
  "WS-DATA-6",
  "WS-DATA-7",
  "WS-DATA-8",
  "WS-DATA-9",
  "WS-DATA-10",
  "WS-DATA-11",
  "WS-DATA-12",
  "WS-UNSUB-1",
  "WS-UNSUB-2",
  "WS-UNSUB-3",
  "WS-UNSUB-4",
  "WS-RESUME-2",
  "WS-FLOW-1",
  "WS-FLOW-2",
  "WS-FLOW-3",
  "WS-FLOW-4",
  "WS-OVERFLOW-2",
  "WS-OVERFLOW-3",
  "WS-APPEND-1",
  "WS-APPEND-2",
  "WS-APPEND-3",
  "WS-APPEND-4",
  "WS-APPEND-5",
  "WS-APPEND-6",
  "WS-APPEND-7",
  "WS-APPEND-8",
  "WS-APPEND-9",
  "WS-APPEND-10",
  "WS-APPEND-14",
  "HTTP-APPEND-1",
  "HTTP-DELETE-1",
  "LOG-PRODUCER-1",
  "LOG-SEQ-1",
];

/** Runs `ops` against the server and the model, then settles and reads back. */
export async function runModel(t: CheckContext, ops: readonly Op[]): Promise<void> {
  const m = new Model(t);
  await m.connect();
  for (const label of ["a", "b"]) {
    const path = t.stream(label);
    const url = await t.createStream(path);
    m.streams.push({
      path,
      url,
      messages: [],
      closed: false,
      deleted: false,
      producers: new Map(),
      sent: new Map(),
      streamSeq: -1,
      viaWs: false,
    });
  }
  // Two connections' worth of subscriptions may briefly count against the limits after a drop.
  const session = m.conn.session;
  const perStream = session.limit("maxSubscribersPerStream", t) ?? 16;
  const slots = Math.max(
    1,
    Math.min(4, session.limit("maxSubscriptions", t) ?? 4, Math.floor(perStream / 2)),
  );
  for (let i = 0; i < slots; i++) m.readers.push(idleReader(`r${i}`));
  const driver = new Driver(m);
  for (const op of ops) {
    t.note(`step: ${JSON.stringify(op)}`);
    await driver.run("r" in op ? { ...op, r: op.r % slots } : op);
  }
  await finish(driver);
}

function idleReader(sub: string): Reader {
  return {
    sub,
    stream: undefined,
    window: undefined,
    phase: "idle",
    lost: false,
    delivered: 0,
    acked: 0,
    resumed: false,
    sawData: false,
    atTail: false,
    closing: false,
    stalled: false,
    ackedAfterStall: false,
    lowerAck: false,
  };
}

/**
 * Lets everything arrive, unsubscribes every reader, appends once more to
 * each open stream (nothing may reach an ended subscription), and reads each
 * stream over HTTP: WebSocket appends must have had their HTTP effect.
 */
async function finish(driver: Driver): Promise<void> {
  const { m, t } = driver;
  t.note("finish: drain, unsubscribe all, append once more, read back");
  await m.drain();
  for (const r of m.readers) {
    if (r.phase === "idle") continue;
    await driver.run({ op: "unsubscribe", r: m.readers.indexOf(r) });
  }
  await m.drain();
  for (const [s, stream] of m.streams.entries()) {
    if (stream.closed || stream.deleted) continue;
    await driver.run({ op: "append", via: "http", s, values: ["after"] });
  }
  await m.drain();
  for (const s of m.streams) {
    if (s.deleted || !s.viaWs) continue;
    const keys: unknown[] = [];
    let at = 0;
    for (let guard = 0; guard < 1_000; guard++) {
      const reply = await t.http.request("GET", t.streamUrl(s.path, { offset: offset(at) }));
      t.expectStatus("WS-APPEND-1", reply, 200);
      const batch = (reply.json ?? []) as { k?: unknown }[];
      keys.push(...batch.map((message) => message?.k));
      at += batch.length;
      if (reply.headers.get("stream-up-to-date") === "true" || batch.length === 0) break;
    }
    t.expectEqual(
      "WS-APPEND-1",
      keys,
      s.messages.map((message) => message.k),
      `${s.path} read over HTTP`,
    );
  }
}
