// discovery.md §6, DISC-LIMIT-6 to DISC-LIMIT-8: counted limits (streams,
// live readers), checked where they can be reached with little work.

import { type Check, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import {
  exceedPerStreamLimit,
  holdReaders,
  liveUrl,
  MAX_LIVE_READERS,
  needLiveReaders,
} from "../errors/_live_readers.ts";
import { seedStream } from "../errors/_setup.ts";

/** The most streams a check creates to reach `maxStreams`. */
const MAX_CREATED_STREAMS = 300;

/** The checks of DISC-LIMIT-6, DISC-LIMIT-7 and DISC-LIMIT-8. */
export const discoveryCountLimitChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.limits.streams",
    title: "a create beyond maxStreams is refused with 507 stream-limit",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-6"],
    async run(t) {
      const max = t.discovery.limits.maxStreams;
      if (max === undefined) return t.skip("the server advertises no maxStreams");
      if (max > MAX_CREATED_STREAMS) {
        t.skip(`reaching maxStreams (${max}) needs more than ${MAX_CREATED_STREAMS} creates`);
      }
      const created: string[] = [];
      let refusal: HttpReply | undefined;
      try {
        // Other clients' streams count too, so the refusal may come early, but never late.
        while (created.length <= max) {
          const url = t.streamUrl(t.stream("count"));
          const reply = await t.http.request("PUT", url, {
            headers: { "Content-Type": "application/json" },
          });
          if (reply.status !== 201) {
            refusal = reply;
            break;
          }
          created.push(url);
        }
        t.expect(
          "DISC-LIMIT-6",
          refusal !== undefined,
          `${created.length} streams were created, beyond maxStreams ${max}`,
        );
        t.expectProblem("DISC-LIMIT-6", refusal!, 507, "stream-limit");
      } finally {
        for (const url of created) await t.http.request("DELETE", url);
      }
    },
  }),
  defineCheck({
    id: "discovery.limits.subscribers-per-stream",
    title: "a live reader beyond maxSubscribersPerStream is refused with 429 subscriber-limit",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-7"],
    async run(t) {
      const readers = await exceedPerStreamLimit(t);
      try {
        const limit = t.discovery.limits.maxSubscribersPerStream!;
        const refused = readers.refused;
        if (refused !== undefined && refused.index < limit) {
          t.skip(
            `reader ${refused.index + 1} was refused before the limit of ${limit}; ` +
              "readers of other clients may count against maxSubscribers",
          );
        }
        t.expect(
          "DISC-LIMIT-7",
          refused !== undefined,
          `${readers.accepted} live readers of one stream were accepted; the limit is ${limit}`,
        );
        t.expectProblem("DISC-LIMIT-7", refused!.reply, 429, "subscriber-limit");
      } finally {
        await readers.close();
      }
    },
  }),
  defineCheck({
    id: "discovery.limits.subscribers",
    title: "a live reader beyond maxSubscribers is refused with 429 subscriber-limit",
    section: "discovery.md §6",
    requirements: ["DISC-LIMIT-8"],
    async run(t) {
      needLiveReaders(t);
      const limit = t.discovery.limits.maxSubscribers;
      if (limit === undefined) return t.skip("the server advertises no maxSubscribers");
      if (limit >= MAX_LIVE_READERS) {
        t.skip(
          `reaching maxSubscribers (${limit}) needs more than ${MAX_LIVE_READERS} live readers`,
        );
      }
      // Readers spread over streams so that none exceeds maxSubscribersPerStream.
      const perStream = Math.min(
        t.discovery.limits.maxSubscribersPerStream ?? limit + 1,
        limit + 1,
      );
      const urls: string[] = [];
      while (urls.length <= limit) {
        const s = await seedStream(t);
        const n = Math.min(perStream, limit + 1 - urls.length);
        for (let i = 0; i < n; i++) urls.push(liveUrl(t, s.path));
      }
      const readers = await holdReaders(t, urls);
      try {
        const refused = readers.refused;
        t.expect(
          "DISC-LIMIT-8",
          refused !== undefined,
          `${readers.accepted} live readers were accepted; maxSubscribers is ${limit}`,
        );
        // An earlier refusal is allowed (other clients' readers count too), if it names the limit.
        t.expectProblem("DISC-LIMIT-8", refused!.reply, 429, "subscriber-limit");
      } finally {
        await readers.close();
      }
    },
  }),
];
