/**
 * Event stores: the log layer of spec/v1/log.md in-process.
 *
 * Every store implements {@linkcode EventStore} with the same rules (atomic
 * batches, idempotent producers, closure, forks, TTL) and differs only in
 * where the log lives:
 *
 * - {@linkcode MemoryStore}: in memory, for tests and ephemeral servers;
 * - `SqliteStore` (`@agent-stream/agent-stream/stores/sqlite`): one SQLite
 *   database through node:sqlite, durable, group commit;
 * - `FileStore` (`@agent-stream/agent-stream/stores/file`): one append-only
 *   JSON Lines file per stream, durable.
 *
 * The durable stores have sub-paths of their own so that this module stays
 * free of runtime-specific imports. {@linkcode LogStore} over a
 * {@linkcode Backend} of your own keeps streams anywhere else.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const store = new MemoryStore();
 * await store.create("chats/1");
 * await store.append("chats/1", { messages: [new TextEncoder().encode('"hello"')] });
 * console.log((await store.head("chats/1")).tail); // 1
 * await store.dispose();
 * ```
 *
 * @module
 */

export * from "./event_store.ts";
export * from "./memory_store.ts";
export * from "./memory_backend.ts";
export { LogStore, type LogStoreOptions } from "./log_store.ts";
export type {
  Backend,
  Change,
  StoredEntry,
  StoredProducer,
  StoredStream,
  StoredStreamState,
} from "./backend.ts";
