// sse.md §2: event IDs and resumption, and the property that ties §1–§4
// together: live readers that drop and resume while messages are appended.

import fc from "fast-check";
import { formatOffset } from "../../../src/protocol/offset.ts";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { LiveReader, liveWaitMs, READ_IDS, type Resume } from "./_live_reader.ts";
import { appendTo, batch, freshStream } from "./_stream_model.ts";

type Op =
  | { readonly kind: "append"; readonly size: number; readonly single: boolean }
  | { readonly kind: "read" }
  | { readonly kind: "some"; readonly n: number }
  | { readonly kind: "drop"; readonly resume: Resume }
  | { readonly kind: "idle" };

const resumeArb: fc.Arbitrary<Resume> = fc.oneof(
  fc.constantFrom("-1", "now", formatOffset(0)).map((decoy) => ({
    via: "last-event-id" as const,
    decoy,
  })),
  fc.constant({ via: "offset" as const }),
);

const readOpArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: "read" as const }),
  fc.integer({ min: 1, max: 4 }).map((n) => ({ kind: "some" as const, n })),
  resumeArb.map((resume) => ({ kind: "drop" as const, resume })),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      size: fc.integer({ min: 1, max: 5 }),
      single: fc.boolean(),
    }).map((op) => ({ ...op, single: op.single && op.size === 1 })),
  },
  { weight: 3, arbitrary: readOpArb },
  { weight: 1, arbitrary: fc.constant({ kind: "idle" as const }) },
);

