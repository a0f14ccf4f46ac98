// websocket.md §6.2: data and the delivery guarantee.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  appendHttp,
  dataOf,
  offset,
  offsetValue,
  Session,
  streamWith,
} from "./_subscription_kit.ts";
import { steps } from "./_subscription_steps.ts";
import { MODEL_REQUIREMENTS, runModel, SESSION_REQUIREMENTS } from "./_subscription_run.ts";

/** Checks of websocket.md §6.2 (data and the delivery guarantee). */
export const websocketDeliveryChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.delivery.catch-up-and-live",
    title:
      "data frames carry the stream's messages from the start offset, unchanged, in order, with exact nextOffset and upToDate, history then live",
    section: "websocket.md §6.2",
    features: ["websocket"],
    requirements: MODEL_REQUIREMENTS,
    async run(t) {
      const op = fc.oneof(
        { weight: 4, arbitrary: steps.append(false) },
        { weight: 1, arbitrary: steps.burst() },
        { weight: 3, arbitrary: steps.subscribe() },
        { weight: 1, arbitrary: steps.ack(false) },
        { weight: 1, arbitrary: steps.drain() },
      );
      await t.property(fc.array(op, { minLength: 3, maxLength: 14 }), async (ops, run) => {
        await runModel(run, ops);
      });
    },
  }),
  defineCheck({
    id: "websocket.delivery.empty-at-tail",
    title:
      "a subscription that starts at the tail first gets an empty data frame with upToDate, without waiting for appends",
    section: "websocket.md §6.2",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-DATA-6", "HTTP-APPEND-1"],
    async run(t) {
      const empty = await streamWith(t, 0, "empty");
      const full = await streamWith(t, 3, "full");
      const session = await Session.open(t);
      const starts: [string, string, Record<string, unknown>][] = [
        ["e-absent", empty.path, {}],
        ["e-start", empty.path, { offset: "-1" }],
        ["f-now", full.path, { offset: "now" }],
        ["f-tail", full.path, { offset: offset(3) }],
      ];
      for (const [sub, path, frame] of starts) {
        session.send({ type: "subscribe", sub, path, ...frame });
      }
      for (const [sub] of starts) {
        const frames = await session.through(
          (f) => f.type === "data" && f.sub === sub,
          t.timeoutMs,
        );
        const data = frames?.at(-1);
        t.expect("WS-DATA-6", data !== undefined, `no data frame for ${sub}`);
        t.expectEqual(
          "WS-DATA-6",
          [data!.messages, data!.upToDate],
          [[], true],
          `first data frame of ${sub}`,
        );
      }
    },
  }),
  defineCheck({
    id: "websocket.delivery.max-read-messages",
    title: "no data frame carries more messages than maxReadMessages",
    section: "websocket.md §6.2",
    features: ["websocket"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-DATA-12",
      "WS-DATA-1",
      "WS-DATA-2",
      "HTTP-APPEND-1",
    ],
    async run(t) {
      const probe = await Session.open(t);
      const max = probe.limit("maxReadMessages", t);
      probe.close();
      if (max === undefined) return t.skip("the server states no maxReadMessages");
      if (max > 500) t.skip(`maxReadMessages is ${max}; filling a stream beyond it takes too long`);
      const count = 2 * max + 3;
      const { path, url, messages } = await streamWith(t, count, "many");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "s", path, offset: "-1" });
      let at = 0;
      while (at < count) {
        const frame = await session.takeMatching(
          (f) => f.type === "data" && f.sub === "s",
          t.timeoutMs,
        );
        t.expect("WS-DATA-2", frame !== undefined, `delivery stopped at ${at} of ${count}`);
        const got = frame!.messages as unknown[];
        t.expect(
          "WS-DATA-12",
          got.length <= max,
          `${got.length} messages in one frame, maxReadMessages ${max}`,
        );
        t.expectEqual("WS-DATA-2", got, messages.slice(at, at + got.length), `messages from ${at}`);
        at += got.length;
        t.expectEqual("WS-DATA-1", offsetValue(frame!.nextOffset), at, "nextOffset");
      }
      // Live appends are bounded the same way.
      const live = Array.from({ length: max + 1 }, (_, i) => ({ live: i }));
      await appendHttp(t, url, live.slice(0, max));
      await appendHttp(t, url, live.slice(max));
      const frames = await session.settle(t.timeoutMs);
      for (const frame of dataOf(frames ?? [], "s")) {
        const n = (frame.messages as unknown[]).length;
        t.expect("WS-DATA-12", n <= max, `${n} messages in one live frame, maxReadMessages ${max}`);
      }
    },
  }),
];
