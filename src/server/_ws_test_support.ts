// Test scaffolding for WsSession: a transport that records frames and checks
// each against the server frame schema (WS-FRAME-1), a MemoryStore-backed
// context, and bounded waiting.

import assert from "node:assert/strict";
import * as v from "valibot";
import { WsServerFrameSchema } from "../protocol/ws_server_frame.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { createContext, type ServerContext } from "./_context.ts";
import type { ServerLimits, ServerTiming } from "./server_options.ts";
import type { WsTransport } from "./agent_stream_server.ts";
import { WsSession } from "./ws_session.ts";

// deno-lint-ignore no-explicit-any
export type Frame = Record<string, any>;

export class FakeTransport implements WsTransport {
  readonly texts: string[] = [];
  readonly frames: Frame[] = [];
  readonly violations: string[] = [];
  closeCode: number | undefined;
  closeReason: string | undefined;
  sentAfterClose = 0;
  /** Set when the test closes the connection from the client side. */
  peerClosed = false;
  bufferedAmount: number | undefined;

  send(text: string): void {
    if (this.closeCode !== undefined || this.peerClosed) this.sentAfterClose++;
    this.texts.push(text);
    let frame: Frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.violations.push(`not JSON: ${text.slice(0, 200)}`);
      return;
    }
    const result = v.safeParse(WsServerFrameSchema, frame);
    if (!result.success) {
      this.violations.push(`${text.slice(0, 300)}: ${result.issues[0].message}`);
    }
    this.frames.push(frame);
  }

  close(code: number, reason: string): void {
    if (this.closeCode === undefined) {
      this.closeCode = code;
      this.closeReason = reason;
    }
  }
}

export interface Harness {
  readonly store: MemoryStore;
  readonly ctx: ServerContext;
  readonly transport: FakeTransport;
  readonly session: WsSession;
  readonly shutdown: AbortController;
  /** Sends a frame (objects are JSON-encoded). */
  send(frame: unknown): void;
  /** Frames received since the last `take`. */
  take(): Frame[];
  /** Waits until a frame matching `match` has arrived since the last `take`, and returns it. */
  next(match?: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Waits until `ready()` holds. */
  until(ready: () => boolean, timeoutMs?: number): Promise<void>;
  /** The client side closes the connection. */
  disconnect(): void;
  /** Lets pending promises and zero-delay timers run. */
  settle(): Promise<void>;
  /** Closes the session, checks every frame it sent, disposes the store. */
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  readonly limits?: Partial<ServerLimits>;
  readonly timing?: Partial<ServerTiming>;
  readonly helloTimeoutMs?: number;
  /** Send hello and wait for welcome (default true). */
  readonly hello?: boolean;
  readonly store?: MemoryStore;
  readonly ctx?: ServerContext;
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const store = options.store ?? new MemoryStore();
  const shutdown = new AbortController();
  const ctx = options.ctx ??
    createContext(
      { store, limits: options.limits, timing: options.timing },
      shutdown.signal,
    );
  const transport = new FakeTransport();
  const session = new WsSession(ctx, transport, {
    ...(options.helloTimeoutMs !== undefined ? { helloTimeoutMs: options.helloTimeoutMs } : {}),
  });
  let taken = 0;
  const until = async (ready: () => boolean, timeoutMs = 2000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out; frames so far:\n${transport.texts.slice(-20).join("\n")}`,
        );
      }
      await tick(1);
    }
  };
  const h: Harness = {
    store,
    ctx,
    transport,
    session,
    shutdown,
    send: (frame) => session.receive(typeof frame === "string" ? frame : JSON.stringify(frame)),
    take: () => {
      const frames = transport.frames.slice(taken);
      taken = transport.frames.length;
      return frames;
    },
    next: async (match = () => true, timeoutMs = 2000) => {
      let found: Frame | undefined;
      await until(() => {
        for (let i = taken; i < transport.frames.length; i++) {
          if (match(transport.frames[i])) {
            found = transport.frames[i];
            taken = i + 1;
            return true;
          }
        }
        return false;
      }, timeoutMs);
      return found!;
    },
    until,
    disconnect: () => {
      transport.peerClosed = true;
      session.closed();
    },
    settle: async () => {
      for (let i = 0; i < 5; i++) await tick(0);
    },
    dispose: async () => {
      h.disconnect();
      await tick(0);
      assert.deepEqual(transport.violations, [], "every frame valid against the schema");
      assert.equal(transport.sentAfterClose, 0, "no frame after close");
      if (!options.store && !options.ctx) await store.dispose();
    },
  };
  if (options.hello !== false) {
    h.send({ type: "hello", version: "1.0" });
    const welcome = await h.next();
    assert.equal(welcome.type, "welcome");
  }
  return h;
}

const encoder = new TextEncoder();

/** Messages as stored bytes. */
export function encoded(values: readonly unknown[]): Uint8Array[] {
  return values.map((value) => encoder.encode(JSON.stringify(value)));
}

/** The problem type slug of an error frame. */
export function slugOf(frame: Frame): string {
  return String(frame.problem?.type).replace("https://agent-stream.dev/problems/", "");
}

/** Offsets on the wire. */
export function off(n: number): string {
  return String(n).padStart(16, "0");
}
