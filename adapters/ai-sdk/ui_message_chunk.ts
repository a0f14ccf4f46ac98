// The chunks of the AI SDK UI message stream protocol (version v1), declared
// here so that the view has no runtime dependency on the `ai` package.

/**
 * Provider-specific metadata of a chunk or part: provider name → values.
 * The view uses the key `agentStream` for members of the vocabulary that the
 * protocol has no place for (a reasoning signature).
 *
 * @example
 * ```ts
 * import type { UiProviderMetadata } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const metadata: UiProviderMetadata = { agentStream: { signature: "sig" } };
 * ```
 */
export type UiProviderMetadata = Record<string, Record<string, unknown>>;

/**
 * Why the model stopped, as the `finish` chunk says it.
 *
 * @example
 * ```ts
 * import type { UiFinishReason } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const reason: UiFinishReason = "stop";
 * ```
 */
export type UiFinishReason =
  | "stop"
  | "length"
  | "content-filter"
  | "tool-calls"
  | "error"
  | "interrupted"
  | "other";

/**
 * Members that many chunks of tool calls carry and the view never sets.
 *
 * @example
 * ```ts
 * import type { UiToolChunkExtras } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const extras: UiToolChunkExtras = { providerExecuted: false };
 * ```
 */
export interface UiToolChunkExtras {
  /** Whether the provider ran the tool. */
  providerExecuted?: boolean;
  /** Provider metadata of the call or result. */
  providerMetadata?: UiProviderMetadata;
  /** Application metadata of the tool. */
  toolMetadata?: Record<string, unknown>;
  /** Whether the tool is dynamic (a `dynamic-tool` part). */
  dynamic?: boolean;
}

/**
 * A text part of a steering message.
 *
 * @example
 * ```ts
 * import type { UiSteeringTextPart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiSteeringTextPart = { type: "text", text: "Use Celsius." };
 * ```
 */
export interface UiSteeringTextPart {
  /** The part type. */
  type: "text";
  /** The text. */
  text: string;
  /** Provider metadata. */
  providerMetadata?: UiProviderMetadata;
}

/**
 * A file part of a steering message.
 *
 * @example
 * ```ts
 * import type { UiSteeringFilePart } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const part: UiSteeringFilePart = { type: "file", mediaType: "image/png", url: "https://example.com/a.png" };
 * ```
 */
export interface UiSteeringFilePart {
  /** The part type. */
  type: "file";
  /** The IANA media type. */
  mediaType: string;
  /** A URL or data URL. */
  url: string;
  /** The file name. */
  filename?: string;
  /** Provider metadata. */
  providerMetadata?: UiProviderMetadata;
}

/**
 * A data chunk: `data-<name>` with an application value. A transient one is
 * delivered to the client's `onData` and not kept in the message; one with
 * an `id` replaces the earlier part of the same type and id.
 *
 * @example
 * ```ts
 * import type { UiDataChunk } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const chunk: UiDataChunk = { type: "data-weather-card", id: "card_1", data: { celsius: 4 } };
 * ```
 */
export interface UiDataChunk {
  /** `data-` followed by the data name. */
  type: `data-${string}`;
  /** Identifies the part, so that a later chunk can replace it. */
  id?: string;
  /** The value. */
  data: unknown;
  /** Delivered, not kept. */
  transient?: boolean;
}

/**
 * One chunk of an AI SDK UI message stream (protocol `v1`, as the `ai`
 * package version 7 defines it): the stream of one assistant message, from
 * `start` to `finish`, `error` or `abort`.
 *
 * @example
 * ```ts
 * import type { UiMessageChunk } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const chunks: UiMessageChunk[] = [
 *   { type: "start", messageId: "run_1" },
 *   { type: "text-start", id: "msg_1" },
 *   { type: "text-delta", id: "msg_1", delta: "Hello" },
 *   { type: "text-end", id: "msg_1" },
 *   { type: "finish", finishReason: "stop" },
 * ];
 * ```
 */
