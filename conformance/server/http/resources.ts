// http.md §1: the resources, the methods they allow, unknown resources.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";

const STREAM_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"];

/** Checks of http.md §1 (resources). */
export const httpResourcesChecks: readonly Check[] = [
  defineCheck({
    id: "http.resources.method-not-allowed",
    title: "a method a stream URL does not support answers 405 method-not-allowed with Allow",
    section: "http.md §1",
    requirements: ["HTTP-RES-1"],
    async run(t) {
      const url = await t.createStream();
      await t.property(
        fc.record({
          method: fc.constantFrom("PATCH", "PROPFIND", "LINK", "MKCOL", "PURGE", "UNLINK"),
          body: fc.boolean(),
        }),
        async ({ method, body }, run) => {
          const reply = await run.http.request(method, url, {
            body: body ? { json: [1] } : undefined,
          });
          run.expectProblem("HTTP-RES-1", reply, 405, "method-not-allowed");
          const allow = (reply.headers.get("allow") ?? "").split(",").map((m) =>
            m.trim().toUpperCase()
          );
          for (const expected of STREAM_METHODS) {
            run.expect(
              "HTTP-RES-1",
              allow.includes(expected),
              `Allow does not list ${expected}: ${reply.headers.get("allow")}`,
            );
          }
          run.expect("HTTP-RES-1", !allow.includes(method), `Allow lists ${method} itself`);
        },
        { numRuns: 6 },
      );
    },
  }),
  defineCheck({
    id: "http.resources.unknown",
    title: "a request for an unknown resource under /v1 answers 404 not-found",
    section: "http.md §1",
    requirements: ["HTTP-RES-2"],
    async run(t) {
      const known = new Set(
        [t.discovery.bindings?.websocket?.path, t.discovery.bindings?.http?.streamPrefix]
          .filter((p): p is string => typeof p === "string")
          .map((p) => p.replace(/^\/v1\//, "").split("/")[0]),
      );
      await t.property(
        fc.record({
          name: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((n) => !known.has(n)),
          rest: fc.constantFrom("", "/x", "/a/b", "/"),
          method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        }),
        async ({ name, rest, method }, run) => {
          const reply = await run.http.request(method, `/v1/zz-${name}${rest}`, {
            body: method === "POST" || method === "PUT" ? { json: [1] } : undefined,
          });
          run.expectProblem("HTTP-RES-2", reply, 404, "not-found");
        },
        { numRuns: 8 },
      );
    },
  }),
];
