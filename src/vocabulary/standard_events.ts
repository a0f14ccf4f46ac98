import { RunError, RunFinished, RunStarted } from "./run.ts";
import type { RunErrorEvent, RunFinishedEvent, RunStartedEvent } from "./run.ts";
import { StepFinished, StepStarted } from "./step.ts";
import type { StepFinishedEvent, StepStartedEvent } from "./step.ts";
import { TextDelta, TextEnd, TextMessage, TextStart } from "./text.ts";
import type { TextDeltaEvent, TextEndEvent, TextMessageEvent, TextStartEvent } from "./text.ts";
import { ReasoningDelta, ReasoningEnd, ReasoningStart } from "./reasoning.ts";
import type { ReasoningDeltaEvent, ReasoningEndEvent, ReasoningStartEvent } from "./reasoning.ts";
import { ToolDelta, ToolEnd, ToolResult, ToolStart } from "./tool.ts";
import type { ToolDeltaEvent, ToolEndEvent, ToolResultEvent, ToolStartEvent } from "./tool.ts";
import { StateDelta, StateSnapshot } from "./state.ts";
import type { StateDeltaEvent, StateSnapshotEvent } from "./state.ts";
import { MessagesSnapshot } from "./messages.ts";
import type { MessagesSnapshotEvent } from "./messages.ts";
import { UsageReported } from "./usage.ts";
import type { UsageReportedEvent } from "./usage.ts";
import { CustomEvent } from "./custom.ts";
import type { CustomEventEvent } from "./custom.ts";
import { RawEvent } from "./raw.ts";
import type { RawEventEvent } from "./raw.ts";
import {
  TaskAssigned,
  TaskCancelled,
  TaskCompleted,
  TaskCreated,
  TaskFailed,
  TaskMetrics,
  TaskProgress,
  TaskQueued,
  TaskResult,
  TaskStarted,
} from "./task.ts";
import type {
  TaskAssignedEvent,
  TaskCancelledEvent,
  TaskCompletedEvent,
  TaskCreatedEvent,
  TaskFailedEvent,
  TaskMetricsEvent,
  TaskProgressEvent,
  TaskQueuedEvent,
  TaskResultEvent,
  TaskStartedEvent,
} from "./task.ts";
import {
  AgentError,
  AgentHealth,
  AgentLog,
  AgentMetrics,
  AgentOutput,
  AgentPaused,
  AgentResumed,
  AgentSpawned,
  AgentStarted,
  AgentStopped,
} from "./agent_process.ts";
import type {
  AgentErrorEvent,
  AgentHealthEvent,
  AgentLogEvent,
  AgentMetricsEvent,
  AgentOutputEvent,
  AgentPausedEvent,
  AgentResumedEvent,
  AgentSpawnedEvent,
  AgentStartedEvent,
  AgentStoppedEvent,
} from "./agent_process.ts";
import {
  LlmCompleted,
  LlmError,
  LlmStarted,
  LlmToken,
  LlmToolCall,
  LlmToolResult,
  LlmUsage,
} from "./llm_request.ts";
import type {
  LlmCompletedEvent,
  LlmErrorEvent,
  LlmStartedEvent,
  LlmTokenEvent,
  LlmToolCallEvent,
  LlmToolResultEvent,
  LlmUsageEvent,
} from "./llm_request.ts";
import type { EventDefinition } from "../events/mod.ts";
import { EventRegistry } from "../events/mod.ts";

/**
 * Every event of the vocabulary (spec/v1/events.md), discriminated by `type`.
 *
 * @example
 * ```ts
 * import type { StandardEvent } from "@agent-stream/agent-stream/vocabulary";
 * function describe(event: StandardEvent): string {
 *   switch (event.type) {
 *     case "text.delta":
 *       return `text ${event.delta}`;
 *     case "run.finished":
 *       return `run ended: ${event.outcome}`;
 *     default:
 *       return event.type;
 *   }
 * }
 * ```
 */
