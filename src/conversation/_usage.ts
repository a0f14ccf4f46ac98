// Usage arithmetic of spec/v1/projection.md §6.
import type { Usage } from "../vocabulary/usage.ts";
import type { UsageTotals } from "./conversation.ts";

/** Totals that are all zero. */
export function zeroUsage(): UsageTotals {
  return {
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    reasoningTokens: 0,
    cachedPromptTokens: 0,
    costUsd: 0,
  };
}

/** `totals` plus one report; a report without `totalTokens` counts prompt + completion. */
export function addUsage(totals: UsageTotals, report: Usage): UsageTotals {
  const prompt = report.promptTokens ?? 0;
  const completion = report.completionTokens ?? 0;
  return {
    promptTokens: totals.promptTokens + prompt,
    completionTokens: totals.completionTokens + completion,
    totalTokens: totals.totalTokens + (report.totalTokens ?? prompt + completion),
    reasoningTokens: totals.reasoningTokens + (report.reasoningTokens ?? 0),
    cachedPromptTokens: totals.cachedPromptTokens + (report.cachedPromptTokens ?? 0),
    costUsd: totals.costUsd + (report.costUsd ?? 0),
  };
}
