// The lines of a stream file (JSON Lines, one record per line):
//
//   {"format":"agent-stream-file/1","key":1,"path":"chats/1",...}   header
//   {"o":0,"m":{"type":"text.delta","delta":"Hi"}}                  entry
//   {"commit":"append","tail":1,"crc":"8e2f6a1c"}                   commit
//
// A change is its lines (a create starts with the header) closed by one
// commit line, whose CRC-32 covers every byte of the change up to `,"crc"`.
// A change without its intact commit line is torn and did not happen.
//
// An entry keeps a JSON message's exact bytes after `"m":` whenever they are
// a JSON text on one line, so `grep` and `tail -f` show the message itself;
// other text goes into `"t"` as a JSON string, and anything that is not
// UTF-8 into `"b"` as base64. All three give back the stored bytes exactly.

import type { StoredEntry, StoredStream } from "./backend.ts";

/** Names the layout in every header, so a later one can tell files apart. */
export const FILE_FORMAT = "agent-stream-file/1";

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const NEWLINE = 0x0a;
const CRC_SUFFIX_LENGTH = ',"crc":"00000000"}'.length;

/** What a commit line records besides its checksum. */
export type CommitRecord =
  | { readonly commit: "create"; readonly tail: number; readonly closed?: true }
  | {
    readonly commit: "append";
    readonly tail: number;
    readonly close?: true;
    readonly producer?: { readonly id: string; readonly epoch: number; readonly seq: number };
    readonly streamSeq?: string;
  }
  | { readonly commit: "delete" };

/** The header line: the stream's metadata, first in its file. */
export function headerLine(stream: StoredStream): Uint8Array {
  const { key, path, contentType, kind, ttlSeconds, expiresAt, fork, createdAt } = stream;
  return line(JSON.stringify({
    format: FILE_FORMAT,
    key,
    path,
    contentType,
    kind,
    createdAt,
    ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(fork !== undefined ? { fork: { key: fork.key, offset: fork.offset } } : {}),
  }));
}

/** The entry line of `entry`; `json` says whether a verbatim message is allowed. */
export function entryLine(entry: StoredEntry, json: boolean): Uint8Array[] {
  const { offset, data } = entry;
  const text = decodeUtf8(data);
  if (json && text !== undefined && isOneLineJson(text)) {
    return [encoder.encode(`{"o":${offset},"m":`), data, encoder.encode("}\n")];
  }
  const field = text !== undefined ? `"t":${JSON.stringify(text)}` : `"b":"${toBase64(data)}"`;
  return [line(`{"o":${offset},${field}}`)];
}

/** The commit line closing a change whose earlier lines have checksum state `crc`. */
export function commitLine(record: CommitRecord, crc: number): Uint8Array {
  const body = encoder.encode(JSON.stringify(record).slice(0, -1));
  const sum = crc32(body, crc);
  const suffix = encoder.encode(`,"crc":"${(sum >>> 0).toString(16).padStart(8, "0")}"}\n`);
  const out = new Uint8Array(body.length + suffix.length);
  out.set(body);
  out.set(suffix, body.length);
  return out;
}

/** A parsed entry line: its offset and how its data is held. */
export interface EntryLine {
  readonly offset: number;
  readonly field: "m" | "t" | "b";
  /** Where the field's value starts in the line. */
  readonly valueStart: number;
}

/**
 * Parses the fixed prefix of an entry line (`{"o":<n>,"<f>":`) without
 * reading the message; `undefined` when the line is not an entry.
 */
export function parseEntryPrefix(lineBytes: Uint8Array): EntryLine | undefined {
  // {"o":
  if (
    lineBytes.length < 10 || lineBytes[0] !== 0x7b || lineBytes[1] !== 0x22 ||
    lineBytes[2] !== 0x6f || lineBytes[3] !== 0x22 || lineBytes[4] !== 0x3a
  ) return undefined;
  let i = 5;
  let offset = 0;
  const digitsFrom = i;
  while (i < lineBytes.length && lineBytes[i] >= 0x30 && lineBytes[i] <= 0x39) {
    offset = offset * 10 + lineBytes[i] - 0x30;
    i++;
  }
  const digits = i - digitsFrom;
  if (digits === 0 || digits > 16 || (digits > 1 && lineBytes[digitsFrom] === 0x30)) {
    return undefined;
  }
  // ,"f":
  const f = String.fromCharCode(lineBytes[i + 2]);
  if (
    lineBytes[i] !== 0x2c || lineBytes[i + 1] !== 0x22 || lineBytes[i + 3] !== 0x22 ||
    lineBytes[i + 4] !== 0x3a || (f !== "m" && f !== "t" && f !== "b")
  ) return undefined;
  const end = lineBytes.length;
  if (lineBytes[end - 1] !== NEWLINE || lineBytes[end - 2] !== 0x7d) return undefined;
  return { offset, field: f, valueStart: i + 5 };
}

