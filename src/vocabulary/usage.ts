import { defineEvent, type EnvelopeMembers, type EventDefinition } from "../events/mod.ts";
import { usageEntries } from "./_fields.ts";

/**
 * Token counts and cost of model calls. Every member is optional; a report
 * names what it knows. Counts are non-negative integers, `costUsd` a
 * non-negative number of US dollars.
 *
 * @example
 * ```ts
 * import type { Usage } from "@agent-stream/agent-stream/vocabulary";
 * const usage: Usage = { promptTokens: 812, completionTokens: 64, totalTokens: 876, costUsd: 0.0021 };
 * ```
 */
export interface Usage {
  /** Tokens of the model's input. */
  promptTokens?: number;
  /** Tokens the model produced. */
  completionTokens?: number;
  /** All tokens billed; when absent, consumers take prompt + completion. */
  totalTokens?: number;
  /** Tokens spent on reasoning, a part of `completionTokens`. */
  reasoningTokens?: number;
  /** Prompt tokens served from a cache, a part of `promptTokens`. */
  cachedPromptTokens?: number;
  /** Cost in US dollars. */
  costUsd?: number;
  /** The model that was called, as the provider names it. */
  model?: string;
  /** The provider that served the call, e.g. `"openai"`. */
  provider?: string;
}

/**
 * `usage.reported`: the usage of one or more model calls, added to the
 * conversation's totals.
 *
 * @example
 * ```ts
 * import type { UsageReportedEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: UsageReportedEvent = { type: "usage.reported", runId: "run_1", promptTokens: 10, completionTokens: 5 };
 * ```
 */
export interface UsageReportedEvent extends EnvelopeMembers, Usage {
  /** The event type. */
  type: "usage.reported";
}

/**
 * The definition of `usage.reported`.
 *
 * @example
 * ```ts
 * import { UsageReported } from "@agent-stream/agent-stream/vocabulary";
 * console.log(UsageReported.type); // "usage.reported"
 * ```
 */
export const UsageReported: EventDefinition<UsageReportedEvent> = defineEvent(
  "usage.reported",
  usageEntries,
);
