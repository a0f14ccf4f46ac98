// `llm.*` events as the core events they stand for (spec/v1/events.md §14.9).

type Event = { type: string; runId?: string; time?: string; [key: string]: unknown };

interface Request {
  readonly messageId: string;
  readonly toolCalls: Set<string>;
  readonly runId: unknown;
  active: boolean;
}

/** Turns `llm.*` events into core events, remembering each request's message. */
export class LlmRequests {
  readonly #requests = new Map<string, Request>();

  /** The core events an `llm.*` event stands for; `[]` for one that breaks EVT-LLM-1. */
  normalize(event: Event): Event[] {
    const requestId = event.requestId;
    if (typeof requestId !== "string") return [];
    const envelope: Record<string, unknown> = {};
    for (const key of ["runId", "time", "meta"]) {
      if (event[key] !== undefined) envelope[key] = event[key];
    }
    const core = (type: string, members: Record<string, unknown>): Event => ({
      type,
      ...envelope,
      ...members,
    });
    if (event.type === "llm.started") {
      if (this.#requests.has(requestId)) return [];
      const messageId = typeof event.messageId === "string" ? event.messageId : requestId;
      this.#requests.set(requestId, {
        messageId,
        toolCalls: new Set(),
        runId: event.runId,
        active: true,
      });
      return [core("text.start", { messageId, role: "assistant" })];
    }
    const request = this.#requests.get(requestId);
    if (request === undefined) return [];
    if (event.type === "llm.tool-result") {
      const toolCallId = event.toolCallId;
      if (typeof toolCallId !== "string" || !request.toolCalls.has(toolCallId)) return [];
      return [core("tool.result", resultMembers(event, toolCallId))];
    }
    if (!request.active) return [];
    const messageId = request.messageId;
    switch (event.type) {
      case "llm.token":
        return [core("text.delta", { messageId, delta: event.delta })];
      case "llm.tool-call": {
        const toolCallId = event.toolCallId as string;
        request.toolCalls.add(toolCallId);
        return [
          core("tool.start", { toolCallId, toolName: event.toolName, parentMessageId: messageId }),
          core("tool.delta", { toolCallId, delta: JSON.stringify(event.input) }),
          core("tool.end", { toolCallId, input: event.input }),
        ];
      }
      case "llm.usage": {
        const { type: _type, requestId: _id, ...members } = event;
        return [{ ...members, type: "usage.reported" }];
      }
      case "llm.completed":
      case "llm.error":
        request.active = false;
        return [core("text.end", { messageId })];
      default:
        return [];
    }
  }

  /** Ends the requests begun in a run that ended with an error. */
  failRun(runId: string): void {
    for (const request of this.#requests.values()) {
      if (request.runId === runId) request.active = false;
    }
  }
}

function resultMembers(event: Event, toolCallId: string): Record<string, unknown> {
  return event.error !== undefined
    ? { toolCallId, error: event.error }
    : { toolCallId, output: event.output };
}
