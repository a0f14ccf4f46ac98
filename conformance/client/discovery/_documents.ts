// Edits of the discovery document that client checks serve, and a helper
// that reads (and appends) through every binding the adapter has.

import type { ClientCheckContext } from "../client_context.ts";
import { expectCompleteRead, liveRead, numbered } from "../_delivery.ts";
import type { FaultScript } from "../fault_script.ts";

type Doc = Record<string, unknown>;

/** The object member `name` of `doc`, created when missing. */
export function objectIn(doc: Doc, name: string): Doc {
  const value = doc[name];
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Doc;
  const created: Doc = {};
  doc[name] = created;
  return created;
}

/**
 * Reads a stream live in every mode the adapter has, and appends through it
 * when it can, with `script` in force; fails with `requirement` unless each
 * read delivers exactly and each append completes.
 */
export async function everyBinding(
  t: ClientCheckContext,
  requirement: string,
  script: FaultScript,
): Promise<void> {
  // Appends first: a client must not need a read to have fetched the document.
  for (const via of t.capabilities.appends ?? []) {
    const stream = await t.createStream();
    t.script(script);
    const append = await t.appendThroughClient(stream, { via, messages: numbered(2) });
    const final = await append.settled(t.timeoutMs);
    t.expect(
      requirement,
      final?.event === "done",
      `an append over ${via} did not complete: ${JSON.stringify(final) ?? "still running"}`,
    );
  }
  for (const mode of t.modes) {
    const live = await liveRead(t, mode, { script: () => script });
    expectCompleteRead(t, requirement, live);
  }
}
