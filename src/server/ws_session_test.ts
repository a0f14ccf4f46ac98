import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness, slugOf, tick } from "./_ws_test_support.ts";

describe("WsSession: hello and welcome", () => {
  it("WS-HELLO-3 WS-HELLO-4 WS-HELLO-8: answers hello with welcome first, with a unique session", async () => {
    const a = await harness({ hello: false, timing: { heartbeatMs: 5000 } });
    const b = await harness({ hello: false });
    try {
      a.send({ type: "hello", version: "1.0", client: { name: "t" }, extra: 1 });
      b.send({ type: "hello", version: "1.7" });
      const wa = await a.next();
      const wb = await b.next();
      assert.equal(wa.type, "welcome");
      assert.equal(wa.version, "1.0");
      assert.equal(wa.heartbeatMs, 5000);
      assert.equal(wb.version, "1.0", "a higher minor gets the highest spoken");
      assert.notEqual(wa.session, wb.session);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it("WS-HELLO-2: frames sent right after hello are processed in order after welcome", async () => {
    const h = await harness({ hello: false });
    try {
      await h.store.create("a");
      h.send({ type: "hello", version: "1.0" });
      h.send({ type: "ping", nonce: "1" });
      h.send({ type: "subscribe", sub: "s", path: "a" });
      h.send({ type: "ping", nonce: "2" });
      await h.until(() => h.transport.frames.length >= 5);
      assert.deepEqual(
        h.take().map((f) => f.type + (f.nonce ?? "")),
        ["welcome", "pong1", "subscribed", "data", "pong2"],
      );
    } finally {
      await h.dispose();
    }
  });

  for (
    const [name, first] of [
      ["binary", new Uint8Array([1, 2, 3])],
      ["not JSON", "hello"],
      ["not an object", "[1]"],
      ["no type", '{"version":"1.0"}'],
      ["another type", '{"type":"subscribe","sub":"s","path":"a"}'],
      ["an unknown type", '{"type":"from-the-future"}'],
      ["an invalid hello", '{"type":"hello","version":"1.0","client":7}'],
    ] as const
  ) {
    it(`WS-HELLO-5: a first frame that is ${name} gets invalid-frame and close 1008`, async () => {
      const h = await harness({ hello: false });
      try {
        h.session.receive(first);
        h.session.receive('{"type":"hello","version":"1.0"}');
        await h.settle();
        const frames = h.take();
        assert.equal(frames.length, 1);
        assert.equal(frames[0].type, "error");
        assert.equal(slugOf(frames[0]), "invalid-frame");
        assert.equal(h.transport.closeCode, 1008);
      } finally {
        await h.dispose();
      }
    });
  }

  for (const version of ["2.0", "1", "v1.0", 10, undefined]) {
    it(`WS-HELLO-6: hello with version ${JSON.stringify(version)} gets unsupported-version and 1008`, async () => {
      const h = await harness({ hello: false });
      try {
        h.send({ type: "hello", version });
        await h.settle();
        const [error, ...rest] = h.take();
        assert.equal(rest.length, 0);
        assert.equal(slugOf(error), "unsupported-version");
        assert.deepEqual(error.problem.supported, ["1.0"]);
        assert.equal(h.transport.closeCode, 1008);
      } finally {
        await h.dispose();
      }
    });
  }

  it("WS-HELLO-7: a second hello gets invalid-frame and the connection stays open", async () => {
    const h = await harness();
    try {
      h.send({ type: "hello", version: "1.0" });
      const error = await h.next();
      assert.equal(slugOf(error), "invalid-frame");
      h.send({ type: "ping" });
      assert.equal((await h.next()).type, "pong");
      assert.equal(h.transport.closeCode, undefined);
    } finally {
      await h.dispose();
    }
  });

  it("section 5: a connection without hello is closed with 1008 after the hello timeout", async () => {
    const h = await harness({ hello: false, helloTimeoutMs: 20 });
    try {
      await h.until(() => h.transport.closeCode !== undefined);
      assert.equal(h.transport.closeCode, 1008);
      assert.equal(slugOf(h.take()[0]), "invalid-frame"); // WS-CLOSE-8
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: frames", () => {
  it("WS-FRAME-3: a binary frame gets invalid-frame and the connection stays open", async () => {
    const h = await harness();
    try {
      h.session.receive(new Uint8Array([123, 125]).buffer);
      const error = await h.next();
      assert.equal(slugOf(error), "invalid-frame");
      assert.equal(h.transport.closeCode, undefined);
    } finally {
      await h.dispose();
    }
  });

  for (const junk of ["{", "null", "42", '"x"', "[]", '{"type":7}', "{}"]) {
    it(`WS-FRAME-4: ${junk} gets invalid-frame without req or sub`, async () => {
      const h = await harness();
      try {
        h.send(junk);
        const error = await h.next();
        assert.equal(slugOf(error), "invalid-frame");
        assert.equal(error.req, undefined);
        assert.equal(error.sub, undefined);
        assert.equal(h.transport.closeCode, undefined);
      } finally {
        await h.dispose();
      }
    });
  }

  it("WS-FRAME-5 WS-FRAME-6: an invalid known frame gets invalid-frame carrying its req or sub", async () => {
    const h = await harness();
    try {
      h.send({ type: "append", req: "r1", path: "a", messages: [1], close: "yes" });
      h.send({ type: "append", req: "not a token!", path: "a" });
      h.send({ type: "subscribe", sub: "s1", path: "a", window: 0 });
      h.send({ type: "ack", sub: "s2", offset: "12" });
      h.send({ type: "ping", nonce: 5 });
      await h.until(() => h.transport.frames.length >= 6);
      const [r1, bad, s1, s2, ping] = h.take();
      assert.deepEqual(
        [r1, bad, s1, s2, ping].map((f) => [slugOf(f), f.req, f.sub]),
        [
          ["invalid-frame", "r1", undefined],
          ["invalid-frame", undefined, undefined],
          ["invalid-frame", undefined, "s1"],
          ["invalid-frame", undefined, "s2"],
          ["invalid-frame", undefined, undefined],
        ],
      );
      assert.ok(r1.problem.errors.some((e: { path: string }) => e.path === "/close"));
      assert.equal(s1.resumeOffset, undefined, "WS-ERROR-4: no subscription ended");
    } finally {
      await h.dispose();
    }
  });

  it("WS-FRAME-7 WS-FRAME-9: unknown frame types are ignored, unknown members too", async () => {
    const h = await harness();
    try {
      h.send({ type: "resume", sub: "s1" });
      h.send({ type: "welcome" });
      h.send({ type: "ping", nonce: "x", future: { a: 1 } });
      const pong = await h.next();
      assert.deepEqual(pong, { type: "pong", nonce: "x" });
      await h.settle();
      assert.deepEqual(h.take(), []);
    } finally {
      await h.dispose();
    }
  });

  it("WS-FRAME-12 WS-FRAME-13: a frame over maxWsFrameBytes closes with 1009, one at it does not", async () => {
    const max = 64;
    const h = await harness({ limits: { maxWsFrameBytes: max } });
    try {
      const exact = JSON.stringify({ type: "ping", nonce: "é".repeat(19) });
      assert.equal(new TextEncoder().encode(exact).length, 64);
      h.send(exact);
      assert.equal((await h.next()).type, "pong");
      h.session.receive(new Uint8Array(max));
      assert.equal(slugOf(await h.next()), "invalid-frame");
      h.send(JSON.stringify({ type: "ping", nonce: "é".repeat(20) }));
      await h.settle();
      assert.equal(h.transport.closeCode, 1009);
    } finally {
      await h.dispose();
    }
  });

  it("WS-FRAME-12: a binary frame over the limit closes with 1009, even before hello", async () => {
    const h = await harness({ hello: false, limits: { maxWsFrameBytes: 10 } });
    try {
      h.session.receive(new Uint8Array(11));
      assert.equal(h.transport.closeCode, 1009);
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: heartbeats", () => {
  it("WS-HEARTBEAT-1: pings after heartbeatMs of silence, not while frames flow", async () => {
    const h = await harness({ timing: { heartbeatMs: 40 } });
    try {
      const started = Date.now();
      for (let i = 0; i < 6; i++) {
        h.send({ type: "ping", nonce: String(i) });
        await tick(15);
      }
      const pongs = h.take();
      assert.ok(pongs.every((f) => f.type === "pong"), "no ping while the server keeps talking");
      const ping = await h.next((f) => f.type === "ping", 1000);
      assert.equal(typeof ping.nonce, "string");
      assert.ok(Date.now() - started >= 40);
    } finally {
      await h.dispose();
    }
  });

  it("WS-HEARTBEAT-3: answers ping with pong carrying the same nonce, or none", async () => {
    const h = await harness();
    try {
      h.send({ type: "ping", nonce: "n-41" });
      h.send({ type: "ping" });
      assert.deepEqual(await h.next(), { type: "pong", nonce: "n-41" });
      assert.deepEqual(await h.next(), { type: "pong" });
    } finally {
      await h.dispose();
    }
  });

  it("WS-HEARTBEAT-5: closes a connection that stays silent 2 × heartbeatMs after a ping", async () => {
    const h = await harness({ timing: { heartbeatMs: 20 } });
    try {
      await h.until(() => h.transport.closeCode !== undefined, 1000);
      const frames = h.take();
      assert.ok(frames.some((f) => f.type === "ping"));
      assert.equal(frames.at(-1)?.type, "goodbye");
    } finally {
      await h.dispose();
    }
  });

  it("WS-HEARTBEAT-5: a peer that answers pings stays connected", async () => {
    const h = await harness({ timing: { heartbeatMs: 20 } });
    try {
      const until = Date.now() + 150;
      while (Date.now() < until) {
        for (const f of h.take()) if (f.type === "ping") h.send({ type: "pong", nonce: f.nonce });
        await tick(2);
      }
      assert.equal(h.transport.closeCode, undefined);
    } finally {
      await h.dispose();
    }
  });
});

describe("WsSession: closing", () => {
  it("WS-CLOSE-1 WS-CLOSE-2 WS-CLOSE-4: goodbye(true) then 1012 and nothing after", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      h.send({ type: "subscribe", sub: "s", path: "a" });
      await h.next((f) => f.type === "data");
      h.session.goodbye(true, 2500);
      h.send({ type: "ping" });
      await h.store.append("a", { messages: [new TextEncoder().encode("1")] });
      await h.settle();
      const frames = h.take();
      assert.equal(frames.length, 1);
      assert.equal(frames[0].type, "goodbye");
      assert.equal(frames[0].reconnect, true);
      assert.equal(frames[0].retryAfterMs, 2500);
      assert.equal(frames[0].problem.retryAfterMs, 2500, "ERR-WS-1");
      assert.equal(h.transport.closeCode, 1012);
      assert.equal(h.ctx.subscribers.total, 0, "the subscription ended");
    } finally {
      await h.dispose();
    }
  });

  it("WS-CLOSE-3: goodbye(false) closes with 1001", async () => {
    const h = await harness();
    try {
      h.session.goodbye(false);
      assert.deepEqual(h.take(), [{ type: "goodbye", reconnect: false }]);
      assert.equal(h.transport.closeCode, 1001);
    } finally {
      await h.dispose();
    }
  });

  it("WS-CLOSE-1: aborting ctx.shutdown says goodbye", async () => {
    const h = await harness();
    try {
      h.shutdown.abort();
      assert.deepEqual(h.take(), [{ type: "goodbye", reconnect: true }]);
      assert.equal(h.transport.closeCode, 1012);
    } finally {
      await h.dispose();
    }
  });

  it("WS-CLOSE-3: an abort reason { reconnect: false, retryAfterMs } shapes the goodbye", async () => {
    const h = await harness();
    try {
      h.shutdown.abort({ reconnect: false, retryAfterMs: 500 });
      const [goodbye, ...rest] = h.take();
      assert.deepEqual(rest, []);
      assert.deepEqual([goodbye.reconnect, goodbye.retryAfterMs], [false, 500]);
      assert.equal(h.transport.closeCode, 1001);
    } finally {
      await h.dispose();
    }
  });

  it("section 12: closed() ends every subscription and frees its subscriber slot", async () => {
    const h = await harness();
    try {
      await h.store.create("a");
      await h.store.create("b");
      h.send({ type: "subscribe", sub: "s1", path: "a" });
      h.send({ type: "subscribe", sub: "s2", path: "b" });
      await h.until(() => h.ctx.subscribers.total === 2);
      h.disconnect();
      assert.equal(h.ctx.subscribers.total, 0);
      await h.store.append("a", { messages: [new TextEncoder().encode("1")] });
      await h.settle();
      assert.ok(h.take().every((f) => f.type !== "data" || f.messages.length === 0));
    } finally {
      await h.dispose();
    }
  });
});
