/**
 * The `conformance` command line: runs the server suite against a base URL,
 * the client suite through an adapter command, the events suite over a
 * producer's events, the consumer suite through a consumer adapter, or
 * lists which requirements the suite covers.
 *
 * ```sh
 * deno run -A jsr:@agent-stream/agent-stream/conformance/cli server --url http://127.0.0.1:8787
 * deno task conformance -- server --url http://127.0.0.1:8787 --only HTTP-APPEND --junit out.xml
 * deno task conformance -- client --adapter "node my-adapter.mjs"
 * deno task conformance -- events --url http://127.0.0.1:8787 --stream chats/42
 * deno task conformance -- events --file recorded.jsonl
 * deno task conformance -- consumer --adapter "node my-consumer-adapter.mjs"
 * deno task conformance -- coverage
 * ```
 *
 * The exit code is 0 when the run conforms (every MUST requirement passed;
 * failed SHOULD requirements are warnings), 1 when it does not or could not
 * run, and 2 on a usage error.
 *
 * @example Running the server suite from a script
 * ```ts ignore
 * import { main } from "@agent-stream/agent-stream/conformance/cli";
 *
 * const exitCode = await main(["server", "--url", "http://127.0.0.1:8787", "--quiet"]);
 * ```
 *
 * @module
 */

import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { KNOWN_FEATURES } from "../src/protocol/discovery.ts";
import { coverage, formatCoverage, suiteCoverageInput } from "./coverage.ts";
import type { CheckResult, Report } from "./report.ts";
import { reportToHtml } from "./report_html.ts";
import { reportToJson } from "./report_json.ts";
import { reportToJunit } from "./report_junit.ts";
import { formatSummary, progressPrinter, shouldColor } from "./report_text.ts";
import { type ProgressEvent, selectChecks } from "./runner.ts";
import { SERVER_CHECKS } from "./server/mod.ts";
import { minimalDiscovery, runServerSuite } from "./server_suite.ts";

/**
 * Where the command line reads and writes: the process by default, buffers
 * in tests.
 *
 * @example
 * ```ts
 * import type { CliIo } from "@agent-stream/agent-stream/conformance/cli";
 *
 * let out = "";
 * const io: CliIo = {
 *   stdout: (text) => out += text,
 *   stderr: (text) => out += text,
 *   writeFile: () => Promise.resolve(),
 * };
 * ```
 */
