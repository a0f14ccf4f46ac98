// errors.md §4: Retry-After on 429 and 503 answers.

import { type Check, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { exceedPerStreamLimit } from "./_live_readers.ts";
import { problemOf, show } from "./_problems.ts";

/** Whether a header value is a delay in seconds (RFC 9110 §10.2.3), not a date. */
function delaySeconds(value: string | null): number | undefined {
  return value !== null && /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** Checks of errors.md §4 (Retry-After). */
export const errorsRetryAfterChecks: readonly Check[] = [
  defineCheck({
    id: "errors.retry.refused-reader",
    title: "a 429 answer carries Retry-After in seconds, retryAfterMs / 1000 rounded up",
    section: "errors.md §4",
    requirements: ["ERR-RETRY-1", "ERR-RETRY-2"],
    async run(t) {
      const readers = await exceedPerStreamLimit(t);
      let refusal: HttpReply | undefined;
      try {
        refusal = readers.refused?.reply;
      } finally {
        await readers.close();
      }
      if (refusal === undefined || (refusal.status !== 429 && refusal.status !== 503)) {
        return t.skip("no live reader was refused with 429 or 503");
      }
      const header = refusal.headers.get("retry-after");
      const seconds = delaySeconds(header);
      t.expect(
        "ERR-RETRY-1",
        seconds !== undefined,
        `a ${refusal.status} answer has Retry-After ${show(header)}, expected a delay in seconds`,
      );
      const ms = problemOf(refusal)?.retryAfterMs;
      if (typeof ms === "number") {
        t.expectEqual(
          "ERR-RETRY-2",
          seconds,
          Math.ceil(ms / 1000),
          `Retry-After beside retryAfterMs ${ms}`,
        );
      }
    },
  }),
];
