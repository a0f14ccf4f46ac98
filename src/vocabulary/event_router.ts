// Routes the events of an agent stream to typed handlers: vocabulary events
// by type, custom events by name, other types to one handler.
import type * as v from "valibot";
import type { Envelope } from "../protocol/envelope.ts";
import { validate } from "../protocol/validate.ts";
import { EventValidationError } from "../events/mod.ts";
import type { CustomEventEvent } from "./custom.ts";
import { type StandardEvent, standardEvents, type StandardEventType } from "./standard_events.ts";
import {
  checkEvent,
  checkHandler,
  customKey,
  DEFINITIONS,
  type Entry,
  isPromise,
  merge,
  once,
  standardKey,
  UNKNOWN,
} from "./_event_router_entries.ts";

/**
 * The event of one vocabulary type.
 *
 * @example
 * ```ts
 * import type { StandardEventOf } from "@agent-stream/agent-stream/vocabulary";
 * const delta: StandardEventOf<"text.delta"> = { type: "text.delta", messageId: "m1", delta: "Hi" };
 * ```
 */
export type StandardEventOf<T extends StandardEventType> = Extract<StandardEvent, { type: T }>;

/**
 * The names of custom events a router knows, from its type parameter.
 *
 * @example
 * ```ts
 * import type { CustomEventName } from "@agent-stream/agent-stream/vocabulary";
 * const name: CustomEventName<{ "weather-card": { city: string } }> = "weather-card";
 * ```
 */
export type CustomEventName<TCustom> = keyof TCustom & string;

/**
 * A `custom.event` of one name, its value typed as the router's type
 * parameter says.
 *
 * @example
 * ```ts
 * import type { CustomEventOf } from "@agent-stream/agent-stream/vocabulary";
 * type Cards = { "weather-card": { city: string; celsius: number } };
 * const event: CustomEventOf<Cards, "weather-card"> = {
 *   type: "custom.event",
 *   name: "weather-card",
 *   value: { city: "Oslo", celsius: 4 },
 * };
 * ```
 */
export type CustomEventOf<TCustom, N extends CustomEventName<TCustom>> =
  & Omit<CustomEventEvent, "name" | "value">
  & { name: N; value: TCustom[N] };

/**
 * A handler of one vocabulary type. A returned promise is not awaited.
 *
 * @example
 * ```ts
 * import type { StandardEventHandler } from "@agent-stream/agent-stream/vocabulary";
 * const print: StandardEventHandler<"text.delta"> = (event) => console.log(event.delta);
 * ```
 */
export type StandardEventHandler<T extends StandardEventType> = (
  event: StandardEventOf<T>,
) => void | Promise<void>;

/**
 * A handler of the custom events of one name: the value first, then the event.
 *
 * @example
 * ```ts
 * import type { CustomEventHandler } from "@agent-stream/agent-stream/vocabulary";
 * type Cards = { "weather-card": { city: string; celsius: number } };
 * const show: CustomEventHandler<Cards, "weather-card"> = (card) => console.log(card.city);
 * ```
 */
export type CustomEventHandler<TCustom, N extends CustomEventName<TCustom>> = (
  value: TCustom[N],
  event: CustomEventOf<TCustom, N>,
) => void | Promise<void>;

/**
 * A handler of events whose type the vocabulary does not define.
 *
 * @example
 * ```ts
 * import type { UnknownEventHandler } from "@agent-stream/agent-stream/vocabulary";
 * const skip: UnknownEventHandler = (event) => console.log("skipped", event.type);
 * ```
 */
export type UnknownEventHandler = (event: Envelope) => void | Promise<void>;

/**
 * Handlers to register at once: by vocabulary type, by custom event name,
 * and for types outside the vocabulary.
 *
 * @example
 * ```ts
 * import type { EventRoutes } from "@agent-stream/agent-stream/vocabulary";
 * const routes: EventRoutes<{ "weather-card": { city: string } }> = {
 *   standard: { "run.finished": (event) => console.log(event.outcome) },
 *   custom: { "weather-card": (card) => console.log(card.city) },
 *   unknown: (event) => console.log(event.type),
 * };
 * ```
 */
