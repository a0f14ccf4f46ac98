/**
 * Problem responses of the scripted server, of any type, title and status,
 * for fault scripts that refuse the client.
 *
 * @module
 */

import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  type ProblemSlug,
  problemType,
} from "../../src/protocol/problem.ts";

/**
 * A problem response: a catalogue slug (its status and title by default), or
 * any `type` with a `status`; `title`, `detail` and further members as given.
 *
 * @example
 * ```ts
 * import { problemReply } from "@agent-stream/agent-stream/conformance";
 * const reply = problemReply({ slug: "unavailable", members: { retryAfterMs: 300 } });
 * console.log(reply.status); // 503
 * ```
 */
export function problemReply(options: {
  readonly slug?: ProblemSlug;
  readonly type?: string;
  readonly status?: number;
  readonly title?: string;
  readonly detail?: string;
  readonly members?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}): Response {
  const known = options.slug === undefined ? undefined : PROBLEM_TYPES[options.slug];
  const status = options.status ?? known?.status ?? 500;
  const body = {
    type: options.type ?? (options.slug !== undefined ? problemType(options.slug) : "about:blank"),
    title: options.title ?? known?.title ?? "Problem",
    status,
    ...(options.detail !== undefined ? { detail: options.detail } : {}),
    ...options.members,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...options.headers },
  });
}
