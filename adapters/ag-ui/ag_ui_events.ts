// The events of AG-UI 1.0, declared here so that the view has no runtime
// dependency on an AG-UI package.

import type {
  AgUiContentPart,
  AgUiInterrupt,
  AgUiMessage,
  AgUiTokenUsage,
  RunAgentInput,
} from "./ag_ui_messages.ts";

/**
 * Members every AG-UI event may carry besides its `type`.
 *
 * @example
 * ```ts
 * import type { AgUiBaseEvent } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const base: AgUiBaseEvent = { timestamp: 1767225600000 };
 * ```
 */
export interface AgUiBaseEvent {
  /** When the event happened, in milliseconds since 1970. */
  timestamp?: number;
  /** The provider event it was made from. */
  rawEvent?: unknown;
  /** Free-form annotations. */
  metadata?: Record<string, unknown>;
  /** The subagent invocation the event belongs to. */
  subagentRunId?: string;
}

/**
 * Any AG-UI 1.0 event, discriminated by `type`.
 *
 * @example
 * ```ts
 * import type { AgUiEvent } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const events: AgUiEvent[] = [
 *   { type: "RUN_STARTED", threadId: "t1", runId: "r1" },
 *   { type: "TEXT_MESSAGE_START", messageId: "m1", role: "assistant" },
 *   { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Hi" },
 *   { type: "TEXT_MESSAGE_END", messageId: "m1" },
 *   { type: "RUN_FINISHED", threadId: "t1", runId: "r1" },
 * ];
 * ```
 */
export type AgUiEvent =
  | (AgUiBaseEvent & {
    type: "TEXT_MESSAGE_START";
    messageId: string;
    role?: "developer" | "system" | "assistant" | "user";
    name?: string;
  })
  | (AgUiBaseEvent & { type: "TEXT_MESSAGE_CONTENT"; messageId: string; delta: string })
  | (AgUiBaseEvent & { type: "TEXT_MESSAGE_END"; messageId: string })
  | (AgUiBaseEvent & {
    type: "TEXT_MESSAGE_CHUNK";
    messageId?: string;
    role?: "developer" | "system" | "assistant" | "user";
    delta?: string;
    name?: string;
  })
  | (AgUiBaseEvent & {
    type: "TOOL_CALL_START";
    toolCallId: string;
    toolCallName: string;
    parentMessageId?: string;
  })
  | (AgUiBaseEvent & { type: "TOOL_CALL_ARGS"; toolCallId: string; delta: string })
  | (AgUiBaseEvent & { type: "TOOL_CALL_END"; toolCallId: string })
  | (AgUiBaseEvent & {
    type: "TOOL_CALL_CHUNK";
    toolCallId?: string;
    toolCallName?: string;
    parentMessageId?: string;
    delta?: string;
  })
  | (AgUiBaseEvent & {
    type: "TOOL_CALL_RESULT";
    messageId: string;
    toolCallId: string;
    content: string | AgUiContentPart[];
    role?: "tool";
  })
  | (AgUiBaseEvent & { type: "STATE_SNAPSHOT"; snapshot: unknown })
  | (AgUiBaseEvent & { type: "STATE_DELTA"; delta: AgUiPatchOperation[] })
  | (AgUiBaseEvent & { type: "MESSAGES_SNAPSHOT"; messages: AgUiMessage[] })
  | (AgUiBaseEvent & {
    type: "ACTIVITY_SNAPSHOT";
    messageId: string;
    activityType: string;
    content: Record<string, unknown>;
    replace?: boolean;
  })
  | (AgUiBaseEvent & {
    type: "ACTIVITY_DELTA";
    messageId: string;
    activityType: string;
    patch: AgUiPatchOperation[];
  })
  | (AgUiBaseEvent & { type: "RAW"; event: unknown; source?: string })
  | (AgUiBaseEvent & { type: "CUSTOM"; name: string; value: unknown })
  | (AgUiBaseEvent & {
    type: "RUN_STARTED";
    threadId: string;
    runId: string;
    protocolVersion?: string;
    parentRunId?: string;
    input?: RunAgentInput;
  })
  | (AgUiBaseEvent & {
    type: "RUN_FINISHED";
    threadId: string;
    runId: string;
    result?: unknown;
    outcome?:
      | { type: "success"; pendingToolCallIds?: string[] }
      | { type: "interrupt"; interrupts: AgUiInterrupt[] }
      | { type: "cancelled" };
    usage?: AgUiTokenUsage[];
  })
  | (AgUiBaseEvent & {
    type: "RUN_ERROR";
    message: string;
    code?: string;
    usage?: AgUiTokenUsage[];
  })
  | (AgUiBaseEvent & { type: "STEP_STARTED"; stepName: string })
  | (AgUiBaseEvent & { type: "STEP_FINISHED"; stepName: string })
  | (AgUiBaseEvent & { type: "REASONING_START"; messageId: string })
  | (AgUiBaseEvent & { type: "REASONING_MESSAGE_START"; messageId: string; role: "reasoning" })
  | (AgUiBaseEvent & { type: "REASONING_MESSAGE_CONTENT"; messageId: string; delta: string })
  | (AgUiBaseEvent & { type: "REASONING_MESSAGE_END"; messageId: string })
  | (AgUiBaseEvent & { type: "REASONING_MESSAGE_CHUNK"; messageId?: string; delta?: string })
  | (AgUiBaseEvent & { type: "REASONING_END"; messageId: string })
  | (AgUiBaseEvent & {
    type: "REASONING_ENCRYPTED_VALUE";
    subtype: "tool-call" | "message";
    entityId: string;
    encryptedValue: string;
  })
  | (AgUiBaseEvent & {
    type: "SUBAGENT_STARTED";
    subagentRunId: string;
    name: string;
    description?: string;
    parentSubagentRunId?: string;
    parentToolCallId?: string;
    parentMessageId?: string;
  })
  | (AgUiBaseEvent & {
    type: "SUBAGENT_FINISHED";
    subagentRunId: string;
    result?: unknown;
    outcome?: { type: "success" } | { type: "suspended"; interruptIds?: string[] };
  })
  | (AgUiBaseEvent & {
    type: "SUBAGENT_ERROR";
    subagentRunId: string;
    message: string;
    code?: string;
  });

