// Refusing the client's attempts with problems, in any binding: the reads of
// a stream (SSE and long-poll requests, WebSocket subscribes) or its appends
// (POST requests, WebSocket append frames). Every attempt is timed, so that
// checks can see whether and when the client tried again.

import type { ProblemSlug } from "../../../src/protocol/problem.ts";
import { PROBLEM_TYPES, problemType } from "../../../src/protocol/problem.ts";
import type { AdapterBinding, AdapterLiveMode, RetryHints } from "../adapter_protocol.ts";
import type { CommandHandle } from "../adapter_process.ts";
import type { ClientCheckContext } from "../client_context.ts";
import { expectExactly, numbered } from "../_delivery.ts";
import { combineScripts, type FaultScript, type WsFrame } from "../fault_script.ts";
import { problemReply } from "../problem_reply.ts";

/** A problem to answer with, and over HTTP the `Retry-After` header. */
export interface ProblemSpec {
  readonly slug?: ProblemSlug;
  readonly type?: string;
  readonly status?: number;
  readonly title?: string;
  readonly detail?: string;
  readonly members?: Record<string, unknown>;
  /** HTTP only. */
  readonly retryAfter?: string;
}

/** The problem object of a spec. */
export function problemOf(spec: ProblemSpec): Record<string, unknown> {
  const known = spec.slug === undefined ? undefined : PROBLEM_TYPES[spec.slug];
  return {
    type: spec.type ?? (spec.slug !== undefined ? problemType(spec.slug) : "about:blank"),
    title: spec.title ?? known?.title ?? "Problem",
    status: spec.status ?? known?.status ?? 500,
    ...(spec.detail !== undefined ? { detail: spec.detail } : {}),
    ...spec.members,
  };
}

/** One attempt of the client: when it came, and when (if) it was refused. */
export interface Attempt {
  readonly at: number;
  refusedAt?: number;
}

/**
 * Answers the first attempts at `stream` with `problems`, one each, and lets
 * the later ones through. `what` picks reads (in `mode`) or appends (over `via`).
 */
export class Refusals {
  readonly attempts: Attempt[] = [];
  readonly #problems: ProblemSpec[];

  constructor(
    readonly stream: string,
    readonly what: { readonly read: AdapterLiveMode } | { readonly append: AdapterBinding },
    problems: readonly ProblemSpec[],
  ) {
    this.#problems = [...problems];
  }

  /** How many problems are left to answer with. */
  get left(): number {
    return this.#problems.length;
  }

  /** The script (combine with others by spreading). */
  script(): FaultScript {
    const overWs = "read" in this.what
      ? this.what.read === "websocket"
      : this.what.append === "websocket";
    if (!overWs) {
      const method = "read" in this.what ? "GET" : "POST";
      return {
        http: (call) => {
          if (call.stream !== this.stream || call.method !== method) return undefined;
          const attempt: Attempt = { at: call.at };
          this.attempts.push(attempt);
          const spec = this.#problems.shift();
          if (spec === undefined) return undefined;
          attempt.refusedAt = Date.now();
          return {
            respond: problemReply({
              ...problemSpecForReply(spec),
              ...(spec.retryAfter !== undefined
                ? { headers: { "retry-after": spec.retryAfter } }
                : {}),
            }),
          };
        },
      };
    }
    const frameType = "read" in this.what ? "subscribe" : "append";
    const idMember = frameType === "subscribe" ? "sub" : "req";
    return {
      wsIn: (frame, link) => {
        if (frame.type !== frameType || frame.path !== this.stream) return undefined;
        const attempt: Attempt = { at: Date.now() };
        this.attempts.push(attempt);
        const spec = this.#problems.shift();
        if (spec === undefined) return undefined;
        attempt.refusedAt = Date.now();
        const error: WsFrame = {
          type: "error",
          [idMember]: frame[idMember],
          problem: problemOf(spec),
        };
        link.toClient(error);
        return "drop";
      },
    };
  }
}

function problemSpecForReply(spec: ProblemSpec) {
  const problem = problemOf(spec);
  const { type, title, status, ...members } = problem;
  return { type: type as string, title: title as string, status: status as number, members };
}

