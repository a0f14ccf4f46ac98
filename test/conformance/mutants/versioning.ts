// Mutants of version negotiation and forward compatibility over HTTP.

import { mapHttp, type Mutant } from "../mutant.ts";

const VERSION = "agent-stream-version";

/** Mutants that break one requirement of versioning.md each. */
export const versioningMutants: readonly Mutant[] = [
  {
    name: "serves a request for another major version as 1.0",
    breaks: "VER-NEG-2",
    wrap: mapHttp((request, next) => {
      const asked = request.headers.get(VERSION);
      if (asked === null || !/^[0-9]+\.[0-9]+$/.test(asked)) return next(request);
      const headers = new Headers(request.headers);
      headers.set(VERSION, "1.0");
      return next(new Request(request, { headers }));
    }),
  },
  {
    name: "refuses a minor version it does not serve instead of falling back",
    breaks: "VER-NEG-1",
    wrap: mapHttp(async (request, next) => {
      const asked = request.headers.get(VERSION);
      const url = new URL(request.url);
      if (asked === null || asked === "1.0" || url.pathname === "/v1") return next(request);
      const headers = new Headers(request.headers);
      headers.set(VERSION, "0.0");
      return await next(new Request(request, { headers }));
    }),
  },
  {
    name: "lists 1.1 and not 1.0 in the discovery document",
    breaks: "VER-NEG-3",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (new URL(request.url).pathname !== "/v1" || response.status !== 200) return response;
      const document = await response.json();
      document.versions = ["1.1"];
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(JSON.stringify(document), { status: 200, headers });
    }),
  },
  {
    name: "rejects query parameters it does not know",
    breaks: "VER-FWD-1",
    wrap: mapHttp((request, next) => {
      const url = new URL(request.url);
      const unknown = [...url.searchParams.keys()].find((name) =>
        !["offset", "limit", "live", "cursor"].includes(name)
      );
      if (unknown === undefined || !url.pathname.startsWith("/v1/stream/")) return next(request);
      return Promise.resolve(
        Response.json({
          type: "https://agent-stream.dev/problems/invalid-parameter",
          title: "Invalid parameter",
          status: 400,
          detail: `Unknown query parameter ${unknown}`,
        }, { status: 400, headers: { "content-type": "application/problem+json" } }),
      );
    }),
  },
];
