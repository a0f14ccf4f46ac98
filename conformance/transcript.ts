/**
 * The record of what a check sent and received, in order, so that a failure
 * report shows the exact exchange on the wire.
 *
 * @module
 */

/**
 * One line of a transcript. `direction` is `>` for what the check sent,
 * `<` for what the implementation sent, `#` for a note of the check itself.
 *
 * @example
 * ```ts
 * import type { TranscriptEntry } from "@agent-stream/agent-stream/conformance";
 *
 * const entry: TranscriptEntry = { atMs: 3, channel: "http#1", direction: ">", text: "GET /v1" };
 * ```
 */
export interface TranscriptEntry {
  /** Milliseconds since the transcript started. */
  readonly atMs: number;
  /** Which connection: `http#3`, `sse#2`, `ws#1`, or `check` for notes. */
  readonly channel: string;
  /** `>` sent by the check, `<` received from the implementation, `#` a note. */
  readonly direction: ">" | "<" | "#";
  /** The request line, header block, body, frame or event, as text. */
  readonly text: string;
}

/** Bodies and frames longer than this are cut in a transcript, with a note of the full size. */
const MAX_TEXT = 2048;

/**
 * An append-only transcript of one check run (one property run, for a property).
 *
 * @example
 * ```ts
 * import { Transcript } from "@agent-stream/agent-stream/conformance";
 *
 * const transcript = new Transcript();
 * const channel = transcript.channel("http");
 * transcript.add(channel, ">", "GET /v1");
 * transcript.add(channel, "<", "200");
 * console.log(transcript.format());
 * ```
 */
export class Transcript {
  readonly #entries: TranscriptEntry[] = [];
  readonly #start = Date.now();
  readonly #counters = new Map<string, number>();

  /** The entries so far. */
  get entries(): readonly TranscriptEntry[] {
    return this.#entries;
  }

  /** A fresh channel name for a new connection of `kind` (`http#1`, `http#2`, …). */
  channel(kind: string): string {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return `${kind}#${n}`;
  }

  /** Records one line; long texts are cut to keep reports readable. */
  add(channel: string, direction: TranscriptEntry["direction"], text: string): void {
    const cut = text.length > MAX_TEXT
      ? `${text.slice(0, MAX_TEXT)}… (${text.length} characters in all)`
      : text;
    this.#entries.push({ atMs: Date.now() - this.#start, channel, direction, text: cut });
  }

  /** Records a note of the check (what it is about to do, what it concluded). */
  note(text: string): void {
    this.add("check", "#", text);
  }

  /** The transcript as text, one entry per line group, timestamps first. */
  format(): string {
    return formatTranscript(this.#entries);
  }
}

/**
 * Formats transcript entries as text: `+12ms http#1 > GET /v1/stream/a`,
 * continuation lines indented.
 *
 * @example
 * ```ts
 * import { formatTranscript } from "@agent-stream/agent-stream/conformance";
 *
 * console.log(formatTranscript([{ atMs: 0, channel: "http#1", direction: ">", text: "GET /v1" }]));
 * ```
 */
export function formatTranscript(entries: readonly TranscriptEntry[]): string {
  return entries.map((entry) => {
    const head = `+${entry.atMs}ms ${entry.channel} ${entry.direction} `;
    const pad = " ".repeat(head.length);
    return head + entry.text.split("\n").join(`\n${pad}`);
  }).join("\n");
}
