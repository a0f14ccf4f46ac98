import { mapHttp } from "../mutant.ts";
import type { Mutant } from "../mutant.ts";

/** Mutants breaking requirements of overview.md. */
export const overviewMutants: readonly Mutant[] = [
  {
    name: "stream requests need Agent-Stream-Version",
    breaks: "GEN-DS-2",
    wrap: mapHttp((request, next) => {
      const url = new URL(request.url);
      if (!url.pathname.startsWith("/v1/stream/") || request.headers.has("agent-stream-version")) {
        return next(request);
      }
      const type = "https://agent-stream.dev/problems/invalid-header";
      return Promise.resolve(
        new Response(JSON.stringify({ type, title: "Invalid header", status: 400 }), {
          status: 400,
          headers: { "content-type": "application/problem+json" },
        }),
      );
    }),
  },
  {
    name: "a read without offset starts at the tail",
    breaks: "GEN-DS-1",
    wrap: mapHttp((request, next) => {
      const url = new URL(request.url);
      if (request.method !== "GET" || url.searchParams.has("offset")) return next(request);
      if (!url.pathname.startsWith("/v1/stream/")) return next(request);
      url.searchParams.set("offset", "now");
      return next(new Request(url, request));
    }),
  },
];
