// websocket.md §6.4: resuming.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { appendHttp, type Frame, offset, offsetValue, Session } from "./_subscription_kit.ts";
import { steps } from "./_subscription_steps.ts";
import { MODEL_REQUIREMENTS, runModel, SESSION_REQUIREMENTS } from "./_subscription_run.ts";

/** Checks of websocket.md §6.4 (resuming). */
export const websocketResumeChecks: readonly Check[] = [
  defineCheck({
    id: "websocket.resume.from-minted-offsets",
    title:
      "a subscription started at any offset the server minted delivers what an uninterrupted one delivered from there",
    section: "websocket.md §6.4",
    features: ["websocket"],
    requirements: [...SESSION_REQUIREMENTS, "WS-RESUME-2", "HTTP-APPEND-1"],
    async run(t) {
      const plan = fc.record({
        batches: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
        window: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      });
      await t.property(plan, async ({ batches, window, picks }, run) => {
        const path = run.stream("resume");
        const url = await run.createStream(path);
        const session = await Session.open(run);
        session.send({ type: "subscribe", sub: "s", path, ...(window ? { window } : {}) });
        // The uninterrupted reading, and every offset the server minted for it.
        const delivered: unknown[] = [];
        const minted: number[] = [];
        let n = 0;
        const tail = batches.reduce((a, b) => a + b, 0);
        for (const size of batches) {
          await appendHttp(run, url, Array.from({ length: size }, () => ({ n: n++ })));
        }
        while (delivered.length < tail) {
          const frame = await session.takeMatching(
            (f) => f.type === "data" && f.sub === "s",
            run.timeoutMs,
          );
          run.expect(
            "WS-RESUME-2",
            frame !== undefined,
            `the uninterrupted subscription stopped at ${delivered.length}`,
          );
          delivered.push(...(frame!.messages as unknown[]));
          minted.push(offsetValue(frame!.nextOffset));
          if (window) session.send({ type: "ack", sub: "s", offset: frame!.nextOffset });
        }
        session.close();
        for (const pick of picks) {
          const from = minted[pick % minted.length];
          const again = await Session.open(run);
          again.send({ type: "subscribe", sub: "r", path, offset: offset(from) });
          let at = from;
          while (at < tail) {
            const frame: Frame | undefined = await again.takeMatching(
              (f) => f.type === "data" && f.sub === "r",
              run.timeoutMs,
            );
            run.expect("WS-RESUME-2", frame !== undefined, `resumed at ${from}: stopped at ${at}`);
            const got = frame!.messages as unknown[];
            run.expectEqual(
              "WS-RESUME-2",
              got,
              delivered.slice(at, at + got.length),
              `messages resumed at ${offset(from)}, from ${at}`,
            );
            run.expectEqual(
              "WS-RESUME-2",
              offsetValue(frame!.nextOffset),
              at + got.length,
              `nextOffset resumed at ${offset(from)}`,
            );
            at += got.length;
          }
          again.close();
        }
      }, { numRuns: 8 });
    },
  }),
  defineCheck({
    id: "websocket.resume.across-drops",
    title:
      "subscriptions dropped at random points and resumed at their last nextOffset continue without gap or duplicate",
    section: "websocket.md §6.4",
    features: ["websocket"],
    requirements: MODEL_REQUIREMENTS,
    async run(t) {
      const op = fc.oneof(
        { weight: 4, arbitrary: steps.append() },
        { weight: 3, arbitrary: steps.subscribe() },
        { weight: 2, arbitrary: steps.ack(false) },
        { weight: 3, arbitrary: steps.drop() },
        { weight: 1, arbitrary: steps.drain() },
      );
      await t.property(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops, run) => {
        await runModel(run, ops);
      });
    },
  }),
];
