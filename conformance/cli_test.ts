import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type CliIo, main } from "./cli.ts";
import { coverage, suiteCoverageInput } from "./coverage.ts";
import { reportFromJson } from "./report_json.ts";
import { elements, parseXml, textOf } from "./_report_test_kit.ts";
import { mapHttp, withHeaders, withStatus } from "../test/conformance/mutant.ts";
import { type ReferenceOptions, startReference } from "../test/conformance/reference_server.ts";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: readonly string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => stdout += text,
    stderr: (text) => stderr += text,
    async writeFile(path, text) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

async function withServer<T>(
  options: ReferenceOptions,
  body: (url: string) => Promise<T>,
): Promise<T> {
  const server = await startReference(options);
  try {
    return await body(server.url);
  } finally {
    await server.close();
  }
}

function tempDir(): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), "conformance-cli-"));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

describe("conformance CLI: usage", () => {
  it("prints help for the command line and each command, exit 0", async () => {
    for (
      const [args, pattern] of [
        [["--help"], /Usage: conformance <command>/],
        [["help"], /Commands:/],
        [["server", "--help"], /Usage: conformance server --url <base>/],
        [["client", "-h"], /Usage: conformance client --adapter/],
        [["coverage", "--help"], /Usage: conformance coverage/],
      ] as const
    ) {
      const result = await run(args);
      assert.equal(result.code, 0, args.join(" "));
      assert.match(result.stdout, pattern);
      assert.equal(result.stderr, "");
    }
  });

  it("answers a usage error with a clear message and exit 2", async () => {
    for (
      const [args, message] of [
        [[], /Usage: conformance <command>/],
        [["serve"], /unknown command "serve"/],
        [["server"], /--url is required/],
        [["server", "--url"], /option --url needs a value/],
        [["server", "--url", "localhost:8787"], /--url must be an http or https URL/],
        [["server", "--url", "not a url"], /--url must be an absolute URL/],
        [["server", "--url", "http://x", "--bogus"], /unknown option --bogus/],
        [["server", "--url", "http://x", "extra"], /unexpected argument extra/],
        [["server", "--url", "http://x", "--seed", "abc"], /--seed must be an integer/],
        [["server", "--url", "http://x", "--runs", "0"], /--runs must be an integer from 1/],
        [["server", "--url", "http://x", "--max-wait=-5"], /--max-wait must be an integer/],
        [["server", "--url", "http://x", "--timeout", "1.5"], /--timeout must be an integer/],
        [["server", "--url", "http://x", "--replay", "1:2"], /--replay needs --check and --seed/],
        [["server", "--url", "http://x", "--check", "no.such.check"], /no server check has the ID/],
        [["server", "--url", "http://x", "--only", "NOPE-"], /--only NOPE- selects no check/],
        [
          ["server", "--url", "http://x", "--features", "sse,websockets"],
          /unknown feature "websockets"/,
        ],
        [
          ["server", "--url", "http://x", "--check", "a", "--only", "b"],
          /either --check or --only/,
        ],
        [["server", "--url", "http://x", "--json", ""], /--json must not be empty/],
        [["server", "--url", "http://x", "--json", "-", "--html", "-"], /only one report can go/],
        [["client"], /--adapter is required/],
        [["client", "--adapter", "x", "--url", "http://x"], /unknown option --url/],
        [["coverage", "--html", "x"], /unknown option --html/],
      ] as const
    ) {
      const result = await run(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
      if (args.length > 0) assert.match(result.stderr, /--help" for the options/);
    }
  });

  it("accepts the -- that deno task hands on", async () => {
    const result = await run(["--", "server", "--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: conformance server/);
  });
});

describe("conformance CLI: server runs", () => {
  it("conforms against the reference server, exit 0, and writes every report format", async () => {
    using dir = tempDir();
    const json = join(dir.path, "out", "report.json");
    const junit = join(dir.path, "out", "report.xml");
    const html = join(dir.path, "report.html");
    const result = await withServer({}, (url) =>
      run([
        "server",
        "--url",
        url,
        "--only",
        "DISC-GET",
        "--runs",
        "3",
        "--seed",
        "1",
        "--json",
        json,
        "--junit",
        junit,
        "--html",
        html,
      ]));
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /PASS {2}discovery\./);
    assert.match(result.stdout, /Verdict: CONFORMS/);
    const report = reportFromJson(readFileSync(json, "utf8"));
    assert.equal(report.summary.conforms, true);
    assert.equal(report.seed, 1);
    assert.equal(report.numRuns, 3);
    assert.ok(report.checks.length > 0);
    assert.ok(report.checks.every((c) => c.requirements.some((id) => id.startsWith("DISC-GET"))));
    const xml = parseXml(readFileSync(junit, "utf8"));
    assert.equal(elements(xml, "testcase").length, report.checks.length);
    assert.equal(elements(xml, "failure").length + elements(xml, "error").length, 0);
    const page = parseXml(readFileSync(html, "utf8"), { doctype: true });
    assert.match(textOf(page), /CONFORMS/);
  });

  it("writes JSON to standard output with --json -, and the terminal report to stderr", async () => {
    const result = await withServer(
      {},
      (url) => run(["server", "--url", url, "--only", "DISC-GET-1", "--json", "-", "--quiet"]),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(reportFromJson(result.stdout).summary.conforms, true);
    assert.match(result.stderr, /Verdict: CONFORMS/);
    assert.doesNotMatch(result.stderr, /PASS/, "--quiet prints no passing check");
  });

  it("fails a server that breaks a MUST, exit 1, with the failure and its replay command", async () => {
    // Other methods on /v1 answer 404 instead of 405: DISC-GET-6.
    const broken = mapHttp(async (request, next) => {
      const response = await next(request);
      const other = !["GET", "HEAD", "OPTIONS"].includes(request.method);
      return new URL(request.url).pathname === "/v1" && other
        ? withStatus(response, 404)
        : response;
    });
    using dir = tempDir();
    const junit = join(dir.path, "report.xml");
    const result = await withServer(
      { wrap: broken },
      (url) => run(["server", "--url", url, "--only", "DISC-GET", "--seed", "3", "--junit", junit]),
    );
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /FAIL {2}discovery\./);
    assert.match(result.stdout, /requirement: DISC-GET-6 \(MUST\)/);
    assert.match(result.stdout, /MUST requirements failed \(1\)/);
    assert.match(result.stdout, /Verdict: DOES NOT CONFORM/);
    const xml = parseXml(readFileSync(junit, "utf8"));
    const failures = elements(xml, "failure");
    assert.ok(failures.length > 0);
    for (const failure of failures) assert.equal(failure.attributes.type, "DISC-GET-6 MUST");
  });

  it("treats a failed SHOULD as a warning: exit 0, no JUnit failure", async () => {
    // No Access-Control-Allow-Origin on the discovery document: DISC-GET-7, a SHOULD.
    const noCors = mapHttp(async (request, next) => {
      const response = await next(request);
      return new URL(request.url).pathname === "/v1"
        ? withHeaders(response, { "access-control-allow-origin": null })
        : response;
    });
    using dir = tempDir();
    const junit = join(dir.path, "report.xml");
    const result = await withServer(
      { wrap: noCors },
      (url) => run(["server", "--url", url, "--only", "DISC-GET", "--junit", junit]),
    );
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /WARN {2}discovery\./);
    assert.match(result.stdout, /Warnings: SHOULD requirements failed \(1\)/);
    assert.match(result.stdout, /Verdict: CONFORMS \(1 warnings\)/);
    const xml = parseXml(readFileSync(junit, "utf8"));
    assert.equal(elements(xml, "failure").length, 0);
    assert.match(textOf(elements(xml, "system-out")[0]), /WARNING: SHOULD requirement DISC-GET-7/);
  });

  it("replays a property failure from the command it printed", async () => {
    // The discovery document is refused when Agent-Stream-Version is not 1.x: DISC-GET-4.
    const picky = mapHttp(async (request, next) => {
      const version = request.headers.get("agent-stream-version");
      return version !== null && !/^1\./.test(version)
        ? new Response("no", { status: 400 })
        : await next(request);
    });
    await withServer({ wrap: picky }, async (url) => {
      const first = await run(["server", "--url", url, "--only", "DISC-GET-4", "--json", "-"]);
      assert.equal(first.code, 1, first.stderr);
      const failed = reportFromJson(first.stdout).checks.find((c) => c.failure?.seed !== undefined);
      assert.ok(failed?.failure?.replay, first.stderr);
      assert.match(failed.failure.replay, /^deno task conformance -- server --url /);
      const args = failed.failure.replay.replace(/^deno task conformance -- /, "").split(" ");
      const again = await run([...args, "--json", "-"]);
      assert.equal(again.code, 1, again.stderr);
      const replayed = reportFromJson(again.stdout).checks;
      assert.deepEqual(replayed.map((c) => c.id), [failed.id]);
      assert.equal(replayed[0].failure?.counterexample, failed.failure.counterexample);
    });
  });

  it("with --no-discovery, tests a server that has no discovery document", async () => {
    const noDocument = mapHttp(async (request, next) =>
      new URL(request.url).pathname === "/v1" && request.method === "GET"
        ? new Response("not found", { status: 404 })
        : await next(request)
    );
    await withServer({ wrap: noDocument }, async (url) => {
      // Without the flag, the missing document is itself the failure reported.
      const without = await run(["server", "--url", url, "--only", "DISC-GET-1"]);
      assert.equal(without.code, 1);
      assert.match(without.stdout + without.stderr, /DISC-GET-1/);
      const result = await run([
        "server",
        "--url",
        url,
        "--no-discovery",
        "--features",
        "sse,long-poll",
        "--only",
        "DISC-GET-6",
        "--json",
        "-",
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(reportFromJson(result.stdout).features, ["long-poll", "sse"]);
    });
  });

  it("says so when the server cannot be reached, exit 1", async () => {
    const url = await withServer({}, (url) => Promise.resolve(url));
    const result = await run(["server", "--url", url, "--only", "DISC-GET-1", "--timeout", "2000"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^conformance: cannot reach /);
  });
});

describe("conformance CLI: coverage", () => {
  it("lists the coverage; exit 0 only when every requirement is accounted for", async () => {
    const expected = coverage(suiteCoverageInput());
    const text = await run(["coverage"]);
    assert.equal(text.code, expected.complete ? 0 : 1);
    assert.match(
      text.stdout,
      new RegExp(`${expected.counts.total} requirements: ${expected.counts.covered} covered`),
    );
    const json = await run(["coverage", "--json"]);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(expected)));
  });
});
