// websocket.md §6.3: the end of a subscription.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { appendHttp, dataOf, type Frame, Session, streamWith } from "./_subscription_kit.ts";
import { steps } from "./_subscription_steps.ts";
import { MODEL_REQUIREMENTS, runModel, SESSION_REQUIREMENTS } from "./_subscription_run.ts";

/** Checks of websocket.md §6.3 (the end of a subscription). */
export const websocketSubscriptionEndChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.unsubscribe.answered",
    title:
      "every unsubscribe is answered with unsubscribed (client), also for ids with no subscription, and no data follows it",
    section: "websocket.md §6.3",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-UNSUB-1", "WS-UNSUB-2", "HTTP-APPEND-1"],
    async run(t) {
      const plan = fc.record({
        windows: fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), {
          minLength: 1,
          maxLength: 4,
        }),
        targets: fc.array(fc.nat(5), { minLength: 1, maxLength: 6 }),
        before: fc.nat(5),
      });
      await t.property(plan, async ({ windows, targets, before }, run) => {
        const { path, url } = await streamWith(run, before, "u");
        const session = await Session.open(run);
        windows.forEach((window, i) =>
          session.send({ type: "subscribe", sub: `s${i}`, path, ...(window ? { window } : {}) })
        );
        await session.settle(run.timeoutMs);
        // Ids 0..3 may name subscriptions; 4 and 5 never do.
        const gone = new Set<string>();
        for (const n of targets) {
          const sub = `s${n}`;
          session.send({ type: "unsubscribe", sub });
          const frames = await session.through(
            (f) => f.type === "unsubscribed" && f.sub === sub,
            run.timeoutMs,
          );
          run.expect("WS-UNSUB-1", frames !== undefined, `no unsubscribed for ${sub}`);
          run.expectEqual(
            "WS-UNSUB-1",
            frames!.at(-1)!.reason,
            "client",
            `unsubscribed.reason of ${sub}`,
          );
          for (const old of gone) {
            run.expect(
              "WS-UNSUB-2",
              dataOf(frames!, old).length === 0,
              `data for ${old} after unsubscribed`,
            );
          }
          gone.add(sub);
        }
        await appendHttp(run, url, [{ after: 1 }, { after: 2 }]);
        const after = (await session.settle(run.timeoutMs)) ?? [];
        for (const sub of gone) {
          run.expect(
            "WS-UNSUB-2",
            dataOf(after, sub).length === 0,
            `data for ${sub} after unsubscribed`,
          );
        }
      }, { numRuns: 6 });
    },
  }),
  defineCheck({
    id: "websocket.unsubscribe.closed",
    title:
      "a closed stream ends each subscription with a data frame marked closed at the final tail, followed by unsubscribed (closed)",
    section: "websocket.md §6.2, §6.3",
    features: ["websocket"],
    requirements: MODEL_REQUIREMENTS,
    async run(t) {
      const op = fc.oneof(
        { weight: 3, arbitrary: steps.append(false) },
        { weight: 3, arbitrary: steps.subscribe() },
        { weight: 2, arbitrary: steps.ack(false) },
        { weight: 2, arbitrary: steps.close() },
        { weight: 1, arbitrary: steps.drain() },
        { weight: 1, arbitrary: steps.drop() },
      );
      await t.property(fc.array(op, { minLength: 3, maxLength: 12 }), async (ops, run) => {
        await runModel(run, ops);
      });
    },
  }),
  defineCheck({
    id: "websocket.unsubscribe.closed-at-tail",
    title:
      "closing a stream whose subscriber is at the tail sends an empty data frame with closed and upToDate, then unsubscribed (closed)",
    section: "websocket.md §6.2, §6.3",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-DATA-9", "WS-UNSUB-3", "HTTP-APPEND-1"],
    async run(t) {
      const { path, url } = await streamWith(t, 2, "c");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "s", path });
      await session.through(
        (f) => f.type === "data" && f.sub === "s" && f.upToDate === true,
        t.timeoutMs,
      );
      const reply = await t.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
      t.expectStatus("HTTP-APPEND-1", reply, [200, 204]);
      const frames = await session.through((f) => f.sub === "s" && f.type !== "data", t.timeoutMs);
      const mine = (frames ?? []).filter((f: Frame) => f.sub === "s");
      const closing = mine.findIndex((f) => f.type === "data" && f.closed === true);
      t.expect("WS-DATA-9", closing >= 0, "no data frame with closed after the close");
      t.expectEqual(
        "WS-DATA-9",
        [mine[closing].messages, mine[closing].upToDate],
        [[], true],
        "the closing frame",
      );
      t.expectEqual("WS-UNSUB-3", [mine[closing + 1]?.type, mine[closing + 1]?.reason], [
        "unsubscribed",
        "closed",
      ], "the frame after it");
    },
  }),
  defineCheck({
    id: "websocket.unsubscribe.deleted",
    title:
      "deleting a stream ends every subscription to it with unsubscribed (deleted), also one held back by its window",
    section: "websocket.md §6.3",
    features: ["websocket"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-UNSUB-4",
      "WS-UNSUB-2",
      "HTTP-DELETE-1",
      "HTTP-APPEND-1",
    ],
    async run(t) {
      const { path, url } = await streamWith(t, 3, "d");
      const closed = await streamWith(t, 3, "dc");
      await t.http.request("POST", closed.url, { headers: { "Stream-Closed": "true" } });
      const session = await Session.open(t);
      const subs: [string, string, Record<string, unknown>][] = [
        ["tail", path, {}],
        ["window", path, { window: 1 }],
        ["closed-window", closed.path, { window: 1 }],
      ];
      for (const [sub, p, frame] of subs) {
        session.send({ type: "subscribe", sub, path: p, ...frame });
      }
      await session.settle(t.timeoutMs);
      t.expectStatus("HTTP-DELETE-1", await t.http.request("DELETE", url), 204);
      t.expectStatus("HTTP-DELETE-1", await t.http.request("DELETE", closed.url), 204);
      const ends = (f: Frame) => f.type !== "data" && subs.some(([sub]) => sub === f.sub);
      await session.waitFor(() => session.frames.filter(ends).length >= subs.length, t.timeoutMs);
      const frames = session.frames.splice(0);
      for (const [sub] of subs) {
        const mine = frames.filter((f) => f.sub === sub);
        const end = mine.findIndex((f) => f.type !== "data");
        t.expectEqual("WS-UNSUB-4", [mine[end]?.type, mine[end]?.reason], [
          "unsubscribed",
          "deleted",
        ], `end of ${sub}`);
        t.expect("WS-UNSUB-2", end === mine.length - 1, `frames for ${sub} after its end`);
      }
      // A new stream at the path is another stream: nothing of it reaches the ended ones.
      await t.createStream(path);
      await appendHttp(t, url, [{ again: 1 }]);
      for (const [sub] of subs) session.send({ type: "ack", sub, offset: "0000000000000001" });
      const after = (await session.settle(t.timeoutMs)) ?? [];
      for (const [sub] of subs) {
        t.expect(
          "WS-UNSUB-2",
          dataOf(after, sub).length === 0,
          `data for ${sub} after unsubscribed`,
        );
      }
    },
  }),
  defineCheck({
    id: "websocket.unsubscribe.expired",
    title: "a subscription ends with unsubscribed (deleted) when its stream expires",
    section: "websocket.md §6.3",
    features: ["websocket", "ttl"],
    requirements: [...SESSION_REQUIREMENTS, "WS-UNSUB-4"],
    async run(t) {
      t.needsWait(1_300, "a stream TTL of one second");
      const path = t.stream("ttl");
      const url = await t.createStream(path, { headers: { "Stream-TTL": "1" } });
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "s", path });
      await session.settle(t.timeoutMs);
      await t.sleep(1_300);
      // A server may expire a stream lazily, when an operation next touches it (LOG-TTL-1).
      await t.http.request("HEAD", url);
      const end = await session.takeMatching((f) => f.sub === "s", Math.min(t.timeoutMs, 3_000));
      t.expectEqual(
        "WS-UNSUB-4",
        [end?.type, end?.reason],
        ["unsubscribed", "deleted"],
        "end of the subscription",
      );
    },
  }),
];
