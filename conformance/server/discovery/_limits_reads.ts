// discovery.md §6, DISC-LIMIT-4: no read returns more than maxReadMessages.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { seedStream, setupRequest } from "../errors/_setup.ts";
import { offset16 } from "../errors/_setup.ts";

/** Beyond this many messages per read, filling a stream costs too much. */
const MAX_FILLED = 5_000;

type ReadKind = "catch-up" | "limit" | "long-poll" | "sse";

/** Appends `count` small messages in bodies within maxBodyBytes. */
async function fill(t: CheckContext, url: string, count: number): Promise<void> {
  const perBody = Math.max(
    1,
    Math.min(1_000, Math.floor((t.discovery.limits.maxBodyBytes - 2) / 2)),
  );
  for (let done = 0; done < count; done += perBody) {
    const n = Math.min(perBody, count - done);
    await setupRequest(t, "POST", url, { body: { json: Array(n).fill(1) } }, [200, 204], "filling");
  }
}

/** The sizes of the SSE data events of a read from `offset`, until `expected` messages came. */
async function sseBatches(t: CheckContext, url: string, expected: number): Promise<number[]> {
  const sse = await t.http.openSse(url);
  const sizes: number[] = [];
  try {
    if (sse.status !== 200) throw new Error(`setup failed: live=sse answered ${sse.status}`);
    const deadline = Date.now() + 3_000;
    while (sizes.reduce((a, b) => a + b, 0) < expected && Date.now() < deadline) {
      const item = await sse.next(deadline - Date.now());
      if (item.kind !== "event") {
        if (item.kind === "comment" || item.kind === "retry") continue;
        break;
      }
      if (item.event !== "data") continue;
      const batch = JSON.parse(item.data);
      sizes.push(Array.isArray(batch) ? batch.length : 0);
    }
  } finally {
    await sse.close();
  }
  return sizes;
}

/** The check of DISC-LIMIT-4. */
export const discoveryReadLimitChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.limits.read-messages",
    title: "no catch-up, long-poll or SSE read returns more than maxReadMessages, " +
      "whatever limit it asks for",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-4", "HTTP-READ-5"],
    async run(t) {
      const max = t.discovery.limits.maxReadMessages;
      if (max > MAX_FILLED) t.skip(`maxReadMessages (${max}) needs too many messages to exceed`);
      const total = max + 7;
      const s = await seedStream(t);
      await fill(t, s.url, total);
      const kinds: ReadKind[] = [
        "catch-up",
        "limit",
        ...(t.features.has("long-poll") ? ["long-poll" as const] : []),
        ...(t.features.has("sse") ? ["sse" as const] : []),
      ];
      await t.property(
        fc.record({
          kind: fc.constantFrom(...kinds),
          from: fc.integer({ min: 0, max: 6 }),
          limit: fc.oneof(
            fc.integer({ min: max + 1, max: max + 1_000_000 }).map(String),
            fc.constantFrom("99999999999999999999", "9007199254740993"),
          ),
        }),
        async ({ kind, from, limit }, run) => {
          const offset = offset16(from);
          if (kind === "sse") {
            const sizes = await sseBatches(
              run,
              run.streamUrl(s.path, { offset, live: "sse" }),
              total - from,
            );
            const largest = Math.max(0, ...sizes);
            run.expect(
              "DISC-LIMIT-4",
              largest <= max,
              `an SSE data event held ${largest} messages; maxReadMessages is ${max}`,
            );
            return;
          }
          const query: Record<string, string> = { offset };
          if (kind === "limit") query.limit = limit;
          if (kind === "long-poll") query.live = "long-poll";
          const reply = await run.http.request("GET", run.streamUrl(s.path, query));
          run.expectStatus(kind === "limit" ? "HTTP-READ-5" : "DISC-LIMIT-4", reply, 200);
          const count = Array.isArray(reply.json) ? reply.json.length : 0;
          run.expect(
            "DISC-LIMIT-4",
            count <= max,
            `a ${kind} read${kind === "limit" ? ` with limit=${limit}` : ""} returned ${count} ` +
              `messages; maxReadMessages is ${max}`,
          );
        },
        { numRuns: 8 },
      );
    },
  }),
];
