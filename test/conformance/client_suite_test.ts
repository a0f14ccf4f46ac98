// The client suite against the reference clients, through their adapters,
// with the running runtime (Deno or Bun); and against broken clients, each
// of which must be caught by a check citing the requirement it breaks.

import assert from "node:assert/strict";
import process from "node:process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runClientSuite } from "../../conformance/client_suite.ts";
import { formatFailures } from "./_report_text.ts";

/** The argv that runs `file` (relative to the repository) with this runtime. */
function adapter(file: string, ...args: string[]): string[] {
  const path = fileURLToPath(new URL(`../../${file}`, import.meta.url));
  return "Deno" in globalThis
    ? [process.execPath, "run", "-A", path, ...args]
    : [process.execPath, path, ...args];
}

const REFERENCE = [
  { name: "StreamClient (SSE, long-poll)", file: "conformance/adapters/stream_client_adapter.ts" },
  { name: "WsClient (WebSocket)", file: "conformance/adapters/ws_client_adapter.ts" },
];

for (const { name, file } of REFERENCE) {
  test(
    `client suite: the ${name} adapter passes every check it can run`,
    { timeout: 90_000 },
    async () => {
      const started = Date.now();
      const report = await runClientSuite({ adapter: adapter(file), numRuns: 10 });
      const passed = report.checks.filter((c) => c.status === "passed");
      assert.ok(passed.length > 10, `only ${passed.length} checks passed`);
      const bad = report.checks.filter((c) => c.status === "failed" || c.status === "error");
      assert.deepEqual(bad.map((c) => c.id), [], formatFailures(report));
      assert.ok(report.summary.conforms);
      assert.ok(Date.now() - started < 30_000, `the suite took ${Date.now() - started} ms`);
    },
  );
}

/** A client with one bug; a check citing `breaks` must report exactly that requirement. */
interface ClientMutant {
  readonly breaks: string;
  readonly name: string;
  readonly file: string;
  readonly bug: string;
}

const STREAM = "test/conformance/client_mutants/broken_stream_client.ts";
const WS = "test/conformance/client_mutants/broken_ws_client.ts";

const MUTANTS: readonly ClientMutant[] = [
  {
    breaks: "SSE-RESUME-4",
    name: "resumes one message early",
    file: STREAM,
    bug: "resume-wrong-offset",
  },
  {
    breaks: "SSE-RESUME-4",
    name: "hands over a duplicate after reconnecting",
    file: STREAM,
    bug: "duplicate-after-reconnect",
  },
  {
    breaks: "SSE-RESUME-4",
    name: "reconnects after the stream closed",
    file: STREAM,
    bug: "reconnect-after-close",
  },
  {
    breaks: "SSE-HEARTBEAT-3",
    name: "waits on a silent connection",
    file: STREAM,
    bug: "no-dead-connection-detection",
  },
  {
    breaks: "ERR-RETRY-3",
    name: "ignores Retry-After and retryAfterMs",
    file: STREAM,
    bug: "ignore-retry-after",
  },
  {
    breaks: "ERR-TYPE-5",
    name: "identifies a problem by its title",
    file: STREAM,
    bug: "type-from-title",
  },
  {
    breaks: "ERR-RETRY-4",
    name: "retries final problems",
    file: STREAM,
    bug: "retry-final-problems",
  },
  {
    breaks: "ERR-RETRY-5",
    name: "repeats a failed plain append",
    file: STREAM,
    bug: "repeat-unsafe-appends",
  },
  { breaks: "ERR-RETRY-6", name: "retries at a constant pace", file: STREAM, bug: "no-backoff" },
  {
    breaks: "WS-RESUME-1",
    name: "resubscribes from the start",
    file: WS,
    bug: "resubscribe-from-start",
  },
  { breaks: "WS-FLOW-6", name: "never acknowledges", file: WS, bug: "no-acks" },
  { breaks: "WS-HEARTBEAT-2", name: "leaves pings unanswered", file: WS, bug: "no-pong" },
  {
    breaks: "WS-APPEND-15",
    name: "reuses a pending request id",
    file: WS,
    bug: "reuse-request-id",
  },
  {
    breaks: "WS-CLOSE-5",
    name: "reconnects before retryAfterMs",
    file: WS,
    bug: "ignore-goodbye-delay",
  },
  {
    breaks: "WS-CLOSE-6",
    name: "reconnects after goodbye without reconnect",
    file: WS,
    bug: "reconnect-after-goodbye",
  },
  {
    breaks: "WS-FRAME-8",
    name: "drops the connection on an unknown frame type",
    file: WS,
    bug: "unknown-frame-drops",
  },
];

for (const mutant of MUTANTS) {
  test(`client mutant caught: ${mutant.breaks} ${mutant.name}`, { timeout: 60_000 }, async () => {
    const report = await runClientSuite({
      adapter: adapter(mutant.file, "--bug", mutant.bug),
      only: [mutant.breaks],
      seed: 1,
      numRuns: 10,
      // Attribution needs the failure, not its smallest form.
      shrink: false,
      // A broken client keeps checks waiting for what never comes.
      timeoutMs: 5_000,
    });
    assert.ok(report.checks.length > 0, `no check cites ${mutant.breaks}`);
    const caught = report.checks.filter((c) => c.failure?.requirement === mutant.breaks);
    assert.ok(
      caught.length > 0,
      `no check reported ${mutant.breaks}; results:\n${
        report.checks.map((c) => `${c.id}: ${c.status}${c.skipReason ? ` (${c.skipReason})` : ""}`)
          .join("\n")
      }\n${formatFailures(report)}`,
    );
  });
}

test("client mutants: at least five, each a different bug", () => {
  assert.ok(MUTANTS.length >= 5);
  assert.equal(new Set(MUTANTS.map((m) => `${m.file} ${m.bug}`)).size, MUTANTS.length);
});
