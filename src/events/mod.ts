/**
 * Typed events: define event types with valibot schemas, then encode and
 * decode messages of an agent stream through a registry, with every type
 * the registry does not know passed through untouched
 * (spec/v1/envelope.md §3).
 *
 * This module holds the machinery only; the vocabulary of the spec (runs,
 * text, tools, …) is defined elsewhere with it.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineEvent, EventRegistry } from "@agent-stream/agent-stream/events";
 *
 * const Added = defineEvent("com.example.counter.added", { amount: v.number() });
 * const Reset = defineEvent("com.example.counter.reset", {});
 * const registry = new EventRegistry([Added, Reset]);
 *
 * let count = 0;
 * for (const text of ['{"type":"com.example.counter.added","amount":2}', '{"type":"com.other.x"}']) {
 *   const decoded = registry.decode(new TextEncoder().encode(text));
 *   if (!decoded.known) continue;
 *   switch (decoded.event.type) {
 *     case "com.example.counter.added":
 *       count += decoded.event.amount;
 *       break;
 *     case "com.example.counter.reset":
 *       count = 0;
 *       break;
 *   }
 * }
 * console.log(count); // 2
 * ```
 *
 * @module
 */

export * from "./define_event.ts";
export * from "./is_event.ts";
export * from "./event_registry.ts";
export * from "./event_validation_error.ts";
