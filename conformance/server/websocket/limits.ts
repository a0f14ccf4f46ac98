// websocket.md §13: limits.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { WsProbe } from "../../ws_probe.ts";
import {
  describe,
  type Frame,
  isError,
  isFrame,
  nextReply,
  openSession,
} from "./_connection_kit.ts";

/** Limits beyond this many subscriptions take too long to reach; the checks skip. */
const MOST_SUBSCRIPTIONS = 300;

/** A subscribe to send. */
interface Wanted {
  readonly sub: string;
  readonly path: string;
}

/**
 * Sends the subscribes and reads until each has its answer, `subscribed` or
 * an `error` carrying its sub (data frames and other frames skipped).
 */
async function subscribeAll(
  ws: WsProbe,
  wanted: readonly Wanted[],
  timeoutMs: number,
): Promise<Map<string, Frame>> {
  for (const { sub, path } of wanted) ws.send({ type: "subscribe", sub, path, offset: "now" });
  const answers = new Map<string, Frame>();
  const ids = new Set(wanted.map((w) => w.sub));
  while (answers.size < ids.size) {
    const next = await nextReply(ws, timeoutMs);
    if (next.kind !== "frame") {
      throw new Error(`${answers.size} of ${ids.size} subscribes answered, then ${describe(next)}`);
    }
    const f = next.frame;
    if (!isFrame(f) || typeof f.sub !== "string" || !ids.has(f.sub) || answers.has(f.sub)) continue;
    if (f.type === "subscribed" || f.type === "error") answers.set(f.sub, f);
  }
  return answers;
}

/** Ends subscriptions and waits until each is confirmed, so that the server has released them. */
async function unsubscribeAll(ws: WsProbe, subs: readonly string[], timeoutMs: number) {
  for (const sub of subs) ws.send({ type: "unsubscribe", sub });
  const left = new Set(subs);
  while (left.size > 0) {
    const next = await nextReply(ws, timeoutMs);
    if (next.kind !== "frame") return;
    const f = next.frame;
    if (isFrame(f) && f.type === "unsubscribed" && typeof f.sub === "string") left.delete(f.sub);
  }
}

/** The connection's subscription limit: welcome.limits, else the discovery document. */
function subscriptionLimit(t: CheckContext, welcome: Frame): number | undefined {
  const own = (welcome.limits as { maxSubscriptions?: unknown } | undefined)?.maxSubscriptions;
  if (typeof own === "number") return own;
  return t.discovery.bindings.websocket?.maxSubscriptions;
}

type Op = "subscribe" | "unsubscribe" | "missing";

