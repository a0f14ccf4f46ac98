/**
 * The bare limit under Deno: `Deno.serve` with the handler of
 * `_bare_app.ts`. Prints `bare listening on <url>` once it listens.
 *
 *     deno run -A bench/bare_deno.ts [--port <n>]
 *
 * @module
 */

import process from "node:process";
import { createBareApp } from "./_bare_app.ts";

interface DenoServe {
  serve(
    options: { port: number; hostname: string; onListen: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
}

const portIndex = process.argv.indexOf("--port");
const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0;
const app = createBareApp();
(globalThis as unknown as { Deno: DenoServe }).Deno.serve({
  port,
  hostname: "127.0.0.1",
  onListen: (addr) => console.log(`bare listening on http://127.0.0.1:${addr.port}`),
}, app.handler);
