/**
 * The SQLite event store, over `node:sqlite` (Deno ≥ 2.2, Bun ≥ 1.4,
 * Node ≥ 22.5). A sub-path of its own, so that importing the runtime-free
 * stores never loads `node:sqlite`.
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@agent-stream/agent-stream/stores/sqlite";
 * const store = new SqliteStore({ path: await Deno.makeTempFile({ suffix: ".db" }) });
 * await store.ready();
 * await store.dispose();
 * ```
 *
 * @module
 */

import { LogStore, type LogStoreOptions } from "./log_store.ts";
import { SqliteBackend } from "./sqlite_backend.ts";

/**
 * Options of {@linkcode SqliteStore}.
 *
 * @example
 * ```ts
 * import type { SqliteStoreOptions } from "@agent-stream/agent-stream/stores/sqlite";
 * const options: SqliteStoreOptions = { path: "./data/streams.db" };
 * ```
 */
export interface SqliteStoreOptions extends LogStoreOptions {
  /**
   * The database file, created if missing (its directory has to exist).
   * SQLite keeps `-wal` and `-shm` files beside it.
   */
  readonly path: string;
}

/**
 * A durable `EventStore` in one SQLite database, through
 * `node:sqlite` (Deno ≥ 2.2, Bun ≥ 1.4). An append is acknowledged only once
 * its transaction is synced to disk; appends that arrive while a commit is
 * being synced share the next transaction (group commit), so concurrent
 * writers pay one sync per group, not one each. After a crash, every
 * acknowledged append is there, and no batch is ever half there.
 *
 * One store per database file: the store keeps the log's state in memory and
 * expects to be the database's only writer.
 *
 * @example
 * ```ts
 * import { SqliteStore } from "@agent-stream/agent-stream/stores/sqlite";
 * const dir = await Deno.makeTempDir();
 * const store = new SqliteStore({ path: `${dir}/streams.db` });
 * await store.create("chats/1", { kind: "json" });
 * await store.append("chats/1", { messages: [new TextEncoder().encode('"hi"')] });
 * await store.dispose();
 *
 * const reopened = new SqliteStore({ path: `${dir}/streams.db` });
 * console.log((await reopened.head("chats/1")).tail); // 1
 * await reopened.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SqliteStore extends LogStore {
  readonly #backend: SqliteBackend;

  /** Opens (or creates) the database at `options.path`; `ready()` tells when it is open. */
  constructor(options: SqliteStoreOptions) {
    const backend = new SqliteBackend(options.path);
    super(backend, options);
    this.#backend = backend;
  }

  /**
   * How many transactions this store has committed. Fewer than the writes it
   * acknowledged when writes arrived concurrently: that is group commit.
   *
   * @example
   * ```ts
   * import { SqliteStore } from "@agent-stream/agent-stream/stores/sqlite";
   * const dir = await Deno.makeTempDir();
   * const store = new SqliteStore({ path: `${dir}/streams.db` });
   * await store.create("chats/1");
   * const message = new TextEncoder().encode("{}");
   * await Promise.all(
   *   Array.from({ length: 10 }, () => store.append("chats/1", { messages: [message] })),
   * );
   * console.log(store.commits < 11); // true
   * await store.dispose();
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  get commits(): number {
    return this.#backend.commits;
  }
}
