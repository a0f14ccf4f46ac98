import * as v from "valibot";
import { isJsonObject } from "../protocol/_common.ts";
import type { Envelope } from "../protocol/envelope.ts";
import type { StandardEvent } from "./standard_events.ts";
import type { Usage } from "./usage.ts";
import { definitionOf } from "./_definitions.ts";

/**
 * Where an LLM request streams: the id of the message its `llm.started`
 * began (`messageId`, else `requestId`), or `undefined` for a request that
 * never started. `LifecycleTracker.prototype.requestMessageId` is one.
 *
 * @example
 * ```ts
 * import type { RequestMessageId } from "@agent-stream/agent-stream/vocabulary";
 * const started = new Map([["q1", "m1"]]);
 * const lookup: RequestMessageId = (requestId) => started.get(requestId);
 * ```
 */
export type RequestMessageId = (requestId: string) => string | undefined;

const USAGE_MEMBERS = [
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "reasoningTokens",
  "cachedPromptTokens",
  "costUsd",
  "model",
  "provider",
] as const;

/**
 * The core events an event stands for (spec/v1/events.md §14.9): an `llm.*`
 * event becomes the `text.*`, `tool.*` or `usage.reported` events it is
 * equivalent to; any other event, and an `llm.*` event that fails its schema,
 * comes back unchanged, alone. The core events carry the `runId`, `time` and
 * `meta` of the `llm.*` event, and the first also its `id`. An event of a
 * request `requestMessageId` does not know (one that never started) stands
 * for nothing.
 *
 * @example
 * ```ts
 * import { normalizeEvent } from "@agent-stream/agent-stream/vocabulary";
 * const messageOf = (requestId: string) => requestId === "q1" ? "m1" : undefined;
 * console.log(normalizeEvent({ type: "llm.token", runId: "r1", requestId: "q1", delta: "Hi" }, messageOf));
 * // [{ type: "text.delta", runId: "r1", messageId: "m1", delta: "Hi" }]
 * console.log(normalizeEvent({ type: "llm.tool-call", requestId: "q1", toolCallId: "c1", toolName: "f", input: { a: 1 } }, messageOf).map((e) => e.type));
 * // ["tool.start", "tool.delta", "tool.end"]
 * ```
 */
export function normalizeEvent(
  event: StandardEvent,
  requestMessageId: RequestMessageId,
): StandardEvent[];
/**
 * The core events an envelope stands for; see the overload above.
 *
 * @example
 * ```ts
 * import type { Envelope } from "@agent-stream/agent-stream/protocol";
 * import { normalizeEvent } from "@agent-stream/agent-stream/vocabulary";
 * const event: Envelope = { type: "com.example.note", text: "kept as it is" };
 * console.log(normalizeEvent(event, () => undefined)); // [event]
 * ```
 */
export function normalizeEvent(event: Envelope, requestMessageId: RequestMessageId): Envelope[];
export function normalizeEvent(
  event: Envelope | StandardEvent,
  requestMessageId: RequestMessageId,
): (Envelope | StandardEvent)[] {
  const llm = llmEvent(event);
  if (llm === undefined) return [event];
  const envelope = envelopeOf(llm);
  const core = (events: StandardEvent[]): StandardEvent[] =>
    events.map((e, i) => {
      // `type` first, then the envelope members, then the type's own.
      const head = { type: e.type, ...envelope, ...(i === 0 ? {} : { id: undefined }) };
      return omitUndefined(Object.assign(head, e));
    });
  switch (llm.type) {
    case "llm.started":
      return core([{
        type: "text.start",
        messageId: llm.messageId ?? llm.requestId,
        role: "assistant",
      }]);
    case "llm.tool-result":
      return core([{
        type: "tool.result",
        toolCallId: llm.toolCallId,
        output: llm.output,
        error: llm.error,
      }]);
    case "llm.usage": {
      const usage: Usage = {};
      for (const name of USAGE_MEMBERS) {
        if (llm[name] !== undefined) (usage as Record<string, unknown>)[name] = llm[name];
      }
      return core([{ type: "usage.reported", ...usage }]);
    }
  }
  const messageId = requestMessageId(llm.requestId);
  if (messageId === undefined) return [];
  switch (llm.type) {
    case "llm.token":
      return core([{ type: "text.delta", messageId, delta: llm.delta }]);
    case "llm.tool-call":
      return core([
        {
          type: "tool.start",
          toolCallId: llm.toolCallId,
          toolName: llm.toolName,
          parentMessageId: messageId,
        },
        { type: "tool.delta", toolCallId: llm.toolCallId, delta: JSON.stringify(llm.input) },
        { type: "tool.end", toolCallId: llm.toolCallId, input: llm.input },
      ]);
    default:
      return core([{ type: "text.end", messageId }]);
  }
}

/**
 * Normalises a whole list of events with {@linkcode normalizeEvent}, taking
 * the message id of each request from its `llm.started` in the list (the
 * first, if a request starts twice).
 *
 * @example
 * ```ts
 * import { normalizeEvents } from "@agent-stream/agent-stream/vocabulary";
 * const core = normalizeEvents([
 *   { type: "llm.started", requestId: "q1", model: "small" },
 *   { type: "llm.token", requestId: "q1", delta: "Hi" },
 *   { type: "llm.completed", requestId: "q1" },
 * ]);
 * console.log(core.map((e) => e.type)); // ["text.start", "text.delta", "text.end"]
 * ```
 */
export function normalizeEvents(events: Iterable<Envelope | StandardEvent>): Envelope[] {
  const started = new Map<string, string>();
  const out: Envelope[] = [];
  for (const event of events) {
    const llm = llmEvent(event);
    if (llm?.type === "llm.started" && !started.has(llm.requestId)) {
      started.set(llm.requestId, llm.messageId ?? llm.requestId);
    }
    out.push(...normalizeEvent(event as Envelope, (id) => started.get(id)));
  }
  return out;
}

type LlmEvent = Extract<StandardEvent, { type: `llm.${string}` }>;

function llmEvent(event: unknown): LlmEvent | undefined {
  if (!isJsonObject(event) || typeof event.type !== "string" || !event.type.startsWith("llm.")) {
    return undefined;
  }
  const definition = definitionOf(event.type);
  return definition !== undefined && v.is(definition.schema, event) ? event as LlmEvent : undefined;
}

function envelopeOf(event: LlmEvent): Pick<Envelope, "id" | "time" | "runId" | "meta"> {
  return { id: event.id, time: event.time, runId: event.runId, meta: event.meta };
}

// Absent members are absent, not `undefined`.
function omitUndefined<T extends object>(event: T): T {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as T;
}
