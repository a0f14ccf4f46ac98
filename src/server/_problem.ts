// Problem details responses (spec/v1/errors.md), and the mapping of store
// errors to the status, headers and members the bindings require.

import { formatOffset } from "../protocol/offset.ts";
import {
  createProblem,
  type Problem,
  PROBLEM_CONTENT_TYPE,
  type ProblemSlug,
} from "../protocol/problem.ts";
import { StoreError } from "../stores/event_store.ts";

/** Extra members and headers of one problem occurrence. */
export interface ProblemExtras {
  readonly detail?: string;
  readonly instance?: string;
  readonly members?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

/** The problem body for a slug, with the members an occurrence adds. */
export function problemBody(slug: ProblemSlug, extras: ProblemExtras = {}): Problem {
  return {
    ...createProblem(slug, {
      ...(extras.detail !== undefined ? { detail: extras.detail } : {}),
      ...(extras.instance !== undefined ? { instance: extras.instance } : {}),
    }),
    ...extras.members,
  };
}

/** An `application/problem+json` response whose status is the slug's. */
export function problemResponse(slug: ProblemSlug, extras: ProblemExtras = {}): Response {
  const body = problemBody(slug, extras);
  const headers = new Headers(extras.headers);
  headers.set("content-type", PROBLEM_CONTENT_TYPE);
  if (body.retryAfterMs !== undefined && !headers.has("retry-after")) {
    headers.set("retry-after", String(Math.ceil(body.retryAfterMs / 1000)));
  }
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

/**
 * The problem for a store refusal: status and problem type from the slug,
 * plus the Durable Streams headers and the members that carry the same facts.
 */
export function storeErrorProblem(error: StoreError, instance?: string): ProblemExtras & {
  readonly slug: ProblemSlug;
} {
  const d = error.details;
  const headers: Record<string, string> = {};
  const members: Record<string, unknown> = {};
  if (error.slug === "stream-closed") {
    headers["stream-closed"] = "true";
    if (d.tail !== undefined) {
      headers["stream-next-offset"] = formatOffset(d.tail);
      members.offset = formatOffset(d.tail);
    }
  }
  if (error.slug === "offset-out-of-range" && d.tail !== undefined) {
    members.offset = formatOffset(d.tail);
  }
  if (d.producerEpoch !== undefined) {
    headers["producer-epoch"] = String(d.producerEpoch);
    members.producerEpoch = d.producerEpoch;
  }
  if (d.expectedSeq !== undefined) {
    headers["producer-expected-seq"] = String(d.expectedSeq);
    members.expectedSeq = d.expectedSeq;
  }
  if (d.receivedSeq !== undefined) {
    headers["producer-received-seq"] = String(d.receivedSeq);
    members.receivedSeq = d.receivedSeq;
  }
  return {
    slug: error.slug,
    detail: error.message,
    ...(instance !== undefined ? { instance } : {}),
    members,
    headers,
  };
}

/** The response for any error a handler meets: store refusals keep their meaning. */
export function errorResponse(error: unknown, instance?: string): Response {
  if (error instanceof StoreError) {
    const { slug, ...extras } = storeErrorProblem(error, instance);
    return problemResponse(slug, extras);
  }
  return problemResponse("internal-error", {
    detail: "The server met an unexpected condition",
    ...(instance !== undefined ? { instance } : {}),
  });
}
