// Which requirement of projection.md a consumer broke, given the event at
// which its projection first departs from the reference and the place where
// the two differ. The event's type names the rule that folds it; the place
// refines it (a run's usage, a result's position, a null for an absent member).

import type { JsonDifference } from "../_json_diff.ts";

/** What the fold does with an event before its effect (projection.md §1 steps 1–4). */
export type EventKind = "invalid" | "unknown" | "schema" | "refused" | "admitted";

/** The event at which the projections first differ, and what is known about it. */
export interface Departure {
  /** The event's offset; -1 when the empty sequence already differs. */
  readonly index: number;
  /** The event. */
  readonly event: unknown;
  /** What the fold does with it. */
  readonly kind: EventKind;
  /** The reference projection before the event. */
  readonly before: unknown;
  /** The reference projection after it. */
  readonly expected: unknown;
  /** The consumer's projection after it; absent when the consumer failed. */
  readonly actual?: unknown;
  /** The first difference; absent when the consumer failed. */
  readonly difference?: JsonDifference;
  /** What the consumer said when it failed. */
  readonly failure?: string;
}

type Json = Record<string, unknown>;

const record = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value as Json : {};

const BY_TYPE: Readonly<Record<string, string>> = {
  "text.start": "PROJ-TEXT-1",
  "text.delta": "PROJ-TEXT-2",
  "text.end": "PROJ-TEXT-3",
  "text.message": "PROJ-TEXT-4",
  "reasoning.start": "PROJ-REASON-1",
  "reasoning.delta": "PROJ-REASON-2",
  "reasoning.end": "PROJ-REASON-3",
  "tool.delta": "PROJ-TOOL-3",
  "tool.end": "PROJ-TOOL-4",
  "messages.snapshot": "PROJ-SNAP-1",
  "run.started": "PROJ-RUN-1",
  "state.snapshot": "PROJ-STATE-1",
  "state.delta": "PROJ-STATE-2",
  "agent.output": "PROJ-AGENT-2",
  "agent.log": "PROJ-AGENT-2",
};

/** Types whose effect may touch `open` (projection.md §3.6, §4). */
const OPENING = /^(text|reasoning|tool)\.(start|end)$|^run\.error$|^llm\./;

/** The requirement a departure breaks. */
export function blame(departure: Departure): string {
  const { index, kind, difference } = departure;
  if (index < 0) return "PROJ-INIT-1";
  if (kind === "invalid" || kind === "schema") return "PROJ-FOLD-2";
  if (kind === "unknown") return "ENV-UNKNOWN-2";
  if (kind === "refused") return "PROJ-FOLD-3";
  const event = record(departure.event);
  const type = String(event.type);
  const path = difference?.path ?? [];
  const part = path[0];
  if (difference && difference.expected === undefined && difference.actual === null) {
    return "PROJ-JSON-1";
  }
  if (difference && isRounding(difference, part, path)) return "PROJ-JSON-2";
  if (part === "open" && (!OPENING.test(type) || reordered(departure))) return "PROJ-OPEN-1";
  if (type.startsWith("llm.")) {
    return path.at(-1) === "arguments" && sameJson(difference) ? "PROJ-JSON-3" : "PROJ-LLM-1";
  }
  if (type.startsWith("task.")) return "PROJ-TASK-1";
  if (type.startsWith("agent.")) return BY_TYPE[type] ?? "PROJ-AGENT-1";
  switch (type) {
    case "tool.start":
      return event.parentMessageId !== undefined ? "PROJ-TOOL-1" : "PROJ-TOOL-2";
    case "tool.result":
      return misplaced(departure, event) ? "PROJ-RESULT-2" : "PROJ-RESULT-1";
    case "custom.event":
      if (event.transient === true) return "PROJ-DATA-3";
      return namesDataMessage(departure.before, event.dataId) ? "PROJ-DATA-2" : "PROJ-DATA-1";
    case "usage.reported":
      return part === "runs" ? "PROJ-RUN-5" : "PROJ-USAGE-1";
    case "run.finished":
    case "run.error":
      if (part === "usage") return "PROJ-USAGE-2";
      if (part === "runs" && path[2] === "usage") return "PROJ-RUN-5";
      if (type === "run.error" && (part === "open" || part === "messages")) return "PROJ-RUN-4";
      return type === "run.finished" ? "PROJ-RUN-2" : "PROJ-RUN-3";
  }
  return BY_TYPE[type] ?? "PROJ-FOLD-1";
}

// A sum off by rounding only: the consumer did not add binary64 values in order.
function isRounding(
  difference: JsonDifference,
  part: unknown,
  path: readonly (string | number)[],
): boolean {
  const { expected, actual } = difference;
  if (typeof expected !== "number" || typeof actual !== "number") return false;
  if (part !== "usage" && !(part === "runs" && path[2] === "usage")) return false;
  return Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected));
}

// The open ids are right but in another order.
function reordered(departure: Departure): boolean {
  const want = record(record(departure.expected).open);
  const got = record(record(departure.actual).open);
  const key = (list: unknown) => Array.isArray(list) ? JSON.stringify(list.toSorted()) : "";
  return ["messages", "toolCalls"].every((name) => key(want[name]) === key(got[name]));
}

// JSON texts of the same value: only the text differs.
function sameJson(difference: JsonDifference | undefined): boolean {
  if (!difference) return false;
  const { expected, actual } = difference;
  if (typeof expected !== "string" || typeof actual !== "string") return false;
  try {
    return JSON.stringify(JSON.parse(expected)) === JSON.stringify(JSON.parse(actual));
  } catch {
    return false;
  }
}

function messagesOf(projection: unknown): Json[] {
  const messages = record(projection).messages;
  return Array.isArray(messages) ? messages.map(record) : [];
}

function namesDataMessage(projection: unknown, dataId: unknown): boolean {
  if (typeof dataId !== "string") return false;
  return messagesOf(projection).find((m) => m.id === dataId)?.role === "data";
}

// The result message is there, as it should be, but somewhere else.
function misplaced(departure: Departure, event: Json): boolean {
  const id = typeof event.messageId === "string"
    ? event.messageId
    : `${String(event.toolCallId)}:result`;
  const expected = messagesOf(departure.expected);
  const actual = messagesOf(departure.actual);
  const want = expected.findIndex((m) => m.id === id && m.role === "tool");
  const got = actual.findIndex((m) => m.id === id && m.role === "tool");
  return want >= 0 && got >= 0 && want !== got;
}
