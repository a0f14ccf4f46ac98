// websocket.md §9: appends. An `append` frame has the outcome of its
// equivalent HTTP request; the checks send both, to twin streams, and compare.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import {
  type Append,
  appendArbitrary,
  appendOverHttp,
  appendOverWs,
  envelope,
  expectSameOutcome,
  readBack,
} from "./_append_twins.ts";
import { expectErrorFrame, offset, problemSlugOf, Session } from "./_subscription_kit.ts";
import { SESSION_REQUIREMENTS } from "./_subscription_run.ts";

/** Checks of websocket.md §9 (appends). */
export const websocketAppendChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.append.equivalent-http",
    title:
      "each append frame has the outcome and the effect of its equivalent HTTP request: appended with nextOffset, duplicate, closed and producer, or the same problem",
    section: "websocket.md §9",
    features: ["websocket"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-APPEND-1",
      "WS-APPEND-2",
      "WS-APPEND-3",
      "WS-APPEND-4",
      "WS-APPEND-5",
      "WS-APPEND-6",
      "WS-APPEND-7",
      "WS-APPEND-8",
      "WS-APPEND-9",
      "WS-APPEND-10",
      "WS-APPEND-11",
      "WS-APPEND-12",
    ],
    async run(t) {
      const agent = t.features.has("agent");
      const plan = fc.boolean().chain((asAgent) =>
        fc.record({
          agent: fc.constant(agent && asAgent),
          appends: fc.array(appendArbitrary(t, agent && asAgent), { minLength: 1, maxLength: 12 }),
          missing: fc.boolean(),
        })
      );
      await t.property(plan, async ({ agent: asAgent, appends, missing }, run) => {
        const headers: Record<string, string> = asAgent ? { "Agent-Stream-Kind": "agent" } : {};
        const h = run.stream("http");
        const w = run.stream("ws");
        const hUrl = missing ? run.streamUrl(h) : await run.createStream(h, { headers });
        if (!missing) await run.createStream(w, { headers });
        const session = await Session.open(run);
        for (const [i, a] of appends.entries()) {
          const reply = await appendOverHttp(run, hUrl, a);
          const frame = await appendOverWs(run, session, w, a, `a${i}`);
          expectSameOutcome(run, a, reply, frame, `a${i}`);
        }
        const stray = (await session.settle(run.timeoutMs)) ?? [];
        run.expect(
          "WS-APPEND-2",
          !stray.some((f) => f.req !== undefined),
          "a second answer to an append",
        );
        if (missing) return;
        const [overHttp, overWs] = [
          await readBack(run, hUrl),
          await readBack(run, run.streamUrl(w)),
        ];
        run.expectEqual(
          "WS-APPEND-1",
          overWs,
          overHttp,
          "the stream written over WebSocket, read back",
        );
      });
    },
  }),
  defineCheck({
    id: "websocket.append.producer-problems",
    title:
      "producer appends over WebSocket are judged as over HTTP: duplicates, stale epochs with producerEpoch, gaps with expectedSeq and receivedSeq",
    section: "websocket.md §9",
    features: ["websocket", "idempotent-producer"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-APPEND-2",
      "WS-APPEND-3",
      "WS-APPEND-4",
      "WS-APPEND-5",
      "WS-APPEND-6",
      "WS-APPEND-7",
      "WS-APPEND-8",
      "WS-APPEND-9",
      "WS-APPEND-10",
    ],
    async run(t) {
      const h = await t.createStream(t.stream("http"));
      const w = t.stream("ws");
      await t.createStream(w);
      const session = await Session.open(t);
      // [epoch, seq, the outcome log.md §7 gives]
      const steps: [number, number, string][] = [
        [0, 0, "new producer"],
        [1, 0, "new epoch"],
        [0, 1, "stale epoch"],
        [1, 3, "sequence gap"],
        [2, 1, "bad epoch start"],
        [1, 0, "duplicate"],
        [1, 1, "accepted"],
      ];
      for (const [i, [epoch, seq, outcome]] of steps.entries()) {
        const a: Append = { messages: [{ i }], producer: { id: "p", epoch, seq } };
        t.note(`${outcome}: epoch ${epoch}, seq ${seq}`);
        const reply = await appendOverHttp(t, h, a);
        const frame = await appendOverWs(t, session, w, a, `p${i}`);
        expectSameOutcome(t, a, reply, frame, `p${i}`);
        const problem = frame!.problem as Record<string, unknown> | undefined;
        if (outcome === "stale epoch") {
          t.expectEqual(
            "WS-APPEND-8",
            problemSlugOf(frame),
            "producer-stale-epoch",
            "problem type",
          );
          t.expectEqual("WS-APPEND-9", problem?.producerEpoch, 1, "producerEpoch");
        }
        if (outcome === "sequence gap") {
          t.expectEqual("WS-APPEND-8", problemSlugOf(frame), "producer-seq-gap", "problem type");
          t.expectEqual(
            "WS-APPEND-10",
            [problem?.expectedSeq, problem?.receivedSeq],
            [1, 3],
            "expectedSeq, receivedSeq",
          );
        }
        if (outcome === "duplicate") {
          t.expectEqual("WS-APPEND-4", frame!.duplicate, true, "duplicate");
          t.expectEqual("WS-APPEND-7", frame!.producer, { epoch: 1, seq: 0 }, "producer");
        }
      }
    },
  }),
  defineCheck({
    id: "websocket.append.envelope-pointers",
    title:
      "an append of invalid envelopes to an agent stream is refused with the errors[].path pointers the HTTP request gets",
    section: "websocket.md §9",
    features: ["websocket", "agent"],
    requirements: [
      ...SESSION_REQUIREMENTS,
      "WS-APPEND-2",
      "WS-APPEND-3",
      "WS-APPEND-8",
      "WS-APPEND-12",
    ],
    async run(t) {
      const headers = { "Agent-Stream-Kind": "agent" };
      const h = await t.createStream(t.stream("http"), { headers });
      const w = t.stream("ws");
      await t.createStream(w, { headers });
      const session = await Session.open(t);
      const bodies = fc.array(envelope, { minLength: 1, maxLength: 5 });
      await t.property(bodies, async (messages, run) => {
        const a: Append = { messages };
        const reply = await appendOverHttp(run, h, a);
        const req = `v${Math.random().toString(36).slice(2, 8)}`;
        expectSameOutcome(run, a, reply, await appendOverWs(run, session, w, a, req), req);
      }, { numRuns: 12 });
    },
  }),
  defineCheck({
    id: "websocket.append.empty",
    title: "an append frame with an empty messages array is answered with empty-append",
    section: "websocket.md §9",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-APPEND-11"],
    async run(t) {
      const path = t.stream("empty");
      await t.createStream(path);
      const session = await Session.open(t);
      const variants: Record<string, unknown>[] = [{}, { close: true }, {
        producer: { id: "p", epoch: 0, seq: 0 },
      }];
      for (const [i, extra] of variants.entries()) {
        session.send({ type: "append", req: `e${i}`, path, messages: [], ...extra });
        const frame = await session.takeMatching((f) => f.req === `e${i}`, t.timeoutMs);
        expectErrorFrame(t, "WS-APPEND-11", frame, "empty-append", { req: `e${i}` });
      }
    },
  }),
  defineCheck({
    id: "websocket.append.pipelined",
    title:
      "appends sent back to back on one connection are applied, and answered, in the order they were received, per stream",
    section: "websocket.md §9",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-APPEND-13", "WS-APPEND-14", "WS-APPEND-2"],
    async run(t) {
      const producers = t.features.has("idempotent-producer");
      const plan = fc.array(
        fc.record({ s: fc.nat(1), n: fc.integer({ min: 1, max: 3 }), producer: fc.boolean() }),
        {
          minLength: 2,
          maxLength: 24,
        },
      );
      await t.property(plan, async (sends, run) => {
        const paths = [run.stream("p0"), run.stream("p1")];
        for (const path of paths) await run.createStream(path);
        const session = await Session.open(run);
        const tails = [0, 0];
        const seqs = [0, 0];
        const expected: { req: string; s: number; nextOffset: number }[] = [];
        const sent: unknown[][] = [[], []];
        for (const [i, { s, n, producer }] of sends.entries()) {
          const messages = Array.from({ length: n }, (_, j) => ({ i, j }));
          const chain = producer && producers
            ? { producer: { id: "chain", epoch: 0, seq: seqs[s]++ } }
            : {};
          session.send({ type: "append", req: `r${i}`, path: paths[s], messages, ...chain });
          tails[s] += n;
          sent[s].push(...messages);
          expected.push({ req: `r${i}`, s, nextOffset: tails[s] });
        }
        const answered = () => expected.every((e) => session.frames.some((f) => f.req === e.req));
        await session.waitFor(answered, run.timeoutMs);
        const answers = ((await session.settle(run.timeoutMs)) ?? []).filter((f) =>
          f.req !== undefined
        );
        for (const e of expected) {
          const n = answers.filter((f) => f.req === e.req).length;
          run.expect("WS-APPEND-2", n === 1, `${n} answers to ${e.req}`);
        }
        for (const s of [0, 1]) {
          const mine = expected.filter((e) => e.s === s);
          const got = answers.filter((f) => mine.some((e) => e.req === f.req));
          run.expectEqual(
            "WS-APPEND-14",
            got.map((f) => f.req),
            mine.map((e) => e.req),
            `answers for stream ${s}, in order`,
          );
          for (const [k, e] of mine.entries()) {
            run.expectEqual("WS-APPEND-13", [got[k].type, got[k].nextOffset], [
              "appended",
              offset(e.nextOffset),
            ], `answer to ${e.req}`);
          }
          const back = await readBack(run, run.streamUrl(paths[s]));
          run.expectEqual("WS-APPEND-13", back.messages, sent[s], `stream ${s} read back`);
        }
      }, { numRuns: 8 });
    },
  }),
];
