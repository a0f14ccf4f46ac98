// A run's usage totals as the projection sums them (spec/v1/projection.md §6).

import type { UsageTotals } from "../../src/conversation/conversation.ts";
import type { Usage } from "../../src/vocabulary/usage.ts";

/** `totals` (zeros when undefined) plus one report. */
export function addUsage(totals: UsageTotals | undefined, report: Usage): UsageTotals {
  const prompt = report.promptTokens ?? 0;
  const completion = report.completionTokens ?? 0;
  return {
    promptTokens: (totals?.promptTokens ?? 0) + prompt,
    completionTokens: (totals?.completionTokens ?? 0) + completion,
    totalTokens: (totals?.totalTokens ?? 0) + (report.totalTokens ?? prompt + completion),
    reasoningTokens: (totals?.reasoningTokens ?? 0) + (report.reasoningTokens ?? 0),
    cachedPromptTokens: (totals?.cachedPromptTokens ?? 0) + (report.cachedPromptTokens ?? 0),
    costUsd: (totals?.costUsd ?? 0) + (report.costUsd ?? 0),
  };
}
