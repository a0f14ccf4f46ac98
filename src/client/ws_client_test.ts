import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createProblem } from "../protocol/problem.ts";
import { type Frame, scriptedSockets, until } from "../../test/client/fake_websocket.ts";
import type { StreamEvent } from "./stream_reader.ts";
import { WsClient } from "./ws_client.ts";
import type { WsClientOptions, WsStatus } from "./ws_client_options.ts";

const off = (n: number): string => String(n).padStart(16, "0");

function setup(options: Partial<WsClientOptions> = {}) {
  const { ctor, sockets } = scriptedSockets();
  const statuses: WsStatus[] = [];
  const client = new WsClient({
    url: "ws://test/v1/ws",
    WebSocket: ctor,
    backoff: { initialDelayMs: 0, maxDelayMs: 1, maxAttempts: 5 },
    onStatusChange: (s) => statuses.push(s),
    ...options,
  });
  return { client, sockets, statuses };
}

function data(sub: string, from: number, n: number, extra: Frame = {}): Frame {
  const messages = Array.from({ length: n }, (_, i) => ({ type: "t.n", n: from + i }));
  return { type: "data", sub, messages, nextOffset: off(from + n), ...extra };
}

describe("WsClient: handshake and frames", () => {
  test("offers the subprotocol, says hello first, then subscribes (WS-HANDSHAKE-1, WS-HELLO-1)", async () => {
    const { client, sockets } = setup({ client: { name: "test", version: "1" } });
    client.subscribe("a", {}, () => {});
    await until(() => sockets.length === 1);
    const socket = sockets[0];
    assert.deepEqual(socket.protocols, ["agent-stream.v1"]);
    socket.open();
    assert.deepEqual(socket.sent[0], {
      type: "hello",
      version: "1.0",
      client: { name: "test", version: "1" },
    });
    assert.deepEqual(socket.sent[1], { type: "subscribe", sub: "s1", path: "a", offset: off(0) });
    client.close();
  });

  test("connect() resolves on welcome; without a discovery document the base URL maps to ws(s)://…/v1/ws", async () => {
    const { ctor, sockets } = scriptedSockets();
    const notFound = () => Promise.resolve(new Response(null, { status: 404 }));
    const client = new WsClient({ baseUrl: "https://h/api", WebSocket: ctor, fetch: notFound });
    const ready = client.connect();
    await until(() => sockets.length === 1);
    assert.equal(sockets[0].url, "wss://h/api/v1/ws");
    sockets[0].open();
    sockets[0].receive({ type: "welcome", version: "1.0", session: "abc", heartbeatMs: 60000 });
    await ready;
    assert.equal(client.session, "abc");
    assert.equal(client.status, "open");
    client.close();
  });

  test("answers ping with pong and the same nonce (WS-HEARTBEAT-2)", async () => {
    const { client, sockets } = setup();
    const ready = client.connect();
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome();
    await ready;
    sockets[0].receive({ type: "ping", nonce: "n-41" });
    sockets[0].receive({ type: "ping" });
    assert.deepEqual(sockets[0].framesOf("pong"), [{ type: "pong", nonce: "n-41" }, {
      type: "pong",
    }]);
    client.close();
  });

  test("ignores unknown frame types, unknown members and unknown subscription ids (WS-FRAME-8/10/11)", async () => {
    const { client, sockets } = setup();
    const events: StreamEvent[] = [];
    client.subscribe("a", {}, (e) => events.push(e));
    await until(() => sockets.length === 1);
    const s = sockets[0];
    s.open();
    s.welcome();
    s.receive({ type: "rebalance", whatever: 1 });
    s.receive(data("s99", 0, 1));
    s.receive("not json");
    s.receive({ ...data("s1", 0, 2), later: "member" });
    assert.equal(events.length, 2);
    client.close();
  });
});

