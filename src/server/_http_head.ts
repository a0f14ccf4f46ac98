// HEAD /v1/stream/{path}: metadata (spec/v1/http.md §7). The store's `head`
// does not restart the TTL, as LOG-TTL-2 requires of metadata requests.

import { errorResponse } from "./_problem.ts";
import type { HttpEnv } from "./_http_env.ts";
import { metadataHeaders } from "./_http_response.ts";

/** Answers HEAD on a stream URL (HTTP-HEAD-1, HTTP-HEAD-2). */
export async function handleHead(env: HttpEnv, path: string): Promise<Response> {
  try {
    const headers = metadataHeaders(await env.ctx.store.head(path));
    headers.set("cache-control", "no-store");
    return new Response(null, { status: 200, headers });
  } catch (error) {
    return errorResponse(error);
  }
}
