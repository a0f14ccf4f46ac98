/**
 * What a conformance check is, and what it is given to work with.
 *
 * @module
 */

import type { Discovery } from "../src/protocol/discovery.ts";
import type { HttpProbe, HttpReply } from "./http_probe.ts";
import type { Transcript } from "./transcript.ts";
import type { WsProbe } from "./ws_probe.ts";
import type * as fc from "fast-check";

/**
 * One conformance check: it exercises an implementation and cites the
 * requirement IDs it tests. A check fails by throwing a
 * {@linkcode Violation} of one of its cited requirements.
 *
 * @example
 * ```ts
 * import { defineCheck } from "@agent-stream/agent-stream/conformance";
 *
 * const check = defineCheck({
 *   id: "discovery.get.ok",
 *   title: "the discovery document answers 200 with JSON",
 *   section: "discovery.md §1",
 *   requirements: ["DISC-GET-1"],
 *   async run(t) {
 *     const reply = await t.http.request("GET", "/v1");
 *     t.expectStatus("DISC-GET-1", reply, 200);
 *   },
 * });
 * console.log(check.requirements);
 * ```
 */
export interface Check<C = CheckContext> {
  /** Stable, unique, dotted: `<chapter>.<section>.<what>`, e.g. `http.append.batch-offsets`. */
  readonly id: string;
  /** One line a person reads in a report. */
  readonly title: string;
  /** Where the tested text is: `http.md §5`. */
  readonly section: string;
  /** The requirement IDs the check tests; a violation it reports names one of them. */
  readonly requirements: readonly string[];
  /** Discovery feature tokens the check needs; it is skipped without them. */
  readonly features?: readonly string[];
  /** Runs the check; resolves when the implementation behaved, throws otherwise. */
  readonly run: (t: C) => Promise<void>;
}

/**
 * Declares a check; identity at runtime, there for the types.
 *
 * @example
 * ```ts
 * import { defineCheck } from "@agent-stream/agent-stream/conformance";
 *
 * export const headOfMissingStream = defineCheck({
 *   id: "http.head.missing",
 *   title: "HEAD of a missing stream answers 404",
 *   section: "http.md §7",
 *   requirements: ["HTTP-HEAD-2"],
 *   async run(t) {
 *     const reply = await t.http.request("HEAD", t.streamUrl(t.stream()));
 *     t.expectStatus("HTTP-HEAD-2", reply, 404);
 *   },
 * });
 * ```
 */
export function defineCheck(check: Check): Check {
  return check;
}

/**
 * Options of a property inside a check.
 *
 * @example
 * ```ts
 * import type { PropertyOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: PropertyOptions = { numRuns: 10 };
 * ```
 */
export interface PropertyOptions {
  /** Runs of this property; default the run's `numRuns`, scaled by `weight`. */
  readonly numRuns?: number;
}

/**
 * Everything a check works with: recorded HTTP and WebSocket, the server's
 * discovery document, fresh stream names, assertions that name the
 * requirement they test, and fast-check properties with replayable seeds.
 *
 * @example
 * ```ts ignore
 * import type { CheckContext } from "@agent-stream/agent-stream/conformance";
 * async function appendTwo(t: CheckContext): Promise<void> {
 *   const path = t.streamUrl(t.stream());
 *   t.expectStatus("HTTP-CREATE-1", await t.http.request("PUT", path), 201);
 *   const reply = await t.http.request("POST", path, { body: { json: [1, 2] } });
 *   t.expectEqual("LOG-OFFSET-2", reply.headers.get("Stream-Next-Offset"), "2", "next offset");
 * }
 * ```
 */
export interface CheckContext {
  /** The server's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The discovery document the server published at the start of the run. */
  readonly discovery: Discovery;
  /** Feature tokens in force: the discovery document's, or the `--features` override. */
  readonly features: ReadonlySet<string>;
  /** HTTP, recorded. */
  readonly http: HttpProbe;
  /** This run's transcript. */
  readonly transcript: Transcript;
  /** The longest the run lets a check wait for a server timer (heartbeat, long-poll timeout). */
  readonly maxWaitMs: number;
  /** The default bound of one request or one wait. */
  readonly timeoutMs: number;
  /** A stream path no other check uses (not yet created), e.g. `conformance-k3/http.append/4`. */
  stream(label?: string): string;
  /** The request path of stream `path`: the discovery `streamPrefix` plus the encoded segments. */
  streamUrl(path: string, query?: Record<string, string>): string;
  /** Creates stream `path` (JSON) and returns its request path; fails the check with `requirement` if refused. */
  createStream(
    path?: string,
    options?: { headers?: Record<string, string>; requirement?: string },
  ): Promise<string>;
  /** Opens a WebSocket to the advertised endpoint, offering the advertised subprotocols (or `protocols`). */
  ws(protocols?: readonly string[]): Promise<WsProbe>;
  /** Opens a WebSocket and completes `hello`/`welcome`; returns the probe and the welcome frame. */
  wsSession(): Promise<{ ws: WsProbe; welcome: Record<string, unknown> }>;
  /** Fails with `requirement` unless `condition` holds. */
  expect(
    requirement: string,
    condition: unknown,
    message: string,
    values?: { expected?: unknown; actual?: unknown },
  ): void;
  /** Fails with `requirement` unless `actual` deep-equals `expected`. */
  expectEqual(requirement: string, actual: unknown, expected: unknown, message: string): void;
  /** Fails with `requirement` unless the reply's status is `status` (or one of them). */
  expectStatus(
    requirement: string,
    reply: HttpReply | { status: number },
    status: number | readonly number[],
  ): void;
  /**
   * Fails with `requirement` unless the reply is a problem (RFC 9457) with the
   * given status and type slug (`invalid-offset`), served as `application/problem+json`.
   */
  expectProblem(requirement: string, reply: HttpReply, status: number, slug: string): void;
  /** Skips the check (reported, not passed) when waiting `ms` exceeds the run's wait budget. */
  needsWait(ms: number, what: string): void;
  /** Skips the check with a reason. */
  skip(reason: string): never;
  /** Waits `ms`. */
  sleep(ms: number): Promise<void>;
  /** Adds a note to the transcript. */
  note(text: string): void;
  /**
   * Runs a fast-check property: `predicate` gets each generated value and a
   * fresh context (its own transcript). A failure reports the shrunk
   * counterexample, the transcript of its run, and the seed and path that replay it.
   */
  property<T>(
    arbitrary: fc.Arbitrary<T>,
    predicate: (value: T, t: CheckContext) => Promise<void>,
    options?: PropertyOptions,
  ): Promise<void>;
}
