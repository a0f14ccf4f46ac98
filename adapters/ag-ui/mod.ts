/**
 * The AG-UI view of agent streams (spec/v1/view-ag-ui.md): agent-stream
 * events as AG-UI 1.0 events and back, conversations as AG-UI messages, and
 * the `/v1/ag-ui/{path}` endpoint that an AG-UI `HttpAgent` talks to.
 *
 * @example
 * ```ts
 * import { toAgUiEvents, toAgUiMessages } from "@agent-stream/agent-stream/adapters/ag-ui";
 *
 * const events = [
 *   { type: "text.message", messageId: "u1", role: "user", content: "Hi" },
 *   { type: "run.started", runId: "r1" },
 *   { type: "text.message", runId: "r1", messageId: "a1", role: "assistant", content: "Hello" },
 *   { type: "run.finished", runId: "r1", outcome: "success" },
 * ];
 * console.log([...toAgUiEvents(events)].map((e) => e.type));
 * console.log(toAgUiMessages({
 *   messages: [{ id: "u1", role: "user", content: "Hi" }],
 * }));
 * ```
 *
 * @module
 */

export * from "./ag_ui_events.ts";
export * from "./ag_ui_messages.ts";
export * from "./to_ag_ui_events.ts";
export * from "./from_ag_ui_events.ts";
export * from "./to_ag_ui_messages.ts";
export * from "./ag_ui_client_model.ts";
export * from "./ag_ui_route.ts";
