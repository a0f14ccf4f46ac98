/**
 * The `agent-stream` command line. `serve` runs the reference server on a
 * durable store, under Deno or Bun (Node.js: HTTP and SSE, no WebSocket):
 *
 * ```sh
 * deno run -A jsr:@agent-stream/agent-stream/cli serve --port 8787 --store sqlite --data ./.data
 * bun src/cli.ts serve --store memory
 * ```
 *
 * It prints one line once it listens, stops gracefully on SIGINT and SIGTERM
 * (live readers get a resumable end, pending appends finish, the store is
 * closed), and fails with one line and exit code 1 when it cannot start.
 *
 * @example Running the server from a script
 * ```ts ignore
 * import { main } from "@agent-stream/agent-stream/cli";
 * const exitCode = await main(["serve", "--port", "0", "--store", "memory"]);
 * ```
 *
 * @module
 */

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import type { EventStore } from "./stores/event_store.ts";
import type { AgentStreamServer } from "./server/agent_stream_server.ts";
import { createServer } from "./server/mod.ts";
import { agUiRoute } from "../adapters/ag-ui/ag_ui_route.ts";
import { aiSdkRoute } from "../adapters/ai-sdk/ai_sdk_route.ts";
import { isAddressInUse, type ServeHandle, type ServeOptions } from "./server/serve_options.ts";

/**
 * The `serve` command, as parsed from its arguments.
 *
 * @example
 * ```ts
 * import type { ServeCommand } from "@agent-stream/agent-stream/cli";
 * const command: ServeCommand = {
 *   port: 8787,
 *   host: "127.0.0.1",
 *   store: "sqlite",
 *   data: "./.data",
 *   help: false,
 * };
 * ```
 */
export interface ServeCommand {
  /** TCP port; 0 lets the system choose. */
  readonly port: number;
  /** Address to bind. */
  readonly host: string;
  /** Where streams live: `sqlite` (`<data>/streams.db`), `file` (`<data>/streams/`) or `memory`. */
  readonly store: "sqlite" | "file" | "memory";
  /** The data directory of the durable stores. */
  readonly data: string;
  /** `--help` was given. */
  readonly help: boolean;
}

/** Text of `--help`. */
const USAGE = `Usage: agent-stream serve [options]

Runs the agent-stream reference server: streams over HTTP, SSE and WebSocket.

Options:
  --port <n>      TCP port (default 8787; 0 picks a free one)
  --host <addr>   address to bind (default 127.0.0.1)
  --store <kind>  sqlite (default), file or memory
  --data <dir>    data directory (default ./.data): SQLite keeps <dir>/streams.db,
                  the file store <dir>/streams/
  -h, --help      show this help

Stops gracefully on SIGINT (Ctrl-C) and SIGTERM.`;

const STORES = ["sqlite", "file", "memory"] as const;

/** A failure to tell the user in one line: no stack, exit code 1. */
class CliError extends Error {}

/**
 * Parses the arguments of `serve` (those after the word `serve`). Throws an
 * `Error` whose message is fit for the user on a bad argument.
 *
 * @example
 * ```ts
 * import { parseServeArgs } from "@agent-stream/agent-stream/cli";
 * const command = parseServeArgs(["--port", "9000", "--store", "memory"]);
 * console.log(command.port, command.store); // 9000 memory
 * ```
 */
