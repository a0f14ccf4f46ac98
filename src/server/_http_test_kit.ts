// Helpers for the HTTP tests: a server over a MemoryStore on a manual clock,
// and terse request builders. Requests go straight to `server.fetch`, no
// network involved.

import {
  type Problem,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  ProblemSchema,
  type ProblemSlug,
  problemSlug,
} from "../protocol/problem.ts";
import { validate } from "../protocol/validate.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import type { AgentStreamServer } from "./agent_stream_server.ts";
import { createServer, type CreateServerOptions } from "./app.ts";

/** The origin every test request uses. */
export const ORIGIN = "http://localhost";

/** A server under test, its store and its clock. */
export interface TestServer {
  readonly server: AgentStreamServer;
  readonly store: MemoryStore;
  /** Milliseconds since the epoch, as the server and the store see them. */
  now: number;
  /** Sends a request for `/v1/stream/{path}` (or any path starting with `/`). */
  call(method: string, path: string, init?: CallInit): Promise<Response>;
}

/** Headers and body of a test request. */
export interface CallInit {
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/** The URL a test path stands for: stream paths are relative to `/v1/stream/`. */
export function urlOf(path: string): string {
  return ORIGIN + (path.startsWith("/") ? path : "/v1/stream/" + path);
}

/** Runs `fn` against a fresh server and shuts it down afterwards. */
export async function withServer(
  fn: (t: TestServer) => Promise<void>,
  options: Partial<CreateServerOptions> = {},
): Promise<void> {
  const t = { now: Date.parse("2026-01-01T00:00:00Z") } as TestServer;
  const clock = () => t.now;
  const store = new MemoryStore({ clock });
  const server = createServer({ clock, ...options, store });
  Object.assign(t, {
    server,
    store,
    call: (method: string, path: string, init: CallInit = {}) =>
      server.fetch(new Request(urlOf(path), { method, headers: init.headers, body: init.body })),
  });
  try {
    await fn(t);
  } finally {
    await server.shutdown();
  }
}

/** Headers of a JSON append. */
export const JSON_TYPE: Record<string, string> = { "content-type": "application/json" };

/** Headers of a text append. */
export const TEXT_TYPE: Record<string, string> = { "content-type": "text/plain" };

/**
 * The problem a response carries, after checking what errors.md demands of
 * every error response: `application/problem+json`, a body valid against
 * the problem schema, `status` equal to the response's, and the catalogue's
 * type and status (ERR-HTTP-1…3, ERR-TYPE-1/2).
 */
export async function problemOf(response: Response, slug?: ProblemSlug): Promise<Problem> {
  const fail = (why: string): never => {
    throw new Error(`${response.status} response: ${why}`);
  };
  if (response.status < 400) fail("not an error");
  if (response.headers.get("content-type") !== PROBLEM_CONTENT_TYPE) fail("not problem+json");
  const body: unknown = await response.json();
  const checked = validate(ProblemSchema, body);
  if (!checked.ok) fail(`invalid problem ${JSON.stringify(checked.errors)}`);
  const problem = body as Problem;
  if (problem.status !== response.status) fail(`problem status ${problem.status}`);
  const found = problemSlug(problem.type);
  if (found === undefined) fail(`unknown problem type ${problem.type}`);
  if (PROBLEM_TYPES[found!].status !== response.status) fail(`${found} is not ${response.status}`);
  if (slug !== undefined && found !== slug) {
    fail(`expected ${slug}, got ${found}: ${problem.detail}`);
  }
  return problem;
}
