/**
 * The one shape of every runtime adapter (`serve_deno.ts`, `serve_bun.ts`,
 * `serve_node.ts`): what `serve` takes and what it returns, so that the CLI
 * and tests drive all three alike.
 *
 * @module
 */

/**
 * Where a server listens, as the operating system reports it.
 *
 * @example
 * ```ts
 * import type { ListenAddress } from "@agent-stream/agent-stream/server";
 * const address: ListenAddress = { hostname: "127.0.0.1", port: 8787 };
 * ```
 */
export interface ListenAddress {
  /** The address the socket is bound to (`127.0.0.1`, `::1`, `0.0.0.0`…). */
  readonly hostname: string;
  /** The port; the one the system chose when asked for port 0. */
  readonly port: number;
}

/**
 * Options of an adapter's `serve`.
 *
 * @example
 * ```ts
 * import type { ServeOptions } from "@agent-stream/agent-stream/server";
 * const options: ServeOptions = { port: 0, hostname: "127.0.0.1" };
 * ```
 */
export interface ServeOptions {
  /** The TCP port; 0 lets the system choose a free one. */
  readonly port: number;
  /** The address to bind; default {@linkcode DEFAULT_HOSTNAME}. */
  readonly hostname?: string;
  /** Aborting it closes the listener, as {@linkcode ServeHandle.close} does. */
  readonly signal?: AbortSignal;
  /** Called once the socket listens. */
  readonly onListen?: (address: ListenAddress) => void;
}

/**
 * A listening server, as `serve` returns it once the socket is bound.
 *
 * @example
 * ```ts
 * import type { ServeHandle } from "@agent-stream/agent-stream/server";
 * async function stop(handle: ServeHandle): Promise<void> {
 *   await handle.close();
 *   await handle.finished;
 * }
 * ```
 */
export interface ServeHandle {
  /** The base URL clients use, e.g. `http://127.0.0.1:8787` (no trailing slash). */
  readonly url: string;
  /** The bound address. */
  readonly address: ListenAddress;
  /** Settles once the listener is closed, by {@linkcode ServeHandle.close} or the signal. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting connections and waits for open requests to end. Call the
   * server's `shutdown()` first, so that live reads end and this returns.
   */
  close(): Promise<void>;
}

/**
 * The default bind address of every adapter: loopback, so that nothing is
 * exposed by accident.
 *
 * @example
 * ```ts
 * import { DEFAULT_HOSTNAME } from "@agent-stream/agent-stream/server";
 * console.log(DEFAULT_HOSTNAME); // 127.0.0.1
 * ```
 */
export const DEFAULT_HOSTNAME: string = "127.0.0.1";

/**
 * Formats the base URL of a bound address, bracketing IPv6 literals.
 *
 * @example
 * ```ts
 * import { baseUrl } from "@agent-stream/agent-stream/server";
 * console.log(baseUrl({ hostname: "::1", port: 8787 })); // http://[::1]:8787
 * ```
 */
export function baseUrl(address: ListenAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `http://${host}:${address.port}`;
}

/**
 * Tells whether `error`, thrown by an adapter's `serve`, means the port is
 * taken. Each runtime says it its own way: Deno with `Deno.errors.AddrInUse`,
 * Bun and Node.js with the code `EADDRINUSE`.
 *
 * @example
 * ```ts
 * import { isAddressInUse } from "@agent-stream/agent-stream/server";
 * const error = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
 * console.log(isAddressInUse(error)); // true
 * ```
 */
export function isAddressInUse(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return code === "EADDRINUSE" || name === "AddrInUse";
}
