/**
 * Wire types and validators of agent-stream v1: the JSON bodies, SSE control
 * events and WebSocket frames that `spec/v1/schemas/` defines, as TypeScript
 * types and valibot schemas that accept exactly what the JSON Schemas accept.
 *
 * ```ts
 * import { AgentAppendSchema, createProblem, validate } from "@agent-stream/agent-stream/protocol";
 *
 * const body: unknown = [{ type: "run.started", runId: "r1" }, { type: "Text" }];
 * const result = validate(AgentAppendSchema, body);
 * if (!result.ok) {
 *   const problem = createProblem("invalid-envelope", { errors: result.errors });
 *   console.log(problem.status, problem.errors?.[0].path); // 400 "/1/type"
 * }
 * ```
 *
 * @module
 */

export * from "./offset.ts";
export * from "./timestamp.ts";
export * from "./token.ts";
export * from "./stream_path.ts";
export * from "./protocol_version.ts";
export * from "./non_negative_integer.ts";
export * from "./stream_kind.ts";
export * from "./envelope.ts";
export * from "./agent_append.ts";
export * from "./problem.ts";
export * from "./discovery.ts";
export * from "./sse_control.ts";
export * from "./ws_frame.ts";
export * from "./ws_client_frame.ts";
export * from "./ws_server_frame.ts";
export * from "./validate.ts";
