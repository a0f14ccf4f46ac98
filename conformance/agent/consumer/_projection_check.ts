// A consumer check as a property: the consumer projects generated event
// lists, and each answer is compared with the reference; the check reports
// the differences whose requirement it cites.

import type * as fc from "fast-check";
import type { Check } from "../../check.ts";
import { type ConsumerCheckContext, defineConsumerCheck } from "../consumer_context.ts";
import { expectProjection } from "./_compare.ts";

/** What a projection check is: the usual check members and the events it generates. */
export interface ProjectionCheckSpec {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly requirements: readonly string[];
  /** The event lists; made when the check runs. */
  readonly events: () => fc.Arbitrary<readonly unknown[]>;
  /** Fixed lists compared before the generated ones. */
  readonly examples?: readonly (readonly unknown[])[];
}

/** A check comparing the consumer's projections of generated lists with the reference. */
export function projectionCheck(spec: ProjectionCheckSpec): Check<ConsumerCheckContext> {
  return defineConsumerCheck({
    id: spec.id,
    title: spec.title,
    section: spec.section,
    requirements: spec.requirements,
    async run(t) {
      for (const example of spec.examples ?? []) {
        await expectProjection(t, example, spec.requirements);
      }
      await t.property(
        spec.events(),
        (events, run) => expectProjection(run, events, spec.requirements),
      );
    },
  });
}
