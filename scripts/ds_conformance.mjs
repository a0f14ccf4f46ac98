// @ts-check
/**
 * Runs the Durable Streams server conformance suite against our reference
 * server, to report how much of that protocol the server speaks:
 *
 *     node scripts/ds_conformance.mjs <deno|bun> [--timeout <seconds>]
 *
 * It starts `src/cli.ts serve --store memory` under the runtime on a free
 * port, runs test/durable_streams/ with vitest (on Node.js) within the time
 * limit, prints the failures grouped by the suite's sections (vitest's own
 * output, with every failure in full, goes to .test-results/ds-<runtime>.log),
 * and ends with
 *
 *     Durable Streams conformance (<runtime>): N passed, M failed
 *
 * It reports and never fails: its exit status is 0 whatever the suite found,
 * because Durable Streams is a neighbouring protocol, not ours. The vitest
 * JSON report is kept in .test-results/ds-<runtime>.json.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** @param {string} path relative to the repository root */
const local = (path) => fileURLToPath(new URL(path, new URL("../", import.meta.url)));

const runtime = process.argv[2];
const timeoutIndex = process.argv.indexOf("--timeout");
const timeoutSeconds = timeoutIndex > 0 ? Number(process.argv[timeoutIndex + 1]) : 600;
const label = `Durable Streams conformance (${runtime})`;

if (runtime !== "deno" && runtime !== "bun") {
  console.error("usage: node scripts/ds_conformance.mjs <deno|bun> [--timeout <seconds>]");
  process.exit(2);
}

mkdirSync(local(".test-results"), { recursive: true });
const report = local(`.test-results/ds-${runtime}.json`);
const vitestLog = local(`.test-results/ds-${runtime}.log`);

/** @type {import("node:child_process").ChildProcess | undefined} */
let server;
try {
  const url = await startServer();
  console.log(`${label}: server at ${url}`);
  const status = await runVitest(url);
  summarise(status);
} catch (error) {
  console.log(`${label}: not run: ${error instanceof Error ? error.message : error}`);
  console.log(`${label}: 0 passed, 0 failed`);
} finally {
  server?.kill("SIGTERM");
}
process.exit(0);

/**
 * Starts the CLI server and resolves with its URL from the start-up line.
 * @returns {Promise<string>}
 */
function startServer() {
  const bin = local(`node_modules/.bin/${runtime}`);
  const args = runtime === "deno" ? ["run", "-A", "src/cli.ts"] : ["src/cli.ts"];
  const child = spawn(bin, [...args, "serve", "--port", "0", "--store", "memory"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start-up line in 60 s:\n${output}`)),
      60_000,
    );
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

/**
 * Runs vitest within the time limit; resolves with how it ended.
 * @param {string} url
 * @returns {Promise<string>}
 */
function runVitest(url) {
  const vitest = spawn(process.execPath, [
    local("node_modules/vitest/vitest.mjs"),
    "run",
    "--config",
    local("test/durable_streams/vitest.config.mjs"),
    "--reporter=dot",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ], {
    cwd: root,
    // Every failure in full would drown the CI log; the summary names them.
    stdio: ["ignore", openSync(vitestLog, "w"), openSync(vitestLog, "a")],
    env: { ...process.env, DS_BASE_URL: url, CI: "true" },
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      console.log(`${label}: stopped after ${timeoutSeconds} s`);
      vitest.kill("SIGKILL");
    }, timeoutSeconds * 1000);
    vitest.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? `killed (${signal})` : `exit ${code}`);
    });
  });
}

/**
 * Prints the failures by section and the closing line.
 * @param {string} status how vitest ended
 */
function summarise(status) {
  if (!existsSync(report)) {
    console.log(`${label}: vitest wrote no report (${status})`);
    console.log(`${label}: 0 passed, 0 failed`);
    return;
  }
  /** @type {{ testResults: { assertionResults: { ancestorTitles: string[], title: string, status: string, failureMessages?: string[] }[] }[] }} */
  const json = JSON.parse(readFileSync(report, "utf8"));
  const tests = json.testResults.flatMap((file) => file.assertionResults);
  const passed = tests.filter((t) => t.status === "passed").length;
  const skipped = tests.length - passed - tests.filter((t) => t.status === "failed").length;
  const failures = tests.filter((t) => t.status === "failed");
  /** @type {Map<string, string[]>} */
  const sections = new Map();
  for (const failure of failures) {
    const section = failure.ancestorTitles[0] ?? "(top level)";
    sections.set(section, [...(sections.get(section) ?? []), failure.title]);
  }
  const ranked = [...sections].sort((a, b) => b[1].length - a[1].length);
  console.log(`${label}: ${tests.length} tests, ${skipped} skipped; vitest ${status}`);
  if (ranked.length > 0) console.log(`${label}: failures by section (details in ${vitestLog}):`);
  for (const [section, titles] of ranked) {
    console.log(`  ${String(titles.length).padStart(4)}  ${section}`);
    for (const title of titles.slice(0, 3)) console.log(`          - ${title}`);
  }
  console.log(`${label}: ${passed} passed, ${failures.length} failed`);
}
