import { mapHttp, mapWs, withHeaders } from "../mutant.ts";
import type { Mutant } from "../mutant.ts";
import type { AgentStreamServer } from "../../../src/server/agent_stream_server.ts";

const BASE = "https://agent-stream.dev/problems/";

type Problem = Record<string, unknown>;

/**
 * A variant whose HTTP problems of type `slug` (any type when omitted) pass
 * through `change`, which edits the problem in place and may return another
 * status or headers for the response.
 */
function mapProblems(
  slug: string | undefined,
  change: (problem: Problem) => { status?: number; headers?: Record<string, string | null> } | void,
): (server: AgentStreamServer) => AgentStreamServer {
  return mapHttp(async (request, next) => {
    const response = await next(request);
    if (!(response.headers.get("content-type") ?? "").startsWith("application/problem+json")) {
      return response;
    }
    const problem = await response.json() as Problem;
    if (slug !== undefined && problem.type !== BASE + slug) {
      return new Response(JSON.stringify(problem), response);
    }
    const edit = change(problem) ?? {};
    const changed = new Response(JSON.stringify(problem), {
      status: edit.status ?? response.status,
      headers: response.headers,
    });
    return edit.headers ? withHeaders(changed, edit.headers) : changed;
  });
}

/** Broken variants of the reference server, each violating one requirement of errors.md. */
export const errorsMutants: readonly Mutant[] = [
  {
    name: "problems served as application/json",
    breaks: "ERR-HTTP-1",
    wrap: mapProblems(undefined, () => ({ headers: { "content-type": "application/json" } })),
  },
  {
    name: "a 404 answered without its problem body",
    breaks: "ERR-HTTP-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return response.status === 404
        ? new Response(null, { status: 404, headers: response.headers })
        : response;
    }),
  },
  {
    name: "every problem body says status 400",
    breaks: "ERR-HTTP-3",
    wrap: mapProblems(undefined, (problem) => {
      problem.status = 400;
    }),
  },
  {
    name: "a malformed offset reported as offset-out-of-range",
    breaks: "ERR-TYPE-1",
    wrap: mapProblems("invalid-offset", (problem) => {
      problem.type = `${BASE}offset-out-of-range`;
    }),
  },
  {
    name: "stream-closed answered with 400",
    breaks: "ERR-TYPE-2",
    wrap: mapProblems("stream-closed", (problem) => {
      problem.status = 400;
      return { status: 400 };
    }),
  },
  {
    name: "empty-append reported under a slug outside the catalogue",
    breaks: "ERR-TYPE-3",
    wrap: mapProblems("empty-append", (problem) => {
      problem.type = `${BASE}empty-body`;
    }),
  },
  {
    name: "titles carry the occurrence's detail",
    breaks: "ERR-TYPE-4",
    wrap: mapProblems(undefined, (problem) => {
      if (typeof problem.detail === "string") problem.title = `${problem.title}: ${problem.detail}`;
    }),
  },
  {
    name: "invalid-envelope without errors",
    breaks: "ERR-EXT-1",
    wrap: mapProblems("invalid-envelope", (problem) => {
      delete problem.errors;
    }),
  },
  {
    name: "envelope pointers relative to the message, not the body",
    breaks: "ERR-EXT-2",
    wrap: mapProblems("invalid-envelope", (problem) => {
      for (const entry of problem.errors as { path: string }[]) {
        entry.path = entry.path.replace(/^\/[0-9]+/, "");
      }
    }),
  },
  {
    name: "supported lists a version the server does not serve",
    breaks: "ERR-EXT-3",
    wrap: mapProblems("unsupported-version", (problem) => {
      problem.supported = ["1.0", "1.1"];
    }),
  },
  {
    name: "subscriber-limit without retryAfterMs",
    breaks: "ERR-EXT-4",
    wrap: mapProblems("subscriber-limit", (problem) => {
      delete problem.retryAfterMs;
    }),
  },
  {
    name: "offset-out-of-range names the requested offset, not the tail",
    breaks: "ERR-EXT-5",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      const requested = new URL(request.url).searchParams.get("offset");
      if (response.status !== 400 || requested === null) return response;
      const problem = await response.json() as Problem;
      if (problem.type === `${BASE}offset-out-of-range`) problem.offset = requested;
      return new Response(JSON.stringify(problem), response);
    }),
  },
  {
    name: "stream-closed without offset",
    breaks: "ERR-EXT-6",
    wrap: mapProblems("stream-closed", (problem) => {
      delete problem.offset;
    }),
  },
  {
    name: "stream-not-found carries an offset",
    breaks: "ERR-EXT-7",
    wrap: mapProblems("stream-not-found", (problem) => {
      problem.offset = "0000000000000000";
    }),
  },
  {
    name: "producer-stale-epoch without producerEpoch",
    breaks: "ERR-EXT-8",
    wrap: mapProblems("producer-stale-epoch", (problem) => {
      delete problem.producerEpoch;
    }),
  },
  {
    name: "producer-seq-gap with the members swapped",
    breaks: "ERR-EXT-9",
    wrap: mapProblems("producer-seq-gap", (problem) => {
      [problem.expectedSeq, problem.receivedSeq] = [problem.receivedSeq, problem.expectedSeq];
    }),
  },
  {
    name: "429 without Retry-After",
    breaks: "ERR-RETRY-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return response.status === 429 ? withHeaders(response, { "retry-after": null }) : response;
    }),
  },
  {
    name: "Retry-After rounds retryAfterMs down",
    breaks: "ERR-RETRY-2",
    wrap: mapProblems(undefined, (problem) => {
      if (typeof problem.retryAfterMs !== "number") return;
      return { headers: { "retry-after": String(Math.floor(problem.retryAfterMs / 1000)) } };
    }),
  },
  {
    name: "error frames give subscriber-limit the status 503",
    breaks: "ERR-TYPE-2",
    wrap: mapWs({
      outgoing(text) {
        const frame = JSON.parse(text);
        if (frame.type === "error" && frame.problem?.type === `${BASE}subscriber-limit`) {
          frame.problem.status = 503;
        }
        return [JSON.stringify(frame)];
      },
    }),
  },
];
