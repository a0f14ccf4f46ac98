// log.md §5: catch-up reads at any offset and limit, and live reads that
// deliver every later message and wake when the stream moves.

import fc from "fast-check";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { arrayBody, fcJsonText, messagesOfBody, splitJsonArray } from "./_log_json.ts";
import {
  checkRead,
  createJsonStream,
  flag,
  getAt,
  nextOffset,
  offsetText,
  post,
} from "./_log_http.ts";

const READ_IDS = [
  "LOG-READ-1",
  "LOG-READ-2",
  "LOG-READ-3",
  "LOG-READ-4",
  "LOG-READ-5",
  "LOG-OFFSET-1",
  "LOG-OFFSET-2",
  "LOG-MSG-1",
  "LOG-MSG-2",
];

const fcPayload = fc.oneof(
  { weight: 4, arbitrary: fc.nat(999).map(String) },
  { weight: 1, arbitrary: fcJsonText({ rich: true }, 1) },
);

/** A stream built from batches (some closed at the end); returns its URL and messages. */
async function buildStream(
  t: CheckContext,
  batches: readonly (readonly string[])[],
  closed: boolean,
): Promise<{ url: string; content: string[] }> {
  const url = await createJsonStream(t, "LOG-READ-1");
  const content: string[] = [];
  for (const [b, batch] of batches.entries()) {
    const messages = batch.map((payload, i) => `{"b":${b},"i":${i},"v":${payload}}`);
    const last = closed && b === batches.length - 1;
    const reply = await post(t, url, arrayBody(messages), last ? { "Stream-Closed": "true" } : {});
    t.expectStatus("LOG-READ-1", reply, [200, 204]);
    content.push(...messagesOfBody(arrayBody(messages)));
  }
  if (closed && batches.length === 0) {
    await post(t, url, undefined, { "Stream-Closed": "true" });
  }
  return { url, content };
}

