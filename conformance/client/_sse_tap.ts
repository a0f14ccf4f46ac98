// The scripted server's SSE responses: the reference server's event stream,
// unit by unit (event, comment or retry field, each with its blank line),
// through the fault script; every `id` written is recorded in the stream's
// read trace, so that a check knows where the client must resume.

import { isOffset, parseOffset } from "../../src/protocol/offset.ts";
import type { Transcript } from "../transcript.ts";
import type { FaultScript, SseUnit } from "./fault_script.ts";
import type { ReadTrace } from "./read_trace.ts";

const encoder = new TextEncoder();

/** What a tap needs from the server. */
export interface SseTapContext {
  readonly stream: string;
  readonly connection: number;
  readonly trace: ReadTrace;
  readonly script: () => FaultScript;
  readonly transcript: () => Transcript | undefined;
  readonly channel: string;
  /** Called once the response has ended, however. */
  readonly ended: (tap: SseTap) => void;
}

/** Parses the text of one unit. */
export function parseSseUnit(text: string): SseUnit {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  let comment = false;
  let retry = false;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith(":")) {
      comment = true;
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "id") id = value;
    else if (field === "data") data.push(value);
    else if (field === "retry") retry = true;
  }
  const idNumber = id !== undefined && isOffset(id) ? { id: parseOffset(id) } : {};
  if (data.length === 0 && id === undefined) {
    return { text, kind: retry ? "retry" : comment ? "comment" : "other" };
  }
  if (event === "control") {
    let control: Record<string, unknown> | undefined;
    try {
      control = JSON.parse(data.join("\n"));
    } catch {
      control = undefined;
    }
    return { text, kind: "control", ...idNumber, ...(control ? { control } : {}) };
  }
  return { text, kind: event === "data" ? "data" : "other", ...idNumber };
}

/** One SSE response on its way to the client. */
export class SseTap {
  readonly response: Response;
  readonly #ctx: SseTapContext;
  readonly #source: ReadableStreamDefaultReader<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #stalled = false;
  #done = false;
  #dataEvents = 0;
  #closedWritten = false;

  constructor(inner: Response, ctx: SseTapContext) {
    this.#ctx = ctx;
    this.#source = inner.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => this.#end("client"),
    });
    this.response = new Response(body, { status: inner.status, headers: inner.headers });
    void this.#pump();
  }

  /** Ends the response now, cleanly, between units (a restart). */
  cut(): void {
    this.#end("cut");
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      while (!this.#done && !this.#stalled) {
        const { done, value } = await this.#source.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while (!this.#done && !this.#stalled && (end = buffer.indexOf("\n\n")) >= 0) {
          const text = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          this.#unit(parseSseUnit(text));
        }
      }
    } catch {
      // The reference server's response failed; end ours like a dropped connection.
    }
    if (!this.#stalled) this.#end("server");
  }

  #unit(unit: SseUnit): void {
    const action = this.#ctx.script().sse?.(unit, {
      stream: this.#ctx.stream,
      connection: this.#ctx.connection,
      dataEvents: this.#dataEvents,
    });
    if (action === undefined) {
      this.#write(unit.text);
    } else if ("stall" in action) {
      this.#note("stalls: writes nothing more");
      this.#stalled = true;
      this.#source.cancel().catch(() => {});
    } else if ("cut" in action) {
      const keep = Math.max(0, Math.min(unit.text.length, action.keep ?? 0));
      this.#write(unit.text.slice(0, keep));
      this.#end("cut");
    } else {
      if (action.before !== undefined) this.#write(action.before);
      this.#write(action.replace ?? unit.text);
      if (action.after !== undefined) this.#write(action.after);
    }
  }

  // Records complete units only: a unit cut short never reaches the client's parser.
  #write(text: string): void {
    if (this.#done || text === "") return;
    this.#ctx.transcript()?.add(this.#ctx.channel, ">", text.replace(/\n+$/, ""));
    this.#controller.enqueue(encoder.encode(text));
    for (const piece of text.split("\n\n").slice(0, -1)) {
      const unit = parseSseUnit(`${piece}\n\n`);
      if (unit.kind === "data") this.#dataEvents++;
      if (unit.id !== undefined) this.#ctx.trace.written = unit.id;
      if (unit.kind === "control" && unit.control?.streamClosed === true) {
        this.#closedWritten = true;
      }
    }
  }

  #end(how: "server" | "cut" | "client"): void {
    if (this.#done) return;
    this.#done = true;
    const trace = this.#ctx.trace;
    // Everything written reached the client when the response ended cleanly,
    // or when the client gave up on a stalled one; not when it left on its own.
    if (how !== "client" || this.#stalled) {
      trace.sure = trace.written;
      if (this.#closedWritten) trace.closedAt ??= Date.now();
    }
    this.#note(
      how === "client"
        ? "the client closed the connection"
        : how === "cut"
        ? "the scripted server ends the response"
        : "the response ended",
    );
    if (how !== "client") {
      try {
        this.#controller.close();
      } catch { /* already closed */ }
    }
    this.#source.cancel().catch(() => {});
    this.#ctx.ended(this);
  }

  #note(text: string): void {
    this.#ctx.transcript()?.add(this.#ctx.channel, "#", text);
  }
}
