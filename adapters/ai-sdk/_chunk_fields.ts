// Small readers of chunk members: records, optional strings, merged message
// metadata, usage and the text of message parts.

import type { Usage } from "../../src/vocabulary/usage.ts";

/** Whether `value` is a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{[key]: value}` when `value` is a string, else `{}`: for spreading into an event. */
export function optionalString<K extends string>(
  key: K,
  value: unknown,
): { [P in K]?: string } {
  return (typeof value === "string" ? { [key]: value } : {}) as { [P in K]?: string };
}

/**
 * Message metadata as a client accumulates it: objects merge member by
 * member, any other value replaces what was there, and an absent value
 * changes nothing.
 */
export function mergeMetadata(base: unknown, update: unknown): unknown {
  if (update === undefined) return base;
  if (!isRecord(base) || !isRecord(update)) return update;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(update)) {
    if (value !== undefined) merged[key] = mergeMetadata(base[key], value);
  }
  return merged;
}

/** The text of a message's text parts, one line each. */
export function textOfParts(parts: readonly unknown[]): string {
  return parts
    .filter((part): part is { type: "text"; text: string } =>
      isRecord(part) && part.type === "text" && typeof part.text === "string"
    )
    .map((part) => part.text)
    .join("\n");
}

const USAGE_MEMBERS = [
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "reasoningTokens",
  "cachedPromptTokens",
  "costUsd",
] as const;

/** The run's usage from its metadata, for the event that ends it. */
export function usageOf(value: unknown): { usage?: Usage } {
  if (!isRecord(value)) return {};
  const usage: Usage = {};
  for (const key of USAGE_MEMBERS) {
    const n = value[key];
    if (typeof n === "number" && Number.isFinite(n) && n >= 0) usage[key] = n;
  }
  return Object.keys(usage).length > 0 ? { usage } : {};
}

/** A chunk's members but `type`: the value of the data message it becomes. */
export function withoutType(chunk: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = chunk;
  return rest;
}
