// websocket.md §6.1: starting a subscription.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  appendHttp,
  dataOf,
  expectErrorFrame,
  type Frame,
  offset,
  Session,
  streamWith,
} from "./_subscription_kit.ts";
import { BAD_OFFSETS, badPaths } from "./_subscription_steps.ts";
import { SESSION_REQUIREMENTS } from "./_subscription_run.ts";

type Start = { kind: "absent" | "-1" | "now" } | { kind: "at"; frac: number };

const start: fc.Arbitrary<Start> = fc.oneof(
  fc.constantFrom<Start>({ kind: "absent" }, { kind: "-1" }, { kind: "now" }),
  fc.record({ kind: fc.constant("at" as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

/** Request offsets that are neither an offset nor a sentinel: the fixed list and random text. */
const badOffset: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...BAD_OFFSETS),
  fc.string({ maxLength: 20 }).filter((s) => !/^[0-9]{16}$/.test(s) && s !== "-1" && s !== "now"),
);

/** Checks of websocket.md §6.1 (starting a subscription). */
export const websocketSubscribeChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.subscribe.subscribed",
    title:
      "subscribe is answered with subscribed, before any data, carrying sub, path, the resolved start offset and the stream's kind",
    section: "websocket.md §6.1",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-SUB-1", "WS-SUB-2", "WS-SUB-3"],
    async run(t) {
      const agent = t.features.has("agent");
      await t.property(
        fc.record({
          count: fc.nat(6),
          starts: fc.array(start, { minLength: 1, maxLength: 4 }),
          agent: fc.boolean(),
        }),
        async ({ count, starts, agent: asAgent }, run) => {
          const kind = agent && asAgent ? "agent" : "json";
          const path = run.stream(kind);
          const url = await run.createStream(path, {
            headers: kind === "agent" ? { "Agent-Stream-Kind": "agent" } : {},
          });
          const messages = Array.from({ length: count }, (_, i) => ({ type: "com.example.n", i }));
          if (count > 0) await appendHttp(run, url, messages);
          const session = await Session.open(run);
          for (const [i, s] of starts.entries()) {
            const sub = `s${i}`;
            const at = s.kind === "at" ? Math.floor(s.frac * count + 0.5) : 0;
            session.send({
              type: "subscribe",
              sub,
              path,
              ...(s.kind === "absent" ? {} : { offset: s.kind === "at" ? offset(at) : s.kind }),
            });
            const first = await session.takeMatching((f) => f.sub === sub, run.timeoutMs);
            run.expectEqual("WS-SUB-1", first?.type, "subscribed", `first frame for ${sub}`);
            run.expectEqual("WS-SUB-1", first!.path, path, "subscribed.path");
            const want = s.kind === "now" ? count : s.kind === "at" ? at : 0;
            run.expectEqual(
              "WS-SUB-2",
              first!.offset,
              offset(want),
              `subscribed.offset for ${JSON.stringify(s)}`,
            );
            run.expectEqual("WS-SUB-3", first!.kind, kind, "subscribed.kind");
          }
        },
        { numRuns: 6 },
      );
    },
  }),
  defineCheck({
    id: "websocket.subscribe.refused",
    title:
      "a subscribe for a missing stream, with a bad or too high offset, or a bad path is refused with the specific error and never subscribed",
    section: "websocket.md §6.1",
    features: ["websocket"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-SUB-4",
      "WS-SUB-6",
      "WS-SUB-7",
      "WS-SUB-8",
      "WS-SUB-10",
    ],
    async run(t) {
      const { path } = await streamWith(t, 3, "refused");
      const paths = badPaths(t.discovery.limits?.maxStreamPathBytes);
      const cases = fc.oneof(
        fc.constant({
          id: "WS-SUB-4",
          slug: "stream-not-found" as const,
          frame: { path: t.stream("missing") },
        }),
        badOffset.map((bad) => ({
          id: "WS-SUB-6",
          slug: "invalid-offset" as const,
          frame: { path, offset: bad },
        })),
        fc.integer({ min: 4, max: 1_000_000 }).map((n) => ({
          id: "WS-SUB-7",
          slug: "offset-out-of-range" as const,
          frame: { path, offset: offset(n) },
        })),
        fc.constantFrom(...paths).map((bad) => ({
          id: "WS-SUB-8",
          slug: "invalid-stream-name" as const,
          frame: { path: bad },
        })),
      );
      await t.property(fc.array(cases, { minLength: 1, maxLength: 5 }), async (list, run) => {
        const session = await Session.open(run);
        const subs = list.map((_, i) => `r${i}`);
        for (const [i, c] of list.entries()) {
          session.send({ type: "subscribe", sub: subs[i], ...c.frame });
        }
        const frames = await session.settle(run.timeoutMs);
        run.expect("WS-SUB-4", frames !== undefined, "no answer to the subscribes");
        for (const [i, c] of list.entries()) {
          const mine = frames!.filter((f) => f.sub === subs[i]);
          run.expect(
            "WS-SUB-10",
            !mine.some((f) => f.type === "subscribed"),
            `${subs[i]} was subscribed`,
          );
          expectErrorFrame(run, c.id, mine[0], c.slug, { sub: subs[i] });
          run.expect(c.id, mine.length === 1, `${mine.length} frames for ${subs[i]}`);
        }
      }, { numRuns: 10 });
    },
  }),
  defineCheck({
    id: "websocket.subscribe.soft-deleted",
    title:
      "a subscription ends with unsubscribed (deleted) when its stream is soft-deleted, and a subscribe to it is refused with stream-gone",
    section: "websocket.md §6.1, §6.3",
    features: ["websocket", "fork"],
    requirements: [...SESSION_REQUIREMENTS, "WS-SUB-5", "WS-UNSUB-4", "HTTP-DELETE-1"],
    async run(t) {
      const { path, url } = await streamWith(t, 2, "source");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "live", path });
      await session.through((f) => f.type === "data" && f.sub === "live", t.timeoutMs);
      const fork = t.stream("fork");
      await t.createStream(fork, { headers: { "Stream-Forked-From": path } });
      t.expectStatus("HTTP-DELETE-1", await t.http.request("DELETE", url), 204);
      const end = await session.takeMatching((f) => f.sub === "live", t.timeoutMs);
      t.expectEqual(
        "WS-UNSUB-4",
        [end?.type, end?.reason],
        ["unsubscribed", "deleted"],
        "end of live",
      );
      session.send({ type: "subscribe", sub: "late", path });
      const frames = await session.settle(t.timeoutMs);
      const late = (frames ?? []).filter((f) => f.sub === "late");
      expectErrorFrame(t, "WS-SUB-5", late[0], "stream-gone", { sub: "late" });
      t.expect("WS-UNSUB-4", dataOf(frames ?? [], "live").length === 0, "data after unsubscribed");
    },
  }),
  defineCheck({
    id: "websocket.subscribe.repeated-id",
    title:
      "a subscribe naming an active subscription is refused with invalid-frame and ends that subscription",
    section: "websocket.md §6.1",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-SUB-9", "WS-SUB-10", "HTTP-APPEND-1"],
    async run(t) {
      const a = await streamWith(t, 2, "a");
      const b = await streamWith(t, 1, "b");
      const session = await Session.open(t);
      session.send({ type: "subscribe", sub: "s", path: a.path });
      const first = await session.through((f) => f.type === "data" && f.sub === "s", t.timeoutMs);
      t.expect("WS-SUB-9", first !== undefined, "the first subscription delivered nothing");
      session.send({ type: "subscribe", sub: "s", path: b.path });
      const frames = (await session.settle(t.timeoutMs)) ?? [];
      const mine = frames.filter((f: Frame) => f.sub === "s");
      t.expect(
        "WS-SUB-10",
        !mine.some((f) => f.type === "subscribed"),
        "the repeated subscribe was subscribed",
      );
      expectErrorFrame(t, "WS-SUB-9", mine.find((f) => f.type === "error"), "invalid-frame", {
        sub: "s",
      });
      await appendHttp(t, a.url, [{ n: 2 }]);
      await appendHttp(t, b.url, [{ n: 1 }]);
      const after = (await session.settle(t.timeoutMs)) ?? [];
      t.expect(
        "WS-SUB-9",
        dataOf(after, "s").length === 0,
        "data for the subscription the repeated subscribe ended",
      );
    },
  }),
];