export interface EventRoutes<TCustom> {
  /** Handlers by vocabulary type; a `custom.event` handler sees every custom event. */
  readonly standard?: { readonly [T in StandardEventType]?: StandardEventHandler<T> };
  /** Handlers of custom events by name. */
  readonly custom?: { readonly [N in CustomEventName<TCustom>]?: CustomEventHandler<TCustom, N> };
  /** The handler of events of types outside the vocabulary. */
  readonly unknown?: UnknownEventHandler;
}

/**
 * Options of an {@linkcode EventRouter}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import type { EventRouterOptions } from "@agent-stream/agent-stream/vocabulary";
 * type Cards = { "weather-card": { city: string; celsius: number } };
 * const options: EventRouterOptions<Cards> = {
 *   customSchemas: { "weather-card": v.object({ city: v.string(), celsius: v.number() }) },
 *   onError: (error, event) => console.error(event.type, error),
 *   onInvalid: (error) => console.warn(error.message),
 * };
 * ```
 */
export interface EventRouterOptions<TCustom> {
  /**
   * Receives each error a handler throws (or an async handler rejects
   * with), once the other handlers of the event have run. Without it,
   * `dispatch` throws an `AggregateError` of the errors instead.
   */
  readonly onError?: (error: unknown, event: Envelope) => void;
  /** Receives each input that is not routed because it is invalid. */
  readonly onInvalid?: (error: EventValidationError, input: unknown) => void;
  /**
   * Schemas of custom values by name. A custom event whose value fails its
   * name's schema is invalid; without a schema, values are not checked.
   */
  readonly customSchemas?: {
    readonly [N in CustomEventName<TCustom>]?: v.GenericSchema<unknown, TCustom[N]>;
  };
}

/**
 * What {@linkcode EventRouter.dispatch} did: routed the event (how, and to
 * how many handlers), or refused it as invalid.
 *
 * @example
 * ```ts
 * import type { DispatchResult } from "@agent-stream/agent-stream/vocabulary";
 * const describe = (result: DispatchResult) =>
 *   result.status === "routed" ? `${result.route}: ${result.handlers}` : result.error.message;
 * ```
 */
export type DispatchResult =
  | {
    readonly status: "routed";
    /** `standard`, `custom` (a `custom.event`), or `unknown` (a type outside the vocabulary). */
    readonly route: "standard" | "custom" | "unknown";
    /** How many handlers were called. */
    readonly handlers: number;
  }
  | { readonly status: "invalid"; readonly error: EventValidationError };

/**
 * A function that removes a registration; calling it again does nothing.
 *
 * @example
 * ```ts
 * import type { Unsubscribe } from "@agent-stream/agent-stream/vocabulary";
 * const stop: Unsubscribe = () => {};
 * stop();
 * ```
 */
export type Unsubscribe = () => void;

const textEncoder = new TextEncoder();

/**
 * Calls typed handlers for the events of an agent stream. Vocabulary events
 * are validated and go to the handlers of their type; a `custom.event`
 * also goes to the handlers of its name, with its value typed by
 * `TCustom`; events of other types go to the `unknown` handlers; invalid
 * input goes nowhere but to `onInvalid`.
 *
 * Handlers run in the order they were registered, each registration once.
 * An event reaches exactly the handlers registered when its dispatch
 * begins. A handler that throws does not stop the others; its error goes
 * to `onError`, or, without one, `dispatch` throws an `AggregateError` of
 * every such error after the last handler.
 *
 * @example
 * ```ts
 * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
 *
 * const router = new EventRouter<{ "weather-card": { city: string; celsius: number } }>();
 * let text = "";
 * const stop = router.register({
 *   standard: {
 *     "text.delta": (event) => { text += event.delta; },
 *     "run.finished": (event) => console.log(event.outcome, text),
 *   },
 *   custom: { "weather-card": (card) => console.log(`${card.city}: ${card.celsius} °C`) },
 * });
 * router.dispatch({ type: "text.delta", messageId: "m1", delta: "Hello" });
 * router.dispatch({ type: "custom.event", name: "weather-card", value: { city: "Oslo", celsius: 4 } });
 * router.dispatch({ type: "run.finished", runId: "r1", outcome: "success" });
 * stop();
 * ```
 */