const fcStream = fc.tuple(
  fc.array(fc.array(fcPayload, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
  fc.boolean(),
);

/** Checks of log.md §5 (reading, live reading). */
export const logReadingChecks: readonly Check[] = [
  defineCheck({
    id: "log.read.random",
    title:
      "reads at random offsets (-1, now, any position) and limits return the right messages, next offset, up-to-date and closed flags",
    section: "log.md §5",
    requirements: READ_IDS,
    async run(t) {
      const fcRead = fc.record({
        offset: fc.oneof(fc.constantFrom("-1", "now"), fc.nat(), fc.nat()),
        limit: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      });
      await t.property(
        fc.tuple(fcStream, fc.array(fcRead, { minLength: 1, maxLength: 6 })),
        async ([[batches, closed], reads], run) => {
          const { url, content } = await buildStream(run, batches, closed);
          for (const { offset, limit } of reads) {
            const requested = typeof offset === "number"
              ? offsetText(offset % (content.length + 1))
              : offset;
            checkRead(run, await getAt(run, url, requested, limit), {
              content,
              closed,
              requested,
              limit,
            });
          }
        },
      );
    },
  }),
  defineCheck({
    id: "log.read.paging",
    title: "following Stream-Next-Offset with random limits reads the whole stream exactly once",
    section: "log.md §5",
    requirements: READ_IDS,
    async run(t) {
      await t.property(
        fc.tuple(
          fcStream,
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        ),
        async ([[batches, closed], limits], run) => {
          const { url, content } = await buildStream(run, batches, closed);
          let requested = "-1";
          const seen: string[] = [];
          for (let page = 0; page <= content.length; page++) {
            const limit = limits[page % limits.length];
            const reply = await getAt(run, url, requested, limit);
            seen.push(...checkRead(run, reply, { content, closed, requested, limit }));
            requested = offsetText(seen.length);
            if (flag(reply, "stream-up-to-date")) break;
          }
          run.expectEqual("LOG-READ-1", seen, content, "the stream read page by page");
        },
      );
    },
  }),
  defineCheck({
    id: "log.live.long-poll",
    title: "a long-poll reader receives every message appended after its offset, in order, once",
    section: "log.md §5",
    requirements: ["LOG-LIVE-1"],
    features: ["long-poll"],
    async run(t) {
      await t.property(fcLiveScenario(), async (scenario, run) => {
        await liveScenario(run, scenario, async (url, start, total, live) => {
          const got: string[] = [];
          let offset = start;
          for (let round = 0; got.length < total && round < 4 * total + 10; round++) {
            const caughtUp = live.writerDone();
            const reply = await run.http.request(
              "GET",
              `${url}?offset=${offsetText(offset)}&live=long-poll`,
            );
            run.expectStatus("LOG-LIVE-1", reply, [200, 204]);
            const batch = reply.status === 200 ? splitJsonArray(reply.text) ?? [] : [];
            got.push(...batch);
            const next = nextOffset(run, reply, "LOG-LIVE-1");
            run.expectEqual("LOG-LIVE-1", next, offset + batch.length, "long-poll next offset");
            offset = next;
            // Everything was appended before this poll, and it came back up to date.
            if (caughtUp && flag(reply, "stream-up-to-date")) break;
          }
          return got;
        });
      }, { numRuns: 4 });
    },
  }),
  defineCheck({
    id: "log.live.sse",
    title: "an SSE reader receives every message appended after its offset, in order, once",
    section: "log.md §5",
    requirements: ["LOG-LIVE-1"],
    features: ["sse"],
    async run(t) {
      await t.property(fcLiveScenario(), async (scenario, run) => {
        await liveScenario(run, scenario, async (url, start, total, live) => {
          const sse = await run.http.openSse(`${url}?offset=${offsetText(start)}&live=sse`);
          live.started();
          const got: string[] = [];
          try {
            const deadline = Date.now() + run.timeoutMs;
            while (got.length < total && Date.now() < deadline) {
              const item = await sse.next(deadline - Date.now());
              if (item.kind === "end" || item.kind === "timeout" || item.kind === "error") break;
              if (item.kind === "event" && item.event === "data") {
                got.push(...(splitJsonArray(item.data) ?? ["(not a JSON array)"]));
              }
              // The server says it delivered everything up to the final tail.
              if (
                item.kind === "event" && item.event === "control" && live.writerDone() &&
                controlAt(item.data) === start + total
              ) break;
            }
          } finally {
            await sse.close();
          }
          return got;
        });
      }, { numRuns: 4 });
    },
  }),
  defineCheck({
    id: "log.live.wake",
    title: "a waiting long-poll wakes when a message is appended or the stream is closed",
    section: "log.md §5",
    requirements: ["LOG-LIVE-2"],
    features: ["long-poll"],
    async run(t) {
      const timeout = t.discovery.bindings?.longPoll?.timeoutMs ?? 30_000;
      t.needsWait(timeout, "the long-poll timeout");
      for (const wake of ["append", "close"] as const) {
        const url = await createJsonStream(t, "LOG-LIVE-2", { body: "[0]" });
        const started = Date.now();
        const [reply] = await Promise.all([
          t.http.request("GET", `${url}?offset=${offsetText(1)}&live=long-poll`, {
            timeoutMs: timeout + t.timeoutMs,
          }),
          t.sleep(50).then(() =>
            wake === "append"
              ? post(t, url, "[1]")
              : post(t, url, undefined, { "Stream-Closed": "true" })
          ),
        ]);
        const elapsed = Date.now() - started;
        t.expect(
          "LOG-LIVE-2",
          elapsed < timeout,
          `the long-poll answered after ${elapsed} ms, not before its ${timeout} ms timeout, although the stream was ${
            wake === "append" ? "appended to" : "closed"
          } at 50 ms`,
        );
        if (wake === "append") {
          t.expectStatus("LOG-LIVE-2", reply, 200);
          t.expectEqual("LOG-LIVE-2", splitJsonArray(reply.text), ["1"], "the woken long-poll");
        } else {
          t.expect(
            "LOG-LIVE-2",
            flag(reply, "stream-closed"),
            "the woken long-poll does not report the closure",
          );
        }
      }
    },
  }),
];

/** The `streamNextOffset` of an SSE control event that says `upToDate`, as a number. */
function controlAt(data: string): number | undefined {
  try {
    const control = JSON.parse(data);
    return control.upToDate === true ? Number(control.streamNextOffset) : undefined;
  } catch {
    return undefined;
  }
}

interface LiveScenario {
  readonly initial: number;
  readonly start: number;
  readonly batches: readonly { readonly size: number; readonly delay: number }[];
}

function fcLiveScenario(): fc.Arbitrary<LiveScenario> {
  return fc.record({
    initial: fc.nat(4),
    start: fc.nat(),
    batches: fc.array(
      fc.record({ size: fc.integer({ min: 1, max: 3 }), delay: fc.integer({ min: 0, max: 15 }) }),
      { minLength: 1, maxLength: 6 },
    ),
  });
}

/**
 * Creates a stream with `initial` messages, starts a reader at a random
 * offset, appends the batches with small delays, and requires the reader to
 * return exactly the messages from its offset on (LOG-LIVE-1).
 */
async function liveScenario(
  t: CheckContext,
  s: LiveScenario,
  reader: (
    url: string,
    start: number,
    total: number,
    live: { started(): void; writerDone(): boolean },
  ) => Promise<string[]>,
): Promise<void> {
  const content = Array.from({ length: s.initial }, (_, i) => `{"i":${i}}`);
  const url = await createJsonStream(t, "LOG-LIVE-1", {
    body: s.initial > 0 ? arrayBody(content) : undefined,
  });
  const start = s.start % (s.initial + 1);
  const total = s.initial - start + s.batches.reduce((n, b) => n + b.size, 0);
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  let done = false;
  const writer = (async () => {
    await Promise.race([begun, t.sleep(20)]);
    for (const [b, batch] of s.batches.entries()) {
      await t.sleep(batch.delay);
      const messages = Array.from({ length: batch.size }, (_, i) => `{"b":${b},"i":${i}}`);
      t.expectStatus("LOG-LIVE-1", await post(t, url, arrayBody(messages)), [200, 204]);
      content.push(...messages);
    }
    done = true;
  })();
  const [got] = await Promise.all([
    reader(url, start, total, { started: begin, writerDone: () => done }),
    writer,
  ]);
  t.expectEqual("LOG-LIVE-1", got, content.slice(start), "messages the live reader received");
}
