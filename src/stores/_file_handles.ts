// Open file handles of stream files, at most `limit` idle ones, so that a
// store with more streams than the process may open files still works.
// A handle is closed only when no read or write is using it: closing an fd
// under an in-flight positioned read would let the number be reused by the
// next open and the read land in another stream's file.

import { type FileHandle, open } from "node:fs/promises";

interface Slot {
  readonly handle: Promise<FileHandle>;
  users: number;
  /** Out of the pool: close as soon as the last user is done. */
  retired: boolean;
}

/** A bounded cache of file handles with use counts. */
export class HandlePool {
  readonly #limit: number;
  /** Insertion order is recency: the first slot is the least recently used. */
  readonly #slots = new Map<string, Slot>();
  #closed = false;

  /** A pool that keeps at most `limit` idle handles open. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Runs `fn` with a handle on `file`, opening it with `flags` if the pool
   * has none (`"wx+"` creates a file that must not exist).
   */
  async use<T>(file: string, flags: string, fn: (handle: FileHandle) => Promise<T>): Promise<T> {
    // A handle opened now would outlive the pool, and Bun fails a handle left to the collector.
    if (this.#closed) throw new Error("The file handle pool is closed");
    let slot = this.#slots.get(file);
    if (slot) {
      this.#slots.delete(file);
    } else {
      slot = { handle: open(file, flags), users: 0, retired: false };
    }
    this.#slots.set(file, slot);
    slot.users++;
    const current = slot;
    try {
      const handle = await current.handle;
      this.#trim();
      return await fn(handle);
    } catch (error) {
      // A handle that failed to open is no handle; forget it so the next use retries.
      if (await current.handle.then(() => false, () => true)) this.#retire(file, current);
      throw error;
    } finally {
      current.users--;
      if (current.retired && current.users === 0) await closeQuietly(current.handle);
    }
  }

  /** Closes the handle on `file` once it is idle (before the file is removed). */
  async forget(file: string): Promise<void> {
    const slot = this.#slots.get(file);
    if (slot) await this.#retire(file, slot);
  }

  /** Closes every handle once idle, and refuses further uses. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#slots].map(([file, slot]) => this.#retire(file, slot)));
  }

  async #retire(file: string, slot: Slot): Promise<void> {
    if (this.#slots.get(file) === slot) this.#slots.delete(file);
    if (slot.retired) return;
    slot.retired = true;
    if (slot.users === 0) await closeQuietly(slot.handle);
  }

  #trim(): void {
    if (this.#slots.size <= this.#limit) return;
    for (const [file, slot] of this.#slots) {
      if (this.#slots.size <= this.#limit) break;
      if (slot.users === 0) void this.#retire(file, slot);
    }
  }
}

async function closeQuietly(handle: Promise<FileHandle>): Promise<void> {
  try {
    await (await handle).close();
  } catch {
    // Already closed or never opened: nothing is left to release.
  }
}
