/**
 * WebSocket as a check sees it: frames in both directions go to the
 * transcript, every wait is bounded.
 *
 * @module
 */

import type { Transcript } from "./transcript.ts";

/**
 * What {@linkcode WsProbe.next} yields.
 *
 * @example
 * ```ts
 * import type { WsNext } from "@agent-stream/agent-stream/conformance";
 *
 * function isWelcome(next: WsNext): boolean {
 *   return next.kind === "frame" && (next.frame as { type?: string })?.type === "welcome";
 * }
 * ```
 */
export type WsNext =
  /** A text frame; `frame` is its JSON value, or `undefined` when it is not JSON. */
  | { readonly kind: "frame"; readonly text: string; readonly frame: unknown }
  /** A binary frame. */
  | { readonly kind: "binary"; readonly bytes: number }
  /** The connection closed (or never opened: code 1006). */
  | { readonly kind: "close"; readonly code: number; readonly reason: string }
  /** Nothing arrived in time. */
  | { readonly kind: "timeout" };

/**
 * One recorded WebSocket connection.
 *
 * @example
 * ```ts ignore
 * import type { WsProbe } from "@agent-stream/agent-stream/conformance";
 * declare const ws: WsProbe;
 * ws.send({ type: "hello", versions: ["1.0"] });
 * const welcome = await ws.next(1000);
 * ws.close();
 * ```
 */
export class WsProbe {
  readonly #socket: WebSocket;
  readonly #transcript: Transcript;
  readonly #channel: string;
  readonly #queue: WsNext[] = [];
  #wake: (() => void) | undefined;
  #closed: WsNext | undefined;
  readonly #opened: Promise<boolean>;

  /** Connects to `url` (ws: or wss:) offering `protocols`. Use {@linkcode WsProbe.open} to await the handshake. */
  constructor(url: string, protocols: readonly string[], transcript: Transcript) {
    this.#transcript = transcript;
    this.#channel = transcript.channel("ws");
    transcript.add(
      this.#channel,
      ">",
      `CONNECT ${url} (subprotocols: ${protocols.join(", ") || "none"})`,
    );
    this.#socket = new WebSocket(url, [...protocols]);
    this.#socket.binaryType = "arraybuffer";
    this.#opened = new Promise((resolve) => {
      this.#socket.addEventListener("open", () => {
        transcript.add(
          this.#channel,
          "<",
          `OPEN (subprotocol: ${this.#socket.protocol || "none"})`,
        );
        resolve(true);
      });
      this.#socket.addEventListener("close", () => resolve(false));
    });
    this.#socket.addEventListener("message", (event: MessageEvent) => {
      if (typeof event.data === "string") {
        transcript.add(this.#channel, "<", event.data);
        let frame: unknown;
        try {
          frame = JSON.parse(event.data);
        } catch {
          frame = undefined;
        }
        this.#push({ kind: "frame", text: event.data, frame });
      } else {
        const bytes = (event.data as ArrayBuffer).byteLength ?? 0;
        transcript.add(this.#channel, "<", `(binary frame, ${bytes} bytes)`);
        this.#push({ kind: "binary", bytes });
      }
    });
    this.#socket.addEventListener("close", (event: CloseEvent) => {
      transcript.add(this.#channel, "<", `CLOSE ${event.code} ${event.reason}`.trim());
      this.#closed = { kind: "close", code: event.code, reason: event.reason };
      this.#wake?.();
    });
  }

  /** Connects and waits for the handshake; `false` when the server refused or did not answer in time. */
  static async open(
    url: string,
    protocols: readonly string[],
    transcript: Transcript,
    timeoutMs: number,
  ): Promise<WsProbe> {
    const probe = new WsProbe(url, protocols, transcript);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ok = await Promise.race([
      probe.#opened,
      new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), timeoutMs)),
    ]);
    clearTimeout(timer);
    if (!ok && !probe.#closed) {
      transcript.add(probe.#channel, "#", `no handshake within ${timeoutMs} ms`);
      probe.close();
    }
    return probe;
  }

  /** Whether the connection is open. */
  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  /** The subprotocol the server selected (`""` when none). */
  get protocol(): string {
    return this.#socket.protocol;
  }

  /** Sends a frame: a string as it is, anything else as JSON text, bytes as a binary frame. */
  send(frame: unknown): void {
    if (frame instanceof Uint8Array) {
      this.#transcript.add(this.#channel, ">", `(binary frame, ${frame.byteLength} bytes)`);
      this.#socket.send(frame as Uint8Array<ArrayBuffer>);
      return;
    }
    const text = typeof frame === "string" ? frame : JSON.stringify(frame);
    this.#transcript.add(this.#channel, ">", text);
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(text);
  }

  /** The next frame or the close, waiting at most `timeoutMs`. */
  async next(timeoutMs: number): Promise<WsNext> {
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.length === 0) {
      if (this.#closed) return this.#closed;
      const left = deadline - Date.now();
      if (left <= 0) return { kind: "timeout" };
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
      this.#wake = undefined;
    }
    return this.#queue.shift()!;
  }

  /**
   * The first JSON frame `match` accepts, skipping others (heartbeat pings are
   * answered with a pong while waiting); `undefined` on close or timeout.
   */
  async nextMatching(
    match: (frame: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown> | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const next = await this.next(Math.max(0, deadline - Date.now()));
      if (next.kind === "close" || next.kind === "timeout") return undefined;
      if (next.kind !== "frame" || !isObject(next.frame)) continue;
      if (match(next.frame)) return next.frame;
      if (next.frame.type === "ping") this.send({ type: "pong", nonce: next.frame.nonce });
    }
  }

  /** Closes the connection from the check's side. */
  close(code = 1000, reason = ""): void {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    this.#transcript.add(this.#channel, ">", `CLOSE ${code} ${reason}`.trim());
    try {
      this.#socket.close(code, reason);
    } catch {
      this.#socket.close();
    }
  }

  #push(next: WsNext): void {
    this.#queue.push(next);
    this.#wake?.();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
