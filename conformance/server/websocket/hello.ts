// websocket.md §5: hello and welcome.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  describe,
  fcToken,
  fcUnknownType,
  framesOf,
  isError,
  isFrame,
  nextReply,
  openSession,
  parses,
  roundTrip,
  untilClose,
} from "./_connection_kit.ts";

/** What the client sends right after `hello`, before `welcome` can have arrived. */
type EarlyFrame =
  | { readonly kind: "ping" }
  | { readonly kind: "append" }
  | { readonly kind: "unknown"; readonly type: string };

/** First frames that are not a valid `hello` and whose `version`, if any, is of the form 1.<minor>. */
function fcBadFirstFrame(): fc.Arbitrary<string | Uint8Array> {
  const json = (value: unknown) => JSON.stringify(value);
  return fc.oneof(
    fc.uint8Array({ maxLength: 32 }),
    fc.string({ maxLength: 30 }).filter((s) => !parses(s)),
    fc.constantFrom("", "{", "hello", '{"type":"hello","version":"1.0"'),
    fc.jsonValue({ maxDepth: 2 }).filter((value) => !isFrame(value)).map(json),
    fc.record({ version: fc.constant("1.0"), type: fc.oneof(fc.integer(), fc.constant(null)) })
      .map(json),
    fc.record({ type: fcUnknownType(), version: fc.constant("1.0") }).map(json),
    fc.constantFrom(
      { type: "ping" },
      { type: "pong", nonce: "n" },
      { type: "subscribe", sub: "s1", path: "conformance/none" },
      { type: "unsubscribe", sub: "s1" },
      { type: "ack", sub: "s1", offset: "0000000000000000" },
      { type: "append", req: "r1", path: "conformance/none", messages: [1] },
      { type: "welcome", version: "1.0", session: "x", heartbeatMs: 1000 },
      { type: "hello", version: "1.0", client: 5 },
      { type: "hello", version: "1.0", client: { name: 7 } },
    ).map(json),
  );
}

/** `version` values not of the form 1.<minor>; `undefined` leaves the member out. */
function fcBadVersion(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(undefined, null, 1, 1.0, ["1.0"], "2.0", "1", "1.", "1.x", "v1.0"),
    fc.constantFrom("1.0.0", " 1.0", "1.0 ", "0.9", "10.0", "1.-1", "1.+1", "", "1,0"),
    fc.string({ maxLength: 8 }).filter((s) => !/^1\.[0-9]+$/.test(s)),
  );
}

