// errors.md §2: a client identifies a problem by its type alone, handles an
// unknown type by its status, and ignores members it does not know.

import { problemType } from "../../../src/protocol/problem.ts";
import type { Check } from "../../check.ts";
import { type ClientCheckContext, defineClientCheck } from "../client_context.ts";
import { judgeRefusal, type RefusalCase, runRefusals } from "./_refusals.ts";

/** Runs `cases` on reads in every mode the adapter has, judging each against `requirement`. */
async function readCases(
  t: ClientCheckContext,
  requirement: string,
  cases: readonly RefusalCase[],
) {
  if (t.modes.length === 0) return t.skip("the adapter reads with no live mode");
  for (const mode of t.modes) {
    const runs = await runRefusals(
      t,
      { read: mode },
      cases.map((c) => ({ ...c, label: `${mode}: ${c.label}` })),
    );
    for (const run of runs) judgeRefusal(t, requirement, run);
  }
}

/** Checks of errors.md §2 (problem types), client side. */
export const errorTypeChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.errors.types.by-type-alone",
    title: "a problem is handled by its type, whatever its title and detail say",
    section: "errors.md §2",
    requirements: ["ERR-TYPE-5"],
    async run(t) {
      await readCases(t, "ERR-TYPE-5", [
        {
          label: "stream-not-found titled as a transient failure",
          problem: {
            slug: "stream-not-found",
            title: "Service unavailable",
            detail: "Too many requests; try again in a moment",
          },
          retried: false,
          reports: problemType("stream-not-found"),
        },
        {
          label: "unavailable titled as a missing stream",
          problem: {
            slug: "unavailable",
            title: "Stream not found",
            detail: "The stream does not exist",
            members: { retryAfterMs: 20 },
          },
          retried: true,
        },
      ]);
    },
  }),
  defineClientCheck({
    id: "client.errors.types.unknown-by-status",
    title:
      "a problem of an unknown type is handled by its status: 5xx and 429 tried again, 4xx not",
    section: "errors.md §2",
    requirements: ["ERR-TYPE-6"],
    async run(t) {
      await readCases(t, "ERR-TYPE-6", [
        {
          label: "an extension type with status 503",
          problem: {
            type: "https://example.com/problems/x-maintenance",
            title: "Maintenance",
            status: 503,
          },
          retried: true,
        },
        {
          label: "a later version's type with status 429",
          problem: {
            type: "https://agent-stream.dev/problems/x-future-throttle",
            title: "Throttled",
            status: 429,
            members: { retryAfterMs: 20 },
          },
          retried: true,
        },
        {
          label: "an extension type with status 400",
          problem: {
            type: "https://example.com/problems/x-refused",
            title: "Refused",
            status: 400,
          },
          retried: false,
        },
        {
          label: "a later version's type with status 410",
          problem: {
            type: "https://agent-stream.dev/problems/x-future-gone",
            title: "Gone",
            status: 410,
          },
          retried: false,
        },
      ]);
    },
  }),
  defineClientCheck({
    id: "client.errors.types.unknown-members",
    title: "members of a problem the client does not know change nothing, however they are named",
    section: "errors.md §2",
    requirements: ["ERR-TYPE-7"],
    async run(t) {
      await readCases(t, "ERR-TYPE-7", [
        {
          label: "stream-not-found with retryable: true",
          problem: {
            slug: "stream-not-found",
            members: { retryable: true, retryAfter: 1, links: [{ rel: "retry" }] },
          },
          retried: false,
          reports: problemType("stream-not-found"),
        },
        {
          label: "unavailable with retryable: false",
          problem: {
            slug: "unavailable",
            members: { retryable: false, final: true, retryAfterMs: 20, "x-trace": { id: "t1" } },
          },
          retried: true,
        },
      ]);
    },
  }),
];