/** The stored bytes of an entry line that `parseEntryPrefix` accepted. */
export function entryData(lineBytes: Uint8Array, entry: EntryLine): Uint8Array {
  if (entry.field === "m") return lineBytes.slice(entry.valueStart, lineBytes.length - 2);
  const value: unknown = JSON.parse(
    strictDecoder.decode(lineBytes.subarray(entry.valueStart, lineBytes.length - 2)),
  );
  if (typeof value !== "string") throw new SyntaxError("An entry value is not a string");
  return entry.field === "t" ? encoder.encode(value) : fromBase64(value);
}

/**
 * Checks a commit line against the checksum state of its change and parses
 * it; `undefined` when it is not an intact commit line.
 */
export function parseCommitLine(lineBytes: Uint8Array, crc: number): CommitRecord | undefined {
  const covered = lineBytes.length - 1 - CRC_SUFFIX_LENGTH;
  if (covered < 2 || lineBytes[lineBytes.length - 1] !== NEWLINE) return undefined;
  const text = decodeUtf8(lineBytes.subarray(0, lineBytes.length - 1));
  const match = text && /,"crc":"([0-9a-f]{8})"\}$/.exec(text);
  if (!match || parseInt(match[1], 16) !== crc32(lineBytes.subarray(0, covered), crc) >>> 0) {
    return undefined;
  }
  try {
    const { crc: _, ...record }: Record<string, unknown> = JSON.parse(text);
    return isCommitRecord(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** A header line parsed into the stream it describes; `undefined` if it is none. */
export function parseHeaderLine(lineBytes: Uint8Array): StoredStream | undefined {
  const text = decodeUtf8(lineBytes);
  if (text === undefined) return undefined;
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    typeof h !== "object" || h === null || h.format !== FILE_FORMAT || !isCount(h.key) ||
    typeof h.path !== "string" || typeof h.contentType !== "string" ||
    (h.kind !== "json" && h.kind !== "agent") || typeof h.createdAt !== "number" ||
    (h.ttlSeconds !== undefined && typeof h.ttlSeconds !== "number") ||
    (h.expiresAt !== undefined && typeof h.expiresAt !== "number")
  ) return undefined;
  const fork = h.fork as { key?: unknown; offset?: unknown } | undefined;
  if (fork !== undefined && (!isCount(fork?.key) || !isCount(fork?.offset))) return undefined;
  return {
    key: h.key,
    path: h.path,
    contentType: h.contentType,
    kind: h.kind,
    createdAt: h.createdAt,
    ...(h.ttlSeconds !== undefined ? { ttlSeconds: h.ttlSeconds as number } : {}),
    ...(h.expiresAt !== undefined ? { expiresAt: h.expiresAt as number } : {}),
    ...(fork !== undefined
      ? { fork: { key: fork.key as number, offset: fork.offset as number } }
      : {}),
  };
}

function isCommitRecord(r: unknown): r is CommitRecord {
  if (typeof r !== "object" || r === null) return false;
  const c = r as Record<string, unknown>;
  if (c.commit === "delete") return true;
  if (!isCount(c.tail)) return false;
  if (c.commit === "create") return c.closed === undefined || c.closed === true;
  if (c.commit !== "append") return false;
  const p = c.producer as Record<string, unknown> | undefined;
  return (c.close === undefined || c.close === true) &&
    (c.streamSeq === undefined || typeof c.streamSeq === "string") &&
    (p === undefined ||
      (typeof p === "object" && p !== null && typeof p.id === "string" && isCount(p.epoch) &&
        isCount(p.seq)));
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function line(text: string): Uint8Array {
  return encoder.encode(text + "\n");
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A JSON text that can sit verbatim on a line: no line break, no byte order mark. */
function isOneLineJson(text: string): boolean {
  if (text.includes("\n") || text.includes("\r") || text.startsWith("\ufeff")) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The start state of {@linkcode crc32}. */
export const CRC_INIT = 0;

/**
 * CRC-32 (IEEE) of `bytes`, continuing from the value of the bytes before
 * them (`CRC_INIT` for none), so a change can be summed line by line.
 */
export function crc32(bytes: Uint8Array, previous: number): number {
  let c = ~previous;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c;
}
