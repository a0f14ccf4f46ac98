/**
 * The file event store: one append-only JSON Lines file per stream, readable
 * with `tail -f`, `grep` and `jq`. A sub-path of its own, so that importing
 * the runtime-free stores never loads `node:fs`.
 *
 * @example
 * ```ts
 * import { FileStore } from "@agent-stream/agent-stream/stores/file";
 * const store = new FileStore({ directory: await Deno.makeTempDir() });
 * await store.ready();
 * await store.dispose();
 * ```
 *
 * @module
 */

import { LogStore, type LogStoreOptions } from "./log_store.ts";
import { FileBackend } from "./file_backend.ts";

/**
 * Options of {@linkcode FileStore}.
 *
 * @example
 * ```ts
 * import type { FileStoreOptions } from "@agent-stream/agent-stream/stores/file";
 * const options: FileStoreOptions = { directory: "./data/streams" };
 * ```
 */
export interface FileStoreOptions extends LogStoreOptions {
  /** The data directory, created if missing; it holds one `.jsonl` file per stream. */
  readonly directory: string;
}

/**
 * A durable `EventStore` that keeps each stream in one append-only
 * JSON Lines file, readable by people: a JSON message appears verbatim on its
 * own line (`{"o":<offset>,"m":<message>}`), so `tail -f` follows a session
 * live and `grep` finds an event. Every batch ends with a checksummed commit
 * line that also carries producer state and closure, so after a crash a
 * half-written batch is detected and cut off, and nothing else is lost.
 *
 * An append is acknowledged only after its file is fsynced (and the
 * directory, when a file was created or removed); appends that arrive during
 * a sync share the next one. Stream paths are encoded into file names from
 * which no path can escape the directory. One store per directory: the
 * store expects to be its only writer.
 *
 * @example
 * ```ts
 * import { FileStore } from "@agent-stream/agent-stream/stores/file";
 * const directory = await Deno.makeTempDir();
 * const store = new FileStore({ directory });
 * await store.create("chats/1", { kind: "json" });
 * await store.append("chats/1", { messages: [new TextEncoder().encode('{"text":"hi"}')] });
 * await store.dispose();
 *
 * // chats%2f1.jsonl now reads:
 * // {"format":"agent-stream-file/1","key":1,"path":"chats/1",...}
 * // {"commit":"create","tail":0,"crc":"…"}
 * // {"o":0,"m":{"text":"hi"}}
 * // {"commit":"append","tail":1,"crc":"…"}
 * const reopened = new FileStore({ directory });
 * console.log((await reopened.head("chats/1")).tail); // 1
 * await reopened.dispose();
 * await Deno.remove(directory, { recursive: true });
 * ```
 */
export class FileStore extends LogStore {
  readonly #backend: FileBackend;

  /** Opens (or creates) the store in `options.directory`; `ready()` tells when it is open. */
  constructor(options: FileStoreOptions) {
    const backend = new FileBackend(options.directory);
    super(backend, options);
    this.#backend = backend;
  }

  /**
   * How many group commits this store has made durable. Fewer than the
   * writes it acknowledged when writes arrived concurrently.
   *
   * @example
   * ```ts
   * import { FileStore } from "@agent-stream/agent-stream/stores/file";
   * const directory = await Deno.makeTempDir();
   * const store = new FileStore({ directory });
   * await store.create("chats/1");
   * const message = new TextEncoder().encode("{}");
   * await Promise.all(
   *   Array.from({ length: 10 }, () => store.append("chats/1", { messages: [message] })),
   * );
   * console.log(store.commits < 11); // true
   * await store.dispose();
   * await Deno.remove(directory, { recursive: true });
   * ```
   */
  get commits(): number {
    return this.#backend.commits;
  }

  /**
   * The file that holds the stream at `path` (whether or not it exists), for
   * people and tools that follow it with `tail -f` or search it with `grep`.
   *
   * @example
   * ```ts
   * import { FileStore } from "@agent-stream/agent-stream/stores/file";
   * const directory = await Deno.makeTempDir();
   * const store = new FileStore({ directory });
   * await store.create("chats/1");
   * await store.append("chats/1", { messages: [new TextEncoder().encode('{"text":"hi"}')] });
   * const lines = (await Deno.readTextFile(store.fileOf("chats/1"))).split("\n");
   * console.log(lines.includes('{"o":0,"m":{"text":"hi"}}')); // true
   * await store.dispose();
   * await Deno.remove(directory, { recursive: true });
   * ```
   */
  fileOf(path: string): string {
    return this.#backend.fileOf(path);
  }
}
