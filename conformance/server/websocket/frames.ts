// websocket.md §4: frames (encoding, unusable frames, forward compatibility, size).

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { WsNext } from "../../ws_probe.ts";
import {
  describe,
  fcExtraMembers,
  fcUnknownType,
  type Frame,
  frameDefect,
  framesOf,
  isError,
  isFrame,
  nextReply,
  openSession,
  pingOfBytes,
  roundTrip,
  untilClose,
  utf8Bytes,
} from "./_connection_kit.ts";
import {
  fcInvalidKnownFrame,
  fcNotAFrame,
  fcSessionScript,
  sessionFrames,
  SIZES,
} from "./_frame_arbitraries.ts";

/** Checks of websocket.md §4 (frames). */
export const websocketFramesChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.frames.server-frames-valid",
    title: "every frame the server sends is a text frame valid against ws-server-frame.schema.json",
    section: "websocket.md §4.1",
    requirements: ["WS-FRAME-1"],
    features: ["websocket"],
    async run(t) {
      await t.property(fcSessionScript(), async (script, run) => {
        const path = run.stream("frames");
        await run.createStream(path);
        await run.http.request("POST", run.streamUrl(path), { body: { json: [{ n: 0 }, 1] } });
        const ws = await run.ws();
        if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
        ws.send({ type: "hello", version: "1.0" });
        for (const frame of sessionFrames(script, path)) ws.send(frame);
        const seen: WsNext[] = [await ws.next(run.timeoutMs)];
        const trip = await roundTrip(ws, run.timeoutMs);
        seen.push(...trip.items);
        for (const next of seen) {
          const defect = frameDefect(next);
          run.expect("WS-FRAME-1", defect === undefined, `the server sent ${defect}`);
        }
      });
    },
  }),
  defineCheck({
    id: "websocket.frames.binary",
    title: "a binary frame gets an invalid-frame error and the connection stays open",
    section: "websocket.md §4.2",
    requirements: ["WS-FRAME-3"],
    features: ["websocket"],
    async run(t) {
      await t.property(fc.uint8Array({ maxLength: 64 }), async (bytes, run) => {
        const { ws } = await openSession(run);
        ws.send(bytes);
        const trip = await roundTrip(ws, run.timeoutMs);
        run.expect(
          "WS-FRAME-3",
          framesOf(trip.items).some((f) => isError(f, "invalid-frame")),
          `no invalid-frame error (got ${trip.items.map(describe).join(", ") || "nothing"})`,
        );
        run.expect(
          "WS-FRAME-3",
          trip.end === "pong",
          trip.end === "close" ? `the connection closed (${trip.code})` : "no pong afterwards",
        );
      });
    },
  }),
  defineCheck({
    id: "websocket.frames.not-a-frame",
    title: "text that is not a JSON object with a string type gets invalid-frame without req/sub",
    section: "websocket.md §4.2",
    requirements: ["WS-FRAME-4"],
    features: ["websocket"],
    async run(t) {
      await t.property(fcNotAFrame(), async (text, run) => {
        const { ws } = await openSession(run);
        ws.send(text);
        const trip = await roundTrip(ws, run.timeoutMs);
        const error = framesOf(trip.items).find((f) => isError(f));
        run.expect(
          "WS-FRAME-4",
          error !== undefined && isError(error, "invalid-frame"),
          `${JSON.stringify(text)} was answered with ${
            trip.items.map(describe).join(", ") || "nothing"
          }, not an invalid-frame error`,
        );
        run.expect(
          "WS-FRAME-4",
          !("req" in error!) && !("sub" in error!),
          `the error carries req or sub: ${JSON.stringify(error)}`,
        );
      });
    },
  }),
  defineCheck({
    id: "websocket.frames.invalid-known-type",
    title:
      "a known frame type that breaks its schema gets invalid-frame, with its valid req or sub",
    section: "websocket.md §4.2",
    requirements: ["WS-FRAME-5", "WS-FRAME-6"],
    features: ["websocket"],
    async run(t) {
      await t.property(fcInvalidKnownFrame(), async ({ frame, id }, run) => {
        const { ws } = await openSession(run);
        ws.send(frame);
        const trip = await roundTrip(ws, run.timeoutMs);
        const errors = framesOf(trip.items).filter((f) => isError(f));
        run.expect(
          "WS-FRAME-5",
          errors.length === 1 && isError(errors[0], "invalid-frame"),
          `${JSON.stringify(frame)} was answered with ${
            trip.items.map(describe).join(", ") || "nothing"
          }, not one invalid-frame error`,
        );
        if (id !== undefined) {
          run.expectEqual(
            "WS-FRAME-6",
            errors[0][id.member],
            id.value,
            `the error's ${id.member}`,
          );
        }
      });
    },
  }),
  defineCheck({
    id: "websocket.frames.unknown-type",
    title: "frames of unknown types after welcome get no answer; the connection stays open",
    section: "websocket.md §4.3",
    requirements: ["WS-FRAME-7"],
    features: ["websocket"],
    async run(t) {
      const unknown = fc.tuple(fcUnknownType(), fc.option(fcExtraMembers(), { nil: undefined }))
        .map(([type, extra]) => ({ ...extra, type }));
      await t.property(fc.array(unknown, { minLength: 1, maxLength: 3 }), async (frames, run) => {
        const { ws } = await openSession(run);
        for (const frame of frames) ws.send(frame);
        const trip = await roundTrip(ws, run.timeoutMs);
        run.expect(
          "WS-FRAME-7",
          trip.items.length === 0,
          `the server answered: ${trip.items.map(describe).join(", ")}`,
        );
        run.expect(
          "WS-FRAME-7",
          trip.end === "pong",
          trip.end === "close" ? `the connection closed (${trip.code})` : "no pong afterwards",
        );
      }, { numRuns: 10 });
    },
  }),
  defineCheck({
    id: "websocket.frames.unknown-members",
    title: "members a frame does not define are ignored: hello, ping, subscribe, append work alike",
    section: "websocket.md §4.3",
    requirements: ["WS-FRAME-9"],
    features: ["websocket"],
    async run(t) {
      const extras = fc.record({
        hello: fcExtraMembers(),
        client: fcExtraMembers(),
        ping: fcExtraMembers(),
        subscribe: fcExtraMembers(),
        append: fcExtraMembers(),
        nonce: fc.string({ maxLength: 10 }),
      });
      await t.property(extras, async (extra, run) => {
        const path = run.stream("members");
        await run.createStream(path);
        const ws = await run.ws();
        if (!ws.isOpen) throw new Error("the WebSocket handshake did not complete");
        ws.send({ ...extra.hello, type: "hello", version: "1.0", client: { ...extra.client } });
        const welcome = await ws.next(run.timeoutMs);
        run.expect(
          "WS-FRAME-9",
          welcome.kind === "frame" && isFrame(welcome.frame) && welcome.frame.type === "welcome",
          `hello with extra members was answered with ${describe(welcome)}`,
        );
        const steps: [Frame, (f: Frame) => boolean][] = [
          [
            { ...extra.ping, type: "ping", nonce: extra.nonce },
            (f) => f.type === "pong" && f.nonce === extra.nonce,
          ],
          [
            { ...extra.subscribe, type: "subscribe", sub: "s1", path, offset: "now" },
            (f) => f.type === "subscribed" && f.sub === "s1",
          ],
          [
            { ...extra.append, type: "append", req: "r1", path, messages: [1] },
            (f) => f.type === "appended" && f.req === "r1",
          ],
        ];
        for (const [frame, answered] of steps) {
          ws.send(frame);
          let next: WsNext;
          do next = await nextReply(ws, run.timeoutMs); while (
            next.kind === "frame" && isFrame(next.frame) && next.frame.type === "data"
          );
          run.expect(
            "WS-FRAME-9",
            next.kind === "frame" && isFrame(next.frame) && answered(next.frame),
            `${JSON.stringify(frame)} was answered with ${describe(next)}`,
          );
        }
      });
    },
  }),
  defineCheck({
    id: "websocket.frames.oversize",
    title: "a frame larger than maxWsFrameBytes (in UTF-8 bytes) closes the connection with 1009",
    section: "websocket.md §4.4",
    requirements: ["WS-FRAME-12"],
    features: ["websocket"],
    async run(t) {
      const limit = frameLimit(t);
      await t.property(
        fc.tuple(fc.integer({ min: 1, max: 64 }), SIZES),
        async ([excess, w], run) => {
          const { ws } = await openSession(run);
          const text = pingOfBytes(limit + excess, w);
          run.note(
            `sending a ping of ${utf8Bytes(text)} UTF-8 bytes (${text.length} UTF-16 units)`,
          );
          ws.send(text);
          const { items, code } = await untilClose(ws, run.timeoutMs, true);
          run.expectEqual(
            "WS-FRAME-12",
            code,
            1009,
            `the close code (after ${items.map(describe).join(", ") || "nothing"})`,
          );
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "websocket.frames.at-limit",
    title: "a frame of at most maxWsFrameBytes does not close the connection with 1009",
    section: "websocket.md §4.4",
    requirements: ["WS-FRAME-13"],
    features: ["websocket"],
    async run(t) {
      const limit = frameLimit(t);
      const below = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 64 }));
      await t.property(fc.tuple(below, SIZES), async ([short, w], run) => {
        const { ws } = await openSession(run);
        const text = pingOfBytes(limit - short, w, "at-limit");
        run.note(`sending a ping of ${utf8Bytes(text)} UTF-8 bytes`);
        ws.send(text);
        const trip = await roundTrip(ws, run.timeoutMs);
        run.expect(
          "WS-FRAME-13",
          !(trip.end === "close" && trip.code === 1009),
          `a frame of ${utf8Bytes(text)} bytes (limit ${limit}) closed the connection with 1009`,
        );
        if (trip.end !== "pong") throw new Error(`no pong after the frame (${trip.end})`);
      }, { numRuns: 4 });
    },
  }),
  defineCheck({
    id: "websocket.frames.server-frame-size",
    title: "data frames stay within maxWsFrameBytes unless they hold a single message",
    section: "websocket.md §4.4",
    requirements: ["WS-FRAME-14"],
    features: ["websocket"],
    async run(t) {
      const limit = frameLimit(t);
      const { maxMessageBytes, maxBodyBytes } = t.discovery.limits;
      const total = Math.ceil(limit * 1.25);
      if (total > 4 * 1024 * 1024) t.skip(`filling ${total} bytes to exceed ${limit} is too much`);
      // One message is a JSON string of `size` bytes; a POST carries as many as fit.
      const size = Math.max(16, Math.min(maxMessageBytes, 16_384) - 16);
      const perPost = Math.max(1, Math.floor(maxBodyBytes / (size + 8)));
      const count = Math.ceil(total / size);
      const path = t.stream("big");
      const url = await t.createStream(path);
      for (let sent = 0; sent < count; sent += perPost) {
        const batch = Array.from(
          { length: Math.min(perPost, count - sent) },
          (_, i) => `${sent + i}:`.padEnd(size - 2, "x"),
        );
        const reply = await t.http.request("POST", url, { body: { json: batch } });
        if (reply.status >= 300) throw new Error(`append failed with ${reply.status}`);
      }
      const { ws } = await openSession(t);
      ws.send({ type: "subscribe", sub: "big", path, offset: "-1" });
      let received = 0;
      while (received < count) {
        const next = await nextReply(ws, t.timeoutMs);
        if (next.kind !== "frame") throw new Error(`${describe(next)} before every message came`);
        const frame = next.frame;
        if (!isFrame(frame) || frame.type !== "data") continue;
        const messages = Array.isArray(frame.messages) ? frame.messages.length : 0;
        received += messages;
        t.expect(
          "WS-FRAME-14",
          messages <= 1 || utf8Bytes(next.text) <= limit,
          `a data frame of ${messages} messages has ${utf8Bytes(next.text)} bytes (limit ${limit})`,
        );
      }
    },
  }),
];

/** maxWsFrameBytes, when a check can reach it. */
function frameLimit(t: CheckContext): number {
  const limit = t.discovery.limits.maxWsFrameBytes;
  if (limit === undefined) t.skip("the server advertises no maxWsFrameBytes");
  if (limit > 16 * 1024 * 1024) t.skip(`maxWsFrameBytes ${limit} is too large to send`);
  return limit;
}
