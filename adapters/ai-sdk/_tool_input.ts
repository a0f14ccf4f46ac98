// The input a tool call shows in the client (spec/v1/view-ai-sdk.md §4.2).

import { parseJson } from "./_stream_book.ts";

/** The arguments of a call that never completed: they are not JSON text. */
export const INCOMPLETE: unique symbol = Symbol("incomplete");

/**
 * A call's input as the view sends it: the `input` it has, else the value of
 * its arguments, else null when it has none; `INCOMPLETE` when its arguments
 * are not JSON text.
 */
export function effectiveInput(input: unknown, args: string): unknown {
  if (input !== undefined) return input;
  if (args === "") return null;
  const parsed = parseJson(args);
  return parsed.ok ? parsed.value : INCOMPLETE;
}
