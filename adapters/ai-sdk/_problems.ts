// Problem responses of the endpoint (spec/v1/errors.md).

import {
  createProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemInit,
  type ProblemSlug,
} from "../../src/protocol/problem.ts";
import { StoreError } from "../../src/stores/event_store.ts";

/** An `application/problem+json` response of the catalogue's status for `slug`. */
export function problem(slug: ProblemSlug, init: ProblemInit = {}): Response {
  const body = createProblem(slug, init);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
  });
}

/** The problem response for an error a store call threw. */
export function storeProblem(error: unknown, instance: string): Response {
  if (error instanceof StoreError) return problem(error.slug, { detail: error.message, instance });
  return problem("internal-error", { detail: "The server met an unexpected condition", instance });
}
