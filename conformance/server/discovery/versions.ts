// discovery.md §3: the versions the document lists are the versions served.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { seedStream, setupRequest } from "../errors/_setup.ts";

function minor(version: string): number {
  return Number(version.split(".")[1]);
}

/** Checks of discovery.md §3 (versions). */
export const discoveryVersionsChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.versions.list",
    title: "versions includes 1.0 and is in ascending order",
    section: "discovery.md §3",
    requirements: ["DISC-VERSION-2", "DISC-VERSION-3"],
    async run(t) {
      const reply = await setupRequest(
        t,
        "GET",
        "/v1",
        {},
        [200],
        "reading the discovery document",
      );
      const versions = (reply.json as { versions?: string[] } | undefined)?.versions ?? [];
      t.expect(
        "DISC-VERSION-2",
        versions.includes("1.0"),
        `versions is ${JSON.stringify(versions)}`,
      );
      const sorted = [...versions].sort((a, b) => minor(a) - minor(b));
      t.expectEqual("DISC-VERSION-3", versions, sorted, "versions in ascending order");
    },
  }),
  defineCheck({
    id: "discovery.versions.served",
    title: "a request naming a listed version is served in it, one naming another minor is not",
    section: "discovery.md §3",
    requirements: ["DISC-VERSION-1"],
    async run(t) {
      const listed = t.discovery.versions;
      const highest = Math.max(...listed.map(minor));
      const s = await seedStream(t, { messages: 1 });
      await t.property(
        fc.oneof(fc.constantFrom(...listed), fc.nat(highest + 5).map((n) => `1.${n}`)),
        async (version, run) => {
          const reply = await run.http.request("GET", s.url, {
            headers: { "Agent-Stream-Version": version },
          });
          const served = reply.headers.get("agent-stream-version");
          // A missing header is the business of http.md's checks (HTTP-HDR-1).
          if (served === null) return;
          if (listed.includes(version)) {
            run.expectEqual(
              "DISC-VERSION-1",
              served,
              version,
              `the version served for the listed version ${version}`,
            );
          } else {
            run.expect(
              "DISC-VERSION-1",
              served !== version && listed.includes(served),
              `a request for ${version}, which the document does not list, was served as ${served}`,
            );
          }
        },
      );
    },
  }),
];