export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Writes a report file, creating its directory. */
  writeFile(path: string, text: string): Promise<void>;
  /** Standard output is a terminal. */
  readonly stdoutIsTTY?: boolean;
  /** Standard error is a terminal. */
  readonly stderrIsTTY?: boolean;
  /** The environment (for `NO_COLOR`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const USAGE = `Usage: conformance <command> [options]

Runs the agent-stream conformance suite.

Commands:
  server     run the server suite against a running server (conformance server --help)
  client     run the client suite against a client adapter (conformance client --help)
  events     check a producer's events: a file, or a stream of a server (conformance events --help)
  consumer   run the consumer suite against a consumer adapter (conformance consumer --help)
  coverage   list every requirement of the spec and the checks that cover it

Exit code: 0 when the run conforms (every MUST requirement passed; SHOULD
failures are warnings), 1 when it does not or could not run, 2 on a usage error.`;

const REPORT_OPTIONS = `  --json <file>      write the report as JSON
  --junit <file>     write the report as JUnit XML (CI: fails only on MUST failures)
  --html <file>      write the report as one HTML page
                     (for one of the three, - writes it to standard output)
  --quiet            print only failures, warnings and the verdict
  -h, --help         show this help`;

const SELECTION_OPTIONS =
  `  --only <prefixes>  run only checks whose ID, or a requirement ID they cite,
                     starts with one of these (comma-separated, repeatable),
                     e.g. --only HTTP-APPEND,SSE or --only log.read
  --check <id>       run only this check (with --seed and --replay: replay a failure)
  --seed <n>         fast-check seed of every property (default: random, printed)
  --replay <path>    fast-check path of a counterexample to replay (needs --check, --seed)
  --runs <n>         runs per property (default 25)`;

const SERVER_USAGE = `Usage: conformance server --url <base> [options]

Runs every server check against the server at <base> and reports by
requirement ID. The server's discovery document at <base>/v1 says which
features to test and the timers and limits to expect.

Options:
  --url <base>       the server's base URL, e.g. http://127.0.0.1:8787 (required)
  --features <list>  test these feature tokens (comma-separated) instead of the
                     discovery document's: ${KNOWN_FEATURES.join(", ")}
  --no-discovery     the server has no discovery document: assume streams under
                     /v1/stream/, the --features given, and generous limits
${SELECTION_OPTIONS}
  --max-wait <ms>    longest a check may wait for a server timer; checks that
                     need longer are skipped (default 20000)
  --timeout <ms>     bound of one request or wait (default 10000)
${REPORT_OPTIONS}`;

const CLIENT_USAGE = `Usage: conformance client --adapter "<command>" [options]

Runs every client check against the client driven by the adapter command, a
program that speaks the adapter protocol of spec/v1/conformance.md on its
standard input and output.

Options:
  --adapter <command>  the adapter's command line, e.g. "node my-adapter.mjs" (required)
${SELECTION_OPTIONS}
  --timeout <ms>       bound of one adapter step (default 10000)
${REPORT_OPTIONS}`;

const EVENTS_USAGE =
  `Usage: conformance events (--file <events> | --url <base> --stream <path>) [options]

Checks a producer's events against the producer requirements of envelope.md
and events.md: the envelope, each type's schema, and the lifecycle rules. A
failure names the requirement, the event's place and the events around it.

Options:
  --file <path>      the events: JSON lines (one event per line) or a JSON array
  --url <base>       the base URL of a server holding the events (with --stream)
  --stream <path>    the stream to read from its start with HTTP catch-up reads
  --only <prefixes>  run only checks whose ID, or a requirement ID they cite,
                     starts with one of these (comma-separated, repeatable)
  --check <id>       run only this check
  --timeout <ms>     bound of reading the stream (default 30000)
${REPORT_OPTIONS}`;

const CONSUMER_USAGE = `Usage: conformance consumer --adapter "<command>" [options]

Runs every consumer check against the consumer driven by the adapter command,
a program that speaks the consumer adapter protocol of spec/v1/conformance.md
on its standard input and output: it projects generated event sequences into
conversations, which are compared with the reference projection.

Options:
  --adapter <command>  the adapter's command line, e.g. "node my-adapter.mjs" (required)
${SELECTION_OPTIONS.replace("(default 25)", "(default 100)")}
  --timeout <ms>       bound of one adapter answer (default 10000)
${REPORT_OPTIONS}`;

const COVERAGE_USAGE = `Usage: conformance coverage [--json]

Lists every requirement of the spec with the checks that cite it, or the
reason no automated check can test it. Exit code 1 when a requirement is
unaccounted for or a check cites an ID the spec does not have.

Options:
  --json       print the coverage as JSON
  -h, --help   show this help`;

/** A usage error: exit code 2, with the help of the command named. */
class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

const SELECTION = {
  only: { type: "string", multiple: true },
  check: { type: "string" },
  seed: { type: "string" },
  replay: { type: "string" },
  runs: { type: "string" },
  timeout: { type: "string" },
  json: { type: "string" },
  junit: { type: "string" },
  html: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const SERVER_OPTIONS = {
  ...SELECTION,
  url: { type: "string" },
  features: { type: "string" },
  "no-discovery": { type: "boolean" },
  "max-wait": { type: "string" },
} as const;

const CLIENT_OPTIONS = { ...SELECTION, adapter: { type: "string" } } as const;

const EVENTS_OPTIONS = {
  ...SELECTION,
  file: { type: "string" },
  url: { type: "string" },
  stream: { type: "string" },
} as const;

const COVERAGE_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(
  command: string,
  args: readonly string[],
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>,
): Values {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false })
      .values as Values;
  } catch (error) {
    // node:util words its errors for developers; say what was wrong, briefly.
    const message = (error as Error).message;
    const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
    const option = /--?[\w-]+/.exec(quoted)?.[0] ?? quoted;
    const code = (error as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option ${option}`, command);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new UsageError(`unexpected argument ${quoted}`, command);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`option ${option} needs a value`, command);
    }
    throw new UsageError(message, command);
  }
}

function integer(
  command: string,
  name: string,
  value: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?[0-9]+$/.test(value) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be an integer from ${min} to ${max}, not "${value}"`,
      command,
    );
  }
  return n;
}

