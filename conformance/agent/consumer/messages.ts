// projection.md §3: text, reasoning, tool calls, tool results, data
// messages, messages snapshots and `open`.

import type { Check } from "../../check.ts";
import type { ConsumerCheckContext } from "../consumer_context.ts";
import { projectionCheck } from "./_projection_check.ts";
import { sequencesOf } from "./_sequences.ts";

/** Checks of projection.md §3. */
export const messageChecks: readonly Check<ConsumerCheckContext>[] = [
  projectionCheck({
    id: "consumer.messages.text",
    title: "text.start, text.delta, text.end and text.message build the text messages",
    section: "projection.md §3.1",
    requirements: ["PROJ-TEXT-1", "PROJ-TEXT-2", "PROJ-TEXT-3", "PROJ-TEXT-4"],
    events: () => sequencesOf({ roles: true, interleave: true, envelope: true, betweenRuns: true }),
  }),
  projectionCheck({
    id: "consumer.messages.reasoning",
    title: "reasoning events build reasoning messages with their signatures",
    section: "projection.md §3.2",
    requirements: ["PROJ-REASON-1", "PROJ-REASON-2", "PROJ-REASON-3"],
    events: () => sequencesOf({ reasoning: true, interleave: true }),
  }),
  projectionCheck({
    id: "consumer.messages.tools",
    title: "tool calls go to their parent or a message of their own; arguments and input",
    section: "projection.md §3.3",
    requirements: ["PROJ-TOOL-1", "PROJ-TOOL-2", "PROJ-TOOL-3", "PROJ-TOOL-4"],
    events: () => sequencesOf({ tools: true, interleave: true, crossRun: true }),
  }),
  projectionCheck({
    id: "consumer.messages.results",
    title: "a tool result is a tool message right after its call's message and earlier results",
    section: "projection.md §3.4",
    requirements: ["PROJ-RESULT-1", "PROJ-RESULT-2"],
    events: () =>
      sequencesOf({
        tools: true,
        reasoning: true,
        interleave: true,
        crossRun: true,
        messagesSnapshots: true,
      }),
  }),
  projectionCheck({
    id: "consumer.messages.data",
    title: "custom events become data messages, replaced by dataId; transient ones leave no trace",
    section: "projection.md §3.5",
    requirements: ["PROJ-DATA-1", "PROJ-DATA-2", "PROJ-DATA-3"],
    events: () => sequencesOf({ custom: true, betweenRuns: true, tools: true }),
  }),
  projectionCheck({
    id: "consumer.messages.snapshot-open",
    title: "messages.snapshot replaces the messages; open lists what is streaming, in order",
    section: "projection.md §3.6",
    requirements: ["PROJ-SNAP-1", "PROJ-OPEN-1"],
    events: () =>
      sequencesOf({ messagesSnapshots: true, tools: true, reasoning: true, interleave: true }),
  }),
];
