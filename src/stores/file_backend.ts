// Keeps each stream in one append-only JSON Lines file of a flat directory
// (layout in _file_records.ts, names in _file_names.ts). This file and its
// `_file_*` helpers are the stores' only `node:fs` edge.
//
// I/O is asynchronous (node:fs/promises) so that while one group's fsync is
// under way the event loop keeps serving reads and the log store keeps
// queueing the next group; synchronous calls would stall the whole process
// for every fsync.

import { mkdir, readdir, unlink } from "node:fs/promises";
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import process from "node:process";
import type { Backend, Change, StoredEntry, StoredStreamState } from "./backend.ts";
import { HandlePool } from "./_file_handles.ts";
import { EntryIndex } from "./_file_index.ts";
import { STREAM_FILE_SUFFIX, streamFileName } from "./_file_names.ts";
import {
  commitLine,
  type CommitRecord,
  crc32,
  CRC_INIT,
  entryData,
  entryLine,
  headerLine,
  parseEntryPrefix,
} from "./_file_records.ts";
import { replayFile } from "./_file_replay.ts";
import { isJsonContentType } from "./_log_rules.ts";

/** Idle file handles kept open; beyond this, the least recently used are closed. */
const OPEN_FILES = 128;
/** A read stops adding entries once it spans this many bytes of file (at least one entry). */
const READ_SPAN = 4 << 20;

/** One stream's file, as far as it is committed. */
interface FileStream {
  readonly key: number;
  readonly file: string;
  readonly json: boolean;
  readonly forkKey: number | undefined;
  readonly index: EntryIndex;
  size: number;
  tail: number;
  deleted: boolean;
  /** Its drop is being committed: reads wait for it rather than fail mid-way. */
  dropping: boolean;
}

/** What one commit adds to one file. */
interface PendingWrite {
  readonly parts: Uint8Array[];
  length: number;
  readonly entries: { offset: number; start: number; end: number }[];
  tail: number;
  deleted: boolean;
}

/**
 * A {@linkcode Backend} that keeps every stream in its own append-only JSON
 * Lines file inside one directory. A commit writes each touched file once,
 * fsyncs each once, and fsyncs the directory when it created or removed
 * files; on open, torn last changes are cut off.
 *
 * @example
 * ```ts
 * import { FileBackend } from "./file_backend.ts";
 * const directory = await Deno.makeTempDir();
 * const backend = new FileBackend(directory);
 * const streams = await backend.open();
 * console.log(streams.length); // 0
 * await backend.close();
 * await Deno.remove(directory, { recursive: true });
 * ```
 */
export class FileBackend implements Backend {
  readonly #directory: string;
  readonly #handles = new HandlePool(OPEN_FILES);
  readonly #streams = new Map<number, FileStream>();
  /** File names in use, so two streams can never share one. */
  readonly #files = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  #opened = false;
  #closed = false;
  #failure: unknown;
  #commits = 0;

  /** A backend over `directory`, created on open if missing. */
  constructor(directory: string) {
    this.#directory = directory;
  }

  /** How many commits have been made durable: one per group of changes. */
  get commits(): number {
    return this.#commits;
  }

