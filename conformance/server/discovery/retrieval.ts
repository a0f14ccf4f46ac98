// discovery.md §1: retrieving the discovery document.

import fc from "fast-check";
import * as v from "valibot";
import { DiscoverySchema } from "../../../src/protocol/discovery.ts";
import { type Check, defineCheck } from "../../check.ts";
import { UNDEFINED_METHODS } from "../errors/_bad_request_kit.ts";

// Headers that describe the document rather than the exchange, so HEAD repeats GET's.
const REPRESENTATION_HEADERS = [
  "content-type",
  "cache-control",
  "access-control-allow-origin",
  "agent-stream-version",
  "etag",
  "last-modified",
  "vary",
];

/** Checks of discovery.md §1 (retrieval). */
export const discoveryRetrievalChecks: readonly Check[] = [
  defineCheck({
    id: "discovery.get.document",
    title: "GET /v1 answers 200 with a valid JSON discovery document, without credentials",
    section: "discovery.md §1",
    requirements: ["DISC-GET-1", "DISC-GET-2", "DISC-GET-3"],
    async run(t) {
      const reply = await t.http.request("GET", "/v1");
      t.expect(
        "DISC-GET-3",
        reply.status !== 401 && reply.status !== 403,
        `GET /v1 without credentials answered ${reply.status}`,
      );
      t.expectStatus("DISC-GET-1", reply, 200);
      const type = reply.headers.get("content-type") ?? "";
      t.expect("DISC-GET-1", /^application\/json\s*(;|$)/i.test(type), `Content-Type is ${type}`);
      t.expect("DISC-GET-1", reply.json !== undefined, "the body is not JSON");
      const parsed = v.safeParse(DiscoverySchema, reply.json);
      t.expect(
        "DISC-GET-2",
        parsed.success,
        `the document is not valid: ${
          parsed.issues?.map((i) => `${v.getDotPath(i) ?? "(root)"}: ${i.message}`).join("; ")
        }`,
      );
    },
  }),
  defineCheck({
    id: "discovery.get.any-version-header",
    title: "GET /v1 answers whatever Agent-Stream-Version the request names",
    section: "discovery.md §1",
    requirements: ["DISC-GET-4"],
    async run(t) {
      await t.property(
        fcVersionHeader(),
        async (header, run) => {
          const reply = await run.http.request("GET", "/v1", {
            headers: { "Agent-Stream-Version": header },
          });
          run.expectStatus("DISC-GET-4", reply, 200);
          run.expect(
            "DISC-GET-4",
            v.is(DiscoverySchema, reply.json),
            "no discovery document in the answer",
          );
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "discovery.head.same-as-get",
    title: "HEAD /v1 answers GET's status and headers, without a body",
    section: "discovery.md §1",
    requirements: ["DISC-GET-5"],
    async run(t) {
      const get = await t.http.request("GET", "/v1");
      const head = await t.http.request("HEAD", "/v1");
      t.expectEqual("DISC-GET-5", head.status, get.status, "HEAD status");
      t.expectEqual("DISC-GET-5", head.text, "", "HEAD body");
      for (const name of REPRESENTATION_HEADERS) {
        t.expectEqual(
          "DISC-GET-5",
          head.headers.get(name),
          get.headers.get(name),
          `HEAD ${name}`,
        );
      }
    },
  }),
  defineCheck({
    id: "discovery.method-not-allowed",
    title: "other methods on /v1 answer 405 method-not-allowed with Allow: GET, HEAD",
    section: "discovery.md §1",
    requirements: ["DISC-GET-6"],
    async run(t) {
      await t.property(
        fc.constantFrom("POST", "PUT", "DELETE", ...UNDEFINED_METHODS),
        async (method, run) => {
          const reply = await run.http.request(method, "/v1", {
            body: ["POST", "PUT", "PATCH"].includes(method) ? "{}" : undefined,
          });
          run.expectProblem("DISC-GET-6", reply, 405, "method-not-allowed");
          const allow = (reply.headers.get("allow") ?? "").split(",").map((s) =>
            s.trim().toUpperCase()
          );
          run.expect(
            "DISC-GET-6",
            allow.includes("GET") && allow.includes("HEAD"),
            `Allow is ${reply.headers.get("allow")}`,
          );
        },
      );
    },
  }),
  defineCheck({
    id: "discovery.cors",
    title: "the discovery document is readable cross-origin",
    section: "discovery.md §1",
    requirements: ["DISC-GET-7"],
    async run(t) {
      await t.property(
        fc.constantFrom("https://example.com", "http://localhost:3000", "null"),
        async (origin, run) => {
          const reply = await run.http.request("GET", "/v1", { headers: { Origin: origin } });
          run.expectEqual(
            "DISC-GET-7",
            reply.headers.get("access-control-allow-origin"),
            "*",
            `Access-Control-Allow-Origin for Origin ${origin}`,
          );
        },
        { numRuns: 3 },
      );
    },
  }),
];

function fcVersionHeader(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom("1.0", "1.7", "2.0", "0.9", "99.1", "", "banana", "1", "1.0.0"),
    fc.stringMatching(/^[ -~]{0,12}$/),
  );
}
