/**
 * The event vocabulary of agent streams (spec/v1/events.md): runs, steps,
 * text, reasoning, tool calls, state, messages snapshots, usage, custom and
 * raw events, and the task, agent-process and LLM-request families. Each
 * type has an interface and a definition; {@linkcode standardEvents}
 * decodes and validates them all.
 *
 * @example
 * ```ts
 * import { standardEvents, type StandardEvent } from "@agent-stream/agent-stream/vocabulary";
 *
 * const answer: StandardEvent[] = [
 *   { type: "run.started", runId: "run_1" },
 *   { type: "text.start", runId: "run_1", messageId: "msg_1" },
 *   { type: "text.delta", runId: "run_1", messageId: "msg_1", delta: "Hello" },
 *   { type: "text.end", runId: "run_1", messageId: "msg_1" },
 *   { type: "run.finished", runId: "run_1", outcome: "success" },
 * ];
 * for (const event of answer) {
 *   const decoded = standardEvents.decode(new TextEncoder().encode(JSON.stringify(event)));
 *   console.log(decoded.known); // true
 * }
 * ```
 *
 * @module
 */

export * from "./run.ts";
export * from "./step.ts";
export * from "./text.ts";
export * from "./reasoning.ts";
export * from "./tool.ts";
export * from "./state.ts";
export * from "./messages.ts";
export * from "./usage.ts";
export * from "./custom.ts";
export * from "./raw.ts";
export * from "./task.ts";
export * from "./agent_process.ts";
export * from "./llm_request.ts";
export * from "./conversation_message.ts";
export * from "./standard_events.ts";
export * from "./lifecycle.ts";
export * from "./event_router.ts";
export * from "./normalize_event.ts";
