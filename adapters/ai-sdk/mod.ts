/**
 * The AI SDK view of agent streams (spec/v1/view-ai-sdk.md): the runs of a
 * stream as the UI message streams of the `ai` package's chat clients, the
 * conversation as their `UIMessage`s, the way back from chunks to events,
 * and an endpoint that a `DefaultChatTransport` talks to.
 *
 * @example
 * ```ts
 * import { toUiMessageChunks } from "@agent-stream/agent-stream/adapters/ai-sdk";
 *
 * const chunks = toUiMessageChunks([
 *   { type: "run.started", runId: "run_1" },
 *   { type: "text.message", runId: "run_1", messageId: "m1", role: "assistant", content: "Hi" },
 *   { type: "run.finished", runId: "run_1", outcome: "success" },
 * ]);
 * console.log(chunks.at(-1)); // { type: "finish", finishReason: "stop", messageMetadata: { runId: "run_1", status: "success" } }
 * ```
 *
 * @module
 */

export * from "./ui_message_chunk.ts";
export * from "./ui_message.ts";
export * from "./to_ui_message_chunks.ts";
export * from "./from_ui_message_chunks.ts";
export * from "./reader_errors.ts";
export * from "./to_ui_messages.ts";
export * from "./ai_sdk_route.ts";
