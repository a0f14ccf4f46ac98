/**
 * The server suite: reads the server's discovery document, then runs every
 * server check against it.
 *
 * @module
 */

import * as v from "valibot";
import { type Discovery, DiscoverySchema } from "../src/protocol/discovery.ts";
import { RunContext } from "./_context.ts";
import type { Check, CheckContext } from "./check.ts";
import type { Report } from "./report.ts";
import { runChecks, type SelectionOptions } from "./runner.ts";
import { SERVER_CHECKS } from "./server/mod.ts";

/**
 * Options of {@linkcode runServerSuite}.
 *
 * @example
 * ```ts
 * import type { ServerSuiteOptions } from "@agent-stream/agent-stream/conformance";
 *
 * const options: ServerSuiteOptions = { url: "http://127.0.0.1:8787", only: ["SSE"] };
 * ```
 */
export interface ServerSuiteOptions extends SelectionOptions {
  /** The server's base URL; the discovery document is at `<url>/v1`. */
  readonly url: string;
  /** Feature tokens to test instead of those the discovery document lists. */
  readonly features?: readonly string[];
  /** The longest a check may wait for a server timer; checks needing longer are skipped (default 20 000). */
  readonly maxWaitMs?: number;
  /** The bound of one request or wait (default 10 000). */
  readonly timeoutMs?: number;
  /** The checks to choose from (default {@linkcode SERVER_CHECKS}). */
  readonly checks?: readonly Check[];
  /**
   * The discovery document to test against instead of the one at `<url>/v1`,
   * for a server that publishes none (a plain Durable Streams server).
   */
  readonly discovery?: Discovery;
}

/**
 * Runs the server suite against the server at `options.url`.
 *
 * @example
 * ```ts ignore
 * import { runServerSuite } from "@agent-stream/agent-stream/conformance";
 *
 * const report = await runServerSuite({ url: "http://127.0.0.1:8787" });
 * console.log(report.summary.conforms);
 * ```
 */
export async function runServerSuite(options: ServerSuiteOptions): Promise<Report> {
  const url = options.url.replace(/\/+$/, "");
  let discovery: Discovery;
  let allChecks = options.checks ?? SERVER_CHECKS;
  try {
    discovery = options.discovery ?? await fetchDiscovery(url, options.timeoutMs ?? 10_000);
  } catch (error) {
    if (!(error instanceof InvalidDiscovery)) throw error;
    // Without a valid document only the checks of its retrieval can run;
    // they report what is wrong with it, every other check says why it is skipped.
    discovery = minimalDiscovery(options.features ?? []);
    allChecks = allChecks.map((check) =>
      check.id.startsWith("discovery.get.") ? check : {
        ...check,
        run: (t: CheckContext) =>
          Promise.resolve(t.skip(`no usable discovery document: ${error.message}`)),
      }
    );
  }
  const features = new Set(options.features ?? discovery.features);
  const seed = options.seed ?? randomSeed();
  const numRuns = options.numRuns ?? 25;
  const settings = {
    baseUrl: url,
    discovery,
    features,
    maxWaitMs: options.maxWaitMs ?? 20_000,
    timeoutMs: options.timeoutMs ?? 10_000,
    numRuns,
    seed,
    path: options.replayPath,
    shrink: options.shrink,
    streamPrefix: `conformance-${Date.now().toString(36)}-${
      Math.floor(Math.random() * 36 ** 4).toString(36)
    }`,
  };
  const counter = { n: 0 };
  return await runChecks<RunContext>({
    ...options,
    suite: "server",
    target: url,
    checks: allChecks as readonly Check<RunContext>[],
    actors: ["server"],
    features,
    seed,
    numRuns,
    createContext: (check) =>
      new RunContext(
        { ...settings, path: check.id === options.check ? options.replayPath : undefined },
        check.id,
        counter,
      ),
    replayCommand: (checkId, seed, path) =>
      `deno task conformance -- server --url ${url} --check ${checkId} --seed ${seed} --replay ${path}`,
  });
}

/**
 * Reads and validates the discovery document of the server at `url`; throws
 * an error that says what is wrong when it is missing or invalid.
 *
 * @example
 * ```ts ignore
 * import { fetchDiscovery } from "@agent-stream/agent-stream/conformance";
 * const discovery = await fetchDiscovery("http://127.0.0.1:8787", 5000);
 * console.log(discovery.features);
 * ```
 */
export async function fetchDiscovery(url: string, timeoutMs: number): Promise<Discovery> {
  let response: Response;
  try {
    response = await fetch(`${url}/v1`, {
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`cannot reach ${url}/v1: ${error instanceof Error ? error.message : error}`);
  }
  const text = await response.text();
  if (response.status !== 200) {
    throw new InvalidDiscovery(
      `GET ${url}/v1 answered ${response.status}; a discovery document is needed`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidDiscovery(`GET ${url}/v1 did not answer JSON`);
  }
  const result = v.safeParse(DiscoverySchema, json);
  if (!result.success) {
    const issue = result.issues[0];
    throw new InvalidDiscovery(
      `the discovery document at ${url}/v1 is invalid: ${
        v.getDotPath(issue) ?? "(root)"
      }: ${issue.message}`,
    );
  }
  return result.output;
}

/**
 * The discovery document assumed for a server that publishes none: streams
 * under `/v1/stream/`, the features given, limits no check will reach by
 * accident.
 *
 * @example
 * ```ts
 * import { minimalDiscovery } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(minimalDiscovery(["sse"]).bindings.http?.streamPrefix); // /v1/stream/
 * ```
 */
export function minimalDiscovery(features: readonly string[]): Discovery {
  const has = (feature: string) => features.includes(feature);
  return {
    protocol: "agent-stream",
    versions: ["1.0"],
    bindings: {
      http: { streamPrefix: "/v1/stream/" },
      ...(has("long-poll") ? { longPoll: {} } : {}),
      ...(has("sse") ? { sse: {} } : {}),
      ...(has("websocket")
        ? { websocket: { path: "/v1/ws", subprotocols: ["agent-stream.v1"] } }
        : {}),
    },
    limits: {
      maxMessageBytes: 1_048_576,
      maxBodyBytes: 4_194_304,
      maxReadMessages: 1_000,
      maxStreamPathBytes: 1_024,
    },
    features: [...features],
  };
}

/**
 * Thrown by {@linkcode fetchDiscovery} when the server answers, but not with
 * a valid discovery document (as opposed to a server that cannot be reached).
 *
 * @example
 * ```ts
 * import { InvalidDiscovery } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(new InvalidDiscovery("GET /v1 answered 404").name); // InvalidDiscovery
 * ```
 */
export class InvalidDiscovery extends Error {
  /** An invalid or missing document, described by `message`. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidDiscovery";
  }
}

function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
