// What the reader of UI message chunks writes where a stream says too little:
// the error of a denied tool call, and the errors that end runs it cannot finish.

/**
 * The error text of the tool result that a `tool-output-denied` chunk
 * becomes.
 *
 * @example
 * ```ts
 * import { TOOL_DENIED_ERROR } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(TOOL_DENIED_ERROR); // "The tool call was denied"
 * ```
 */
export const TOOL_DENIED_ERROR = "The tool call was denied";

/**
 * The message of the `run.error` that ends a run whose stream stopped before
 * `finish`, `error` or `abort`.
 *
 * @example
 * ```ts
 * import { INCOMPLETE_STREAM_ERROR } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(INCOMPLETE_STREAM_ERROR.code); // "incomplete-stream"
 * ```
 */
export const INCOMPLETE_STREAM_ERROR: { readonly message: string; readonly code: string } = Object
  .freeze({
    message: "The UI message stream ended before the run finished",
    code: "incomplete-stream",
  });

/**
 * The message and code of the `run.error` that ends a run whose stream
 * finished while a tool call's input text was not JSON text.
 *
 * @example
 * ```ts
 * import { INCOMPLETE_TOOL_INPUT_ERROR } from "@agent-stream/agent-stream/adapters/ai-sdk";
 * console.log(INCOMPLETE_TOOL_INPUT_ERROR.code); // "incomplete-tool-input"
 * ```
 */
export const INCOMPLETE_TOOL_INPUT_ERROR: { readonly message: string; readonly code: string } =
  Object.freeze({
    message: "The UI message stream finished while a tool call's input was incomplete",
    code: "incomplete-tool-input",
  });
