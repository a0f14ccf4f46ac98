// websocket.md §7: flow control.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  appendHttp,
  dataOf,
  expectErrorFrame,
  offset,
  offsetValue,
  Session,
  streamWith,
} from "./_subscription_kit.ts";
import { steps } from "./_subscription_steps.ts";
import { MODEL_REQUIREMENTS, runModel, SESSION_REQUIREMENTS } from "./_subscription_run.ts";

/** Checks of websocket.md §7 (flow control). */
export const websocketFlowControlChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.flow.window",
    title:
      "a subscription never has more unacknowledged messages than its window, and continues once acks make room",
    section: "websocket.md §7",
    features: ["websocket"],
    requirements: MODEL_REQUIREMENTS,
    async run(t) {
      const op = fc.oneof(
        { weight: 4, arbitrary: steps.append(false) },
        { weight: 1, arbitrary: steps.burst() },
        { weight: 3, arbitrary: steps.subscribe(true) },
        { weight: 5, arbitrary: steps.ack(false) },
        { weight: 1, arbitrary: steps.drain() },
      );
      await t.property(fc.array(op, { minLength: 4, maxLength: 16 }), async (ops, run) => {
        await runModel(run, ops);
      });
    },
  }),
  defineCheck({
    id: "websocket.flow.lower-ack",
    title: "an ack lower than an earlier one does not move the acknowledged offset back",
    section: "websocket.md §7",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-FLOW-3", "WS-FLOW-1", "HTTP-APPEND-1"],
    async run(t) {
      const { path, url } = await streamWith(t, 2, "lower");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "s", path, window: 4 });
      await session.through(
        (f) => f.type === "data" && f.sub === "s" && f.nextOffset === offset(2),
        t.timeoutMs,
      );
      session.send({ type: "ack", sub: "s", offset: offset(2) });
      session.send({ type: "ack", sub: "s", offset: offset(1) });
      await session.settle(t.timeoutMs);
      await appendHttp(t, url, [{ n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }, { n: 6 }]);
      // Acknowledged 2, window 4: offsets up to 6 may go out, and no further.
      const wait = Math.min(t.timeoutMs, 2_000);
      let delivered = 2;
      while (delivered < 6) {
        const frame = await session.takeMatching((f) => f.sub === "s", wait);
        t.expect(
          "WS-FLOW-3",
          frame !== undefined,
          `delivery stopped at ${delivered}; acknowledged 2, window 4`,
        );
        t.expectEqual("WS-FLOW-3", frame!.type, "data", "frame for s");
        delivered = offsetValue(frame!.nextOffset);
        t.expect(
          "WS-FLOW-1",
          delivered <= 6,
          `nextOffset ${delivered} beyond acknowledged 2 + window 4`,
        );
      }
    },
  }),
  defineCheck({
    id: "websocket.flow.ack-beyond-delivered",
    title:
      "an ack beyond the delivered offset is answered with invalid-frame and ends the subscription",
    section: "websocket.md §7",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-FLOW-4", "HTTP-APPEND-1"],
    async run(t) {
      const { path, url } = await streamWith(t, 2, "beyond");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "w", path, window: 3 });
      session.send({ type: "subscribe", sub: "n", path });
      await session.settle(t.timeoutMs);
      for (const sub of ["w", "n"]) session.send({ type: "ack", sub, offset: offset(3) });
      const frames = (await session.settle(t.timeoutMs)) ?? [];
      for (const sub of ["w", "n"]) {
        const error = frames.find((f) => f.sub === sub && f.type !== "data");
        expectErrorFrame(t, "WS-FLOW-4", error, "invalid-frame", { sub });
      }
      await appendHttp(t, url, [{ n: 2 }]);
      const after = (await session.settle(t.timeoutMs)) ?? [];
      for (const sub of ["w", "n"]) {
        t.expect(
          "WS-FLOW-4",
          dataOf(after, sub).length === 0,
          `data for ${sub} after the error ended it`,
        );
      }
    },
  }),
  defineCheck({
    id: "websocket.flow.ack-without-subscription",
    title: "an ack naming no active subscription is ignored: no answer, the connection stays open",
    section: "websocket.md §7",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-FLOW-5"],
    async run(t) {
      const { path } = await streamWith(t, 1, "ghost");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "gone", path });
      session.send({ type: "unsubscribe", sub: "gone" });
      await session.settle(t.timeoutMs);
      for (const [sub, at] of [["never", 0], ["never", 5], ["gone", 1], ["gone", 9]] as const) {
        session.send({ type: "ack", sub, offset: offset(at) });
      }
      const frames = await session.settle(t.timeoutMs);
      t.expect(
        "WS-FLOW-5",
        frames !== undefined,
        "no answer after the acks: the connection is unusable",
      );
      t.expectEqual("WS-FLOW-5", frames, [], "frames answering acks of no subscription");
      t.expect("WS-FLOW-5", session.closed === undefined, "the connection closed");
    },
  }),
];