/** The attempts that came after attempt `i` was refused, and how long after. */
export function gapAfter(attempts: readonly Attempt[], i: number): number | undefined {
  const refused = attempts[i]?.refusedAt;
  const next = attempts[i + 1];
  return refused === undefined || next === undefined ? undefined : next.at - refused;
}

/** One way of refusing the client, and what it must make of it. */
export interface RefusalCase {
  /** For messages: what the case is about. */
  readonly label: string;
  /** The problem the first attempt gets. */
  readonly problem: ProblemSpec;
  /** Whether the client must try again (and then deliver), or give up. */
  readonly retried: boolean;
  /** When it gives up: the problem type it must report. */
  readonly reports?: string;
}

/** A case as run. */
export interface RefusalRun {
  readonly case: RefusalCase;
  readonly stream: string;
  readonly refusals: Refusals;
  readonly command: CommandHandle;
}

/** How long a check watches for a repeat the client must not make. */
export const REPEAT_WINDOW_MS = 500;

/**
 * Runs each case at once, each on a stream of its own: reads in `mode` of a
 * closed stream of two messages, or appends over `via`. Waits for the
 * commands to end, then a moment more for late repeats.
 */
export async function runRefusals(
  t: ClientCheckContext,
  what: { readonly read: AdapterLiveMode } | { readonly append: AdapterBinding },
  cases: readonly RefusalCase[],
  options: { readonly retry?: RetryHints; readonly repeatWindowMs?: number } = {},
): Promise<RefusalRun[]> {
  const retry = options.retry;
  const runs: RefusalRun[] = [];
  const prepared = [];
  for (const c of cases) {
    const stream = "read" in what
      ? await t.createStream({ messages: numbered(2) })
      : await t.createStream();
    if ("read" in what) await t.closeStream(stream);
    prepared.push({ c, stream, refusals: new Refusals(stream, what, [c.problem]) });
  }
  t.script(combineScripts(...prepared.map((p) => p.refusals.script())));
  for (const { c, stream, refusals } of prepared) {
    const command = "read" in what
      ? await t.read(stream, { live: what.read, ...(retry ? { retry } : {}) })
      : await t.appendThroughClient(stream, {
        via: what.append,
        messages: numbered(1),
        ...(retry ? { retry } : {}),
      });
    runs.push({ case: c, stream, refusals, command });
  }
  await Promise.all(runs.map((run) => run.command.settled(t.timeoutMs)));
  await t.sleep(options.repeatWindowMs ?? REPEAT_WINDOW_MS);
  return runs;
}

/** Fails with `requirement` unless the client retried, or gave up, as the case says. */
export function judgeRefusal(t: ClientCheckContext, requirement: string, run: RefusalRun): void {
  const { case: c, refusals, command } = run;
  const problem = JSON.stringify(problemOf(c.problem));
  if (c.retried) {
    t.expect(
      requirement,
      refusals.attempts.length >= 2,
      `${c.label}: the client did not try again after ${problem}${
        command.final ? `; it ended with ${JSON.stringify(command.final)}` : ""
      }`,
    );
    const done = command.command.cmd === "read" ? "closed" : "done";
    t.expect(
      requirement,
      command.final?.event === done,
      `${c.label}: after trying again the command did not complete: ${
        JSON.stringify(command.final)
      }`,
    );
    if (command.command.cmd === "read") expectExactly(t, requirement, command, numbered(2));
    return;
  }
  t.expect(
    requirement,
    refusals.attempts.length === 1,
    `${c.label}: the client repeated the request ${
      refusals.attempts.length - 1
    } time(s) after ${problem}`,
  );
  t.expect(
    requirement,
    command.final?.event === "error",
    `${c.label}: the command did not fail after ${problem}: ${
      JSON.stringify(command.final) ?? "still running"
    }`,
  );
  if (c.reports !== undefined && command.final?.event === "error") {
    t.expectEqual(
      requirement,
      command.final.type,
      c.reports,
      `${c.label}: the problem type the client reported`,
    );
  }
}
