import assert from "node:assert/strict";
import { test } from "node:test";
import { runCrashRounds } from "./_harness.ts";

test("FileStore loses no acknowledged append and tears no batch when killed", {
  timeout: 120_000,
}, async () => {
  const report = await runCrashRounds("file", 20);
  console.log(`crash test (file): ${JSON.stringify(report)}`);
  assert.ok(report.acknowledged > 0, "the child acknowledged appends before some kill");
});