describe("WsClient: subscriptions", () => {
  test("delivers in order with exact raw text, acknowledges with a window, ends on closed (WS-FLOW-6)", async () => {
    const { client, sockets } = setup();
    const events: StreamEvent[] = [];
    const sub = client.subscribe("a", { window: 10 }, (e) => events.push(e));
    await until(() => sockets.length === 1);
    const s = sockets[0];
    s.open();
    s.welcome();
    s.receive({ type: "subscribed", sub: "s1", path: "a", offset: off(0), kind: "agent" });
    s.receive(
      '{"type":"data","sub":"s1","messages":[{"n":12345678901234567890}, {"n":1.10}],"nextOffset":"0000000000000002"}',
    );
    s.receive(data("s1", 2, 1, { upToDate: true, closed: true }));
    s.receive({ type: "unsubscribed", sub: "s1", reason: "closed" });
    assert.deepEqual(await sub.done, { reason: "closed" });
    assert.deepEqual(events.map((e) => e.raw), [
      '{"n":12345678901234567890}',
      '{"n":1.10}',
      '{"type":"t.n","n":2}',
    ]);
    assert.deepEqual(events.map((e) => e.offset), [off(0), off(1), off(2)]);
    assert.equal(sub.kind, "agent");
    assert.deepEqual(s.framesOf("ack"), [
      { type: "ack", sub: "s1", offset: off(2) },
      { type: "ack", sub: "s1", offset: off(3) },
    ]);
    assert.equal(sub.getMetrics().closed, true);
    client.close();
  });

  test("after a drop, reconnects and resubscribes from the last nextOffset with a fresh id (WS-RESUME-1)", async () => {
    const reconnecting: number[] = [];
    let reconnected = 0;
    const { client, sockets, statuses } = setup({
      onReconnecting: (attempt) => reconnecting.push(attempt),
      onReconnected: () => reconnected++,
    });
    const events: StreamEvent[] = [];
    const sub = client.subscribe("a", { offset: "-1" }, (e) => events.push(e));
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome();
    sockets[0].receive(data("s1", 0, 3));
    sockets[0].drop();
    await until(() => sockets.length === 2, 2000, "reconnect");
    const s = sockets[1];
    s.open();
    assert.equal(s.sent[0].type, "hello");
    assert.deepEqual(s.framesOf("subscribe"), [{
      type: "subscribe",
      sub: "s2",
      path: "a",
      offset: off(3),
    }]);
    s.welcome();
    s.receive(data("s1", 3, 1)); // a frame of the old subscription id: ignored
    s.receive(data("s2", 3, 2, { upToDate: true }));
    assert.deepEqual(events.map((e) => (e.message as { n: number }).n), [0, 1, 2, 3, 4]);
    assert.equal(sub.nextOffset, off(5));
    assert.ok(statuses.includes("reconnecting"));
    assert.deepEqual(reconnecting, [1]);
    assert.equal(reconnected, 1);
    assert.equal(statuses.at(-1), "open");
    client.close();
    assert.deepEqual(await sub.done, { reason: "client" });
  });

  test("does not resubscribe a subscription whose stream was closed", async () => {
    const { client, sockets } = setup();
    const sub = client.subscribe("a", {}, () => {});
    const other = client.subscribe("b", {}, () => {});
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome();
    sockets[0].receive(data("s1", 0, 1, { closed: true, upToDate: true }));
    assert.deepEqual(await sub.done, { reason: "closed" });
    sockets[0].drop();
    await until(() => sockets.length === 2);
    sockets[1].open();
    assert.deepEqual(sockets[1].framesOf("subscribe").map((f) => f.path), ["b"]);
    client.close();
    await other.done;
  });

  test("drops duplicates, repairs a gap by subscribing again, resumes after overflow (WS-OVERFLOW-5)", async () => {
    const { client, sockets } = setup();
    const seen: number[] = [];
    const sub = client.subscribe("a", {}, (e) => seen.push(Number(e.offset)));
    await until(() => sockets.length === 1);
    const s = sockets[0];
    s.open();
    s.welcome();
    s.receive(data("s1", 0, 3));
    s.receive(data("s1", 1, 3)); // overlaps 1..2, brings 3
    s.receive(data("s1", 6, 1)); // gap: 4..5 missing
    await until(() => s.framesOf("subscribe").length === 2);
    assert.deepEqual(s.framesOf("unsubscribe"), [{ type: "unsubscribe", sub: "s1" }]);
    assert.deepEqual(s.framesOf("subscribe")[1], {
      type: "subscribe",
      sub: "s2",
      path: "a",
      offset: off(4),
    });
    s.receive(data("s2", 4, 2));
    s.receive({
      type: "error",
      sub: "s2",
      problem: createProblem("subscriber-overflow"),
      resumeOffset: off(6),
    });
    await until(() => s.framesOf("subscribe").length === 3);
    assert.equal(s.framesOf("subscribe")[2].offset, off(6));
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
    const metrics = sub.getMetrics();
    assert.equal(metrics.duplicates, 2);
    assert.equal(metrics.gaps, 1);
    client.close();
  });

  test("a final error ends the subscription with it; a transient one is retried", async () => {
    const { client, sockets } = setup();
    const missing = client.subscribe("missing", {}, () => {});
    const busy = client.subscribe("busy", {}, () => {});
    await until(() => sockets.length === 1);
    const s = sockets[0];
    s.open();
    s.welcome();
    s.receive({ type: "error", sub: "s1", problem: createProblem("stream-not-found") });
    await assert.rejects(missing.done, { code: "stream-not-found" });
    s.receive({
      type: "error",
      sub: "s2",
      problem: createProblem("subscriber-limit", { retryAfterMs: 5 }),
    });
    await until(() => s.framesOf("subscribe").length === 3);
    assert.equal(s.framesOf("subscribe")[2].path, "busy");
    client.close();
    await busy.done;
  });

  test("unsubscribe waits for the server's confirmation and drops frames meanwhile (WS-UNSUB-5)", async () => {
    const { client, sockets } = setup();
    const seen: number[] = [];
    const sub = client.subscribe("a", {}, (e) => seen.push(Number(e.offset)));
    await until(() => sockets.length === 1);
    const s = sockets[0];
    s.open();
    s.welcome();
    s.receive(data("s1", 0, 1));
    const leaving = sub.unsubscribe();
    assert.deepEqual(s.framesOf("unsubscribe"), [{ type: "unsubscribe", sub: "s1" }]);
    s.receive(data("s1", 1, 1));
    s.receive({ type: "unsubscribed", sub: "s1", reason: "client" });
    await leaving;
    assert.deepEqual(await sub.done, { reason: "client" });
    assert.deepEqual(seen, [0]);
    client.close();
  });

  test("an aborted signal ends the subscription with its reason", async () => {
    const { client, sockets } = setup();
    const controller = new AbortController();
    const sub = client.subscribe("a", { signal: controller.signal }, () => {});
    await until(() => sockets.length === 1);
    controller.abort(new Error("enough"));
    await assert.rejects(sub.done, /enough/);
    client.close();
  });
});

