// WebSocket stand-ins for the WsClient tests: a scripted socket the test
// drives frame by frame, and a bridge that connects the client to the
// reference server's WebSocket sessions in process.

import type { AgentStreamServer, WsConnection } from "../../src/server/agent_stream_server.ts";
import type { WebSocketConstructor, WebSocketLike } from "../../src/client/ws_client_options.ts";

// deno-lint-ignore no-explicit-any
export type Frame = Record<string, any>;

function messageEvent(data: string): MessageEvent {
  return { data } as MessageEvent;
}

function closeEvent(code: number, reason: string): CloseEvent {
  return { code, reason } as CloseEvent;
}

/** A socket driven by the test: it sees what the client sends and plays the server. */
export class ScriptedSocket implements WebSocketLike {
  readonly url: string;
  readonly protocols: string[];
  protocol = "agent-stream.v1";
  readonly sent: Frame[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocols = protocols === undefined ? [] : [protocols].flat();
  }

  send(data: string): void {
    if (this.closedWith !== undefined) throw new Error("send after close");
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closedWith ??= { code, reason };
    setTimeout(() => this.onclose?.(closeEvent(code ?? 1005, reason ?? "")), 0);
  }

  // --- the server's side

  open(): void {
    this.onopen?.({} as Event);
  }

  receive(frame: Frame | string): void {
    this.onmessage?.(messageEvent(typeof frame === "string" ? frame : JSON.stringify(frame)));
  }

  welcome(heartbeatMs = 60_000): void {
    this.receive({
      type: "welcome",
      version: "1.0",
      session: `c${Math.random()}`.slice(0, 10),
      heartbeatMs,
    });
  }

  /** The connection ends from the server's side or the network. */
  drop(code = 1006, reason = ""): void {
    this.closedWith ??= { code, reason };
    this.onclose?.(closeEvent(code, reason));
  }

  framesOf(type: string): Frame[] {
    return this.sent.filter((f) => f.type === type);
  }
}

/** A WebSocket constructor that records every socket it makes. */
export function scriptedSockets(): { ctor: WebSocketConstructor; sockets: ScriptedSocket[] } {
  const sockets: ScriptedSocket[] = [];
  const ctor = class extends ScriptedSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  };
  return { ctor, sockets };
}

/** Polls until `check` holds, failing after `ms`. */
export async function until(check: () => boolean, ms = 2000, what = "condition"): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A socket wired to a reference server session, with a way to cut it. */
export class BridgedSocket implements WebSocketLike {
  protocol = "agent-stream.v1";
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  #connection: WsConnection | undefined;
  #ended = false;

  constructor(server: AgentStreamServer) {
    // Frames travel asynchronously, as on a network.
    setTimeout(() => {
      if (this.#ended) return;
      this.#connection = server.openWs({
        send: (text) => setTimeout(() => !this.#ended && this.onmessage?.(messageEvent(text)), 0),
        close: (code, reason) => setTimeout(() => this.#end(code, reason), 0),
      });
      this.onopen?.({} as Event);
    }, 0);
  }

  send(text: string): void {
    if (this.#ended) throw new Error("send after close");
    setTimeout(() => !this.#ended && this.#connection?.receive(text), 0);
  }

  close(code = 1000, reason = ""): void {
    setTimeout(() => this.#end(code, reason), 0);
  }

  /** The network fails: neither side hears anything more. */
  cut(): void {
    this.#end(1006, "cut");
  }

  #end(code: number, reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#connection?.closed();
    this.onclose?.(closeEvent(code, reason));
  }
}

/** A WebSocket constructor whose sockets reach `server` in process. */
export function bridgedSockets(server: AgentStreamServer): {
  ctor: WebSocketConstructor;
  sockets: BridgedSocket[];
} {
  const sockets: BridgedSocket[] = [];
  const ctor = class extends BridgedSocket {
    constructor(_url: string, protocols?: string | string[]) {
      if (![protocols].flat().includes("agent-stream.v1")) {
        throw new Error("subprotocol not offered");
      }
      super(server);
      sockets.push(this);
    }
  };
  return { ctor, sockets };
}
