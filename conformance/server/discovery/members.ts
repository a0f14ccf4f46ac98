// discovery.md §2: the members of the discovery document.

import { type Check, defineCheck } from "../../check.ts";

/** Checks of discovery.md §2 (members). */
export const discoveryMembersChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.members.content-types",
    title: "contentTypes, when present, includes application/json",
    section: "discovery.md §2",
    requirements: ["DISC-DOC-1"],
    async run(t) {
      const reply = await t.http.request("GET", "/v1");
      const types = (reply.json as { contentTypes?: unknown } | undefined)?.contentTypes;
      if (types === undefined) t.skip("the document has no contentTypes member");
      t.expect(
        "DISC-DOC-1",
        Array.isArray(types) && types.includes("application/json"),
        `contentTypes is ${JSON.stringify(types)}`,
      );
    },
  }),
];