const scenarioArb = fc.record({
  initial: fc.integer({ min: 0, max: 4 }),
  start: fc.constantFrom("-1", "offset", "now"),
  startAt: fc.nat(),
  ops: fc.array(opArb, { minLength: 1, maxLength: 10 }),
  close: fc.option(
    fc.record({
      size: fc.integer({ min: 0, max: 3 }),
      after: fc.array(readOpArb, { maxLength: 3 }),
    }),
    { nil: undefined },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Checks of sse.md §2 (event IDs and resumption). */
export const sseResumptionChecks: readonly Check[] = [
  defineCheck({
    id: "sse.resume.exactly-once",
    title:
      "readers that drop at random points and resume (Last-Event-ID or offset) while messages are appended get every message once, in order",
    section: "sse.md §1–§4",
    requirements: [
      ...READ_IDS,
      "SSE-RESUME-1",
      "SSE-RESUME-3",
      "SSE-HEARTBEAT-1",
      "SSE-CLOSE-1",
      "SSE-CLOSE-2",
    ],
    features: ["sse"],
    async run(t) {
      const heartbeat = t.discovery.bindings?.sse?.heartbeatMs;
      // A heartbeat wait inside the property only when it is short.
      const idleMs = heartbeat !== undefined && heartbeat <= 1000
        ? heartbeat + Math.max(heartbeat / 4, 1000)
        : undefined;
      await t.property(scenarioArb, (scenario, run) => exactlyOnce(run, scenario, idleMs));
    },
  }),
  defineCheck({
    id: "sse.resume.last-event-id-wins",
    title: "Last-Event-ID sets where a read starts, whatever the offset parameter says",
    section: "sse.md §2",
    requirements: [...READ_IDS, "SSE-RESUME-1"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 4));
      await appendTo(t, model, batch(4, 2));
      for (const at of [0, 1, 4, 6]) {
        for (const decoy of ["-1", "now", formatOffset(at === 0 ? 2 : 0)]) {
          const resume: Resume = { via: "last-event-id", decoy };
          const reader = new LiveReader(t, model, liveWaitMs(t));
          reader.position = at;
          try {
            await reader.resume(resume);
            await reader.catchUp(resume);
          } finally {
            await reader.close();
          }
        }
      }
    },
  }),
  defineCheck({
    id: "sse.resume.invalid-last-event-id",
    title: "a Last-Event-ID that is not an offset answers 400 invalid-offset",
    section: "sse.md §2",
    requirements: ["SSE-RESUME-2"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 2));
      await t.property(
        fc.oneof(
          fc.constantFrom("-1", "now", "1", "abc", "000000000000000", "00000000000000001", "0x10"),
          fc.stringMatching(/^[0-9]{1,15}$/),
          fc.stringMatching(/^[0-9]{17,20}$/),
          fc.stringMatching(/^[!-~]{1,20}$/).filter((s) => !/^[0-9]{16}$/.test(s)),
        ),
        async (id, run) => {
          const url = `${model.url}?${new URLSearchParams({ offset: "-1", live: "sse" })}`;
          const sse = await run.http.openSse(url, { "Last-Event-ID": id });
          await sse.close();
          run.expectStatus("SSE-RESUME-2", sse, 400);
          const reply = await run.http.request("GET", url, {
            headers: { "Last-Event-ID": id },
            timeoutMs: 2000,
          });
          run.expectProblem("SSE-RESUME-2", reply, 400, "invalid-offset");
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "sse.resume.closed-tail",
    title:
      "resuming a closed stream with Last-Event-ID answers 204 at its final tail, and the rest of it then streamClosed before",
    section: "sse.md §2",
    requirements: [...READ_IDS, "SSE-RESUME-1", "SSE-RESUME-3", "SSE-CLOSE-1"],
    features: ["sse"],
    async run(t) {
      const model = await freshStream(t);
      await appendTo(t, model, batch(0, 3), { close: true });
      for (const at of [3, 1, 0]) {
        const resume: Resume = { via: "last-event-id", decoy: "-1" };
        const reader = new LiveReader(t, model, liveWaitMs(t));
        reader.position = at;
        try {
          await reader.resume(resume);
          await reader.catchUp(resume);
        } finally {
          await reader.close();
        }
      }
    },
  }),
];

async function exactlyOnce(
  t: CheckContext,
  scenario: Scenario,
  idleMs: number | undefined,
): Promise<void> {
  const model = await freshStream(t);
  let n = 0;
  const messages = (size: number) => Array.from({ length: size }, () => ({ n: n++ }));
  if (scenario.initial > 0) await appendTo(t, model, messages(scenario.initial));
  const reader = new LiveReader(t, model, liveWaitMs(t));
  let how: Resume = { via: "last-event-id", decoy: "-1" };
  let idled = false;
  try {
    const start = scenario.start === "-1"
      ? { query: "-1", offset: 0 }
      : scenario.start === "now"
      ? { query: "now", offset: scenario.initial }
      : startAt(scenario.startAt % (scenario.initial + 1));
    await reader.start(start);
    const exec = async (op: Op): Promise<void> => {
      switch (op.kind) {
        case "append":
          return await appendTo(t, model, messages(op.size), { single: op.single });
        case "read":
          return await reader.catchUp(how);
        case "some":
          return await reader.readSome(op.n, how);
        case "drop":
          how = op.resume;
          return await reader.resume(how);
        case "idle":
          // One heartbeat wait per run at most: they cost real time.
          if (idleMs === undefined || idled || model.closed) return;
          idled = true;
          await reader.catchUp(how);
          return await reader.heartbeat(idleMs, how);
      }
    };
    for (const op of scenario.ops) await exec(op);
    if (scenario.close) {
      await appendTo(t, model, messages(scenario.close.size), { close: true });
      for (const op of scenario.close.after) await exec(op);
    }
    await reader.catchUp(how);
    t.expect(
      "SSE-EVENT-1",
      reader.position === model.messages.length,
      `the reader ended at ${formatOffset(reader.position)}, not at the tail ${
        formatOffset(model.messages.length)
      }`,
    );
    if (model.closed) {
      // A reconnecting EventSource is told to stop; a fresh read gets the closure alone.
      await reader.resume({ via: "last-event-id", decoy: "-1" });
      await reader.resume({ via: "offset" });
      await reader.catchUp({ via: "offset" });
    }
  } finally {
    await reader.close();
  }
}

function startAt(offset: number): { query: string; offset: number } {
  return { query: formatOffset(offset), offset };
}
