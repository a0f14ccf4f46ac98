// The message, tool-call, usage, interrupt and run-input shapes of AG-UI 1.0,
// declared here so that the view has no runtime dependency on an AG-UI package.

/**
 * A call an AG-UI assistant message makes: the tool's name and the
 * arguments as JSON text.
 *
 * @example
 * ```ts
 * import type { AgUiToolCall } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const call: AgUiToolCall = {
 *   id: "call_1",
 *   type: "function",
 *   function: { name: "weather", arguments: '{"city":"Oslo"}' },
 * };
 * ```
 */
export interface AgUiToolCall {
  /** The call's id. */
  id: string;
  /** Always `"function"`. */
  type: "function";
  /** The tool and its arguments. */
  function: { name: string; arguments: string };
  /** An opaque provider artefact of the call. */
  encryptedValue?: string;
  /** Free-form annotations. */
  metadata?: Record<string, unknown>;
}

/**
 * A part of an AG-UI user or tool message body: text, or media by source.
 *
 * @example
 * ```ts
 * import type { AgUiContentPart } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const part: AgUiContentPart = { type: "text", text: "Hello" };
 * ```
 */
export type AgUiContentPart =
  | { type: "text"; text: string; id?: string; metadata?: unknown }
  | {
    type: "image" | "audio" | "video" | "document";
    source: { type: "data" | "url" | "file"; value: string; mimeType?: string; provider?: string };
    id?: string;
    metadata?: unknown;
  };

/**
 * Members every AG-UI message may carry besides its role's.
 *
 * @example
 * ```ts
 * import type { AgUiMessageBase } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const base: AgUiMessageBase = { id: "m1", metadata: { source: "import" } };
 * ```
 */
export interface AgUiMessageBase {
  /** The message's id, unique in the conversation. */
  id: string;
  /** The subagent invocation the message belongs to. */
  subagentRunId?: string;
  /** Free-form annotations, merged from the events that built the message. */
  metadata?: Record<string, unknown>;
  /** An opaque provider artefact. */
  encryptedValue?: string;
}

/**
 * A message of an AG-UI conversation, discriminated by `role`.
 *
 * @example
 * ```ts
 * import type { AgUiMessage } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const messages: AgUiMessage[] = [
 *   { id: "u1", role: "user", content: "Weather in Oslo?" },
 *   { id: "a1", role: "assistant", content: "Sunny." },
 * ];
 * ```
 */
export type AgUiMessage =
  | (AgUiMessageBase & {
    role: "developer" | "system";
    content: string;
    name?: string;
  })
  | (AgUiMessageBase & {
    role: "user";
    content: string | AgUiContentPart[];
    name?: string;
  })
  | (AgUiMessageBase & {
    role: "assistant";
    content?: string;
    name?: string;
    toolCalls?: AgUiToolCall[];
  })
  | (AgUiMessageBase & {
    role: "tool";
    toolCallId: string;
    content: string | AgUiContentPart[];
    error?: string;
  })
  | (AgUiMessageBase & {
    role: "reasoning";
    content: string;
  })
  | (AgUiMessageBase & {
    role: "activity";
    activityType: string;
    content: Record<string, unknown>;
  });

/**
 * AG-UI token usage of one provider and model: input and output totals and
 * the parts of them spent on reasoning or served from a cache.
 *
 * @example
 * ```ts
 * import type { AgUiTokenUsage } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const usage: AgUiTokenUsage = { model: "m", inputTokens: 10, outputTokens: 5, totalTokens: 15 };
 * ```
 */
export interface AgUiTokenUsage {
  /** The provider that served the calls. */
  provider?: string;
  /** The model called. */
  model?: string;
  /** Tokens of the model's input. */
  inputTokens?: number;
  /** Tokens the model produced. */
  outputTokens?: number;
  /** Input plus output. */
  totalTokens?: number;
  /** The part of `outputTokens` spent on reasoning. */
  reasoningTokens?: number;
  /** The part of `inputTokens` read from a cache. */
  cachedInputTokens?: number;
  /** The part of `inputTokens` written to a cache. */
  cacheWriteInputTokens?: number;
}

/**
 * Something an AG-UI run waits for before it can continue.
 *
 * @example
 * ```ts
 * import type { AgUiInterrupt } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const interrupt: AgUiInterrupt = { id: "i1", reason: "approval", toolCallId: "call_1" };
 * ```
 */
export interface AgUiInterrupt {
  /** Identifies the interrupt. */
  id: string;
  /** Why the run waits. */
  reason: string;
  /** Text for a person. */
  message?: string;
  /** The tool call that waits. */
  toolCallId?: string;
  /** The JSON Schema of an answer. */
  responseSchema?: Record<string, unknown>;
  /** When the interrupt can no longer be answered. */
  expiresAt?: string;
  /** Free-form annotations. */
  metadata?: Record<string, unknown>;
  /** The subagent invocation that waits. */
  subagentRunId?: string;
}

/**
 * A request to run an AG-UI agent: what `HttpAgent` POSTs.
 *
 * @example
 * ```ts
 * import type { RunAgentInput } from "@agent-stream/agent-stream/adapters/ag-ui";
 * const input: RunAgentInput = {
 *   threadId: "t1",
 *   runId: "r1",
 *   messages: [{ id: "u1", role: "user", content: "Hi" }],
 *   state: {},
 *   tools: [],
 *   context: [],
 * };
 * ```
 */
export interface RunAgentInput {
  /** The conversation. */
  threadId: string;
  /** The run the client asks for. */
  runId: string;
  /** The AG-UI version the client speaks. */
  protocolVersion?: string;
  /** The run this one continues. */
  parentRunId?: string;
  /** The client's state. */
  state?: unknown;
  /** The client's messages (activity messages excluded). */
  messages: AgUiMessage[];
  /** Tools the client offers. */
  tools?: { name: string; description: string; parameters?: unknown }[];
  /** Context the client gives. */
  context?: { description: string; value: string }[];
  /** Anything else the client forwards. */
  forwardedProps?: unknown;
  /** Answers to interrupts. */
  resume?: { interruptId: string; status: "resolved" | "cancelled"; payload?: unknown }[];
}
