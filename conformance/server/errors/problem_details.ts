// errors.md §1: every error answer over HTTP is a problem document.

import { type Check, defineCheck } from "../../check.ts";
import { forEachBadRequest } from "./_bad_requests.ts";
import { mediaType, problemIssues, problemOf, show } from "./_problems.ts";

/** Checks of errors.md §1 (problem details). */
export const errorsProblemDetailsChecks: readonly Check[] = [
  defineCheck({
    id: "errors.problem.http-format",
    title:
      "every error answer to a refused request is an application/problem+json problem, valid, with the response's status",
    section: "errors.md §1",
    requirements: ["ERR-HTTP-1", "ERR-HTTP-2", "ERR-HTTP-3"],
    async run(t) {
      await forEachBadRequest(t, ({ what, reply }, run) => {
        if (reply === undefined || reply.status < 400) return;
        run.expect(
          "ERR-HTTP-2",
          reply.text !== "",
          `${what}: status ${reply.status} came without a problem body`,
        );
        run.expect(
          "ERR-HTTP-1",
          mediaType(reply) === "application/problem+json",
          `${what}: the problem came as ${show(reply.headers.get("content-type"))}`,
          { expected: "application/problem+json", actual: reply.headers.get("content-type") },
        );
        const issues = reply.json === undefined
          ? "the body is not JSON"
          : problemIssues(reply.json);
        run.expect("ERR-HTTP-2", issues === undefined, `${what}: not a valid problem: ${issues}`);
        run.expectEqual(
          "ERR-HTTP-3",
          problemOf(reply)?.status,
          reply.status,
          `${what}: the problem's status member`,
        );
      });
    },
  }),
];