/**
 * The `type` of an AG-UI event.
 *
 * @example
 * ```ts
 * import type { AgUiEventType } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const type: AgUiEventType = "RUN_STARTED";
 * ```
 */
export type AgUiEventType = AgUiEvent["type"];

/**
 * The AG-UI event of one type.
 *
 * @example
 * ```ts
 * import type { AgUiEventOf } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const start: AgUiEventOf<"STEP_STARTED"> = { type: "STEP_STARTED", stepName: "plan" };
 * ```
 */
export type AgUiEventOf<T extends AgUiEventType> = Extract<AgUiEvent, { type: T }>;

/**
 * One RFC 6902 operation, as AG-UI's `STATE_DELTA` and `ACTIVITY_DELTA` carry it.
 *
 * @example
 * ```ts
 * import type { AgUiPatchOperation } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const op: AgUiPatchOperation = { op: "add", path: "/count", value: 1 };
 * ```
 */
export type AgUiPatchOperation =
  | { op: "add" | "replace" | "test"; path: string; value: unknown }
  | { op: "remove"; path: string }
  | { op: "move" | "copy"; from: string; path: string };

/**
 * Every AG-UI 1.0 event type, in the order of the protocol's schema.
 *
 * @example
 * ```ts
 * import { AG_UI_EVENT_TYPES } from "@agent-stream/agent-stream/adapters/ag-ui";
 * console.log(AG_UI_EVENT_TYPES.length); // 31
 * ```
 */
export const AG_UI_EVENT_TYPES: readonly AgUiEventType[] = Object.freeze([
  "TEXT_MESSAGE_START",
  "TEXT_MESSAGE_CONTENT",
  "TEXT_MESSAGE_END",
  "TEXT_MESSAGE_CHUNK",
  "TOOL_CALL_START",
  "TOOL_CALL_ARGS",
  "TOOL_CALL_END",
  "TOOL_CALL_CHUNK",
  "TOOL_CALL_RESULT",
  "STATE_SNAPSHOT",
  "STATE_DELTA",
  "MESSAGES_SNAPSHOT",
  "ACTIVITY_SNAPSHOT",
  "ACTIVITY_DELTA",
  "RAW",
  "CUSTOM",
  "RUN_STARTED",
  "RUN_FINISHED",
  "RUN_ERROR",
  "STEP_STARTED",
  "STEP_FINISHED",
  "REASONING_START",
  "REASONING_MESSAGE_START",
  "REASONING_MESSAGE_CONTENT",
  "REASONING_MESSAGE_END",
  "REASONING_MESSAGE_CHUNK",
  "REASONING_END",
  "REASONING_ENCRYPTED_VALUE",
  "SUBAGENT_STARTED",
  "SUBAGENT_FINISHED",
  "SUBAGENT_ERROR",
]);
