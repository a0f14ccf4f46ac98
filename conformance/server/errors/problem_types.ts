// errors.md §2: problem types come from the catalogue, with its statuses.

import type { Provoked } from "./_bad_requests.ts";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import { forEachBadRequest } from "./_bad_requests.ts";
import {
  catalogueSlug,
  catalogueStatus,
  inProtocolNamespace,
  problemOf,
  show,
  typeOf,
} from "./_problems.ts";

/**
 * Judges the type and status of the answer to a refused request: the type is
 * in the catalogue (ERR-TYPE-3), is one the spec names for the defect
 * (ERR-TYPE-1), and has the catalogue's status (ERR-TYPE-2).
 */
function judgeType({ what, reply, slugs }: Provoked, t: CheckContext): void {
  const expected = slugs.map(typeOf).join(" or ");
  t.expect("ERR-TYPE-1", reply !== undefined, `${what}: no answer in time; expected ${expected}`);
  const type = problemOf(reply!)?.type;
  t.expect(
    "ERR-TYPE-3",
    !inProtocolNamespace(type) || catalogueSlug(type) !== undefined,
    `${what}: the type ${show(type)} is not in the catalogue`,
  );
  const slug = catalogueSlug(type);
  t.expect(
    "ERR-TYPE-1",
    slug !== undefined && slugs.includes(slug),
    `${what}: answered ${reply!.status} with type ${show(type)}, expected ${expected}`,
    { expected, actual: type },
  );
  const status = catalogueStatus(slug!);
  t.expectEqual("ERR-TYPE-2", reply!.status, status, `${what}: the status of ${slug}`);
  t.expectEqual(
    "ERR-TYPE-2",
    problemOf(reply!)?.status,
    status,
    `${what}: the status member of ${slug}`,
  );
}

/** Checks of errors.md §2 (problem types). */
export const errorsProblemTypesChecks: readonly Check[] = [
  defineCheck({
    id: "errors.types.catalogue",
    title:
      "each refused request is answered with the catalogue's type for its defect and that type's status",
    section: "errors.md §2",
    requirements: ["ERR-TYPE-1", "ERR-TYPE-2", "ERR-TYPE-3"],
    async run(t) {
      await forEachBadRequest(t, judgeType);
    },
  }),
  defineCheck({
    id: "errors.types.stable-title",
    title: "every occurrence of a problem type carries the same title",
    section: "errors.md §2",
    requirements: ["ERR-TYPE-4"],
    async run(t) {
      const seen = new Map<string, { title: unknown; what: string }>();
      await forEachBadRequest(t, ({ what, reply }, run) => {
        const problem = reply && reply.status >= 400 ? problemOf(reply) : undefined;
        if (typeof problem?.type !== "string") return;
        const first = seen.get(problem.type);
        if (first === undefined) {
          seen.set(problem.type, { title: problem.title, what });
          return;
        }
        run.expect(
          "ERR-TYPE-4",
          first.title === problem.title,
          `${problem.type}: title ${show(problem.title)} for ${what}, but ${
            show(first.title)
          } for ${first.what}`,
          { expected: first.title, actual: problem.title },
        );
      }, 3);
    },
  }),
];
