import { mapHttp, withHeaders } from "../mutant.ts";
import type { Mutant } from "../mutant.ts";

export const discoveryMutants: readonly Mutant[] = [
  {
    name: "discovery document without CORS header",
    breaks: "DISC-GET-7",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname === "/v1"
        ? withHeaders(response, { "access-control-allow-origin": null })
        : response;
    }),
  },
];
