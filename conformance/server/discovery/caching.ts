// discovery.md §7: the discovery document is cacheable for a short time only.

import { type Check, defineCheck } from "../../check.ts";

/** Checks of discovery.md §7 (caching). */
export const discoveryCachingChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.caching.max-age",
    title: "the discovery document carries Cache-Control with a max-age of at most 300 seconds",
    section: "discovery.md §7",
    requirements: ["DISC-CACHE-1"],
    async run(t) {
      const reply = await t.http.request("GET", "/v1");
      const header = reply.headers.get("cache-control") ?? "";
      const match = /(?:^|,)\s*max-age\s*=\s*"?([0-9]+)"?\s*(?:,|$)/i.exec(header);
      t.expect("DISC-CACHE-1", match !== null, `Cache-Control is ${JSON.stringify(header)}`);
      const seconds = Number(match![1]);
      t.expect(
        "DISC-CACHE-1",
        seconds <= 300,
        `max-age is ${seconds} seconds`,
        { expected: "at most 300", actual: seconds },
      );
    },
  }),
];
