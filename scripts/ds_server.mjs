// @ts-check
/**
 * Starts the Durable Streams reference server (npm `@durable-streams/server`)
 * on a free loopback port and prints its base URL as the first line of
 * stdout; it stops on SIGTERM, SIGINT or when stdin closes.
 *
 *     node scripts/ds_server.mjs [--data-dir <dir>] [--long-poll-ms <ms>]
 *
 * Without --data-dir the server keeps streams in memory; with it, it is
 * file-backed. Used for the third-party conformance run and the benchmarks.
 *
 * @module
 */

import process from "node:process";
import { DurableStreamTestServer } from "@durable-streams/server";

/** @param {string} name */
function option(name) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const dataDir = option("--data-dir");
const longPollTimeout = Number(option("--long-poll-ms") ?? 30_000);
const server = new DurableStreamTestServer({
  port: 0,
  host: "127.0.0.1",
  longPollTimeout,
  compression: false,
  ...(dataDir ? { dataDir } : {}),
});
const url = await server.start();
process.stdout.write(`${url}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