export class EventRouter<TCustom extends object = Record<string, unknown>> {
  readonly #routes = new Map<string, Entry[]>();
  readonly #options: EventRouterOptions<TCustom>;
  #order = 0;

  /** Creates a router with no handlers. */
  constructor(options: EventRouterOptions<TCustom> = {}) {
    this.#options = options;
  }

  /**
   * Registers handlers by type, by custom name and for unknown types.
   * Returns a function that removes all of them.
   *
   * @throws {TypeError} for a type outside the vocabulary or a handler that is not a function.
   *
   * @example
   * ```ts
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   * const router = new EventRouter();
   * const stop = router.register({ standard: { "run.started": (event) => console.log(event.runId) } });
   * stop();
   * ```
   */
  register(routes: EventRoutes<TCustom>): Unsubscribe {
    const added: [string, Entry][] = [];
    const add = (key: string, call: (event: Envelope) => unknown) => {
      const entry = { order: this.#order++, call };
      added.push([key, entry]);
    };
    for (const [type, handler] of Object.entries(routes.standard ?? {})) {
      add(standardKey(type), checkHandler(handler, type) as (event: Envelope) => unknown);
    }
    for (const [name, handler] of Object.entries(routes.custom ?? {})) {
      const call = checkHandler(handler, name) as (value: unknown, event: Envelope) => unknown;
      add(customKey(name), (event) => call(event.value, event));
    }
    if (routes.unknown !== undefined) add(UNKNOWN, checkHandler(routes.unknown, "unknown"));
    for (const [key, entry] of added) this.#list(key).push(entry);
    return once(() => {
      for (const [key, entry] of added) this.#remove(key, entry);
    });
  }

  /**
   * Registers a handler of one vocabulary type; returns its unsubscribe function.
   *
   * @throws {TypeError} for a type outside the vocabulary or a handler that is not a function.
   *
   * @example
   * ```ts
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   * const router = new EventRouter();
   * const stop = router.on("tool.result", (event) => console.log(event.toolCallId, event.output));
   * stop();
   * ```
   */
  on<T extends StandardEventType>(type: T, handler: StandardEventHandler<T>): Unsubscribe {
    const standard = { [type]: handler } as EventRoutes<TCustom>["standard"];
    return this.register({ standard });
  }

  /**
   * Registers a handler of the custom events of one name; returns its
   * unsubscribe function.
   *
   * @throws {TypeError} for a handler that is not a function.
   *
   * @example
   * ```ts
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   * const router = new EventRouter<{ progress: { done: number } }>();
   * const stop = router.onCustom("progress", (value) => console.log(value.done));
   * stop();
   * ```
   */
  onCustom<N extends CustomEventName<TCustom>>(
    name: N,
    handler: CustomEventHandler<TCustom, N>,
  ): Unsubscribe {
    const custom = { [name]: handler } as unknown as EventRoutes<TCustom>["custom"];
    return this.register({ custom });
  }

  /**
   * Registers a handler of events of types outside the vocabulary; returns
   * its unsubscribe function.
   *
   * @example
   * ```ts
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   * const router = new EventRouter();
   * router.onUnknown((event) => console.log("no handler for", event.type));
   * router.dispatch({ type: "com.example.widget.updated" });
   * ```
   */
  onUnknown(handler: UnknownEventHandler): Unsubscribe {
    return this.register({ unknown: handler });
  }

  /**
   * Validates an event (a parsed JSON value) and calls its handlers.
   *
   * @throws {AggregateError} of the handlers' errors, when handlers threw and there is no `onError`.
   *
   * @example
   * ```ts
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   * const router = new EventRouter();
   * router.on("text.delta", (event) => console.log(event.delta));
   * console.log(router.dispatch({ type: "text.delta", messageId: "m1", delta: "Hi" }));
   * // { status: "routed", route: "standard", handlers: 1 }
   * console.log(router.dispatch({ type: "text.delta" }).status); // "invalid"
   * ```
   */
  dispatch(event: unknown): DispatchResult {
    let checked: Envelope;
    try {
      checked = checkEvent(event);
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      return this.#invalid(error, event);
    }
    return this.#route(checked, event);
  }

  /**
   * Decodes one message (UTF-8 JSON text, as stored) and dispatches it.
   *
   * @throws {AggregateError} of the handlers' errors, when handlers threw and there is no `onError`.
   *
   * @example
   * ```ts
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   * const router = new EventRouter();
   * router.on("run.started", (event) => console.log(event.runId));
   * router.dispatchJson('{"type":"run.started","runId":"r1"}');
   * ```
   */
  dispatchJson(message: string | Uint8Array): DispatchResult {
    const bytes = typeof message === "string" ? textEncoder.encode(message) : message;
    let event: Envelope;
    try {
      event = standardEvents.decode(bytes).event as Envelope;
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      return this.#invalid(error, message);
    }
    return this.#route(event, message);
  }

  /**
   * Dispatches every event of a read (what `StreamClient.read` yields: each
   * with its stored JSON text, `raw`), in order, until the read ends. When
   * handlers throw and there is no `onError`, the read is cancelled and the
   * promise rejects with the `AggregateError`.
   *
   * @example
   * ```ts ignore
   * import { StreamClient } from "@agent-stream/agent-stream/client";
   * import { EventRouter } from "@agent-stream/agent-stream/vocabulary";
   *
   * const router = new EventRouter();
   * router.on("text.delta", (event) => console.log(event.delta));
   * const client = new StreamClient({ baseUrl: "http://localhost:8787" });
   * await router.dispatchAll(client.read("chats/42", { live: "sse" }));
   * ```
   */
  async dispatchAll(
    events: AsyncIterable<{ readonly raw: string }> | Iterable<{ readonly raw: string }>,
  ): Promise<void> {
    for await (const event of events) this.dispatchJson(event.raw);
  }

  #route(event: Envelope, input: unknown): DispatchResult {
    const options = this.#options;
    const known = DEFINITIONS.has(event.type);
    const custom = known && event.type === "custom.event";
    if (custom) {
      const schema = options.customSchemas?.[event.name as CustomEventName<TCustom>];
      const result = schema === undefined ? undefined : validate(schema, event.value);
      if (result !== undefined && !result.ok) {
        const errors = result.errors.map((e) => ({ ...e, path: `/value${e.path}` }));
        const message = `Cannot route custom event ${JSON.stringify(event.name)}`;
        return this.#invalid(new EventValidationError(message, errors), input);
      }
    }
    const entries = !known
      ? [...this.#list(UNKNOWN)]
      : custom
      ? merge(this.#list(standardKey(event.type)), this.#list(customKey(event.name as string)))
      : [...this.#list(standardKey(event.type))];
    const errors: unknown[] = [];
    for (const entry of entries) {
      try {
        const result = entry.call(event);
        if (options.onError !== undefined && isPromise(result)) {
          const onError = options.onError;
          result.then(undefined, (error) => onError(error, event));
        }
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      if (options.onError === undefined) {
        throw new AggregateError(errors, `${errors.length} handler(s) of "${event.type}" threw`);
      }
      for (const error of errors) options.onError(error, event);
    }
    const route = !known ? "unknown" : custom ? "custom" : "standard";
    return { status: "routed", route, handlers: entries.length };
  }

  #invalid(error: EventValidationError, input: unknown): DispatchResult {
    this.#options.onInvalid?.(error, input);
    return { status: "invalid", error };
  }

  #list(key: string): Entry[] {
    let list = this.#routes.get(key);
    if (list === undefined) this.#routes.set(key, list = []);
    return list;
  }

  #remove(key: string, entry: Entry): void {
    const list = this.#routes.get(key);
    const at = list?.indexOf(entry) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }
}
