// The body an AG-UI client POSTs: a RunAgentInput, checked member by member
// so that a refusal can point at each defect.

import * as v from "valibot";
import { validate, type ValidationResult } from "../../src/protocol/validate.ts";
import type { RunAgentInput } from "./ag_ui_messages.ts";

const object = v.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "Expected an object",
);

const part = v.variant("type", [
  v.looseObject({ type: v.literal("text"), text: v.string() }),
  v.looseObject({
    type: v.picklist(["image", "audio", "video", "document"]),
    source: v.looseObject({ type: v.picklist(["data", "url", "file"]), value: v.string() }),
  }),
]);
const parts = v.array(part);

const toolCall = v.looseObject({
  id: v.string(),
  type: v.literal("function"),
  function: v.looseObject({ name: v.string(), arguments: v.string() }),
});

const message = v.variant("role", [
  v.looseObject({ id: v.string(), role: v.picklist(["developer", "system"]), content: v.string() }),
  v.looseObject({ id: v.string(), role: v.literal("user"), content: v.union([v.string(), parts]) }),
  v.looseObject({
    id: v.string(),
    role: v.literal("assistant"),
    content: v.optional(v.string()),
    toolCalls: v.optional(v.array(toolCall)),
  }),
  v.looseObject({
    id: v.string(),
    role: v.literal("tool"),
    toolCallId: v.string(),
    content: v.union([v.string(), parts]),
    error: v.optional(v.string()),
  }),
  v.looseObject({ id: v.string(), role: v.literal("reasoning"), content: v.string() }),
  v.looseObject({
    id: v.string(),
    role: v.literal("activity"),
    activityType: v.string(),
    content: object,
  }),
]);

const RunAgentInputSchema = v.looseObject({
  threadId: v.string(),
  runId: v.string(),
  parentRunId: v.optional(v.string()),
  messages: v.array(message),
  tools: v.optional(v.array(v.looseObject({ name: v.string(), description: v.string() }))),
  context: v.optional(v.array(v.looseObject({ description: v.string(), value: v.string() }))),
});

/** Checks a parsed body against AG-UI's RunAgentInput, listing each defect by JSON Pointer. */
export function checkRunAgentInput(value: unknown): ValidationResult<RunAgentInput> {
  return validate(RunAgentInputSchema as v.GenericSchema<unknown, RunAgentInput>, value);
}
