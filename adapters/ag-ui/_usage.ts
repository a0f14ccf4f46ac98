// Token usage between the two vocabularies. AG-UI reports usage only on the
// event that ends a run, one entry per provider and model; agent streams
// report it as often as they like. The view sums a run's reports per provider
// and model; the way back turns each entry into one report.

import type { Usage } from "../../src/vocabulary/usage.ts";
import type { AgUiTokenUsage } from "./ag_ui_messages.ts";

const COUNTS = [
  ["promptTokens", "inputTokens"],
  ["completionTokens", "outputTokens"],
  ["totalTokens", "totalTokens"],
  ["reasoningTokens", "reasoningTokens"],
  ["cachedPromptTokens", "cachedInputTokens"],
] as const;

/** Usage reports summed per provider and model, in order of first appearance. */
export class UsageTally {
  readonly #entries = new Map<string, AgUiTokenUsage>();

  /** Adds one report; a report without a total counts prompt plus completion. */
  add(usage: Usage): void {
    const key = JSON.stringify([usage.provider ?? null, usage.model ?? null]);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = {};
      if (usage.provider !== undefined) entry.provider = usage.provider;
      if (usage.model !== undefined) entry.model = usage.model;
      this.#entries.set(key, entry);
    }
    for (const [from, to] of COUNTS) {
      const value = from === "totalTokens" ? totalOf(usage) : usage[from];
      if (typeof value === "number") entry[to] = (entry[to] ?? 0) + value;
    }
  }

  /** Whether nothing was added. */
  get empty(): boolean {
    return this.#entries.size === 0;
  }

  /** The entries, or `undefined` when there are none. */
  entries(): AgUiTokenUsage[] | undefined {
    return this.empty ? undefined : [...this.#entries.values()].map((e) => ({ ...e }));
  }
}

/** One AG-UI usage entry as the members of a usage report. */
export function usageFromTokenUsage(entry: AgUiTokenUsage): Usage {
  const usage: Usage = {};
  for (const [to, from] of COUNTS) {
    const value = entry[from];
    if (typeof value === "number") usage[to] = value;
  }
  if (typeof entry.model === "string") usage.model = entry.model;
  if (typeof entry.provider === "string") usage.provider = entry.provider;
  return usage;
}

function totalOf(usage: Usage): number | undefined {
  if (usage.totalTokens !== undefined) return usage.totalTokens;
  if (usage.promptTokens === undefined && usage.completionTokens === undefined) return undefined;
  return (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
}