export type UiMessageChunk =
  | { type: "text-start"; id: string; providerMetadata?: UiProviderMetadata }
  | { type: "text-delta"; id: string; delta: string; providerMetadata?: UiProviderMetadata }
  | {
    type: "text-end";
    id: string;
    citations?: unknown[];
    providerMetadata?: UiProviderMetadata;
  }
  | { type: "reasoning-start"; id: string; providerMetadata?: UiProviderMetadata }
  | { type: "reasoning-delta"; id: string; delta: string; providerMetadata?: UiProviderMetadata }
  | { type: "reasoning-end"; id: string; providerMetadata?: UiProviderMetadata }
  | { type: "custom"; kind: string; providerMetadata?: UiProviderMetadata }
  | { type: "error"; errorText: string }
  | ({
    type: "tool-input-start";
    toolCallId: string;
    toolName: string;
    inputEncoding?: "json" | "text";
    title?: string;
  } & UiToolChunkExtras)
  | { type: "tool-input-delta"; toolCallId: string; inputTextDelta: string }
  | ({
    type: "tool-input-available";
    toolCallId: string;
    toolName: string;
    input?: unknown;
    title?: string;
  } & UiToolChunkExtras)
  | ({
    type: "tool-input-error";
    toolCallId: string;
    toolName: string;
    input?: unknown;
    errorText: string;
    title?: string;
  } & UiToolChunkExtras)
  | {
    type: "tool-approval-request";
    approvalId: string;
    toolCallId: string;
    approvalDescriptor?: unknown;
    inputSchemaInput?: unknown;
    reason?: string;
    isAutomatic?: boolean;
    signature?: string;
  }
  | {
    type: "tool-approval-response";
    approvalId: string;
    approved: boolean;
    reason?: string;
    providerExecuted?: boolean;
    providerMetadata?: UiProviderMetadata;
  }
  | ({
    type: "tool-output-available";
    toolCallId: string;
    output: unknown;
    preliminary?: boolean;
  } & UiToolChunkExtras)
  | ({ type: "tool-output-error"; toolCallId: string; errorText: string } & UiToolChunkExtras)
  | { type: "tool-output-denied"; toolCallId: string }
  | {
    type: "source-url";
    sourceId: string;
    url: string;
    title?: string;
    providerMetadata?: UiProviderMetadata;
  }
  | {
    type: "source-document";
    sourceId: string;
    mediaType: string;
    title: string;
    filename?: string;
    providerMetadata?: UiProviderMetadata;
  }
  | { type: "file"; url: string; mediaType: string; providerMetadata?: UiProviderMetadata }
  | {
    type: "reasoning-file";
    url: string;
    mediaType: string;
    providerMetadata?: UiProviderMetadata;
  }
  | UiDataChunk
  | {
    type: "steering-message";
    id: string;
    parts: (UiSteeringTextPart | UiSteeringFilePart)[];
  }
  | { type: "start-step" }
  | { type: "finish-step" }
  | { type: "reset-step" }
  | { type: "start"; messageId?: string; messageMetadata?: unknown }
  | { type: "finish"; finishReason?: UiFinishReason; messageMetadata?: unknown }
  | { type: "abort"; reason?: string }
  | { type: "message-metadata"; messageMetadata: unknown };

/**
 * The `type` of a {@linkcode UiMessageChunk} other than a data chunk.
 *
 * @example
 * ```ts
 * import type { UiMessageChunkType } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * const type: UiMessageChunkType = "text-delta";
 * ```
 */
export type UiMessageChunkType = Exclude<UiMessageChunk["type"], `data-${string}`>;

/**
 * Every chunk type of the protocol other than `data-*`, in the order the
 * mapping table of spec/v1/view-ai-sdk.md lists them.
 *
 * @example
 * ```ts
 * import { UI_MESSAGE_CHUNK_TYPES } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(UI_MESSAGE_CHUNK_TYPES.includes("finish")); // true
 * ```
 */
export const UI_MESSAGE_CHUNK_TYPES: readonly UiMessageChunkType[] = Object.freeze(
  [
    "start",
    "finish",
    "abort",
    "error",
    "message-metadata",
    "text-start",
    "text-delta",
    "text-end",
    "reasoning-start",
    "reasoning-delta",
    "reasoning-end",
    "tool-input-start",
    "tool-input-delta",
    "tool-input-available",
    "tool-input-error",
    "tool-output-available",
    "tool-output-error",
    "tool-output-denied",
    "tool-approval-request",
    "tool-approval-response",
    "steering-message",
    "start-step",
    "finish-step",
    "reset-step",
    "source-url",
    "source-document",
    "file",
    "reasoning-file",
    "custom",
  ] as const,
);

/**
 * The response headers of a UI message stream.
 *
 * @example
 * ```ts
 * import { UI_MESSAGE_STREAM_HEADERS } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(UI_MESSAGE_STREAM_HEADERS["x-vercel-ai-ui-message-stream"]); // "v1"
 * ```
 */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-vercel-ai-ui-message-stream": "v1",
  "x-accel-buffering": "no",
});