/** Checks of websocket.md §5 (hello and welcome). */
export const websocketHelloChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.hello.welcome-first-then-in-order",
    title: "welcome comes first; frames sent before it are then processed in order",
    section: "websocket.md §5",
    requirements: ["WS-HELLO-2", "WS-HELLO-3"],
    features: ["websocket"],
    async run(t) {
      const early: fc.Arbitrary<EarlyFrame> = fc.oneof(
        fc.constant({ kind: "ping" as const }),
        fc.constant({ kind: "append" as const }),
        fcUnknownType().map((type) => ({ kind: "unknown" as const, type })),
      );
      await t.property(fc.array(early, { minLength: 1, maxLength: 8 }), async (frames, run) => {
        const path = run.stream("early");
        const url = await run.createStream(path);
        const ws = await run.ws();
        if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
        ws.send({ type: "hello", version: "1.0" });
        const nonces: string[] = [];
        const reqs: string[] = [];
        frames.forEach((frame, i) => {
          if (frame.kind === "ping") {
            nonces.push(`early-${i}`);
            ws.send({ type: "ping", nonce: `early-${i}` });
          } else if (frame.kind === "append") {
            reqs.push(`r${i}`);
            ws.send({ type: "append", req: `r${i}`, path, messages: [{ n: i }] });
          } else ws.send({ type: frame.type, n: i });
        });
        const first = await ws.next(run.timeoutMs);
        run.expect(
          "WS-HELLO-3",
          first.kind === "frame" && isFrame(first.frame) && first.frame.type === "welcome",
          `the first frame after hello is ${describe(first)}, not welcome`,
        );
        const pongs: unknown[] = [];
        const answered = new Set<unknown>();
        while (pongs.length < nonces.length || answered.size < reqs.length) {
          const next = await nextReply(ws, run.timeoutMs);
          if (next.kind !== "frame" || !isFrame(next.frame)) {
            run.expect(
              "WS-HELLO-2",
              next.kind === "frame" || next.kind === "binary",
              `${describe(next)} after ${pongs.length} of ${nonces.length} pongs and ` +
                `${answered.size} of ${reqs.length} append answers`,
            );
            continue;
          }
          const frame = next.frame;
          if (frame.type === "pong") pongs.push(frame.nonce);
          if (frame.type === "appended" || (frame.type === "error" && "req" in frame)) {
            run.expect("WS-HELLO-2", frame.type === "appended", `append ${frame.req} failed`);
            answered.add(frame.req);
          }
        }
        run.expectEqual("WS-HELLO-2", pongs, nonces, "the pongs, in order");
        const read = await run.http.request("GET", run.streamUrl(path, { offset: "-1" }));
        run.expectEqual(
          "WS-HELLO-2",
          read.json,
          reqs.map((req) => ({ n: Number(req.slice(1)) })),
          `the messages of ${url}, in the order their appends were sent`,
        );
      });
    },
  }),
  defineCheck({
    id: "websocket.hello.version",
    title: "welcome.version is the highest served minor not above the client's (or the lowest)",
    section: "websocket.md §5, versioning.md §2",
    requirements: ["WS-HELLO-4"],
    features: ["websocket"],
    async run(t) {
      const served = t.discovery.versions.filter((v) => /^1\.[0-9]+$/.test(v))
        .map((v) => Number(v.split(".")[1])).sort((a, b) => a - b);
      if (served.length === 0) throw new Error("the discovery document lists no version 1.x");
      const minors = fc.oneof(fc.constantFrom(...served), fc.nat({ max: 40 }));
      await t.property(minors, async (minor, run) => {
        const { welcome } = await openSession(run, `1.${minor}`);
        const below = served.filter((m) => m <= minor);
        const expected = `1.${below.length > 0 ? below.at(-1) : served[0]}`;
        run.expectEqual("WS-HELLO-4", welcome.version, expected, `welcome.version for 1.${minor}`);
      }, { numRuns: 8 });
    },
  }),
  defineCheck({
    id: "websocket.hello.bad-first-frame",
    title: "a first frame that is not a valid hello gets invalid-frame, then close 1008",
    section: "websocket.md §5",
    requirements: ["WS-HELLO-5"],
    features: ["websocket"],
    async run(t) {
      await t.property(fcBadFirstFrame(), async (frame, run) => {
        const ws = await run.ws();
        if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
        ws.send(frame);
        const { items, code } = await untilClose(ws, run.timeoutMs);
        const frames = framesOf(items);
        run.expect(
          "WS-HELLO-5",
          !frames.some((f) => f.type === "welcome"),
          "the server welcomed a bad first frame",
        );
        run.expect(
          "WS-HELLO-5",
          frames.some((f) => isError(f, "invalid-frame")),
          `no invalid-frame error before the close (got ${items.map(describe).join(", ")})`,
        );
        run.expectEqual("WS-HELLO-5", code, 1008, "the close code");
      });
    },
  }),
  defineCheck({
    id: "websocket.hello.unsupported-version",
    title:
      "a hello whose version is not 1.<minor> gets unsupported-version with supported, then 1008",
    section: "websocket.md §5",
    requirements: ["WS-HELLO-6"],
    features: ["websocket"],
    async run(t) {
      await t.property(fcBadVersion(), async (version, run) => {
        const ws = await run.ws();
        if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
        ws.send(version === undefined ? { type: "hello" } : { type: "hello", version });
        const { items, code } = await untilClose(ws, run.timeoutMs);
        const error = framesOf(items).find((f) => isError(f, "unsupported-version"));
        run.expect(
          "WS-HELLO-6",
          error !== undefined,
          `no unsupported-version error (got ${items.map(describe).join(", ") || "nothing"})`,
        );
        const supported = (error!.problem as { supported?: unknown }).supported;
        run.expectEqual(
          "WS-HELLO-6",
          Array.isArray(supported) ? [...supported].sort() : supported,
          [...run.discovery.versions].sort(),
          "problem.supported against the discovery document's versions",
        );
        run.expectEqual("WS-HELLO-6", code, 1008, "the close code");
      });
    },
  }),
  defineCheck({
    id: "websocket.hello.again",
    title: "a hello after welcome gets invalid-frame and the connection stays open",
    section: "websocket.md §5",
    requirements: ["WS-HELLO-7"],
    features: ["websocket"],
    async run(t) {
      const hello = fc.record({
        type: fc.constant("hello"),
        version: fc.oneof(fc.constant("1.0"), fc.nat({ max: 9 }).map((m) => `1.${m}`)),
        client: fc.record({ name: fcToken() }, { requiredKeys: [] }),
      }, { requiredKeys: ["type", "version"] });
      await t.property(hello, async (frame, run) => {
        const { ws } = await openSession(run);
        ws.send(frame);
        const trip = await roundTrip(ws, run.timeoutMs);
        const frames = framesOf(trip.items);
        run.expect(
          "WS-HELLO-7",
          frames.some((f) => isError(f, "invalid-frame")),
          `no invalid-frame error for the second hello (got ${
            trip.items.map(describe).join(", ") || "nothing"
          })`,
        );
        run.expect(
          "WS-HELLO-7",
          trip.end === "pong",
          trip.end === "close" ? `the connection closed (${trip.code})` : "no pong afterwards",
        );
      });
    },
  }),
  defineCheck({
    id: "websocket.hello.session-unique",
    title: "concurrent connections get distinct welcome.session tokens",
    section: "websocket.md §5",
    requirements: ["WS-HELLO-8"],
    features: ["websocket"],
    async run(t) {
      await t.property(fc.integer({ min: 2, max: 10 }), async (count, run) => {
        const sessions = await Promise.all(
          Array.from({ length: count }, () => openSession(run)),
        );
        const tokens = sessions.map((s) => s.welcome.session);
        run.expectEqual(
          "WS-HELLO-8",
          new Set(tokens).size,
          count,
          `distinct sessions among ${JSON.stringify(tokens)}`,
        );
      }, { numRuns: 5 });
    },
  }),
];
