/**
 * The bare limit under Bun: `Bun.serve` with the handler of `_bare_app.ts`,
 * idle timeout off so quiet event streams stay open. Prints
 * `bare listening on <url>` once it listens.
 *
 *     bun bench/bare_bun.ts [--port <n>]
 *
 * @module
 */

import process from "node:process";
import { createBareApp } from "./_bare_app.ts";

interface BunServe {
  serve(options: {
    port: number;
    hostname: string;
    idleTimeout: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { readonly port: number };
}

const portIndex = process.argv.indexOf("--port");
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0;
const app = createBareApp();
const server = (globalThis as unknown as { Bun: BunServe }).Bun.serve({
  port,
  hostname: "127.0.0.1",
  idleTimeout: 0,
  fetch: app.handler,
});
console.log(`bare listening on http://127.0.0.1:${server.port}`);