  /** The file that holds (or would hold) the stream at `path`. */
  fileOf(path: string): string {
    return join(this.#directory, streamFileName(path));
  }

  open(): Promise<StoredStreamState[]> {
    return this.#serial(async () => {
      try {
        return await this.#open();
      } catch (error) {
        // Nobody closes a backend that failed to open: release its files here.
        await this.#handles.closeAll();
        throw error;
      }
    });
  }

  async #open(): Promise<StoredStreamState[]> {
    if (this.#opened) throw new Error("The file backend is already open");
    const created = await mkdir(this.#directory, { recursive: true });
    if (created !== undefined) await syncDirectory(dirname(created));
    let dirty = false;
    const states = new Map<number, StoredStreamState>();
    for (const name of (await readdir(this.#directory)).sort()) {
      if (!name.endsWith(STREAM_FILE_SUFFIX)) continue;
      const file = join(this.#directory, name);
      const replayed = await this.#handles.use(file, "r+", async (handle) => {
        const result = await replayFile(async (buffer, position) =>
          (await handle.read(buffer, 0, buffer.length, position)).bytesRead
        );
        if (result && result.size < (await handle.stat()).size) {
          await handle.truncate(result.size);
          await handle.datasync();
        }
        return result;
      });
      if (replayed === undefined) {
        // Its create was torn: the stream never existed.
        await this.#remove(file);
        dirty = true;
        continue;
      }
      const { stream } = replayed.state;
      if (streamFileName(stream.path) !== name || states.has(stream.key)) {
        throw new Error(
          `${file} holds stream ${JSON.stringify(stream.path)} (key ${stream.key}), ` +
            `which belongs in ${streamFileName(stream.path)}: was the file copied or renamed?`,
        );
      }
      states.set(stream.key, replayed.state);
      this.#register({
        key: stream.key,
        file,
        json: isJsonContentType(stream.contentType),
        forkKey: stream.fork?.key,
        index: replayed.index,
        size: replayed.size,
        tail: replayed.state.tail,
        deleted: replayed.state.deleted,
        dropping: false,
      });
    }
    for (const key of this.#unfinished()) {
      const s = this.#streams.get(key)!;
      this.#unregister(s);
      await this.#remove(s.file);
      states.delete(key);
      dirty = true;
    }
    if (dirty) await syncDirectory(this.#directory);
    this.#opened = true;
    return [...states.values()];
  }

  /**
   * Streams a crash left half-removed or half-created, which the group that
   * held the rest of the step never acknowledged: a fork whose source is
   * missing (created with it, or dropped before it), and a soft-deleted
   * stream no fork reads from any more (its last fork was dropped). Files
   * are removed one by one, so the directory may hold either half.
   */
  #unfinished(): number[] {
    const gone = new Set<number>();
    for (let changed = true; changed;) {
      changed = false;
      const readers = new Set<number>();
      for (const s of this.#streams.values()) {
        if (!gone.has(s.key) && s.forkKey !== undefined) readers.add(s.forkKey);
      }
      for (const s of this.#streams.values()) {
        if (gone.has(s.key)) continue;
        const orphan = s.forkKey !== undefined &&
          (!this.#streams.has(s.forkKey) || gone.has(s.forkKey));
        if (orphan || (s.deleted && !readers.has(s.key))) {
          gone.add(s.key);
          changed = true;
        }
      }
    }
    return [...gone];
  }

  commit(changes: readonly Change[]): Promise<void> {
    return this.#serial(async () => {
      if (!this.#opened || this.#closed) throw new Error("The file backend is not open");
      if (this.#failure !== undefined) {
        throw new Error(`An earlier commit failed; reopen the store: ${String(this.#failure)}`);
      }
      try {
        await this.#commit(changes);
      } catch (error) {
        // Memory and files may now disagree; only a replay can tell what is durable.
        this.#failure = error;
        throw error;
      }
    });
  }

  async #commit(changes: readonly Change[]): Promise<void> {
    const writes = new Map<FileStream, PendingWrite>();
    const dropped: FileStream[] = [];
    let dirty = false;
    const writeOf = (s: FileStream): PendingWrite => {
      let w = writes.get(s);
      if (!w) {
        w = { parts: [], length: 0, entries: [], tail: s.tail, deleted: s.deleted };
        writes.set(s, w);
      }
      return w;
    };
    for (const change of changes) {
      switch (change.type) {
        case "create": {
          const { stream } = change;
          const file = this.fileOf(stream.path);
          if (this.#streams.has(stream.key) || this.#files.has(file)) {
            throw new Error(`Stream ${JSON.stringify(stream.path)} (key ${stream.key}) exists`);
          }
          // Created now, exclusively, so a stray file is refused, never overwritten.
          await this.#handles.use(file, "wx+", () => Promise.resolve());
          dirty = true;
          const s: FileStream = {
            key: stream.key,
            file,
            json: isJsonContentType(stream.contentType),
            forkKey: stream.fork?.key,
            index: new EntryIndex(),
            size: 0,
            tail: stream.fork?.offset ?? 0,
            deleted: false,
            dropping: false,
          };
          this.#register(s);
          const w = writeOf(s);
          const header = headerLine(stream);
          add(w, header);
          finish(s, w, change.entries, {
            commit: "create",
            tail: change.tail,
            ...(change.closed ? { closed: true } : {}),
          }, crc32(header, CRC_INIT));
          break;
        }
        case "append": {
          const s = this.#stream(change.key);
          finish(s, writeOf(s), change.entries, {
            commit: "append",
            tail: change.tail,
            ...(change.close ? { close: true } : {}),
            ...(change.producer ? { producer: { ...change.producer } } : {}),
            ...(change.streamSeq !== undefined ? { streamSeq: change.streamSeq } : {}),
          }, CRC_INIT);
          break;
        }
        case "soft-delete": {
          const s = this.#stream(change.key);
          const w = writeOf(s);
          finish(s, w, [], { commit: "delete" }, CRC_INIT);
          w.deleted = true;
          break;
        }
        case "drop": {
          // Dropping what is gone already leaves it gone, as in the other backends.
          const s = this.#streams.get(change.key);
          if (!s || s.dropping) break;
          writes.delete(s);
          s.dropping = true;
          dropped.push(s);
          this.#files.delete(s.file);
          await this.#remove(s.file);
          dirty = true;
          break;
        }
      }
    }
    // Files are independent of each other, so they are written and synced together.
    await Promise.all(
      [...writes].map(([s, w]) =>
        this.#handles.use(s.file, "r+", async (handle) => {
          await writeAll(handle, concat(w.parts, w.length), s.size);
          await handle.datasync();
        })
      ),
    );
    if (dirty) await syncDirectory(this.#directory);
    for (const [s, w] of writes) {
      for (const e of w.entries) s.index.push(e.offset, s.size + e.start, s.size + e.end);
      s.size += w.length;
      s.tail = w.tail;
      s.deleted = w.deleted;
    }
    for (const s of dropped) this.#streams.delete(s.key);
    this.#commits++;
  }

  async read(key: number, offset: number, maxEntries: number): Promise<StoredEntry[]> {
    const s = this.#streams.get(key);
    if (!s) return [];
    if (s.dropping) {
      // The log store publishes the drop as soon as the commit resolves, before this resumes.
      await this.#queue;
      return [];
    }
    const { index } = s;
    const first = index.find(offset, s.tail);
    const stop = Math.min(index.length, first + Math.max(0, maxEntries));
    if (first >= stop) return [];
    const from = index.start(first);
    let last = first + 1;
    while (last < stop && index.end(last) - from <= READ_SPAN) last++;
    const buffer = new Uint8Array(index.end(last - 1) - from);
    await this.#handles.use(s.file, "r+", (handle) => readAll(handle, buffer, from));
    const entries: StoredEntry[] = [];
    for (let i = first; i < last; i++) {
      const line = buffer.subarray(index.start(i) - from, index.end(i) - from);
      const entry = parseEntryPrefix(line);
      if (!entry) throw new Error(`${s.file}: no entry line at byte ${index.start(i)}`);
      entries.push({ offset: index.offset(i), data: entryData(line, entry) });
    }
    return entries;
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      this.#closed = true;
      await this.#handles.closeAll();
    });
  }

  /** Runs `fn` after every earlier open, commit and close, so no two touch one file at once. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  #stream(key: number): FileStream {
    const s = this.#streams.get(key);
    if (!s || s.dropping) throw new Error(`No stream with key ${key}`);
    return s;
  }

  #register(s: FileStream): void {
    this.#streams.set(s.key, s);
    this.#files.add(s.file);
  }

  #unregister(s: FileStream): void {
    this.#streams.delete(s.key);
    this.#files.delete(s.file);
  }

  async #remove(file: string): Promise<void> {
    await this.#handles.forget(file);
    await unlink(file);
  }
}

/** Adds the entry lines and the commit line of one change to the file's write. */
function finish(
  s: FileStream,
  w: PendingWrite,
  entries: readonly StoredEntry[],
  record: CommitRecord,
  crcBefore: number,
): void {
  let crc = crcBefore;
  for (const entry of entries) {
    const start = w.length;
    for (const part of entryLine(entry, s.json)) {
      crc = crc32(part, crc);
      add(w, part);
    }
    w.entries.push({ offset: entry.offset, start, end: w.length });
  }
  add(w, commitLine(record, crc));
  if ("tail" in record) w.tail = record.tail;
}

function add(w: PendingWrite, part: Uint8Array): void {
  w.parts.push(part);
  w.length += part.length;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

async function readAll(handle: FileHandle, buffer: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < buffer.length;) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new Error("A stream file ended before its indexed entries");
    done += bytesRead;
  }
}

/** Makes creations and removals in `directory` durable. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(directory, "r");
  } catch (error) {
    // Windows cannot open a directory as a file; its file system journals names itself.
    if (process.platform === "win32") return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
