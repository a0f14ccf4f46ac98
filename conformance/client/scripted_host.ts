/**
 * The scripted server listening on the loopback interface, with restarts.
 *
 * @module
 */

import type { ServeHandle } from "../../src/server/serve_options.ts";
import { serveHere } from "../_serve.ts";
import { ScriptedServer } from "./scripted_server.ts";

/**
 * The scripted server listening on 127.0.0.1, with restarts: a new listener
 * on the same port after every connection was dropped.
 *
 * @example
 * ```ts ignore
 * import { ScriptedHost } from "@agent-stream/agent-stream/conformance";
 * const host = await ScriptedHost.start();
 * await host.restart(50);
 * await host.close();
 * ```
 */
export class ScriptedHost {
  /** The server. */
  readonly server: ScriptedServer;
  #handle: ServeHandle;
  #restarting: Promise<void> | undefined;

  private constructor(server: ScriptedServer, handle: ServeHandle) {
    this.server = server;
    this.#handle = handle;
  }

  /** Serves a fresh scripted server on a free loopback port. */
  static async start(): Promise<ScriptedHost> {
    const server = new ScriptedServer();
    await server.discovery();
    const handle = await serveHere(server, { port: 0, hostname: "127.0.0.1" });
    return new ScriptedHost(server, handle);
  }

  /** The base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return this.#handle.url;
  }

  /** Drops every connection, stops listening for `gapMs`, then listens on the same port again. */
  restart(gapMs = 30): Promise<void> {
    this.#restarting ??= (async () => {
      this.server.dropAll();
      await bounded(this.#handle.close(), 3_000);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      const port = this.#handle.address.port;
      for (let attempt = 0;; attempt++) {
        try {
          this.#handle = await serveHere(this.server, { port, hostname: "127.0.0.1" });
          return;
        } catch (error) {
          if (attempt >= 100) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })().finally(() => this.#restarting = undefined);
    return this.#restarting;
  }

  /** Shuts the server down and stops listening. */
  async close(): Promise<void> {
    await this.#restarting?.catch(() => {});
    await bounded(this.server.shutdown(), 3_000);
    await bounded(this.#handle.close(), 3_000);
  }
}

async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise((resolve) => timer = setTimeout(resolve, ms)),
  ]);
  clearTimeout(timer);
}
