import assert from "node:assert/strict";
import { test } from "node:test";
import { runCrashRounds } from "./_harness.ts";

test("SqliteStore loses no acknowledged append and tears no batch when killed", {
  timeout: 120_000,
}, async () => {
  const report = await runCrashRounds("sqlite", 20);
  console.log(`crash test (sqlite): ${JSON.stringify(report)}`);
  assert.ok(report.acknowledged > 0, "the child acknowledged appends before some kill");
});
