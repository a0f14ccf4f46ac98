// Field schemas shared by several event families. Each agrees exactly with its
// counterpart in spec/v1/schemas/events/vocabulary.schema.json: lengths count
// code points, objects reject arrays, records check every own member.
import * as v from "valibot";
import { boundedString, isJsonObject, jsonObject } from "../protocol/_common.ts";
import { JSON_POINTER_PATTERN } from "../protocol/problem.ts";
import { NonNegativeIntegerSchema } from "../protocol/non_negative_integer.ts";

/** An identifier chosen by the producer: 1 to 256 characters (code points). */
export const identifier = (): v.GenericSchema<string> => boundedString(1, 256);

/** A count of tokens: an integer from 0 to 2^53 - 1. */
export const tokenCount = (): v.GenericSchema<number> => NonNegativeIntegerSchema;

/** The members of a usage report (spec/v1/events.md §10.1). */
export const usageEntries = {
  promptTokens: v.optional(tokenCount()),
  completionTokens: v.optional(tokenCount()),
  totalTokens: v.optional(tokenCount()),
  reasoningTokens: v.optional(tokenCount()),
  cachedPromptTokens: v.optional(tokenCount()),
  costUsd: v.optional(v.pipe(v.number(), v.minValue(0))),
  model: v.optional(v.string()),
  provider: v.optional(v.string()),
};

/** A usage report as an object schema, for members that hold one. */
export const usageSchema: v.GenericSchema<Record<string, unknown>> = jsonObject(usageEntries);

/** Any JSON object (not an array). */
export const anyObject = (): v.GenericSchema<Record<string, unknown>> =>
  v.custom<Record<string, unknown>>(isJsonObject, "Invalid type: Expected a JSON object");

/**
 * Numbers by name, for metrics. `v.record` would skip members named
 * `__proto__`, `prototype` or `constructor`; JSON Schema checks them all.
 */
export const metricsSchema: v.GenericSchema<Record<string, number>> = v.pipe(
  anyObject(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const input = dataset.value as Record<string, unknown>;
    for (const [key, value] of Object.entries(input)) {
      if (typeof value === "number") continue;
      addIssue({
        message: `Invalid type: Expected a number for metric ${JSON.stringify(key)}`,
        path: [{ type: "object", origin: "value", input, key, value }],
      });
    }
  }),
) as v.GenericSchema<Record<string, number>>;

/** An RFC 6901 JSON Pointer, as the patch operations of `state.delta` use them. */
export const jsonPointer = (): v.GenericSchema<string> =>
  v.pipe(v.string(), v.regex(JSON_POINTER_PATTERN, "Expected a JSON Pointer"));
