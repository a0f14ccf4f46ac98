// DELETE /v1/stream/{path} (spec/v1/http.md §6). Live readers of the stream
// end through the store's subscriptions (LOG-DELETE-3).

import { errorResponse } from "./_problem.ts";
import type { HttpEnv } from "./_http_env.ts";

/** Answers DELETE on a stream URL (HTTP-DELETE-1, HTTP-DELETE-2). */
export async function handleDelete(env: HttpEnv, path: string): Promise<Response> {
  try {
    await env.ctx.store.delete(path);
  } catch (error) {
    return errorResponse(error);
  }
  await env.streams.deleted(path);
  return new Response(null, { status: 204 });
}
