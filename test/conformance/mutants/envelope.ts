// Mutants of envelope validation on agent streams and of the pass-through of
// unknown events. Some turn agent streams into json streams inside the
// server and validate (wrongly) in front of it.

import * as v from "valibot";
import { EnvelopeSchema, RESERVED_NAMESPACES } from "../../../src/protocol/envelope.ts";
import { validate } from "../../../src/protocol/validate.ts";
import { mapHttp, type Mutant } from "../mutant.ts";

const KIND = "agent-stream-kind";

/** Mutants that break one requirement of envelope.md each. */
export const envelopeMutants: readonly Mutant[] = [
  {
    name: "validates only the first message of a batch",
    breaks: "ENV-AGENT-1",
    wrap: validatingInFront((messages) => messages.slice(0, 1)),
  },
  {
    name: "stores the valid messages of a partly invalid batch",
    breaks: "ENV-AGENT-1",
    wrap: mapHttp(async (request, next) => {
      const body = request.method === "POST" ? await request.clone().text() : "";
      const response = await next(request);
      if (response.status !== 400) return response;
      const problem = await response.clone().json().catch(() => undefined);
      if (problem?.type !== "https://agent-stream.dev/problems/invalid-envelope") return response;
      const messages = JSON.parse(body);
      const valid = Array.isArray(messages) ? messages.filter((m) => v.is(EnvelopeSchema, m)) : [];
      if (valid.length > 0) {
        await next(
          new Request(request.url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(valid),
          }),
        );
      }
      return response;
    }),
  },
  {
    name: "points into the message instead of the request body",
    breaks: "ENV-AGENT-2",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (response.status !== 400) return response;
      const problem = await response.clone().json().catch(() => undefined);
      if (problem?.type !== "https://agent-stream.dev/problems/invalid-envelope") return response;
      for (const error of problem.errors ?? []) {
        error.path = String(error.path).replace(/^\/[0-9]+/, "");
      }
      return problemResponse(problem, response);
    }),
  },
  {
    name: "validates the messages of json streams too",
    breaks: "ENV-AGENT-3",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "PUT" || request.headers.get(KIND) === "agent") return next(request);
      const headers = new Headers(request.headers);
      headers.set(KIND, "agent");
      return relabel(await next(new Request(request, { headers })), "json");
    }),
  },
  {
    name: "rejects envelope types outside the specification's vocabulary",
    breaks: "ENV-AGENT-4",
    wrap: validatingInFront((messages) => messages, (message) => {
      const type = (message as { type?: unknown }).type;
      return typeof type === "string" && RESERVED_NAMESPACES.includes(type.split(".")[0]);
    }),
  },
  {
    name: "does not validate the initial messages of a create",
    breaks: "ENV-AGENT-5",
    wrap: mapHttp(async (request, next) => {
      if (request.method !== "PUT" || request.headers.get(KIND) !== "agent") return next(request);
      const body = await request.clone().text();
      if (body === "") return next(request);
      const headers = new Headers(request.headers);
      headers.delete(KIND);
      return relabel(await next(new Request(request, { headers })), "agent");
    }),
  },
  {
    name: "drops members it does not know when reading",
    breaks: "ENV-UNKNOWN-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      const url = new URL(request.url);
      if (
        request.method !== "GET" || response.status !== 200 || url.searchParams.has("live") ||
        response.headers.get(KIND) !== "agent"
      ) return response;
      const messages = await response.json();
      const known = ["type", "id", "time", "runId", "meta"];
      const trimmed = messages.map((m: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(m).filter(([name]) => known.includes(name)))
      );
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(JSON.stringify(trimmed), { status: 200, headers });
    }),
  },
];

/**
 * Agent streams become json streams inside the server, and appends to them
 * are checked in front of it: `pick` chooses the messages that are looked
 * at, `accept` adds a rule of its own to the envelope schema.
 */
function validatingInFront(
  pick: (messages: unknown[]) => unknown[],
  accept: (message: unknown) => boolean = () => true,
): NonNullable<Mutant["wrap"]> {
  const agent = new Set<string>();
  return mapHttp(async (request, next) => {
    const path = new URL(request.url).pathname;
    if (request.method === "PUT" && request.headers.get(KIND) === "agent") {
      agent.add(path);
      const headers = new Headers(request.headers);
      headers.delete(KIND);
      return relabel(await next(new Request(request, { headers })), "agent");
    }
    if (!agent.has(path)) return next(request);
    if (request.method === "POST") {
      const text = await request.clone().text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return relabel(await next(request), "agent");
      }
      const messages = Array.isArray(body) ? body : [body];
      const errors = pick(messages).flatMap((message, index) => {
        const at = Array.isArray(body) ? `/${index}` : "";
        const result = validate(EnvelopeSchema, message);
        if (!result.ok) return result.errors.map((e) => ({ ...e, path: at + e.path }));
        return accept(message) ? [] : [{ path: `${at}/type`, message: "Unknown type" }];
      });
      if (errors.length > 0) {
        return problemResponse({
          type: "https://agent-stream.dev/problems/invalid-envelope",
          title: "Invalid envelope",
          status: 400,
          errors,
        });
      }
    }
    return relabel(await next(request), "agent");
  });
}

/** The response with `Agent-Stream-Kind` set to `kind` where it is present. */
function relabel(response: Response, kind: string): Response {
  if (!response.headers.has(KIND)) return response;
  const headers = new Headers(response.headers);
  headers.set(KIND, kind);
  return new Response(response.body, { status: response.status, headers });
}

function problemResponse(problem: unknown, like?: Response): Response {
  const headers = new Headers(like?.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/problem+json");
  return new Response(JSON.stringify(problem), { status: 400, headers });
}
