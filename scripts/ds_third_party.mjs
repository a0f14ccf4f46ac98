// @ts-check
/**
 * Runs the log-layer checks of our conformance suite (LOG, HTTP, GEN, SSE)
 * against the Durable Streams reference server (npm `@durable-streams/server`),
 * to record where a plain Durable Streams server meets this profile and why
 * it differs where it does:
 *
 *     node scripts/ds_third_party.mjs [--timeout <seconds>]
 *
 * It starts the server with scripts/ds_server.mjs (in memory, long-poll
 * timeout 30 s), runs `conformance/cli.ts server` under Deno with a fixed
 * seed, `--no-discovery` and the features that server has, writes the
 * suite's JSON report to .test-results/ds-third-party.json (the suite's own
 * output goes to .test-results/ds-third-party-suite.log), and prints every
 * check that failed grouped by its classification in
 * conformance/results/durable_streams_classification.json:
 *
 * - `narrowing`: this profile deliberately narrows or extends Durable Streams;
 * - `finding`: the server departs from the Durable Streams protocol itself;
 * - `check-defect-fixed`: the check was wrong and has been fixed.
 *
 * A failure the table does not classify is printed as unclassified, and a
 * classified check that no longer fails is named too. It ends with
 *
 *     Durable Streams conformance (third party): N passed, M failed (…), K skipped
 *
 * It reports and never fails: its exit status is 0 whatever the run found.
 * conformance/results/durable-streams.md records and explains a run.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** @param {string} path relative to the repository root */
const local = (path) => fileURLToPath(new URL(path, new URL("../", import.meta.url)));

/** The run recorded in conformance/results/durable-streams.md. */
const SEED = 1;
const ONLY = "LOG,HTTP,GEN,SSE";
const FEATURES = "long-poll,sse,idempotent-producer,stream-seq,ttl,fork";
/** The server's long-poll timeout, which is also the suite's default without a discovery document. */
const LONG_POLL_MS = 30_000;

const timeoutIndex = process.argv.indexOf("--timeout");
const timeoutSeconds = timeoutIndex > 0 ? Number(process.argv[timeoutIndex + 1]) : 240;
const label = "Durable Streams conformance (third party)";

/** @typedef {{ class: string, requirement: string, reason: string }} Classification */
/**
 * @typedef {{
 *   id: string,
 *   status: string,
 *   skipReason?: string,
 *   failure?: { requirement?: string, level?: string, message: string },
 * }} CheckResult
 */

const CLASSES = [
  ["finding", "the server departs from the Durable Streams protocol itself"],
  ["check-defect-fixed", "the check was wrong and has been fixed"],
  ["narrowing", "this profile narrows or extends Durable Streams"],
];

mkdirSync(local(".test-results"), { recursive: true });
const report = local(".test-results/ds-third-party.json");
const suiteLog = local(".test-results/ds-third-party-suite.log");
rmSync(report, { force: true });

/** @type {import("node:child_process").ChildProcess | undefined} */
let server;
try {
  const url = await startServer();
  console.log(`${label}: @durable-streams/server ${serverVersion()} at ${url}, seed ${SEED}`);
  const status = await runSuite(url);
  summarise(status);
} catch (error) {
  console.log(`${label}: not run: ${error instanceof Error ? error.message : error}`);
  console.log(`${label}: 0 passed, 0 failed`);
} finally {
  server?.stdin?.end();
  server?.kill("SIGTERM");
}
process.exit(0);

/** The installed version of the server package. */
function serverVersion() {
  try {
    const json = readFileSync(local("node_modules/@durable-streams/server/package.json"), "utf8");
    return String(JSON.parse(json).version);
  } catch {
    return "(version unknown)";
  }
}

/**
 * Starts the Durable Streams server and resolves with the URL it prints first.
 * Its standard input stays open: the server stops when it closes.
 * @returns {Promise<string>}
 */
