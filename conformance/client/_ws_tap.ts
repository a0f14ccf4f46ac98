// The scripted server's WebSocket connections: a reference session behind a
// tap that shows every frame, both ways, to the fault script and records the
// delivered offset of each subscription in its stream's read trace.

import type { WsConnection, WsTransport } from "../../src/server/agent_stream_server.ts";
import type { Transcript } from "../transcript.ts";
import type { FaultScript, WsAction, WsFrame, WsLink } from "./fault_script.ts";
import { type ReadTrace, recordStart } from "./read_trace.ts";
import type { WsRecord } from "./ws_record.ts";

/** What a tap needs from the server. */
export interface WsTapContext {
  readonly record: WsRecord;
  readonly script: () => FaultScript;
  readonly transcript: () => Transcript | undefined;
  readonly trace: (stream: string) => ReadTrace;
  readonly ended: (tap: WsTap) => void;
}

function parse(text: string): WsFrame | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A tapped connection: the runtime's side is `transport`, the session's is `inner`. */
export class WsTap implements WsLink {
  readonly index: number;
  readonly subscriptions: Map<string, string> = new Map();
  readonly connection: WsConnection;
  #inner!: WsConnection;
  readonly #transport: WsTransport;
  readonly #ctx: WsTapContext;
  readonly #channel: string;
  #stalled = false;
  #closed = false;

  constructor(
    transport: WsTransport,
    open: (transport: WsTransport) => WsConnection,
    ctx: WsTapContext,
  ) {
    this.#transport = transport;
    this.#ctx = ctx;
    this.index = ctx.record.index;
    this.#channel = ctx.transcript()?.channel("ws") ?? "ws";
    this.connection = {
      receive: (data) => this.#fromClient(data),
      closed: () => this.#onClosed("client"),
    };
    this.#inner = open({
      send: (text) => this.#fromServer(text),
      close: (code, reason) => this.close(code, reason),
      get bufferedAmount() {
        return transport.bufferedAmount;
      },
    });
  }

  toClient(frame: WsFrame): void {
    if (this.#closed) return;
    const text = JSON.stringify(frame);
    this.#ctx.record.outgoing.push({ at: Date.now(), text, frame });
    this.#ctx.transcript()?.add(this.#channel, ">", text);
    this.#track(frame);
    this.#transport.send(text);
  }

  toServer(frame: WsFrame): void {
    if (!this.#closed) this.#inner.receive(JSON.stringify(frame));
  }

  close(code: number, reason = ""): void {
    if (this.#closed) return;
    this.#ctx.transcript()?.add(this.#channel, ">", `CLOSE ${code} ${reason}`.trim());
    this.#onClosed("server");
    try {
      this.#transport.close(code, reason);
    } catch { /* already closing */ }
  }

  stall(): void {
    if (this.#stalled) return;
    this.#stalled = true;
    this.#ctx.transcript()?.add(this.#channel, "#", "stalls: passes nothing more to the client");
  }

  #fromServer(text: string): void {
    if (this.#closed) return;
    const frame = parse(text);
    if (this.#stalled) {
      // The session must not think the client dead: answer its pings here.
      if (frame?.type === "ping") {
        this.toServer(
          frame.nonce === undefined ? { type: "pong" } : { type: "pong", nonce: frame.nonce },
        );
      }
      return;
    }
    if (frame === undefined) {
      this.#transport.send(text);
      return;
    }
    this.#apply(this.#ctx.script().wsOut?.(frame, this), frame, (f) => this.toClient(f));
  }

  #fromClient(data: string | ArrayBuffer | Uint8Array): void {
    if (this.#closed) return;
    if (typeof data !== "string") {
      this.#ctx.record.incoming.push({ at: Date.now(), binary: data.byteLength });
      this.#ctx.transcript()?.add(this.#channel, "<", `(binary frame, ${data.byteLength} bytes)`);
      this.#inner.receive(data);
      return;
    }
    const frame = parse(data);
    this.#ctx.record.incoming.push({ at: Date.now(), text: data, ...(frame ? { frame } : {}) });
    this.#ctx.transcript()?.add(this.#channel, "<", data);
    if (frame === undefined) {
      this.#inner.receive(data);
      return;
    }
    if (
      frame.type === "subscribe" && typeof frame.sub === "string" && typeof frame.path === "string"
    ) {
      this.subscriptions.set(frame.sub, frame.path);
      const offset = frame.offset === undefined ? "-1" : String(frame.offset);
      recordStart(this.#ctx.trace(frame.path), "websocket", offset);
    }
    const action = this.#ctx.script().wsIn?.(frame, this);
    this.#apply(action, frame, (f) => this.toServer(f), data);
  }

  #apply(
    action: WsAction,
    frame: WsFrame,
    pass: (frame: WsFrame) => void,
    text?: string,
  ): void {
    if (action === undefined) {
      if (text !== undefined) this.#inner.receive(text);
      else pass(frame);
    } else if (action === "drop") {
      return;
    } else if (action === "stall") {
      this.stall();
    } else if ("frames" in action) {
      for (const f of action.frames) pass(f);
    } else {
      for (const f of action.before ?? []) this.toClient(f);
      this.close(action.close.code, action.close.reason);
    }
  }

  // WS-RESUME-1: the delivered offset is the start, then each data frame's nextOffset.
  #track(frame: WsFrame): void {
    const sub = typeof frame.sub === "string" ? frame.sub : undefined;
    const stream = sub === undefined ? undefined : this.subscriptions.get(sub);
    if (stream === undefined) return;
    const offset = frame.type === "subscribed"
      ? frame.offset
      : frame.type === "data"
      ? frame.nextOffset
      : frame.type === "error"
      ? frame.resumeOffset
      : undefined;
    if (typeof offset !== "string" || !/^[0-9]{16}$/.test(offset)) return;
    const trace = this.#ctx.trace(stream);
    trace.written = Number(offset);
    trace.sure = trace.written;
  }

  #onClosed(by: "server" | "client"): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ctx.record.closedAt = Date.now();
    this.#ctx.record.closedBy = by;
    if (by === "client") this.#ctx.transcript()?.add(this.#channel, "<", "CLOSE");
    this.#inner.closed();
    this.#ctx.ended(this);
  }
}
