// http.md §11: what browsers need, CORS and nosniff.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { appendJson, assortedReplies } from "./_support.ts";

const ORIGIN = "https://app.example";

const REQUEST_HEADERS = [
  "Content-Type",
  "Producer-Id",
  "Producer-Epoch",
  "Producer-Seq",
  "Stream-Closed",
  "Stream-Seq",
  "Stream-TTL",
  "Stream-Expires-At",
  "Stream-Forked-From",
  "Stream-Fork-Offset",
  "Agent-Stream-Version",
  "Agent-Stream-Kind",
  "If-None-Match",
];

const EXPOSED = [
  "Stream-Next-Offset",
  "Stream-Up-To-Date",
  "Stream-Closed",
  "Stream-Cursor",
  "Stream-TTL",
  "Stream-Expires-At",
  "Producer-Epoch",
  "Producer-Seq",
  "Producer-Expected-Seq",
  "Producer-Received-Seq",
  "Agent-Stream-Version",
  "Agent-Stream-Kind",
  "ETag",
  "Location",
];

function list(reply: HttpReply, name: string): string[] {
  return (reply.headers.get(name) ?? "").split(",").map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

function allowsOrigin(reply: HttpReply): boolean {
  const allowed = reply.headers.get("access-control-allow-origin");
  return allowed === "*" || allowed === ORIGIN;
}

/** Checks of http.md §11 (browsers). */
export const httpBrowsersChecks: readonly Check[] = [
  defineCheck({
    id: "http.browsers.preflight",
    title:
      "CORS preflights of the discovery document and of stream URLs allow the protocol's methods and headers",
    section: "http.md §11",
    requirements: ["HTTP-CORS-1"],
    async run(t) {
      const existing = await t.createStream(undefined, { requirement: "HTTP-CORS-1" });
      await t.property(
        fc.record({
          resource: fc.constantFrom("discovery", "stream", "missing"),
          method: fc.constantFrom("GET", "HEAD", "PUT", "POST", "DELETE"),
          headers: fc.subarray(REQUEST_HEADERS),
        }),
        async ({ resource, method: wanted, headers }, run) => {
          const discovery = resource === "discovery";
          const method = discovery && wanted !== "HEAD" ? "GET" : wanted;
          const path = discovery
            ? "/v1"
            : resource === "stream"
            ? existing
            : run.streamUrl(run.stream("missing"));
          const reply = await run.http.request("OPTIONS", path, {
            headers: {
              Origin: ORIGIN,
              "Access-Control-Request-Method": method,
              ...(headers.length > 0
                ? { "Access-Control-Request-Headers": headers.join(",").toLowerCase() }
                : {}),
            },
          });
          run.expect(
            "HTTP-CORS-1",
            reply.status >= 200 && reply.status < 300,
            `status ${reply.status}`,
          );
          run.expect("HTTP-CORS-1", allowsOrigin(reply), "the origin is not allowed");
          const methods = list(reply, "access-control-allow-methods");
          run.expect(
            "HTTP-CORS-1",
            methods.includes("*") || methods.includes(method.toLowerCase()) ||
              ["get", "head", "post"].includes(method.toLowerCase()) && methods.length === 0,
            `${method} is not among the allowed methods ${methods.join(", ")}`,
          );
          const allowed = list(reply, "access-control-allow-headers");
          for (const header of headers) {
            run.expect(
              "HTTP-CORS-1",
              allowed.includes("*") || allowed.includes(header.toLowerCase()),
              `${header} is not among the allowed headers ${allowed.join(", ")}`,
            );
          }
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.browsers.exposed-headers",
    title: "responses expose the Stream-*, Producer-*, Agent-Stream-*, ETag and Location headers",
    section: "http.md §11",
    requirements: ["HTTP-CORS-1"],
    async run(t) {
      const url = t.streamUrl(t.stream("cors"));
      const origin = { Origin: ORIGIN };
      const replies: [string, HttpReply][] = [
        [
          "create",
          await t.http.request("PUT", url, {
            headers: { ...origin, "Content-Type": "application/json" },
          }),
        ],
        ["append", await appendJson(t, url, [1], origin)],
        ["read", await t.http.request("GET", `${url}?offset=-1`, { headers: origin })],
        ["metadata", await t.http.request("HEAD", url, { headers: origin })],
      ];
      for (const [what, reply] of replies) {
        t.expect("HTTP-CORS-1", allowsOrigin(reply), `${what}: the origin is not allowed`);
        const exposed = list(reply, "access-control-expose-headers");
        if (exposed.includes("*")) continue;
        const missing = EXPOSED.filter((h) => !exposed.includes(h.toLowerCase()));
        t.expect(
          "HTTP-CORS-1",
          missing.length === 0,
          `${what} does not expose ${missing.join(", ")}`,
        );
      }
    },
  }),
  defineCheck({
    id: "http.browsers.nosniff",
    title: "every response carries X-Content-Type-Options: nosniff",
    section: "http.md §11",
    requirements: ["HTTP-CORS-2"],
    async run(t) {
      for (const [what, reply] of await assortedReplies(t)) {
        t.expectEqual(
          "HTTP-CORS-2",
          reply.headers.get("x-content-type-options")?.toLowerCase(),
          "nosniff",
          `X-Content-Type-Options of ${what} (${reply.status})`,
        );
      }
    },
  }),
];
