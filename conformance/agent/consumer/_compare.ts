// Compares a consumer's projection of events with the reference fold and,
// when they differ, finds the first event after which they do (every prefix
// is projected by both), and names the requirement that event's fold broke.

import { show } from "../../_suite_context.ts";
import { Violation } from "../../violation.ts";
import type { ConsumerCheckContext } from "../consumer_context.ts";
import type { ProjectionOutcome } from "../consumer_process.ts";
import { firstDifference, formatPath } from "../_json_diff.ts";
import { type ReferenceFold, referenceFold } from "../_reference.ts";
import { blame, type Departure } from "./_blame.ts";

/** How the consumer is to get the events (projection.md §1.2); default: all at once. */
export interface Delivery {
  /** Sizes of the batches the events come in. */
  readonly batches?: readonly number[];
  /** Save the projection between batches and resume from what was saved. */
  readonly resume?: boolean;
}

/**
 * Has the consumer project `events` and compares its conversation with the
 * reference's. A difference, or a failure of the consumer, is reported as
 * a violation of the requirement it breaks when `owned` has that ID;
 * otherwise it is another check's finding and this one lets it pass.
 */
export async function expectProjection(
  t: ConsumerCheckContext,
  events: readonly unknown[],
  owned: readonly string[],
  delivery: Delivery = {},
): Promise<void> {
  const reference = referenceFold(events);
  const expected = reference.projection(events.length);
  if (delivery.batches !== undefined) {
    // A delivery in batches is judged against the consumer's own right
    // answer: a wrong one is another check's finding.
    const plainer = delivery.resume ? { batches: delivery.batches } : {};
    const plain = await t.project(events, plainer);
    if (!plain.ok || firstDifference(expected, plain.conversation) !== undefined) {
      t.note("the consumer's projection is wrong however the events come; another check says why");
      return;
    }
  }
  const outcome = await t.project(events, delivery);
  if (outcome.ok && firstDifference(expected, outcome.conversation) === undefined) return;
  const departure = delivery.batches === undefined
    ? await locate(t, events, reference, outcome)
    : undefined;
  const requirement = departure
    ? blame(departure)
    : delivery.resume
    ? "PROJ-FOLD-5"
    : "PROJ-FOLD-4";
  if (!owned.includes(requirement)) {
    t.note(`a difference that ${requirement} covers, not this check`);
    return;
  }
  throw new Violation(requirement, describe(events, departure, expected, outcome, delivery), {
    expected: departure?.difference?.expected ?? expected,
    actual: departure?.difference?.actual ??
      (outcome.ok ? outcome.conversation : `error: ${outcome.message}`),
  });
}

// The first prefix the consumer projects differently; the whole list when
// no shorter one does.
async function locate(
  t: ConsumerCheckContext,
  events: readonly unknown[],
  reference: ReferenceFold,
  whole: ProjectionOutcome,
): Promise<Departure> {
  const outcomes = await Promise.all(
    events.map((_, n) => n === events.length ? whole : t.project(events.slice(0, n))),
  );
  outcomes.push(whole);
  for (let n = 0; n <= events.length; n++) {
    const outcome = outcomes[n];
    const expected = reference.projection(n);
    const difference = outcome.ok ? firstDifference(expected, outcome.conversation) : undefined;
    if (outcome.ok && difference === undefined) continue;
    return {
      index: n - 1,
      event: n > 0 ? events[n - 1] : undefined,
      kind: n > 0 ? reference.kind(n - 1) : "admitted",
      before: n > 0 ? reference.projection(n - 1) : undefined,
      expected,
      ...(outcome.ok ? { actual: outcome.conversation, difference } : { failure: outcome.message }),
    };
  }
  // Every prefix agreed: the consumer projected the whole list differently when asked again.
  return {
    index: events.length - 1,
    event: events.at(-1),
    kind: "admitted",
    before: reference.projection(events.length - 1),
    expected: reference.projection(events.length),
    ...(whole.ok
      ? {
        actual: whole.conversation,
        difference: firstDifference(reference.projection(events.length), whole.conversation),
      }
      : { failure: whole.message }),
  };
}

function describe(
  events: readonly unknown[],
  departure: Departure | undefined,
  expected: unknown,
  outcome: ProjectionOutcome,
  delivery: Delivery,
): string {
  if (departure === undefined) {
    const how = `delivered in batches of ${delivery.batches?.join(", ")}${
      delivery.resume ? ", resumed from a saved projection after each" : ""
    }`;
    if (!outcome.ok) return `${how}, the consumer failed: ${outcome.message}`;
    const d = firstDifference(expected, outcome.conversation)!;
    return `${how}, ${formatPath(d.path)} is ${show(d.actual)}, expected ${show(d.expected)}`;
  }
  const at = departure.index < 0
    ? "with no events"
    : `after event #${departure.index} ${show(departure.event)} (${
      departure.kind === "admitted" ? "admitted" : departure.kind
    })`;
  if (departure.difference === undefined) {
    return `${at}, the consumer failed: ${departure.failure} (${events.length} events in all)`;
  }
  const d = departure.difference;
  return `${at}, ${formatPath(d.path)} is ${show(d.actual)}, expected ${show(d.expected)}`;
}
