import type { ValidationError } from "../protocol/validate.ts";

// Enough to locate the problem in a log line; the full list is on `errors`.
const ERRORS_IN_MESSAGE = 5;

/**
 * An event an {@linkcode EventRegistry} refused to encode or decode. `errors`
 * lists every violation with a JSON Pointer into the event (`""` is the whole
 * event), in the shape of a problem's `errors` (spec/v1/errors.md).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { defineEvent, EventRegistry, EventValidationError } from "@agent-stream/agent-stream/events";
 * const Added = defineEvent("com.example.counter.added", { amount: v.number() });
 * const registry = new EventRegistry([Added]);
 * try {
 *   registry.decode(new TextEncoder().encode('{"type":"com.example.counter.added","amount":"2"}'));
 * } catch (error) {
 *   if (error instanceof EventValidationError) console.log(error.errors[0].path); // "/amount"
 * }
 * ```
 */
export class EventValidationError extends Error {
  /** Every violation found, each with a JSON Pointer `path` and a `message`. */
  readonly errors: readonly ValidationError[];

  /** Creates an error whose message summarises `errors` after `summary`. */
  constructor(summary: string, errors: readonly ValidationError[]) {
    const listed = errors.slice(0, ERRORS_IN_MESSAGE)
      .map((error) => `${error.path === "" ? "(event)" : error.path}: ${error.message}`);
    if (errors.length > ERRORS_IN_MESSAGE) {
      listed.push(`and ${errors.length - ERRORS_IN_MESSAGE} more`);
    }
    super(listed.length === 0 ? summary : `${summary}: ${listed.join("; ")}`);
    this.name = "EventValidationError";
    this.errors = errors;
  }
}
