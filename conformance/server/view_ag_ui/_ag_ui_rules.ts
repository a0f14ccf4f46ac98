// The rules AG-UI 1.0 clients hold a stream of events to (view-ag-ui.md
// §2.1): each event of a known type with its required members, one run at a
// time, nothing outside runs, content only for what is open, nothing open
// at RUN_FINISHED.

type Event = { type?: unknown; [key: string]: unknown };

const STRINGS: Record<string, readonly string[]> = {
  TEXT_MESSAGE_START: ["messageId"],
  TEXT_MESSAGE_CONTENT: ["messageId", "delta"],
  TEXT_MESSAGE_END: ["messageId"],
  TOOL_CALL_START: ["toolCallId", "toolCallName"],
  TOOL_CALL_ARGS: ["toolCallId", "delta"],
  TOOL_CALL_END: ["toolCallId"],
  TOOL_CALL_RESULT: ["messageId", "toolCallId"],
  STATE_SNAPSHOT: [],
  STATE_DELTA: [],
  MESSAGES_SNAPSHOT: [],
  RAW: [],
  CUSTOM: ["name"],
  RUN_STARTED: ["threadId", "runId"],
  RUN_FINISHED: ["threadId", "runId"],
  RUN_ERROR: ["message"],
  STEP_STARTED: ["stepName"],
  STEP_FINISHED: ["stepName"],
  REASONING_START: ["messageId"],
  REASONING_MESSAGE_START: ["messageId"],
  REASONING_MESSAGE_CONTENT: ["messageId", "delta"],
  REASONING_MESSAGE_END: ["messageId"],
  REASONING_END: ["messageId"],
  REASONING_ENCRYPTED_VALUE: ["entityId", "encryptedValue"],
};

/** The first rule the events break, as a sentence, or `undefined`. */
export function agUiViolation(events: readonly unknown[]): string | undefined {
  let inRun = false;
  const open = {
    text: new Set<string>(),
    call: new Set<string>(),
    reasoning: new Set<string>(),
    span: new Set<string>(),
    step: new Set<string>(),
  };
  for (const [i, value] of events.entries()) {
    const at = `event ${i}`;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return `${at} is not a JSON object`;
    }
    const e = value as Event;
    const type = String(e.type);
    const strings = STRINGS[type];
    if (strings === undefined) return `${at} has the type ${type}, which AG-UI 1.0 does not define`;
    for (const member of strings) {
      if (typeof e[member] !== "string") return `${at} (${type}) has no string ${member}`;
    }
    const shape = shapeDefect(type, e);
    if (shape !== undefined) return `${at} (${type}) ${shape}`;
    if (type === "RUN_STARTED") {
      if (inRun) return `${at} starts a run while one is active`;
      inRun = true;
      for (const set of Object.values(open)) set.clear();
      continue;
    }
    if (!inRun) return `${at} (${type}) comes outside a run`;
    const id = String(e.messageId ?? e.toolCallId ?? e.stepName ?? "");
    const opening: Record<string, Set<string>> = {
      TEXT_MESSAGE_START: open.text,
      TOOL_CALL_START: open.call,
      REASONING_MESSAGE_START: open.reasoning,
      REASONING_START: open.span,
      STEP_STARTED: open.step,
    };
    const continuing: Record<string, [Set<string>, boolean]> = {
      TEXT_MESSAGE_CONTENT: [open.text, false],
      TEXT_MESSAGE_END: [open.text, true],
      TOOL_CALL_ARGS: [open.call, false],
      TOOL_CALL_END: [open.call, true],
      REASONING_MESSAGE_CONTENT: [open.reasoning, false],
      REASONING_MESSAGE_END: [open.reasoning, true],
      REASONING_END: [open.span, true],
      STEP_FINISHED: [open.step, true],
    };
    if (opening[type] !== undefined) {
      if (opening[type].has(id)) return `${at} (${type}) opens ${id}, which is open`;
      opening[type].add(id);
    } else if (continuing[type] !== undefined) {
      const [set, ends] = continuing[type];
      if (!set.has(id)) return `${at} (${type}) addresses ${id}, which is not open in this run`;
      if (ends) set.delete(id);
    } else if (type === "RUN_FINISHED") {
      const left = Object.entries(open).filter(([, set]) => set.size > 0).map(([kind]) => kind);
      if (left.length > 0) return `${at} finishes the run while a ${left[0]} is open`;
      inRun = false;
    } else if (type === "RUN_ERROR") {
      inRun = false;
    }
  }
  return undefined;
}

function shapeDefect(type: string, e: Event): string | undefined {
  switch (type) {
    case "TOOL_CALL_RESULT":
      return typeof e.content === "string" || Array.isArray(e.content)
        ? undefined
        : "has no content";
    case "STATE_SNAPSHOT":
      return "snapshot" in e ? undefined : "has no snapshot";
    case "STATE_DELTA":
      return Array.isArray(e.delta) ? undefined : "has no delta array";
    case "MESSAGES_SNAPSHOT":
      return Array.isArray(e.messages) ? undefined : "has no messages array";
    case "RAW":
      return "event" in e ? undefined : "has no event";
    case "CUSTOM":
      return "value" in e ? undefined : "has no value";
    case "RUN_FINISHED":
      return e.result === null ? "has a null result" : undefined;
    case "REASONING_MESSAGE_START":
      return e.role === "reasoning" ? undefined : "has no role reasoning";
    default:
      return undefined;
  }
}
