// Field schemas shared by several event families.
import * as v from "valibot";

/** An identifier chosen by the producer: 1 to 256 characters. */
export const identifier = (): v.SchemaWithPipe<
  readonly [
    v.StringSchema<undefined>,
    v.MinLengthAction<string, 1, undefined>,
    v.MaxLengthAction<string, 256, undefined>,
  ]
> => v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** A count of tokens: a non-negative integer. */
export const tokenCount = (): v.SchemaWithPipe<
  readonly [
    v.NumberSchema<undefined>,
    v.IntegerAction<number, undefined>,
    v.MinValueAction<number, 0, undefined>,
  ]
> => v.pipe(v.number(), v.integer(), v.minValue(0));

/** The members of a usage report (spec/v1/events.md, usage). */
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
export const usageSchema = v.looseObject(usageEntries);

/** Numbers by name, for metrics. */
export const metricsSchema = v.record(v.string(), v.number());
