// websocket.md §8: slow subscribers.

import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import {
  appendHttp,
  dataOf,
  expectErrorFrame,
  type Frame,
  offset,
  offsetValue,
  Session,
} from "./_subscription_kit.ts";
import { SESSION_REQUIREMENTS } from "./_subscription_run.ts";

/** Appends `count` numbered messages from `first`, in requests of at most `maxReadMessages`. */
async function fill(t: CheckContext, url: string, first: number, count: number): Promise<void> {
  const batch = Math.max(1, Math.min(t.discovery.limits?.maxReadMessages ?? 100, 200));
  for (let i = first; i < first + count; i += batch) {
    const n = Math.min(batch, first + count - i);
    await appendHttp(t, url, Array.from({ length: n }, (_, j) => ({ n: i + j })));
  }
}

/**
 * Reads `sub` from `from` until `until`, acknowledging each data frame; the
 * messages must be `{ n }` for n = from, from + 1, …
 */
async function readAll(
  t: CheckContext,
  session: Session,
  sub: string,
  from: number,
  until: number,
  requirement: string,
): Promise<void> {
  let at = from;
  while (at < until) {
    const frame = await session.takeMatching(
      (f) => f.sub === sub && f.type !== "subscribed",
      t.timeoutMs,
    );
    t.expectEqual(requirement, frame?.type, "data", `next frame of ${sub} at ${at} of ${until}`);
    const got = frame!.messages as unknown[];
    const want = Array.from({ length: got.length }, (_, i) => ({ n: at + i }));
    t.expectEqual(requirement, got, want, `messages of ${sub} from ${at}`);
    at += got.length;
    if (got.length > 0) session.send({ type: "ack", sub, offset: offset(at) });
  }
}

function bufferOf(t: CheckContext, session: Session): number | undefined {
  return session.limit("subscriberBufferMessages", t);
}

/** Checks of websocket.md §8 (slow subscribers). */
export const websocketSlowSubscriberChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.overflow.window-within-buffer",
    title:
      "a subscription whose window fits the subscriber buffer is held back, never ended for overflow, and loses nothing",
    section: "websocket.md §8",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-OVERFLOW-2", "HTTP-APPEND-1"],
    async run(t) {
      const probe = await Session.open(t);
      const buffer = bufferOf(t, probe);
      probe.close();
      if (buffer === undefined) return t.skip("the server advertises no subscriberBufferMessages");
      if (buffer > 1_000) {
        return t.skip(`subscriberBufferMessages is ${buffer}; overrunning it takes too long`);
      }
      const path = t.stream("held");
      const url = await t.createStream(path);
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "s", path, window: buffer });
      await session.settle(t.timeoutMs);
      const total = 3 * buffer + 5;
      await fill(t, url, 0, total);
      const frames = (await session.settle(t.timeoutMs)) ?? [];
      const ended = frames.find((f: Frame) => f.sub === "s" && f.type !== "data");
      t.expect(
        "WS-OVERFLOW-2",
        ended === undefined,
        `window ${buffer} ended: ${JSON.stringify(ended)}`,
      );
      // Put back what arrived and read on, acknowledging as a client does.
      session.frames.unshift(...frames.filter((f) => f.sub === "s"));
      await readAll(t, session, "s", 0, total, "WS-OVERFLOW-2");
    },
  }),
  defineCheck({
    id: "websocket.overflow.ends-subscription",
    title:
      "a subscriber that never acknowledges a window beyond the buffer may be ended with subscriber-overflow at its delivered offset; the connection and other subscriptions go on",
    section: "websocket.md §8",
    features: ["websocket"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-OVERFLOW-1",
      "WS-OVERFLOW-3",
      "WS-OVERFLOW-4",
      "WS-RESUME-2",
      "WS-UNSUB-2",
      "HTTP-APPEND-1",
    ],
    async run(t) {
      const probe = await Session.open(t);
      const advertised = bufferOf(t, probe);
      probe.close();
      const buffer = advertised ?? 64;
      if (buffer > 1_000) {
        return t.skip(`subscriberBufferMessages is ${buffer}; overrunning it takes too long`);
      }
      const window = 2 * buffer;
      const total = window + 3 * buffer;
      const path = t.stream("fast");
      const url = await t.createStream(path);
      const peerPath = t.stream("peer");
      const peerUrl = await t.createStream(peerPath);
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "slow", path, window });
      session.send({ type: "subscribe", sub: "other", path, window: Math.min(buffer, 8) });
      session.send({ type: "subscribe", sub: "peer", path: peerPath });
      await session.settle(t.timeoutMs);
      await fill(t, url, 0, total);
      await session.waitFor(
        (f) => f.sub === "slow" && f.type === "error",
        Math.min(t.timeoutMs, 1_000),
      );
      const frames = (await session.settle(t.timeoutMs)) ?? [];
      t.expect("WS-OVERFLOW-4", frames !== undefined && !session.closed, "the connection closed");
      const slow = frames.filter((f) => f.sub === "slow");
      const error = slow.find((f) => f.type === "error");
      // Put back what the others got; they are read to the end below.
      session.frames.unshift(...frames.filter((f) => f.sub === "other" || f.sub === "peer"));
      let resumeAt = 0;
      if (error) {
        t.note("the server ended the slow subscription for overflow");
        expectErrorFrame(t, "WS-OVERFLOW-3", error, "subscriber-overflow", { sub: "slow" });
        t.expect(
          "WS-OVERFLOW-1",
          advertised !== undefined,
          "ended a subscription for overflow without advertising subscriberBufferMessages",
        );
        const data = dataOf(slow, "slow");
        const delivered = data.length ? offsetValue(data.at(-1)!.nextOffset) : 0;
        t.expectEqual(
          "WS-OVERFLOW-3",
          error.resumeOffset,
          offset(delivered),
          "resumeOffset (the delivered offset)",
        );
        t.expect("WS-UNSUB-2", slow.at(-1) === error, "data for slow after its error frame");
        resumeAt = delivered;
      } else {
        t.note("the server held the slow subscription back instead of ending it");
        const data = dataOf(slow, "slow");
        resumeAt = data.length ? offsetValue(data.at(-1)!.nextOffset) : 0;
        session.send({ type: "unsubscribe", sub: "slow" });
      }
      // The connection and the other subscriptions go on.
      await appendHttp(t, peerUrl, [{ n: 0 }]);
      await readAll(t, session, "other", 0, total, "WS-OVERFLOW-4");
      await readAll(t, session, "peer", 0, 1, "WS-OVERFLOW-4");
      // Subscribing again at resumeOffset continues where the slow subscription stood.
      session.send({
        type: "subscribe",
        sub: "again",
        path,
        offset: offset(resumeAt),
        window: Math.min(buffer, 16),
      });
      await readAll(t, session, "again", resumeAt, total, "WS-RESUME-2");
    },
  }),
];
