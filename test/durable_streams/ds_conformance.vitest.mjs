// @ts-check
// The Durable Streams server conformance suite, run by vitest against a server
// that scripts/ds_conformance.mjs started (DS_BASE_URL). Named *.vitest.mjs so
// that `deno test` and `bun test` leave it alone.

import { runConformanceTests } from "@durable-streams/server-conformance-tests";

const baseUrl = process.env.DS_BASE_URL;
if (!baseUrl) throw new Error("DS_BASE_URL is not set; run scripts/ds_conformance.mjs");

runConformanceTests({
  baseUrl,
  // Our long-poll waits DEFAULT_TIMING.longPollTimeoutMs (30 s) before its 204.
  longPollTimeoutMs: Number(process.env.DS_LONG_POLL_MS ?? 30_000),
});
