// What client checks share: distinct messages, bounded waits for the client
// to deliver, and the comparison of what it delivered with the log.

import { isDeepStrictEqual } from "node:util";
import { formatOffset } from "../../src/protocol/offset.ts";
import { show } from "../_suite_context.ts";
import type { AdapterFinal, AdapterLiveMode } from "./adapter_protocol.ts";
import type { CommandHandle } from "./adapter_process.ts";
import type { ClientCheckContext } from "./client_context.ts";
import type { FaultScript } from "./fault_script.ts";

/** `count` distinct messages numbered from `from`, so that a duplicate or a swap shows. */
export function numbered(count: number, from = 0, tag = "m"): unknown[] {
  return Array.from({ length: count }, (_, i) => ({ n: from + i, tag }));
}

/** Waits until the read delivered `count` messages (or ended); true when it has them. */
export async function delivered(read: CommandHandle, count: number, ms: number): Promise<boolean> {
  await read.until(() => read.messages.length >= count || read.final !== undefined, ms);
  return read.messages.length >= count;
}

/** Waits for the read's final event; `undefined` after `ms`. */
export function finished(read: CommandHandle, ms: number) {
  return read.settled(ms);
}

/**
 * Fails with `requirement` unless the read delivered exactly `expected`,
 * starting at offset `from`: each message once, in order, at its offset.
 */
export function expectExactly(
  t: ClientCheckContext,
  requirement: string,
  read: CommandHandle,
  expected: readonly unknown[],
  from = 0,
): void {
  const got = read.messages;
  for (let i = 0; i < Math.min(got.length, expected.length); i++) {
    const offset = formatOffset(from + i);
    if (got[i].offset !== offset || !isDeepStrictEqual(got[i].message, expected[i])) {
      const earlier = got.slice(0, i).findIndex((m) => m.offset === got[i].offset);
      const what = earlier >= 0
        ? `a second copy of the message at ${got[i].offset}`
        : `${show(got[i].message)} at ${got[i].offset}`;
      t.expect(
        requirement,
        false,
        `message ${i + 1} delivered is ${what}; the log has ${show(expected[i])} at ${offset}`,
        {
          expected: { offset, message: expected[i] },
          actual: got[i],
        },
      );
    }
  }
  t.expect(
    requirement,
    got.length === expected.length,
    got.length < expected.length
      ? `the client delivered ${got.length} of ${expected.length} messages${
        read.final ? ` and ended with ${show(read.final)}` : ""
      }`
      : `the client delivered ${got.length - expected.length} message(s) more than the log holds: ${
        show(got.slice(expected.length, expected.length + 3))
      }`,
    { expected: expected.length, actual: got.length },
  );
}

/** What {@linkcode liveRead} went through. */
export interface LiveRead {
  readonly stream: string;
  readonly read: CommandHandle;
  /** Every message of the stream, in order. */
  readonly log: readonly unknown[];
  /** The read's final event, if it came. */
  readonly final: AdapterFinal | undefined;
}

/**
 * A live read through the adapter: a stream created with the first batch,
 * read with `mode`, each further batch appended once the client has the
 * previous ones, then the stream closed and the read awaited.
 */
export async function liveRead(
  t: ClientCheckContext,
  mode: AdapterLiveMode,
  options: {
    readonly batches?: readonly (readonly unknown[])[];
    readonly kind?: "json" | "agent";
    readonly script?: (stream: string) => FaultScript;
    readonly window?: number;
  } = {},
): Promise<LiveRead> {
  const [first, ...rest] = options.batches ?? [numbered(3), numbered(3, 3)];
  const stream = await t.createStream({ messages: first, kind: options.kind });
  if (options.script) t.script(options.script(stream));
  const log = [...first];
  const read = await t.read(stream, {
    live: mode,
    ...(options.window ? { window: options.window } : {}),
  });
  // Once the client falls behind for a whole wait, the check has failed; the
  // rest is only for the transcript, and need not take long.
  let wait = t.timeoutMs;
  for (const batch of rest) {
    if (!await delivered(read, log.length, wait)) wait = 500;
    await t.append(stream, batch);
    log.push(...batch);
  }
  if (!await delivered(read, log.length, wait)) wait = 500;
  await t.closeStream(stream);
  const final = await read.settled(wait);
  return { stream, read, log, final };
}

/** Fails with `requirement` unless the read delivered the log exactly and ended as closed. */
export function expectCompleteRead(
  t: ClientCheckContext,
  requirement: string,
  live: LiveRead,
): void {
  expectExactly(t, requirement, live.read, live.log);
  t.expect(
    requirement,
    live.final?.event === "closed",
    `the read did not end with the stream's closure: ${
      live.final ? show(live.final) : "still running"
    }`,
  );
}
