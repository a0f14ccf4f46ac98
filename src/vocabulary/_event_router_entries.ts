// The bookkeeping of EventRouter: keys, entries in registration order, and
// the validation of dispatched values.
import { type Envelope, EnvelopeSchema } from "../protocol/envelope.ts";
import { validate } from "../protocol/validate.ts";
import { EventValidationError } from "../events/mod.ts";
import { STANDARD_EVENT_DEFINITIONS } from "./standard_events.ts";

/** One registered handler, called with the event. */
export interface Entry {
  readonly order: number;
  readonly call: (event: Envelope) => unknown;
}

/** The definitions by type. */
export const DEFINITIONS: ReadonlyMap<string, (typeof STANDARD_EVENT_DEFINITIONS)[number]> =
  new Map(
    STANDARD_EVENT_DEFINITIONS.map((d) => [d.type as string, d]),
  );

/** The key of the handlers of unknown types (no type or name can equal it). */
export const UNKNOWN = "\u0000unknown";

export function standardKey(type: string): string {
  if (!DEFINITIONS.has(type)) {
    throw new TypeError(
      `${JSON.stringify(type)} is not an event type of the vocabulary; use an unknown handler`,
    );
  }
  return `type:${type}`;
}

export const customKey = (name: string): string => `custom:${name}`;

export function checkHandler<F>(handler: F, name: string): F {
  if (typeof handler !== "function") {
    throw new TypeError(`The handler of ${JSON.stringify(name)} is not a function`);
  }
  return handler;
}

export function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}

// Both lists are in registration order; so is the result.
export function merge(a: readonly Entry[], b: readonly Entry[]): Entry[] {
  const merged: Entry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].order < b[j].order)) merged.push(a[i++]);
    else merged.push(b[j++]);
  }
  return merged;
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

// The envelope, then the type's schema; never throws anything but EventValidationError.
export function checkEvent(value: unknown): Envelope {
  let failure: EventValidationError;
  try {
    const envelope = validate(EnvelopeSchema, value);
    if (!envelope.ok) {
      failure = new EventValidationError("Cannot route event: not an envelope", envelope.errors);
    } else {
      const definition = DEFINITIONS.get(envelope.value.type);
      if (definition === undefined) return envelope.value;
      const result = validate(definition.schema, value);
      if (result.ok) return envelope.value;
      failure = new EventValidationError(
        `Cannot route event of type "${definition.type}"`,
        result.errors,
      );
    }
  } catch (error) {
    failure = new EventValidationError("Cannot route event", [
      { path: "", message: `Cannot read the value: ${(error as Error)?.message ?? error}` },
    ]);
  }
  throw failure;
}
