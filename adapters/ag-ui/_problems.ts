// Problem responses of the AG-UI endpoint (spec/v1/errors.md).

import {
  createProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemSlug,
} from "../../src/protocol/problem.ts";

/** An `application/problem+json` response with the slug's status. */
export function problem(
  slug: ProblemSlug,
  detail: string,
  members: Record<string, unknown> = {},
): Response {
  const body = { ...createProblem(slug, { detail }), ...members };
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
  });
}
