import { type Envelope, EnvelopeSchema } from "../protocol/envelope.ts";
import { validate, type ValidationError } from "../protocol/validate.ts";
import type { EventDefinition, InferEvent } from "./define_event.ts";
import { EventValidationError } from "./event_validation_error.ts";
import { FIELDS_SCHEMAS } from "./_fields_schemas.ts";
import { jsonIssues } from "./_json_issues.ts";

/**
 * A decoded event whose type the registry defines: validated and typed.
 * `bytes` are the message as stored; forward those to keep members this
 * version does not know, and number literals JSON.parse would round,
 * unchanged.
 *
 * @example
 * ```ts
 * import type { KnownEvent } from "@agent-stream/agent-stream/events";
 * type Added = { type: "com.example.counter.added"; amount: number };
 * function amount(decoded: KnownEvent<Added>): number {
 *   return decoded.event.amount;
 * }
 * ```
 */
export interface KnownEvent<TEvent> {
  /** Discriminates known from unknown events. */
  readonly known: true;
  /** The parsed event, exactly as written (members the definition does not name included). */
  readonly event: TEvent;
  /** The bytes the event was decoded from. */
  readonly bytes: Uint8Array;
}

/**
 * A decoded event of a type the registry does not define: a valid envelope,
 * otherwise untouched. Consumers skip it or pass it on (spec/v1/envelope.md
 * §3); `bytes` are the message as stored, for passing it on byte for byte.
 *
 * @example
 * ```ts
 * import type { UnknownEvent } from "@agent-stream/agent-stream/events";
 * function describe(decoded: UnknownEvent): string {
 *   return `skipped ${decoded.event.type} (${decoded.bytes.length} bytes)`;
 * }
 * ```
 */
export interface UnknownEvent {
  /** Discriminates known from unknown events. */
  readonly known: false;
  /** The parsed envelope. */
  readonly event: Envelope;
  /** The bytes the event was decoded from. */
  readonly bytes: Uint8Array;
}

/**
 * What {@linkcode EventRegistry.decode} returns. Check `known`, then
 * `switch (decoded.event.type)` narrows the event to one definition.
 *
 * @example
 * ```ts
 * import type { DecodedEvent } from "@agent-stream/agent-stream/events";
 * type Added = { type: "com.example.counter.added"; amount: number };
 * type Reset = { type: "com.example.counter.reset" };
 * function apply(count: number, decoded: DecodedEvent<Added | Reset>): number {
 *   if (!decoded.known) return count;
 *   switch (decoded.event.type) {
 *     case "com.example.counter.added":
 *       return count + decoded.event.amount;
 *     case "com.example.counter.reset":
 *       return 0;
 *   }
 * }
 * ```
 */
