import { LogStore, type LogStoreOptions } from "./log_store.ts";
import { MemoryBackend } from "./memory_backend.ts";

/**
 * Options of {@linkcode MemoryStore}.
 *
 * @example
 * ```ts
 * import type { MemoryStoreOptions } from "@agent-stream/agent-stream/stores";
 * let now = 0;
 * const options: MemoryStoreOptions = { clock: () => now };
 * ```
 */
export interface MemoryStoreOptions extends LogStoreOptions {}

/**
 * An {@linkcode EventStore} that keeps every stream in memory: fast, and gone
 * when the process ends. It follows the log rules exactly as the durable
 * stores do, so it serves tests and ephemeral servers alike.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 * const store = new MemoryStore();
 * const text = new TextEncoder();
 * await store.create("chats/1", { kind: "agent" });
 * await store.append("chats/1", {
 *   messages: [text.encode('{"type":"text.delta","delta":"Hi"}')],
 * });
 * const { messages, nextOffset } = await store.read("chats/1");
 * console.log(messages.length, nextOffset); // 1 1
 * await store.dispose();
 * ```
 */
export class MemoryStore extends LogStore {
  /** Creates an empty store. */
  constructor(options: MemoryStoreOptions = {}) {
    super(new MemoryBackend(), options);
  }
}
