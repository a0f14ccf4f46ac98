// discovery.md §7: a client fetches the discovery document again before it
// relies on a copy older than its max-age, and after unsupported-version.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { delivered, numbered } from "../_delivery.ts";
import { problemReply } from "../problem_reply.ts";

/** The time of the client's first request for `stream`, or its first handshake after `since` over WebSocket. */
function firstUse(
  t: ClientCheckContext,
  stream: string,
  since: number,
  websocket: boolean,
): number | undefined {
  if (websocket) return t.server.handshakes.find((h) => h.at > since)?.at;
  return t.server.callsFor(stream).find((call) => call.at > since)?.at;
}

/** Discovery requests between `from` and `to` (inclusive). */
function fetchedBetween(t: ClientCheckContext, from: number, to: number): number {
  return t.server.calls.filter((c) => c.kind === "discovery" && c.at > from && c.at <= to).length;
}

async function closedStream(t: ClientCheckContext): Promise<string> {
  const stream = await t.createStream({ messages: numbered(2) });
  await t.closeStream(stream);
  return stream;
}

/** Checks of discovery.md §7 (caching), client side. */
export const discoveryCachingChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.discovery.caching.max-age",
    title:
      "a discovery document older than its max-age is fetched again before the client relies on it",
    section: "discovery.md §7",
    requirements: ["DISC-CACHE-2"],
    async run(t) {
      const mode = t.modes[0];
      if (mode === undefined) return t.skip("the adapter reads with no live mode");
      t.needsWait(1_000, "a max-age of one second");
      t.script({ discoveryHeaders: { "cache-control": "public, max-age=1" } });
      const websocket = mode === "websocket";
      // Over WebSocket, a reconnection relies on the endpoint; it needs a live read.
      const first = websocket
        ? await t.createStream({ messages: numbered(1) })
        : await closedStream(t);
      const read = await t.read(first, { live: mode });
      await (websocket ? delivered(read, 1, t.timeoutMs) : read.settled(t.timeoutMs));
      const fetched = t.server.calls.filter((c) => c.kind === "discovery").map((c) => c.at);
      if (fetched.length === 0) return t.skip("the client never fetched the discovery document");
      const stale = Math.max(...fetched) + 1_000;
      await t.sleep(stale - Date.now() + 100);
      const since = Date.now();
      const second = await closedStream(t);
      if (websocket) await t.restart(10);
      else await (await t.read(second, { live: mode })).settled(t.timeoutMs);
      await t.waitUntil(
        () => firstUse(t, websocket ? first : second, since, websocket) !== undefined,
        t.timeoutMs,
      );
      const used = firstUse(t, websocket ? first : second, since, websocket);
      if (used === undefined) {
        return t.skip("the client made no request after the document went stale");
      }
      t.expect(
        "DISC-CACHE-2",
        fetchedBetween(t, since, used) > 0,
        `the client ${
          websocket ? "reconnected" : "read"
        } with a discovery document older than its max-age of 1 s, without fetching it again`,
      );
    },
  }),
  defineClientCheck({
    id: "client.discovery.caching.unsupported-version",
    title:
      "after a problem of type unsupported-version the client fetches the discovery document again",
    section: "discovery.md §7",
    requirements: ["DISC-CACHE-3"],
    async run(t) {
      const mode = t.modes[0];
      if (mode === undefined) return t.skip("the adapter reads with no live mode");
      const websocket = mode === "websocket";
      const refused = await closedStream(t);
      let refusedAt = 0;
      const problem = {
        type: "https://agent-stream.dev/problems/unsupported-version",
        title: "Unsupported version",
        status: 400,
        supported: ["1.0"],
      };
      t.script({
        http(call) {
          if (websocket || call.stream !== refused || refusedAt > 0) return undefined;
          refusedAt = Date.now();
          return {
            respond: problemReply({ slug: "unsupported-version", members: { supported: ["1.0"] } }),
          };
        },
        wsIn(frame, link) {
          if (!websocket || frame.type !== "hello" || refusedAt > 0) return undefined;
          refusedAt = Date.now();
          link.toClient({ type: "error", problem });
          link.close(1008, "unsupported version");
          return "drop";
        },
      });
      await (await t.read(refused, { live: mode })).settled(t.timeoutMs);
      if (refusedAt === 0) return t.skip("the client made no request to refuse");
      const since = refusedAt;
      const second = await closedStream(t);
      await (await t.read(second, { live: mode })).settled(t.timeoutMs);
      const used = firstUse(t, second, since, websocket);
      if (used === undefined) return t.skip("the client made no request after the refusal");
      t.expect(
        "DISC-CACHE-3",
        fetchedBetween(t, since, used) > 0,
        "after unsupported-version the client went on without fetching the discovery document again",
      );
    },
  }),
];
