/**
 * Every events check: one per producer requirement of envelope.md and
 * events.md that a list of events can show broken. Each passes when no
 * event breaks its requirement, and is skipped when no event of the types
 * it is about occurs.
 *
 * @module
 */

import type { Check } from "../../check.ts";
import { defineEventsCheck, type EventsCheckContext } from "../events_context.ts";

/** One check: its requirement, what it says, where, and the types it is about. */
interface Row {
  readonly id: string;
  readonly requirement: string;
  readonly title: string;
  readonly section: string;
  /** Types the requirement is about; without one of them in the list there is nothing to test. */
  readonly types?: RegExp;
}

const ROWS: readonly Row[] = [
  {
    id: "events.envelope.object",
    requirement: "ENV-SHAPE-1",
    title: "every event is a JSON object with a valid type",
    section: "envelope.md §1",
  },
  {
    id: "events.envelope.members",
    requirement: "ENV-SHAPE-2",
    title: "id, time, runId and meta have the types and bounds of the envelope",
    section: "envelope.md §1",
  },
  {
    id: "events.envelope.unique-ids",
    requirement: "ENV-SHAPE-3",
    title: "no two events share an id",
    section: "envelope.md §1",
  },
  {
    id: "events.envelope.reserved-types",
    requirement: "ENV-TYPE-1",
    title: "no type in a reserved namespace that the vocabulary does not define",
    section: "envelope.md §2",
  },
  {
    id: "events.schema",
    requirement: "EVT-SHAPE-1",
    title: "every event of a vocabulary type satisfies its type's schema",
    section: "events.md §2.1",
  },
  {
    id: "events.run.run-id",
    requirement: "EVT-RUN-1",
    title: "every run.* event carries the envelope runId",
    section: "events.md §3.5",
    types: /^run\./,
  },
  {
    id: "events.run.start",
    requirement: "EVT-RUN-2",
    title: "a run starts only while no run is active, and a runId starts once",
    section: "events.md §3.5",
    types: /^run\./,
  },
  {
    id: "events.run.end",
    requirement: "EVT-RUN-3",
    title: "run.finished and run.error end only the active run",
    section: "events.md §3.5",
    types: /^run\./,
  },
  {
    id: "events.run.finish-closed",
    requirement: "EVT-RUN-4",
    title: "run.finished comes when nothing the run began is open",
    section: "events.md §3.5",
    types: /^run\.finished$/,
  },
  {
    id: "events.run.membership",
    requirement: "EVT-RUN-5",
    title: "an event with a runId names the active run",
    section: "events.md §3.5",
  },
  {
    id: "events.run.interrupts",
    requirement: "EVT-RUN-6",
    title: "interrupts come only with the outcome interrupt",
    section: "events.md §3.5",
    types: /^run\.finished$/,
  },
  {
    id: "events.step",
    requirement: "EVT-STEP-1",
    title: "steps belong to the active run, start once and finish when open",
    section: "events.md §4.3",
    types: /^step\./,
  },
  {
    id: "events.message.new-id",
    requirement: "EVT-MSG-1",
    title: "an event that begins a message gives it an id no message has",
    section: "events.md §2.2",
    types:
      /^(text\.(start|message)|reasoning\.start|tool\.(start|result)|custom\.event|llm\.(started|tool-result))$/,
  },
  {
    id: "events.message.open",
    requirement: "EVT-MSG-2",
    title: "deltas and ends name an open message of their kind",
    section: "events.md §2.2",
    types: /^(text|reasoning)\.(delta|end)$/,
  },
  {
    id: "events.tool.new-id",
    requirement: "EVT-TOOL-1",
    title: "a tool call id is new in the stream",
    section: "events.md §7.5",
    types: /^(tool\.start|llm\.tool-call)$/,
  },
  {
    id: "events.tool.open",
    requirement: "EVT-TOOL-2",
    title: "tool.delta and tool.end name an open call",
    section: "events.md §7.5",
    types: /^tool\.(delta|end)$/,
  },
  {
    id: "events.tool.arguments",
    requirement: "EVT-TOOL-3",
    title: "a call's arguments are one JSON text, equal to the input of tool.end",
    section: "events.md §7.5",
    types: /^tool\.(delta|end)$/,
  },
  {
    id: "events.tool.parent",
    requirement: "EVT-TOOL-4",
    title: "parentMessageId names an assistant message",
    section: "events.md §7.5",
    types: /^tool\.start$/,
  },
  {
    id: "events.tool.result",
    requirement: "EVT-TOOL-5",
    title: "one result per ended call, with exactly one of output and error",
    section: "events.md §7.5",
    types: /^(tool\.result|llm\.tool-result)$/,
  },
  {
    id: "events.state.patch",
    requirement: "EVT-STATE-1",
    title: "every state.delta patch applies to the state, all of it",
    section: "events.md §8.3",
    types: /^state\.delta$/,
  },
  {
    id: "events.messages.snapshot",
    requirement: "EVT-SNAP-1",
    title: "messages.snapshot comes while nothing is open, with unique ids",
    section: "events.md §9.3",
    types: /^messages\.snapshot$/,
  },
  {
    id: "events.data.kind",
    requirement: "EVT-DATA-1",
    title: "a custom.event whose dataId names a message names a data message",
    section: "events.md §11.3",
    types: /^custom\.event$/,
  },
  {
    id: "events.task",
    requirement: "EVT-TASK-1",
    title: "tasks are created once and change only until they end",
    section: "events.md §12.11",
    types: /^task\./,
  },
  {
    id: "events.agent",
    requirement: "EVT-AGENT-1",
    title: "agents are spawned once and move through their states in order",
    section: "events.md §13.11",
    types: /^agent\./,
  },
  {
    id: "events.llm.request",
    requirement: "EVT-LLM-1",
    title: "llm.* events name a started request that has not ended",
    section: "events.md §14.8",
    types: /^llm\./,
  },
  {
    id: "events.llm.one-way",
    requirement: "EVT-LLM-2",
    title: "a model call is described with core events or with llm.*, not both",
    section: "events.md §14.8",
    types: /^llm\./,
  },
  {
    id: "events.usage.run-sum",
    requirement: "EVT-USAGE-1",
    title: "a run-ending event's usage equals the sum of the run's reports",
    section: "events.md §10.2",
    types: /^run\.(finished|error)$/,
  },
];

function typeOf(value: unknown): string | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : undefined;
}

/**
 * Every check of the events suite.
 *
 * @example
 * ```ts
 * import { EVENTS_CHECKS } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(EVENTS_CHECKS.some((c) => c.requirements.includes("EVT-RUN-2")));
 * ```
 */
export const EVENTS_CHECKS: readonly Check<EventsCheckContext>[] = ROWS.map((row) =>
  defineEventsCheck({
    id: row.id,
    title: row.title,
    section: row.section,
    requirements: [row.requirement],
    run(t) {
      t.expectNoFinding([row.requirement]);
      // Nothing broke it; with nothing it is about, nothing was shown either.
      if (t.events.length === 0) t.skip("there are no events");
      if (row.types && !t.events.some((e) => row.types!.test(typeOf(e.event) ?? ""))) {
        t.skip(`no event of the types this requirement is about (${row.types.source})`);
      }
      return Promise.resolve();
    },
  })
);