export type DecodedEvent<TEvent> = KnownEvent<TEvent> | UnknownEvent;

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * A set of event definitions that encodes typed events to message bytes and
 * decodes message bytes to typed events. Types it does not define pass
 * through untouched: they decode as {@linkcode UnknownEvent}, and encoding
 * a decoded event returns the bytes it came from.
 *
 * A registry is a decoder for a `Projector` (`decode: registry`), so
 * reducers receive {@linkcode DecodedEvent}s.
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
 * const bytes = registry.encode({ type: "com.example.counter.added", amount: 2 });
 * const decoded = registry.decode(bytes);
 * if (decoded.known && decoded.event.type === "com.example.counter.added") {
 *   console.log(decoded.event.amount); // 2
 * }
 * ```
 */
export class EventRegistry<TDefinition extends EventDefinition> {
  /** The definitions, in the order given. */
  readonly definitions: readonly TDefinition[];
  readonly #byType: ReadonlyMap<string, TDefinition>;

  /**
   * Creates a registry of the given definitions.
   *
   * @throws {TypeError} when two definitions share a type.
   */
  constructor(definitions: readonly TDefinition[]) {
    const byType = new Map<string, TDefinition>();
    for (const definition of definitions) {
      if (byType.has(definition.type)) {
        throw new TypeError(`Event type "${definition.type}" is defined twice`);
      }
      byType.set(definition.type, definition);
    }
    this.definitions = Object.freeze([...definitions]);
    this.#byType = byType;
  }

  /**
   * Whether the registry defines `type`.
   *
   * @example
   * ```ts
   * import * as v from "valibot";
   * import { defineEvent, EventRegistry } from "@agent-stream/agent-stream/events";
   * const registry = new EventRegistry([defineEvent("com.example.ping.sent", {})]);
   * console.log(registry.has("com.example.ping.sent"), registry.has("text.delta")); // true false
   * ```
   */
  has(type: string): boolean {
    return this.#byType.has(type);
  }

  /**
   * Encodes an event as compact JSON text. A new event is validated against
   * the envelope and its type's definition first; a decoded event (known or
   * not) encodes as the bytes it was decoded from, unchanged.
   *
   * @throws {EventValidationError} listing every violation by JSON Pointer,
   * when the type is not registered, the event is invalid, or a value has no
   * exact JSON form (`Infinity`, `undefined` in an array, a `Date`, a cycle).
   *
   * @example
   * ```ts
   * import * as v from "valibot";
   * import { defineEvent, EventRegistry } from "@agent-stream/agent-stream/events";
   * const registry = new EventRegistry([
   *   defineEvent("com.example.counter.added", { amount: v.number() }),
   * ]);
   * const bytes = registry.encode({ type: "com.example.counter.added", amount: 1, runId: "r1" });
   * console.log(new TextDecoder().decode(bytes));
   * // {"type":"com.example.counter.added","amount":1,"runId":"r1"}
   * ```
   */
  encode(event: InferEvent<TDefinition>): Uint8Array;
  /**
   * Encodes a decoded event: the bytes it was decoded from.
   *
   * @example
   * ```ts
   * import { EventRegistry } from "@agent-stream/agent-stream/events";
   * const registry = new EventRegistry([]);
   * const original = new TextEncoder().encode('{"type":"com.other.thing","n":12345678901234567890}');
   * console.log(registry.encode(registry.decode(original)) === original); // true
   * ```
   */
  encode(decoded: DecodedEvent<InferEvent<TDefinition>>): Uint8Array;
  encode(value: InferEvent<TDefinition> | DecodedEvent<InferEvent<TDefinition>>): Uint8Array {
    if (isDecodedEvent(value)) return value.bytes;
    const event: unknown = value;
    const type = typeof event === "object" && event !== null && "type" in event
      ? event.type
      : undefined;
    const definition = typeof type === "string" ? this.#byType.get(type) : undefined;
    if (definition === undefined) {
      throw new EventValidationError("Cannot encode event", [{
        path: typeof type === "string" ? "/type" : "",
        message: typeof type === "string"
          ? `Event type ${JSON.stringify(type)} is not registered`
          : "Expected an event with a string type",
      }]);
    }
    const violations = check(definition, event);
    const errors = violations.length === 0 ? jsonIssues(event) : violations;
    if (errors.length > 0) {
      throw new EventValidationError(`Cannot encode event of type "${definition.type}"`, errors);
    }
    return utf8Encoder.encode(JSON.stringify(event));
  }

  /**
   * Decodes one message. An event of a registered type is validated against
   * its definition and comes back typed; any other valid envelope comes back
   * as an {@linkcode UnknownEvent}, untouched.
   *
   * @throws {EventValidationError} when the bytes are not UTF-8 JSON, not an
   * envelope, or an invalid event of a registered type. Unknown types never
   * throw.
   *
   * @example
   * ```ts
   * import * as v from "valibot";
   * import { defineEvent, EventRegistry } from "@agent-stream/agent-stream/events";
   * const registry = new EventRegistry([
   *   defineEvent("com.example.counter.added", { amount: v.number() }),
   * ]);
   * const decoded = registry.decode(new TextEncoder().encode('{"type":"com.other.thing"}'));
   * console.log(decoded.known, decoded.event.type); // false "com.other.thing"
   * ```
   */
  decode(bytes: Uint8Array): DecodedEvent<InferEvent<TDefinition>> {
    const value = parse(bytes);
    const envelope = validate(EnvelopeSchema, value);
    if (!envelope.ok) {
      throw new EventValidationError("Cannot decode event: not an envelope", envelope.errors);
    }
    const definition = this.#byType.get(envelope.value.type);
    if (definition === undefined) return { known: false, event: envelope.value, bytes };
    const errors = check(definition, value);
    if (errors.length > 0) {
      throw new EventValidationError(`Cannot decode event of type "${definition.type}"`, errors);
    }
    return { known: true, event: value as InferEvent<TDefinition>, bytes };
  }
}

// Envelope and field violations together, so one error lists them all.
function check(definition: EventDefinition, value: unknown): ValidationError[] {
  const fields = FIELDS_SCHEMAS.get(definition);
  if (fields === undefined) {
    const result = validate(definition.schema, value);
    return result.ok ? [] : result.errors;
  }
  const envelope = validate(EnvelopeSchema, value);
  if (!envelope.ok && envelope.errors.some((error) => error.path === "")) return envelope.errors;
  const own = validate(fields, value);
  return [...(envelope.ok ? [] : envelope.errors), ...(own.ok ? [] : own.errors)];
}

function parse(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    throw new EventValidationError("Cannot decode event", [
      { path: "", message: "Expected UTF-8 text" },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventValidationError("Cannot decode event", [
      { path: "", message: `Expected JSON text: ${(error as Error).message}` },
    ]);
  }
}

// An envelope always has `type`; a decoded event never does.
function isDecodedEvent(value: unknown): value is DecodedEvent<unknown> {
  return typeof value === "object" && value !== null && !("type" in value) &&
    "bytes" in value && value.bytes instanceof Uint8Array &&
    "known" in value && typeof value.known === "boolean";
}