function startServer() {
  const child = spawn(
    process.execPath,
    [local("scripts/ds_server.mjs"), "--long-poll-ms", String(LONG_POLL_MS)],
    { cwd: root, stdio: ["pipe", "pipe", "pipe"] },
  );
  server = child;
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 30 s:\n${output}`)), 30_000);
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /^(http:\/\/\S+)\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk) => output += chunk.toString());
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

/**
 * Runs the server suite under Deno within the time limit; resolves with how it ended.
 * @param {string} url
 * @returns {Promise<string>}
 */
function runSuite(url) {
  const deno = local("node_modules/.bin/deno");
  if (!existsSync(deno)) throw new Error(`${deno} is missing (npm install)`);
  const suite = spawn(deno, [
    "run",
    "-A",
    "conformance/cli.ts",
    "server",
    "--url",
    url,
    "--no-discovery",
    "--features",
    FEATURES,
    "--only",
    ONLY,
    "--seed",
    String(SEED),
    // Lets the checks that wait out the long-poll timeout run.
    "--max-wait",
    String(LONG_POLL_MS + 5_000),
    "--quiet",
    "--json",
    report,
  ], {
    cwd: root,
    stdio: ["ignore", openSync(suiteLog, "w"), openSync(suiteLog, "a")],
    env: { ...process.env, NO_COLOR: "1" },
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.log(`${label}: stopped after ${timeoutSeconds} s`);
      suite.kill("SIGKILL");
    }, timeoutSeconds * 1000);
    suite.on("error", (error) => {
      clearTimeout(timer);
      resolve(`not started (${error.message})`);
    });
    suite.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? `killed (${signal})` : `exit ${code}`);
    });
  });
}

/**
 * Prints the failures by classification and the closing line.
 * @param {string} status how the suite ended
 */
function summarise(status) {
  if (!existsSync(report)) {
    console.log(`${label}: the suite wrote no report (${status}); its output: ${suiteLog}`);
    console.log(`${label}: 0 passed, 0 failed`);
    return;
  }
  /** @type {{ checks: CheckResult[], runtime?: string }} */
  const json = JSON.parse(readFileSync(report, "utf8"));
  /** @type {Record<string, Classification>} */
  const table = JSON.parse(
    readFileSync(local("conformance/results/durable_streams_classification.json"), "utf8"),
  );
  const checks = json.checks;
  const count = (/** @type {string} */ s) => checks.filter((c) => c.status === s).length;
  const different = checks.filter((c) => c.status === "failed" || c.status === "error");
  console.log(
    `${label}: ${checks.length} checks (${json.runtime ?? "runtime unknown"}; suite ${status}): ` +
      `${count("passed")} passed, ${count("failed")} failed, ${count("error")} erred, ` +
      `${count("skipped")} skipped; report in ${report}`,
  );

  /** @type {Map<string, CheckResult[]>} */
  const byClass = new Map();
  for (const check of different) {
    const cls = table[check.id]?.class ?? "unclassified";
    byClass.set(cls, [...(byClass.get(cls) ?? []), check]);
  }
  for (const [cls, meaning] of CLASSES) {
    const list = byClass.get(cls) ?? [];
    if (list.length === 0) continue;
    console.log(`\n${cls} (${list.length}): ${meaning}`);
    /** @type {Map<string, CheckResult[]>} */
    const byRequirement = new Map();
    for (const check of list) {
      const requirement = table[check.id].requirement;
      byRequirement.set(requirement, [...(byRequirement.get(requirement) ?? []), check]);
    }
    const ranked = [...byRequirement].sort((a, b) => b[1].length - a[1].length);
    for (const [requirement, group] of ranked) {
      console.log(`  ${String(group.length).padStart(3)}  ${requirement}`);
      if (cls === "narrowing") {
        console.log(wrap(group.map((c) => c.id).join(", "), "         "));
        continue;
      }
      for (const check of group) {
        console.log(`         ${check.id}: ${check.failure?.message ?? check.status}`);
        console.log(wrap(table[check.id].reason, "           "));
      }
    }
  }
  const unclassified = byClass.get("unclassified") ?? [];
  if (unclassified.length > 0) {
    console.log(`\nunclassified (${unclassified.length}): not in the classification table`);
    for (const check of unclassified) {
      console.log(`  ${check.id} (${check.status}): ${check.failure?.message ?? ""}`);
    }
  }
  const failing = new Set(different.map((c) => c.id));
  const stale = Object.keys(table).filter((id) => !failing.has(id));
  if (stale.length > 0) {
    console.log(`\nclassified but not failing in this run (${stale.length}):`);
    for (const id of stale) {
      const check = checks.find((c) => c.id === id);
      console.log(`  ${id}: ${check ? check.status : "not run"}`);
    }
  }
  const passed = checks.filter((c) => c.status === "passed").map((c) => c.id);
  if (passed.length > 0) {
    console.log(`\npassed (${passed.length}):\n${wrap(passed.join(", "), "  ")}`);
  }
  const counts = [...CLASSES.map(([cls]) => cls), "unclassified"]
    .map((cls) => `${(byClass.get(cls) ?? []).length} ${cls}`)
    .join(", ");
  console.log(
    `\n${label}: ${count("passed")} passed, ${different.length} failed (${counts}), ` +
      `${count("skipped")} skipped`,
  );
}

/**
 * `text` broken into lines of at most 100 characters, each after `indent`.
 * @param {string} text
 * @param {string} indent
 */
function wrap(text, indent) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent.length + line.length + 1 + word.length > 100) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(indent + line);
  return lines.join("\n");
}
