// The stream a check reads live, as the check knows it: what it appended,
// in order, and whether it closed the stream.

import type { CheckContext } from "../../check.ts";

/** What the check has done to the stream. */
export interface StreamModel {
  /** The request path of the stream. */
  readonly url: string;
  /** Every message appended, or being appended, in stream order. */
  readonly messages: unknown[];
  /** Messages the server has acknowledged. */
  acked: number;
  /** Whether the server has acknowledged a close. */
  closed: boolean;
}

/** Appends `messages` (one message as itself, several as an array) and updates the model. */
export async function appendTo(
  t: CheckContext,
  model: StreamModel,
  messages: readonly unknown[],
  options: { single?: boolean; close?: boolean } = {},
): Promise<void> {
  model.messages.push(...messages);
  const headers: Record<string, string> = options.close ? { "Stream-Closed": "true" } : {};
  const body = messages.length === 0
    ? undefined
    : { json: options.single && messages.length === 1 ? messages[0] : messages };
  const reply = await t.http.request("POST", model.url, { headers, body });
  if (reply.status !== 200 && reply.status !== 204) {
    throw new Error(`setup: an append answered ${reply.status}, so the stream cannot be read live`);
  }
  model.acked = model.messages.length;
  if (options.close) model.closed = true;
}

/** Creates a JSON stream for a check; a refusal is an error of the setup, not a finding. */
export async function freshStream(t: CheckContext, label?: string): Promise<StreamModel> {
  const url = t.streamUrl(t.stream(label));
  const reply = await t.http.request("PUT", url, {
    headers: { "Content-Type": "application/json" },
  });
  if (reply.status !== 201) throw new Error(`setup: creating ${url} answered ${reply.status}`);
  return { url, messages: [], acked: 0, closed: false };
}

/** `size` messages numbered from `from`, each distinct, so a repeat or a gap cannot go unseen. */
export function batch(from: number, size: number): unknown[] {
  return Array.from({ length: size }, (_, i) => ({ n: from + i }));
}