function list(value: string | string[] | boolean | undefined): string[] {
  const values = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

/** Options both suites share, read and checked. */
interface Common {
  readonly only: string[];
  readonly check?: string;
  readonly seed?: number;
  readonly replayPath?: string;
  readonly numRuns?: number;
  readonly timeoutMs?: number;
  readonly json?: string;
  readonly junit?: string;
  readonly html?: string;
  readonly quiet: boolean;
}

function common(command: string, values: Values): Common {
  const text = (name: string) => {
    const value = values[name];
    if (value === "") throw new UsageError(`--${name} must not be empty`, command);
    return typeof value === "string" ? value : undefined;
  };
  const check = text("check");
  const seed = integer(command, "seed", text("seed"), 0, 2 ** 31 - 1);
  const replayPath = text("replay");
  if (replayPath !== undefined && (check === undefined || seed === undefined)) {
    throw new UsageError("--replay needs --check and --seed, as the failure printed them", command);
  }
  if (replayPath !== undefined && !/^([0-9]+\/)?[0-9]+(:[0-9]+)*$/.test(replayPath)) {
    throw new UsageError(`--replay must be a path like 0/3:0:1, not "${replayPath}"`, command);
  }
  const piped = ["json", "junit", "html"].filter((name) => values[name] === "-");
  if (piped.length > 1) {
    throw new UsageError(
      `only one report can go to standard output, not ${piped.map((n) => `--${n}`).join(" and ")}`,
      command,
    );
  }
  const only = list(values.only);
  if (check !== undefined && only.length > 0) {
    throw new UsageError("give either --check or --only, not both", command);
  }
  return {
    only,
    check,
    seed,
    replayPath,
    numRuns: integer(command, "runs", text("runs"), 1, 100_000),
    timeoutMs: integer(command, "timeout", text("timeout"), 1),
    json: text("json"),
    junit: text("junit"),
    html: text("html"),
    quiet: values.quiet === true,
  };
}

/**
 * Runs the command line `args` (without the runtime and script) and resolves
 * with the exit code: 0 when the run conforms, 1 when it does not or could
 * not run, 2 on a usage error.
 *
 * @example
 * ```ts ignore
 * import process from "node:process";
 * import { main } from "@agent-stream/agent-stream/conformance/cli";
 *
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  // `deno task conformance -- server …` may hand the `--` on.
  const [command, ...rest] = args[0] === "--" ? args.slice(1) : args;
  try {
    switch (command) {
      case undefined:
        io.stderr(`${USAGE}\n`);
        return 2;
      case "help":
      case "--help":
      case "-h":
        io.stdout(`${USAGE}\n`);
        return 0;
      case "server":
        return await serverCommand(rest, io);
      case "client":
        return await clientCommand(rest, io);
      case "events":
        return await eventsCommand(rest, io);
      case "consumer":
        return await consumerCommand(rest, io);
      case "coverage":
        return coverageCommand(rest, io);
      default:
        throw new UsageError(
          `unknown command "${command}"; the commands are server, client, events, consumer, coverage`,
        );
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = error.command ? ` ${error.command}` : "";
    io.stderr(`conformance: ${error.message}\nRun "conformance${help} --help" for the options.\n`);
    return 2;
  }
}

async function serverCommand(args: readonly string[], io: CliIo): Promise<number> {
  const values = parse("server", args, SERVER_OPTIONS);
  if (values.help) {
    io.stdout(`${SERVER_USAGE}\n`);
    return 0;
  }
  const options = common("server", values);
  const url = typeof values.url === "string" ? values.url : undefined;
  if (url === undefined) throw new UsageError("--url is required", "server");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be an absolute URL, not "${url}"`, "server");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--url must be an http or https URL, not "${url}"`, "server");
  }
  const features = values.features === undefined ? undefined : list(values.features);
  for (const feature of features ?? []) {
    if (!(KNOWN_FEATURES as readonly string[]).includes(feature)) {
      throw new UsageError(
        `unknown feature "${feature}"; the features are ${KNOWN_FEATURES.join(", ")}`,
        "server",
      );
    }
  }
  const maxWaitMs = integer("server", "max-wait", values["max-wait"] as string | undefined, 0);
  if (options.check !== undefined && !SERVER_CHECKS.some((c) => c.id === options.check)) {
    throw new UsageError(`no server check has the ID "${options.check}"`, "server");
  }
  if (options.only.length > 0 && selectChecks(SERVER_CHECKS, options).length === 0) {
    throw new UsageError(`--only ${options.only.join(",")} selects no check`, "server");
  }
  const noDiscovery = values["no-discovery"] === true;
  const extra = [
    ...(noDiscovery ? ["--no-discovery"] : []),
    ...(features !== undefined ? [`--features ${features.join(",") || '""'}`] : []),
    ...(maxWaitMs !== undefined ? [`--max-wait ${maxWaitMs}`] : []),
    ...(options.timeoutMs !== undefined ? [`--timeout ${options.timeoutMs}`] : []),
  ];
  return await runSuite(io, options, extra, (onProgress) =>
    runServerSuite({
      url,
      features,
      maxWaitMs,
      timeoutMs: options.timeoutMs,
      only: options.only,
      check: options.check,
      seed: options.seed,
      replayPath: options.replayPath,
      numRuns: options.numRuns,
      onProgress,
      ...(noDiscovery ? { discovery: minimalDiscovery(features ?? []) } : {}),
    }));
}

async function clientCommand(args: readonly string[], io: CliIo): Promise<number> {
  const values = parse("client", args, CLIENT_OPTIONS);
  if (values.help) {
    io.stdout(`${CLIENT_USAGE}\n`);
    return 0;
  }
  const options = common("client", values);
  const adapter = typeof values.adapter === "string" ? values.adapter.trim() : "";
  if (adapter === "") throw new UsageError("--adapter is required", "client");
  const { runClientSuite } = await import("./client_suite.ts");
  return await runSuite(io, options, [], (onProgress) =>
    runClientSuite({
      adapter,
      timeoutMs: options.timeoutMs,
      only: options.only,
      check: options.check,
      seed: options.seed,
      replayPath: options.replayPath,
      numRuns: options.numRuns,
      onProgress,
    }));
}

async function eventsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const values = parse("events", args, EVENTS_OPTIONS);
  if (values.help) {
    io.stdout(`${EVENTS_USAGE}\n`);
    return 0;
  }
  const options = common("events", values);
  for (const name of ["seed", "replay", "runs"]) {
    if (values[name] !== undefined) {
      throw new UsageError(
        `--${name} does not apply: the events suite has no properties`,
        "events",
      );
    }
  }
  const text = (name: string) =>
    typeof values[name] === "string" ? values[name] as string : undefined;
  const file = text("file");
  const url = text("url");
  const stream = text("stream");
  if ((file === undefined) === (url === undefined)) {
    throw new UsageError("give either --file or --url with --stream", "events");
  }
  if (file === "") throw new UsageError("--file must not be empty", "events");
  if (url !== undefined) {
    if (stream === undefined || stream === "") {
      throw new UsageError("--url needs --stream, the path of the stream", "events");
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--url must be an absolute URL, not "${url}"`, "events");
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new UsageError(`--url must be an http or https URL, not "${url}"`, "events");
    }
  } else if (stream !== undefined) {
    throw new UsageError("--stream goes with --url, not --file", "events");
  }
  const { EVENTS_CHECKS, runEventsSuite } = await import("./events_suite.ts");
  if (options.check !== undefined && !EVENTS_CHECKS.some((c) => c.id === options.check)) {
    throw new UsageError(`no events check has the ID "${options.check}"`, "events");
  }
  if (options.only.length > 0 && selectChecks(EVENTS_CHECKS, options).length === 0) {
    throw new UsageError(`--only ${options.only.join(",")} selects no check`, "events");
  }
  return await runSuite(io, options, [], (onProgress) =>
    runEventsSuite({
      ...(file !== undefined ? { file } : { url, stream }),
      timeoutMs: options.timeoutMs,
      only: options.only,
      check: options.check,
      onProgress,
    }));
}

async function consumerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const values = parse("consumer", args, CLIENT_OPTIONS);
  if (values.help) {
    io.stdout(`${CONSUMER_USAGE}\n`);
    return 0;
  }
  const options = common("consumer", values);
  const adapter = typeof values.adapter === "string" ? values.adapter.trim() : "";
  if (adapter === "") throw new UsageError("--adapter is required", "consumer");
  const { CONSUMER_CHECKS, runConsumerSuite } = await import("./consumer_suite.ts");
  if (options.check !== undefined && !CONSUMER_CHECKS.some((c) => c.id === options.check)) {
    throw new UsageError(`no consumer check has the ID "${options.check}"`, "consumer");
  }
  if (options.only.length > 0 && selectChecks(CONSUMER_CHECKS, options).length === 0) {
    throw new UsageError(`--only ${options.only.join(",")} selects no check`, "consumer");
  }
  return await runSuite(io, options, [], (onProgress) =>
    runConsumerSuite({
      adapter,
      timeoutMs: options.timeoutMs,
      only: options.only,
      check: options.check,
      seed: options.seed,
      replayPath: options.replayPath,
      numRuns: options.numRuns,
      onProgress,
    }));
}

function coverageCommand(args: readonly string[], io: CliIo): number {
  const values = parse("coverage", args, COVERAGE_OPTIONS);
  if (values.help) {
    io.stdout(`${COVERAGE_USAGE}\n`);
    return 0;
  }
  const result = coverage(suiteCoverageInput());
  io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatCoverage(result));
  return result.complete ? 0 : 1;
}

/** Runs a suite with progress on the terminal, writes the reports, and returns the exit code. */
async function runSuite(
  io: CliIo,
  options: Common,
  extraReplayFlags: readonly string[],
  run: (onProgress: (event: ProgressEvent) => void) => Promise<Report>,
): Promise<number> {
  // Standard output carries a file report when asked to; the terminal report then goes to stderr.
  const toStderr = [options.json, options.junit, options.html].includes("-");
  const write = toStderr ? io.stderr : io.stdout;
  const tty = (toStderr ? io.stderrIsTTY : io.stdoutIsTTY) === true;
  const textOptions = {
    color: shouldColor({ isTTY: tty }, io.env ?? {}),
    live: tty,
    quiet: options.quiet,
  };
  const fix = (result: CheckResult) => withReplay(result, extraReplayFlags);
  let printed = false;
  const print = progressPrinter((text) => {
    printed = true;
    write(text);
  }, textOptions);
  let report: Report;
  try {
    report = await run((event) =>
      print(event.kind === "check" ? { ...event, result: fix(event.result) } : event)
    );
  } catch (error) {
    io.stderr(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  report = { ...report, checks: report.checks.map(fix) };
  write(`${printed ? "\n" : ""}${formatSummary(report, textOptions)}`);
  if (report.checks.length === 0) {
    io.stderr("conformance: no check ran\n");
  }
  let failed = false;
  const outputs: [string | undefined, (report: Report) => string][] = [
    [options.json, reportToJson],
    [options.junit, reportToJunit],
    [options.html, reportToHtml],
  ];
  for (const [path, format] of outputs) {
    if (path === undefined) continue;
    if (path === "-") {
      io.stdout(format(report));
      continue;
    }
    try {
      await io.writeFile(path, format(report));
    } catch (error) {
      failed = true;
      io.stderr(
        `conformance: cannot write ${path}: ${error instanceof Error ? error.message : error}\n`,
      );
    }
  }
  return report.summary.conforms && !failed ? 0 : 1;
}

/** The package's own command prefix, by where this file was loaded from. */
function commandPrefix(): string {
  const jsr = /^https:\/\/jsr\.io\/(@[^/]+\/[^/]+)\/([^/]+)\/conformance\/cli\.ts$/.exec(
    import.meta.url,
  );
  return jsr ? `deno run -A jsr:${jsr[1]}@${jsr[2]}/conformance/cli` : "deno task conformance --";
}

/** `result` with a replay command that runs from here, with the flags of this run. */
function withReplay(result: CheckResult, extra: readonly string[]): CheckResult {
  const replay = result.failure?.replay;
  if (replay === undefined) return result;
  const rest = replay.replace(/^deno task conformance -- /, "");
  const command = [commandPrefix(), rest, ...extra].join(" ");
  return { ...result, failure: { ...result.failure!, replay: command } };
}

function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    async writeFile(path, text) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    },
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  };
}

if (import.meta.main) {
  let exitCode: number;
  try {
    exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`conformance: ${error instanceof Error ? error.stack : error}\n`);
    exitCode = 1;
  }
  // Let piped output drain, then end: a server may hold a connection open.
  await new Promise((resolve) => process.stdout.write("", resolve));
  process.exit(exitCode);
}
