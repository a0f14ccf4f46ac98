/**
 * Event type patterns for typed handlers: `"text.delta"` names one type,
 * `"text.*"` every type below a namespace, `"*"` every typed message.
 *
 * @module
 */

/**
 * A message that carries an event `type`, as every envelope does
 * (envelope.md §1).
 *
 * @example
 * ```ts
 * import type { TypedMessage } from "@agent-stream/agent-stream/client";
 * const message: TypedMessage = { type: "text.delta", delta: "Hel" };
 * ```
 */
export interface TypedMessage {
  /** The event type, a dotted name. */
  readonly type: string;
  /** The type's own members. */
  readonly [member: string]: unknown;
}

/**
 * The messages of `M` that pattern `P` selects: with a union of event types
 * the handler gets exactly the members that match; with a wide type (such as
 * `unknown` or an envelope whose `type` is any string) it gets
 * {@linkcode TypedMessage} or that wide type.
 *
 * @example
 * ```ts
 * import type { MatchingMessage } from "@agent-stream/agent-stream/client";
 * type Events =
 *   | { type: "text.delta"; delta: string }
 *   | { type: "text.done" }
 *   | { type: "tool.call"; name: string };
 * type TextEvents = MatchingMessage<Events, "text.*">; // the two text events
 * const delta: MatchingMessage<Events, "text.delta"> = { type: "text.delta", delta: "x" };
 * ```
 */
export type MatchingMessage<M, P extends string> = (
  P extends "*" ? Extract<M, { type: string }>
    : P extends `${infer Prefix}.*` ? Extract<M, { type: `${Prefix}.${string}` }>
    : Extract<M, { type: P }>
) extends infer Narrowed
  ? [Narrowed] extends [never]
    ? [Extract<M, { type: string }>] extends [never] ? TypedMessage : Extract<M, { type: string }>
  : Narrowed
  : never;

/**
 * A compiled pattern: whether a message's `type` matches.
 *
 * @example
 * ```ts
 * import { compileTypePattern } from "@agent-stream/agent-stream/client";
 * const textEvents = compileTypePattern("text.*");
 * textEvents("text.delta"); // true
 * textEvents("texts.delta"); // false
 * ```
 */
export type TypeMatcher = (type: string) => boolean;

/**
 * Compiles a pattern: `"*"` matches every type; `"a.b.*"` every type that
 * starts with `a.b.` (one or more further segments); anything else matches
 * that type exactly. A `*` anywhere else is refused, so that a typo never
 * silently matches nothing.
 *
 * @throws {TypeError} If `*` appears other than alone or as the last segment.
 *
 * @example
 * ```ts
 * import { compileTypePattern } from "@agent-stream/agent-stream/client";
 * compileTypePattern("*")("run.started"); // true
 * compileTypePattern("run.started")("run.started"); // true
 * ```
 */
export function compileTypePattern(pattern: string): TypeMatcher {
  if (pattern === "*") return () => true;
  if (pattern.endsWith(".*")) {
    const prefix = pattern.slice(0, -1);
    if (prefix.length < 2 || prefix.slice(0, -1).includes("*")) {
      throw new TypeError(`Invalid type pattern ${JSON.stringify(pattern)}`);
    }
    return (type) => type.length > prefix.length && type.startsWith(prefix);
  }
  if (pattern.includes("*") || pattern === "") {
    throw new TypeError(
      `Invalid type pattern ${JSON.stringify(pattern)}: "*" may only stand alone or last`,
    );
  }
  return (type) => type === pattern;
}

/**
 * The `type` of a message, when it is an object with a string `type`.
 *
 * @example
 * ```ts
 * import { messageType } from "@agent-stream/agent-stream/client";
 * messageType({ type: "run.started" }); // "run.started"
 * messageType([1, 2]); // undefined
 * ```
 */
export function messageType(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
  const type = (message as { type?: unknown }).type;
  return typeof type === "string" ? type : undefined;
}