describe("WsClient: appends", () => {
  test("resolves appended by req and rejects error by req (WS-APPEND-2)", async () => {
    const { client, sockets } = setup();
    const ok = client.append("a", [{ x: 1 }], { close: true });
    const bad = client.append("a", [{ x: 2 }]);
    await until(() => sockets.length === 1);
    const s = sockets[0];
    s.open();
    const [first, second] = s.framesOf("append");
    assert.deepEqual(first, {
      type: "append",
      req: "r1",
      path: "a",
      messages: [{ x: 1 }],
      close: true,
    });
    assert.equal(second.req, "r2");
    s.receive({ type: "appended", req: "r2", nextOffset: off(9), closed: true });
    s.receive({ type: "error", req: "r2", problem: createProblem("stream-closed") });
    s.receive({ type: "appended", req: "r1", nextOffset: off(1), closed: true });
    assert.deepEqual(await ok, { nextOffset: off(1), closed: true, duplicate: false });
    assert.deepEqual(await bad, { nextOffset: off(9), closed: true, duplicate: false });
    client.close();
  });

  test("a plain append unanswered when the connection drops fails with connection-lost (WS-APPEND-16)", async () => {
    const { client, sockets } = setup();
    const pending = client.append("a", [1]);
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].drop();
    await assert.rejects(pending, { code: "connection-lost" });
    await until(() => sockets.length === 2);
    sockets[1].open();
    assert.deepEqual(sockets[1].framesOf("append"), []);
    client.close();
  });

  test("a producer append is sent again after a drop, with the same numbers", async () => {
    const { client, sockets } = setup();
    const producer = client.producer("a", { id: "p", epoch: 1 });
    const result = producer.append([{ x: 1 }]);
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].drop();
    await until(() => sockets.length === 2);
    sockets[1].open();
    const [again] = sockets[1].framesOf("append");
    assert.deepEqual(again.producer, { id: "p", epoch: 1, seq: 0 });
    assert.deepEqual(again.producer, sockets[0].framesOf("append")[0].producer);
    sockets[1].receive({
      type: "appended",
      req: again.req,
      nextOffset: off(1),
      duplicate: true,
      producer: { epoch: 1, seq: 0 },
    });
    assert.equal((await result).duplicate, true);
    assert.equal(producer.nextSeq, 1);
    client.close();
  });
});

