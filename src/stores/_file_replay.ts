// Rebuilds a stream from its file on open: replays every intact change in
// order and stops at the first line that is not part of one. What follows
// that point is a torn change (a crash between write and fsync, possibly
// with pages persisted out of order) and is cut off, which is safe because
// commit only resolves after the fsync that would have made it whole.
//
// Replay checks structure, not log rules: those were applied once when the
// change was decided, and a second judge here could only disagree.

import type { StoredProducer, StoredStream, StoredStreamState } from "./backend.ts";
import { EntryIndex } from "./_file_index.ts";
import {
  crc32,
  CRC_INIT,
  entryData,
  parseCommitLine,
  parseEntryPrefix,
  parseHeaderLine,
} from "./_file_records.ts";
import { isJsonContentType } from "./_log_rules.ts";

/** A stream as its file holds it. */
export interface Replayed {
  readonly state: StoredStreamState;
  readonly index: EntryIndex;
  /** Bytes of intact changes; anything after them is torn. */
  readonly size: number;
}

/** Reads up to `buffer.length` bytes at `position`, resolving to how many it read. */
export type ReadAt = (buffer: Uint8Array, position: number) => Promise<number>;

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;

/**
 * Replays a whole file through `readAt`; `undefined` when it holds no intact
 * create (a crash tore the stream's first change, so it never existed).
 */
export async function replayFile(readAt: ReadAt): Promise<Replayed | undefined> {
  const replay = new FileReplay();
  // The start of a line that continues in the next chunk, kept in pieces so
  // that a line of many chunks is copied once, not once per chunk.
  let pieces: Uint8Array[] = [];
  let lineAt = 0;
  for (let position = 0;;) {
    const chunk = new Uint8Array(CHUNK);
    const n = await readAt(chunk, position);
    if (n === 0) break;
    position += n;
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE, 0); nl >= 0 && nl < n; nl = chunk.indexOf(NEWLINE, from)) {
      const line = concat([...pieces, chunk.subarray(from, nl + 1)]);
      if (!replay.push(line, lineAt)) return replay.result();
      lineAt += line.length;
      pieces = [];
      from = nl + 1;
    }
    if (from < n) pieces.push(chunk.subarray(from, n));
  }
  // A last line without its newline is torn; push it so the result says so.
  if (pieces.length > 0) replay.push(concat(pieces), lineAt);
  return replay.result();
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Replays the lines of one stream file, fed in order with their newlines. */
export class FileReplay {
  #stream: StoredStream | undefined;
  #json = true;
  #tail = 0;
  #closed = false;
  #closedBy: { id: string; epoch: number; seq: number } | undefined;
  #deleted = false;
  readonly #producers = new Map<string, StoredProducer>();
  #lastStreamSeq: string | undefined;
  readonly #index = new EntryIndex();
  #size = 0;
  #broken = false;
  // The change being read: lines seen since the last commit line.
  #header: StoredStream | undefined;
  #pending: { offset: number; start: number; end: number }[] = [];
  #pendingTail = 0;
  #crc = CRC_INIT;

  /** Feeds the line at byte `position`; false once the file is broken, from then on. */
  push(line: Uint8Array, position: number): boolean {
    if (this.#broken) return false;
    if (!this.#take(line, position)) this.#broken = true;
    return !this.#broken;
  }

  #take(line: Uint8Array, position: number): boolean {
    if (line.length === 0 || line[line.length - 1] !== NEWLINE) return false;
    if (this.#stream === undefined && this.#header === undefined) {
      const header = parseHeaderLine(line.subarray(0, line.length - 1));
      if (header === undefined) return false;
      this.#header = header;
      this.#json = isJsonContentType(header.contentType);
      this.#pendingTail = header.fork?.offset ?? 0;
      this.#crc = crc32(line, CRC_INIT);
      return true;
    }
    const entry = parseEntryPrefix(line);
    if (entry !== undefined) {
      if (entry.offset !== this.#pendingTail) return false;
      let units = 1;
      if (!this.#json) {
        try {
          units = entryData(line, entry).length;
        } catch {
          return false;
        }
      }
      this.#pending.push({ offset: entry.offset, start: position, end: position + line.length });
      this.#pendingTail += units;
      this.#crc = crc32(line, this.#crc);
      return true;
    }
    const record = parseCommitLine(line, this.#crc);
    if (record === undefined) return false;
    switch (record.commit) {
      case "create":
        if (this.#header === undefined || record.tail !== this.#pendingTail) return false;
        this.#stream = this.#header;
        this.#header = undefined;
        this.#closed = record.closed === true;
        break;
      case "append":
        if (this.#stream === undefined || record.tail !== this.#pendingTail) return false;
        if (record.close) {
          this.#closed = true;
          this.#closedBy = record.producer ? { ...record.producer } : undefined;
        }
        if (record.producer) {
          const { id, epoch, seq } = record.producer;
          this.#producers.set(id, { epoch, seq });
        }
        if (record.streamSeq !== undefined) this.#lastStreamSeq = record.streamSeq;
        break;
      case "delete":
        if (this.#stream === undefined || this.#pending.length > 0) return false;
        this.#deleted = true;
        break;
    }
    for (const e of this.#pending) this.#index.push(e.offset, e.start, e.end);
    this.#tail = this.#pendingTail;
    this.#pending = [];
    this.#crc = CRC_INIT;
    this.#size = position + line.length;
    return true;
  }

  /** The stream as of the last intact change; `undefined` before its create. */
  result(): Replayed | undefined {
    if (this.#stream === undefined) return undefined;
    return {
      state: {
        stream: this.#stream,
        tail: this.#tail,
        closed: this.#closed,
        ...(this.#closedBy ? { closedBy: this.#closedBy } : {}),
        deleted: this.#deleted,
        producers: new Map(this.#producers),
        ...(this.#lastStreamSeq !== undefined ? { lastStreamSeq: this.#lastStreamSeq } : {}),
      },
      index: this.#index,
      size: this.#size,
    };
  }
}
