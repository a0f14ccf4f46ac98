// errors.md §6: final problems are not repeated, failed appends without
// producer information are not repeated, and retries of transient failures
// are spaced with increasing delays.

import { problemType } from "../../../src/protocol/problem.ts";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { gapAfter, judgeRefusal, Refusals, runRefusals } from "./_refusals.ts";

/** Refusals before the client is let through, for ERR-RETRY-6. */
const FAILURES = 9;
/** How long ERR-RETRY-6 watches the retries. */
const BACKOFF_BUDGET_MS = 8_000;

/** Checks of errors.md §6 (retrying and resuming), client side. */
export const errorRetryingChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.errors.retrying.final-reads",
    title: "a read refused with a problem of the final group is not repeated",
    section: "errors.md §6",
    requirements: ["ERR-RETRY-4"],
    async run(t) {
      if (t.modes.length === 0) return t.skip("the adapter reads with no live mode");
      for (const mode of t.modes) {
        const runs = await runRefusals(t, { read: mode }, [
          { label: `${mode}: invalid-offset`, problem: { slug: "invalid-offset" }, retried: false },
          { label: `${mode}: stream-gone`, problem: { slug: "stream-gone" }, retried: false },
          {
            label: `${mode}: stream-not-found`,
            problem: { slug: "stream-not-found" },
            retried: false,
            reports: problemType("stream-not-found"),
          },
        ]);
        for (const run of runs) judgeRefusal(t, "ERR-RETRY-4", run);
      }
    },
  }),
  defineClientCheck({
    id: "client.errors.retrying.final-appends",
    title: "an append refused with a problem of the final group is not repeated",
    section: "errors.md §6",
    requirements: ["ERR-RETRY-4"],
    async run(t) {
      const via = t.capabilities.appends?.[0];
      if (via === undefined) return t.skip("the adapter does not append");
      const runs = await runRefusals(t, { append: via }, [
        { label: `${via}: stream-closed`, problem: { slug: "stream-closed" }, retried: false },
        {
          label: `${via}: payload-too-large`,
          problem: { slug: "payload-too-large" },
          retried: false,
        },
        {
          label: `${via}: invalid-stream-name`,
          problem: { slug: "invalid-stream-name" },
          retried: false,
        },
      ]);
      for (const run of runs) judgeRefusal(t, "ERR-RETRY-4", run);
    },
  }),
  defineClientCheck({
    id: "client.errors.retrying.unsafe-appends",
    title:
      "an append without producer information that failed with internal-error or unavailable is not repeated",
    section: "errors.md §6",
    requirements: ["ERR-RETRY-5"],
    async run(t) {
      const via = t.capabilities.appends?.[0];
      if (via === undefined) return t.skip("the adapter does not append");
      const runs = await runRefusals(t, { append: via }, [
        { label: `${via}: internal-error`, problem: { slug: "internal-error" }, retried: false },
        {
          label: `${via}: unavailable`,
          problem: { slug: "unavailable", members: { retryAfterMs: 20 } },
          retried: false,
        },
      ]);
      for (const run of runs) judgeRefusal(t, "ERR-RETRY-5", run);
    },
  }),
  defineClientCheck({
    id: "client.errors.retrying.backoff",
    title:
      "retries of a read failing with unavailable, without a delay given, are spaced with increasing delays",
    section: "errors.md §6",
    requirements: ["ERR-RETRY-6"],
    async run(t) {
      const mode = t.modes[0];
      if (mode === undefined) return t.skip("the adapter reads with no live mode");
      const stream = await t.createStream({ messages: [{ n: 0 }] });
      await t.closeStream(stream);
      const refusals = new Refusals(
        stream,
        { read: mode },
        Array.from({ length: FAILURES }, () => ({ slug: "unavailable" as const })),
      );
      t.script(refusals.script());
      const read = await t.read(stream, {
        live: mode,
        retry: { initialDelayMs: 10, maxDelayMs: 2_000 },
      });
      await t.waitUntil(() => refusals.attempts.length > FAILURES, BACKOFF_BUDGET_MS);
      await t.closeRead(read, 1_000);
      const gaps = refusals.attempts.map((_, i) => gapAfter(refusals.attempts, i))
        .filter((gap): gap is number => gap !== undefined);
      if (refusals.attempts.length === 1) {
        t.skip("the client did not retry the read at all");
      }
      if (gaps.length < 6) {
        t.skip(
          `the client made ${gaps.length} retries in ${BACKOFF_BUDGET_MS} ms; too few to judge their spacing`,
        );
      }
      // Full jitter makes single delays random; the later ones must still be
      // clearly longer than the first ones.
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      const early = sum(gaps.slice(0, 3));
      const late = sum(gaps.slice(-3));
      t.expect(
        "ERR-RETRY-6",
        late > 2 * early + 50,
        `the delays between retries were ${
          gaps.join(", ")
        } ms: the last three (${late} ms) are not clearly longer than the first three (${early} ms)`,
        { expected: `> ${2 * early + 50} ms`, actual: `${late} ms` },
      );
    },
  }),
];
