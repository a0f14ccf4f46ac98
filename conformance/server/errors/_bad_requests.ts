// Requests the protocol refuses, one defect each, with the problem types the
// spec names for the defect. The checks of errors.md send them and judge the
// answers: their format (§1), their types and statuses (§2), their members (§3).

import fc from "fast-check";
import type { CheckContext } from "../../check.ts";
import type { BadRequestKind, Provoked } from "./_bad_request_kit.ts";
import { appendKinds, readKinds } from "./_bad_reads_appends.ts";
import { resourceKinds } from "./_bad_resources.ts";
import { createKinds, writerKinds } from "./_bad_writes.ts";

/** The kinds and answers, for the checks. */
export type { BadRequestKind, Provoked };

/** Every kind of refused request that the server's features and limits make meaningful. */
export function badRequestKinds(t: CheckContext): BadRequestKind[] {
  return [...resourceKinds, ...readKinds, ...appendKinds, ...createKinds, ...writerKinds]
    .filter((k) => k.applies?.(t) ?? true);
}

/** The kind called `name`. */
export function badRequestKind(name: string): BadRequestKind {
  const found = [...resourceKinds, ...readKinds, ...appendKinds, ...createKinds, ...writerKinds]
    .find((k) => k.kind === name);
  if (!found) throw new Error(`no kind of bad request is called ${name}`);
  return found;
}

/**
 * Sends every kind of refused request, with random parameters, and hands
 * each answer to `judge`. One property covers all kinds, so that every run
 * meets each of them; it does not shrink, so a failure replays as it was
 * found and its message names the request.
 */
export async function forEachBadRequest(
  t: CheckContext,
  judge: (provoked: Provoked, run: CheckContext) => void | Promise<void>,
  runs = 2,
): Promise<void> {
  const kinds = badRequestKinds(t);
  const params = Object.fromEntries(kinds.map((k) => [k.kind, k.params(t)]));
  await t.property(
    fc.noShrink(fc.record(params)),
    async (values, run) => {
      for (const k of kinds) await judge(await k.send(run, values[k.kind]), run);
    },
    { numRuns: runs },
  );
}