export function parseServeArgs(args: readonly string[]): ServeCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        port: { type: "string", short: "p", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        store: { type: "string", default: "sqlite" },
        data: { type: "string", default: "./.data" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // node:util words its errors for developers; say what was wrong, briefly.
    const message = (error as Error).message;
    const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
    const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
    const code = (error as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new CliError(`unknown option ${option}`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new CliError(`unexpected argument ${quoted}`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new CliError(`option ${option} needs a value`);
    }
    throw new CliError(message);
  }
  const port = Number(values.port);
  if (!/^[0-9]+$/.test(values.port) || port > 65535) {
    throw new CliError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }
  const store = values.store as ServeCommand["store"];
  if (!STORES.includes(store)) {
    throw new CliError(`--store must be one of ${STORES.join(", ")}, not "${values.store}"`);
  }
  if (values.host === "") throw new CliError("--host must not be empty");
  return { port, host: values.host, store, data: values.data, help: values.help };
}

/**
 * Runs the command line `args` (without the runtime and script) and resolves
 * with the process exit code: for `serve`, once the server stopped after
 * SIGINT or SIGTERM. Messages go to stdout and stderr.
 *
 * @example
 * ```ts ignore
 * import process from "node:process";
 * import { main } from "@agent-stream/agent-stream/cli";
 * process.exit(await main(process.argv.slice(2)));
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    }
    if (command !== "serve") throw new CliError(`unknown command "${command}"`);
    const options = parseServeArgs(rest);
    if (options.help) {
      console.log(USAGE);
      return 0;
    }
    return await serveCommand(options);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`agent-stream: ${error.message} (see --help)`);
    return 1;
  }
}

async function serveCommand(command: ServeCommand): Promise<number> {
  const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
  const { store, location } = await openStore(command);
  const server = createServer({
    store,
    websocket: runtime !== "node",
    // The views of agent streams (spec/v1/view-ag-ui.md, view-ai-sdk.md).
    routes: [agUiRoute(), aiSdkRoute()],
  });
  let handle: ServeHandle;
  try {
    const serve = await loadAdapter(runtime);
    handle = await serve(server, { port: command.port, hostname: command.host });
  } catch (error) {
    await server.shutdown();
    if (isAddressInUse(error)) {
      return fail(
        `port ${command.port} on ${command.host} is already in use; choose another with --port`,
      );
    }
    return fail(`cannot listen on ${command.host}:${command.port}: ${reason(error)}`);
  }
  const where = location === undefined
    ? "memory, nothing is kept after exit"
    : `${command.store}, data: ${location}`;
  console.log(`agent-stream listening on ${handle.url} (store: ${where})`);
  await signalled();
  console.log("agent-stream: shutting down");
  // A second signal, or a shutdown that hangs, ends the process the hard way.
  const hard = () => process.exit(1);
  onSignals(hard);
  const timer = setTimeout(hard, SHUTDOWN_TIMEOUT_MS);
  // Ends live readers and closes the store first, so close() is not held open by them.
  await server.shutdown();
  await handle.close();
  clearTimeout(timer);
  console.log("agent-stream: stopped");
  return 0;
}

const SHUTDOWN_TIMEOUT_MS = 10_000;

function fail(message: string): number {
  console.error(`agent-stream: ${message}`);
  return 1;
}

async function loadAdapter(
  runtime: string,
): Promise<(server: AgentStreamServer, options: ServeOptions) => Promise<ServeHandle>> {
  if (runtime === "deno") return (await import("./server/serve_deno.ts")).serve;
  if (runtime === "bun") return (await import("./server/serve_bun.ts")).serve;
  return (await import("./server/serve_node.ts")).serve;
}

/** Opens the store the command names; `location` is undefined for memory. */
async function openStore(
  command: ServeCommand,
): Promise<{ store: EventStore; location?: string }> {
  if (command.store === "memory") {
    const { MemoryStore } = await import("./stores/memory_store.ts");
    return { store: new MemoryStore() };
  }
  const data = resolve(command.data);
  const directory = command.store === "file" ? join(data, "streams") : data;
  ensureWritable(directory, command.data);
  let store: EventStore & { ready(): Promise<void> };
  let location: string;
  if (command.store === "file") {
    const { FileStore } = await import("./stores/file_store.ts");
    store = new FileStore({ directory });
    location = directory;
  } else {
    const { SqliteStore } = await import("./stores/sqlite_store.ts");
    location = join(directory, "streams.db");
    store = new SqliteStore({ path: location });
  }
  try {
    await store.ready();
  } catch (error) {
    await store.dispose().catch(() => {});
    throw new CliError(`cannot open the ${command.store} store in ${location}: ${reason(error)}`);
  }
  return { store, location };
}

/** Creates `directory` if needed and proves it writable, so a bad --data fails at once. */
function ensureWritable(directory: string, given: string): void {
  const probe = join(directory, `.agent-stream-write-test-${process.pid}`);
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (error) {
    throw new CliError(`cannot write to the data directory ${given}: ${reason(error)}`);
  }
}

/** Says why a file-system or network call failed, in a few words. */
function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EEXIST":
      return "a file of that name is in the way";
    case "ENOSPC":
      return "no space left on the device";
    case "EADDRNOTAVAIL":
      return "the address is not available on this machine";
  }
  return error instanceof Error ? error.message : String(error);
}

/** Resolves on the first SIGINT or SIGTERM. */
function signalled(): Promise<void> {
  return new Promise((resolve) => onSignals(resolve));
}

function onSignals(listener: () => void): void {
  process.once("SIGINT", listener);
  try {
    process.once("SIGTERM", listener);
  } catch {
    // Deno on Windows cannot listen for SIGTERM; Ctrl-C still works there.
  }
}

if (import.meta.main) {
  let exitCode: number;
  try {
    exitCode = await main(process.argv.slice(2));
  } catch (error) {
    // Unforeseen, yet still one line for the user; AGENT_STREAM_DEBUG=1 shows the stack.
    console.error(`agent-stream: ${reason(error)}`);
    if (process.env.AGENT_STREAM_DEBUG) console.error(error);
    exitCode = 1;
  }
  process.exit(exitCode);
}
