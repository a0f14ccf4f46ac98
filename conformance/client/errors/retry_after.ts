// errors.md §4: a request refused with 429 or 503 is not repeated before the
// delay of retryAfterMs or, failing that, Retry-After.

import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { type RefusalCase, type RefusalRun, runRefusals } from "./_refusals.ts";

/** A case with the least delay the client must leave before trying again. */
type TimedCase = RefusalCase & { readonly waitMs: number };

const HTTP_CASES: readonly TimedCase[] = [
  {
    label: "503 with retryAfterMs 400 and Retry-After: 1",
    problem: { slug: "unavailable", members: { retryAfterMs: 400 }, retryAfter: "1" },
    retried: true,
    waitMs: 400,
  },
  {
    label: "429 with Retry-After: 1 only",
    problem: { slug: "rate-limited", retryAfter: "1" },
    retried: true,
    waitMs: 1_000,
  },
];

const WS_CASES: readonly TimedCase[] = [
  {
    label: "subscriber-limit (429) with retryAfterMs 400",
    problem: { slug: "subscriber-limit", members: { retryAfterMs: 400 } },
    retried: true,
    waitMs: 400,
  },
  {
    label: "unavailable (503) with retryAfterMs 700",
    problem: { slug: "unavailable", members: { retryAfterMs: 700 } },
    retried: true,
    waitMs: 700,
  },
];

function judgeDelay(t: ClientCheckContext, run: RefusalRun, c: TimedCase): void {
  const [first, second] = run.refusals.attempts;
  if (second === undefined || first.refusedAt === undefined) return; // not repeated: allowed
  const waited = second.at - first.refusedAt;
  t.expect(
    "ERR-RETRY-3",
    waited >= c.waitMs - 5,
    `${c.label}: the client tried again after ${waited} ms`,
    { expected: `>= ${c.waitMs} ms`, actual: `${waited} ms` },
  );
}

/** Checks of errors.md §4 (Retry-After), client side. */
export const errorRetryAfterChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.errors.retry-after.reads",
    title:
      "a read refused with 429 or 503 is tried again no sooner than retryAfterMs, or Retry-After without it",
    section: "errors.md §4",
    requirements: ["ERR-RETRY-3"],
    async run(t) {
      if (t.modes.length === 0) return t.skip("the adapter reads with no live mode");
      t.needsWait(1_000, "the Retry-After delay");
      for (const mode of t.modes) {
        const cases = mode === "websocket" ? WS_CASES : HTTP_CASES;
        const runs = await runRefusals(
          t,
          { read: mode },
          cases.map((c) => ({ ...c, label: `${mode}: ${c.label}` })),
          { repeatWindowMs: 0 },
        );
        runs.forEach((run, i) => judgeDelay(t, run, { ...cases[i], label: run.case.label }));
      }
    },
  }),
  defineClientCheck({
    id: "client.errors.retry-after.appends",
    title: "an append refused with 429 is tried again, if at all, no sooner than retryAfterMs",
    section: "errors.md §4",
    requirements: ["ERR-RETRY-3"],
    async run(t) {
      const via = t.capabilities.appends?.[0];
      if (via === undefined) return t.skip("the adapter does not append");
      const c: TimedCase = {
        label: `${via}: rate-limited (429) with retryAfterMs 400`,
        problem: {
          slug: "rate-limited",
          members: { retryAfterMs: 400 },
          ...(via === "http" ? { retryAfter: "1" } : {}),
        },
        retried: true,
        waitMs: 400,
      };
      const [run] = await runRefusals(t, { append: via }, [c], { repeatWindowMs: 0 });
      judgeDelay(t, run, c);
    },
  }),
];
