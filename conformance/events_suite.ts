/**
 * The events suite: checks what a producer wrote, a recorded list of events
 * or a stream of a running server, against the producer requirements of
 * envelope.md and events.md (the envelope, each type's schema, the
 * lifecycle rules). A failure names the requirement, the offending event's
 * place and the events around it.
 *
 * @module
 */

import { EVENTS_CHECKS } from "./agent/events/mod.ts";
import { findEventViolations } from "./agent/event_findings.ts";
import {
  eventsOfValues,
  type ProducedEvent,
  readEventsFile,
  readStreamEvents,
} from "./agent/event_source.ts";
import { EventsRunContext } from "./agent/_events_run_context.ts";
import type { Check } from "./check.ts";
import type { EventsCheckContext } from "./agent/events_context.ts";
import type { Report } from "./report.ts";
import { runChecks, type SelectionOptions } from "./runner.ts";

export { EVENTS_CHECKS } from "./agent/events/mod.ts";

/**
 * Options of {@linkcode runEventsSuite}: the events, given as values, as a
 * file, or as a stream of a server. Exactly one of `events`, `file` and
 * `url` with `stream`.
 *
 * @example
 * ```ts
 * import type { EventsSuiteOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const fromFile: EventsSuiteOptions = { file: "recorded/run-1.jsonl" };
 * const fromServer: EventsSuiteOptions = { url: "http://127.0.0.1:8787", stream: "chats/42" };
 * ```
 */
export interface EventsSuiteOptions extends Omit<SelectionOptions, "replayPath" | "numRuns"> {
  /** The events themselves. */
  readonly events?: readonly unknown[];
  /** A file of events: JSON lines, or a JSON array. */
  readonly file?: string;
  /** The base URL of a server holding the events (with `stream`). */
  readonly url?: string;
  /** The path of the stream holding the events (with `url`). */
  readonly stream?: string;
  /** The bound of reading the stream (default 30 000). */
  readonly timeoutMs?: number;
  /** The checks to choose from (default {@linkcode EVENTS_CHECKS}). */
  readonly checks?: readonly Check<EventsCheckContext>[];
}

/**
 * Runs the events suite over a producer's events.
 *
 * @example
 * ```ts
 * import { runEventsSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runEventsSuite({
 *   events: [
 *     { type: "run.started", runId: "r1" },
 *     { type: "run.finished", runId: "r1", outcome: "success" },
 *   ],
 * });
 * console.log(report.summary.conforms); // true
 * ```
 */
export async function runEventsSuite(options: EventsSuiteOptions): Promise<Report> {
  const { source, events } = await load(options);
  const findings = findEventViolations(events);
  return await runChecks<EventsRunContext>({
    ...options,
    suite: "events",
    target: source,
    checks: options.checks ?? EVENTS_CHECKS,
    actors: ["producer"],
    features: new Set(),
    seed: 0,
    numRuns: 0,
    createContext: () => new EventsRunContext(source, events, findings),
    replayCommand: () => "",
  });
}

async function load(
  options: EventsSuiteOptions,
): Promise<{ source: string; events: readonly ProducedEvent[] }> {
  const given =
    [options.events !== undefined, options.file !== undefined, options.url !== undefined]
      .filter(Boolean).length;
  if (given !== 1) {
    throw new Error("give the events one way: events, file, or url with stream");
  }
  if (options.events !== undefined) {
    return { source: `${options.events.length} events`, events: eventsOfValues(options.events) };
  }
  if (options.file !== undefined) {
    return { source: options.file, events: await readEventsFile(options.file) };
  }
  if (options.stream === undefined) throw new Error("url needs stream: the path of the stream");
  const url = options.url!.replace(/\/+$/, "");
  return {
    source: `${url} stream ${options.stream}`,
    events: await readStreamEvents(url, options.stream, { timeoutMs: options.timeoutMs }),
  };
}