/** Checks of websocket.md §13 (limits). */
export const websocketLimitsChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.limits.per-connection",
    title:
      "subscribes are accepted below maxSubscriptions active ones, refused at it: subscriber-limit",
    section: "websocket.md §13",
    requirements: ["WS-LIMIT-1", "WS-LIMIT-2"],
    features: ["websocket"],
    async run(t) {
      const first = await openSession(t);
      const max = subscriptionLimit(t, first.welcome);
      first.ws.close();
      if (max === undefined) return t.skip("the server advertises no maxSubscriptions");
      if (max > MOST_SUBSCRIPTIONS) t.skip(`maxSubscriptions ${max} is too many to reach`);
      const { maxSubscribers } = t.discovery.limits;
      if (maxSubscribers !== undefined && maxSubscribers <= max + 2) {
        t.skip(`maxSubscribers ${maxSubscribers} would be reached before maxSubscriptions ${max}`);
      }
      // One stream per subscription, so that no per-stream limit is reached.
      const pool: string[] = [];
      for (let i = 0; i <= max; i++) {
        const path = t.stream("pool");
        await t.createStream(path);
        pool.push(path);
      }
      const ops = fc.array(fc.constantFrom<Op>("subscribe", "unsubscribe", "missing"), {
        minLength: 1,
        maxLength: 10,
      });
      await t.property(fc.tuple(ops, fc.nat()), async ([tail, pick], run) => {
        const { ws, welcome } = await openSession(run);
        const limit = subscriptionLimit(run, welcome) ?? max;
        const active = new Map<string, string>();
        let n = 0;
        const plan: Op[] = [...Array<Op>(limit).fill("subscribe"), ...tail];
        for (const op of plan) {
          const sub = `s${++n}`;
          if (op === "unsubscribe") {
            const ids = [...active.keys()];
            if (ids.length === 0) continue;
            const id = ids[(pick + n) % ids.length];
            await unsubscribeAll(ws, [id], run.timeoutMs);
            active.delete(id);
            continue;
          }
          const used = new Set(active.values());
          const path = op === "missing" ? `${pool[0]}-missing` : pool.find((p) => !used.has(p))!;
          const answer = (await subscribeAll(ws, [{ sub, path }], run.timeoutMs)).get(sub)!;
          if (op === "missing") {
            if (answer.type === "subscribed") throw new Error(`a missing stream was subscribed`);
            continue;
          }
          if (active.size < limit) {
            run.expect(
              "WS-LIMIT-2",
              answer.type === "subscribed",
              `subscribe ${sub} with ${active.size} of ${limit} active was answered with ${
                JSON.stringify(answer)
              }`,
            );
            active.set(sub, path);
          } else {
            run.expect(
              "WS-LIMIT-1",
              isError(answer, "subscriber-limit"),
              `subscribe ${sub} with ${limit} of ${limit} active was answered with ${
                JSON.stringify(answer)
              }`,
            );
          }
        }
      }, { numRuns: 5 });
    },
  }),
  defineCheck({
    id: "websocket.limits.subscribers",
    title: "WebSocket subscriptions count towards maxSubscribersPerStream and maxSubscribers",
    section: "websocket.md §13",
    requirements: ["WS-LIMIT-2", "WS-LIMIT-3"],
    features: ["websocket"],
    async run(t) {
      const { maxSubscribersPerStream: perStream, maxSubscribers: total } = t.discovery.limits;
      const reachable = (n: number | undefined) => n !== undefined && n <= MOST_SUBSCRIPTIONS;
      if (!reachable(perStream) && !reachable(total)) {
        t.skip("maxSubscribersPerStream and maxSubscribers are absent or too many to reach");
      }
      const perConnection = t.discovery.bindings.websocket?.maxSubscriptions ?? MOST_SUBSCRIPTIONS;
      if (reachable(perStream)) {
        const path = t.stream("crowded");
        await t.createStream(path);
        const wanted = Array.from({ length: perStream! + 1 }, (_, i) => ({ sub: `p${i}`, path }));
        const answers = await spread(t, wanted, perConnection);
        for (const { sub } of wanted.slice(0, -1)) {
          t.expect(
            "WS-LIMIT-2",
            answers.get(sub)?.type === "subscribed",
            `subscriber ${sub} of ${perStream} on one stream: ${JSON.stringify(answers.get(sub))}`,
          );
        }
        const over = answers.get(wanted.at(-1)!.sub)!;
        t.expect(
          "WS-LIMIT-3",
          isError(over, "subscriber-limit"),
          `subscriber ${perStream! + 1} of a stream limited to ${perStream}: ${
            JSON.stringify(over)
          }`,
        );
        if (t.features.has("sse")) {
          const sse = await t.http.openSse(t.streamUrl(path, { offset: "now", live: "sse" }));
          await sse.close();
          t.expectStatus("WS-LIMIT-3", sse, 429);
        }
        await release(t);
      }
      if (reachable(total)) {
        // Fewer than maxSubscribersPerStream on each stream: only the server-wide limit is reached.
        const each = Math.max(1, Math.min(perStream ?? total!, total!) - 1);
        const streams: string[] = [];
        for (let i = 0; i * each <= total!; i++) {
          const path = t.stream("wide");
          await t.createStream(path);
          streams.push(path);
        }
        const wanted = Array.from({ length: total! + 1 }, (_, i) => ({
          sub: `g${i}`,
          path: streams[Math.floor(i / each)],
        }));
        const answers = await spread(t, wanted, perConnection);
        const refused = [...answers.values()].filter((a) => a.type !== "subscribed");
        t.expect(
          "WS-LIMIT-3",
          refused.length > 0 && refused.every((a) => isError(a, "subscriber-limit")),
          `${total! + 1} subscriptions with maxSubscribers ${total}: ${refused.length} refused ${
            JSON.stringify(refused.slice(0, 2))
          }`,
        );
        await release(t);
      }
    },
  }),
];

const opened = new WeakMap<CheckContext, { ws: WsProbe; subs: string[] }[]>();

/** Subscribes over as many connections as the per-connection limit needs, one after another. */
async function spread(
  t: CheckContext,
  wanted: readonly Wanted[],
  perConnection: number,
): Promise<Map<string, Frame>> {
  const answers = new Map<string, Frame>();
  const connections = opened.get(t) ?? [];
  opened.set(t, connections);
  for (let from = 0; from < wanted.length; from += perConnection) {
    const { ws } = await openSession(t);
    const batch = wanted.slice(from, from + perConnection);
    const got = await subscribeAll(ws, batch, t.timeoutMs);
    for (const [sub, frame] of got) answers.set(sub, frame);
    connections.push({
      ws,
      subs: [...got].filter(([, f]) => f.type === "subscribed").map(([s]) => s),
    });
  }
  return answers;
}

/** Ends what {@linkcode spread} opened, so that later checks find the subscriber counts free. */
async function release(t: CheckContext): Promise<void> {
  for (const { ws, subs } of opened.get(t) ?? []) {
    await unsubscribeAll(ws, subs, t.timeoutMs);
    ws.close();
  }
  opened.delete(t);
}