describe("WsClient: connection health and closing", () => {
  test("a connection silent for twice the heartbeat is closed and replaced (WS-HEARTBEAT-4)", async () => {
    const { client, sockets } = setup();
    const sub = client.subscribe("a", {}, () => {});
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome(10);
    await until(() => sockets.length === 2, 1000, "reconnect after silence");
    assert.equal(sockets[0].closedWith?.code, 4000);
    client.close();
    await sub.done;
  });

  test("goodbye with reconnect waits at least retryAfterMs (WS-CLOSE-5)", async () => {
    const { client, sockets } = setup();
    client.subscribe("a", {}, () => {});
    await until(() => sockets.length === 1);
    sockets[0].open();
    sockets[0].welcome();
    sockets[0].receive({ type: "goodbye", reconnect: true, retryAfterMs: 80 });
    const closedAt = Date.now();
    sockets[0].drop(1012);
    await until(() => sockets.length === 2);
    assert.ok(Date.now() - closedAt >= 75, `reconnected after ${Date.now() - closedAt} ms`);
    client.close();
  });

  test("goodbye without reconnect, or close code 1008, ends everything (WS-CLOSE-6)", async () => {
    for (const end of ["goodbye", "1008"] as const) {
      const { client, sockets, statuses } = setup();
      const sub = client.subscribe("a", {}, () => {});
      await until(() => sockets.length === 1);
      sockets[0].open();
      sockets[0].welcome();
      if (end === "goodbye") {
        sockets[0].receive({
          type: "goodbye",
          reconnect: false,
          problem: createProblem("unavailable"),
        });
        sockets[0].drop(1001);
      } else {
        sockets[0].drop(1008, "policy");
      }
      await assert.rejects(sub.done);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(sockets.length, 1, `${end}: no reconnect`);
      assert.equal(statuses.at(-1), "closed");
      await assert.rejects(client.append("a", [1]));
    }
  });

  test("gives up after maxAttempts failed connections", async () => {
    let failed = 0;
    const { client, sockets } = setup({
      backoff: { initialDelayMs: 0, maxAttempts: 2 },
      onReconnectFailed: () => failed++,
    });
    const sub = client.subscribe("a", {}, () => {});
    for (let i = 1; i <= 3; i++) {
      await until(() => sockets.length === i);
      sockets[i - 1].drop();
    }
    await assert.rejects(sub.done, { code: "network" });
    assert.equal(sockets.length, 3);
    assert.equal(failed, 1);
  });
});