export type StandardEvent =
  | RunStartedEvent
  | RunFinishedEvent
  | RunErrorEvent
  | StepStartedEvent
  | StepFinishedEvent
  | TextStartEvent
  | TextDeltaEvent
  | TextEndEvent
  | TextMessageEvent
  | ReasoningStartEvent
  | ReasoningDeltaEvent
  | ReasoningEndEvent
  | ToolStartEvent
  | ToolDeltaEvent
  | ToolEndEvent
  | ToolResultEvent
  | StateSnapshotEvent
  | StateDeltaEvent
  | MessagesSnapshotEvent
  | UsageReportedEvent
  | CustomEventEvent
  | RawEventEvent
  | TaskCreatedEvent
  | TaskQueuedEvent
  | TaskAssignedEvent
  | TaskStartedEvent
  | TaskProgressEvent
  | TaskResultEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | TaskCancelledEvent
  | TaskMetricsEvent
  | AgentSpawnedEvent
  | AgentStartedEvent
  | AgentPausedEvent
  | AgentResumedEvent
  | AgentStoppedEvent
  | AgentErrorEvent
  | AgentOutputEvent
  | AgentLogEvent
  | AgentMetricsEvent
  | AgentHealthEvent
  | LlmStartedEvent
  | LlmTokenEvent
  | LlmToolCallEvent
  | LlmToolResultEvent
  | LlmUsageEvent
  | LlmCompletedEvent
  | LlmErrorEvent;

/**
 * The type names of the vocabulary.
 *
 * @example
 * ```ts
 * import type { StandardEventType } from "@agent-stream/agent-stream/vocabulary";
 * const type: StandardEventType = "tool.result";
 * ```
 */
export type StandardEventType = StandardEvent["type"];

/**
 * The definition of every event type of the vocabulary, in the order the
 * spec lists them.
 *
 * @example
 * ```ts
 * import { STANDARD_EVENT_DEFINITIONS } from "@agent-stream/agent-stream/vocabulary";
 * console.log(STANDARD_EVENT_DEFINITIONS.length); // 49
 * ```
 */
export const STANDARD_EVENT_DEFINITIONS: readonly EventDefinition<StandardEvent>[] = [
  RunStarted,
  RunFinished,
  RunError,
  StepStarted,
  StepFinished,
  TextStart,
  TextDelta,
  TextEnd,
  TextMessage,
  ReasoningStart,
  ReasoningDelta,
  ReasoningEnd,
  ToolStart,
  ToolDelta,
  ToolEnd,
  ToolResult,
  StateSnapshot,
  StateDelta,
  MessagesSnapshot,
  UsageReported,
  CustomEvent,
  RawEvent,
  TaskCreated,
  TaskQueued,
  TaskAssigned,
  TaskStarted,
  TaskProgress,
  TaskResult,
  TaskCompleted,
  TaskFailed,
  TaskCancelled,
  TaskMetrics,
  AgentSpawned,
  AgentStarted,
  AgentPaused,
  AgentResumed,
  AgentStopped,
  AgentError,
  AgentOutput,
  AgentLog,
  AgentMetrics,
  AgentHealth,
  LlmStarted,
  LlmToken,
  LlmToolCall,
  LlmToolResult,
  LlmUsage,
  LlmCompleted,
  LlmError,
] as readonly EventDefinition[] as readonly EventDefinition<StandardEvent>[];

/**
 * A registry of the whole vocabulary: decodes a message of an agent stream
 * into a validated {@linkcode StandardEvent}, or hands back an event of a
 * type it does not know untouched.
 *
 * @example
 * ```ts
 * import { standardEvents } from "@agent-stream/agent-stream/vocabulary";
 * const decoded = standardEvents.decode(
 *   new TextEncoder().encode('{"type":"text.delta","messageId":"m1","delta":"Hi"}'),
 * );
 * if (decoded.known && decoded.event.type === "text.delta") console.log(decoded.event.delta); // "Hi"
 * ```
 */
export const standardEvents: EventRegistry<EventDefinition<StandardEvent>> = new EventRegistry(
  STANDARD_EVENT_DEFINITIONS,
);
