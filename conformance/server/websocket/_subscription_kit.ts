// What the checks of websocket.md §6–9 share: a connection whose frames are
// kept in arrival order (heartbeat pings answered on the spot, so a check that
// is busy over HTTP does not look like a dead peer), and helpers for streams,
// offsets and error frames.

import { formatOffset, parseOffset } from "../../../src/protocol/offset.ts";
import {
  PROBLEM_TYPE_BASE,
  PROBLEM_TYPES,
  type ProblemSlug,
} from "../../../src/protocol/problem.ts";
import type { CheckContext } from "../../check.ts";
import type { WsProbe } from "../../ws_probe.ts";

/** A server frame: a JSON object. */
export type Frame = Record<string, unknown>;

/** One WebSocket session whose frames wait in a queue until the check takes them. */
export class Session {
  readonly ws: WsProbe;
  readonly welcome: Frame;
  /** Frames received and not yet taken, in arrival order (pings excepted). */
  readonly frames: Frame[] = [];
  /** How the connection closed, once it has. */
  closed: { code: number; reason: string } | undefined;
  readonly #waiters = new Set<() => void>();
  #syncs = 0;

  constructor(ws: WsProbe, welcome: Frame) {
    this.ws = ws;
    this.welcome = welcome;
    void this.#read();
  }

  /** Opens a session (hello, welcome) on the check's context. */
  static async open(t: CheckContext): Promise<Session> {
    const { ws, welcome } = await t.wsSession();
    return new Session(ws, welcome);
  }

  /** A limit of this connection: `welcome.limits` first, then the discovery document. */
  limit(name: string, t: CheckContext): number | undefined {
    const own = (this.welcome.limits as Record<string, unknown> | undefined)?.[name];
    if (typeof own === "number") return own;
    if (name === "maxSubscriptions") return t.discovery.bindings?.websocket?.maxSubscriptions;
    const value = (t.discovery.limits as unknown as Record<string, unknown> | undefined)?.[name];
    return typeof value === "number" ? value : undefined;
  }

  send(frame: Frame): void {
    this.ws.send(frame);
  }

  /** Waits until a queued frame satisfies `match`; true if one does within `timeoutMs`. */
  async waitFor(match: (frame: Frame) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.frames.some(match)) {
      if (this.closed || Date.now() >= deadline) return false;
      await this.#sleep(deadline - Date.now());
    }
    return true;
  }

  /** Takes the oldest queued frame, waiting at most `timeoutMs`. */
  async take(timeoutMs: number): Promise<Frame | undefined> {
    if (await this.waitFor(() => true, timeoutMs)) return this.frames.shift();
    return undefined;
  }

  /** Takes the oldest queued frame `match` accepts, leaving the others queued. */
  async takeMatching(
    match: (frame: Frame) => boolean,
    timeoutMs: number,
  ): Promise<Frame | undefined> {
    if (!(await this.waitFor(match, timeoutMs))) return undefined;
    const index = this.frames.findIndex(match);
    return this.frames.splice(index, 1)[0];
  }

  /**
   * Takes every queued frame up to and including the first that `match`
   * accepts, waiting at most `timeoutMs` for it; undefined when none comes.
   */
  async through(match: (frame: Frame) => boolean, timeoutMs: number): Promise<Frame[] | undefined> {
    if (!(await this.waitFor(match, timeoutMs))) return undefined;
    return this.frames.splice(0, this.frames.findIndex(match) + 1);
  }

  /**
   * Sends `unsubscribe` for a fresh id and takes every frame up to its
   * `unsubscribed`: the frames the server sent before it processed everything
   * sent so far. Undefined when the answer does not come in `timeoutMs`.
   */
  async settle(timeoutMs: number): Promise<Frame[] | undefined> {
    const sub = this.syncId();
    this.send({ type: "unsubscribe", sub });
    const isAnswer = (f: Frame) => f.type === "unsubscribed" && f.sub === sub;
    if (!(await this.waitFor(isAnswer, timeoutMs))) return undefined;
    const index = this.frames.findIndex(isAnswer);
    return this.frames.splice(0, index + 1).slice(0, index);
  }

  /** A subscription id not used for anything else on this session. */
  syncId(): string {
    return `sync-${++this.#syncs}`;
  }

  close(): void {
    this.ws.close();
  }

  async #read(): Promise<void> {
    while (true) {
      const next = await this.ws.next(1000);
      if (next.kind === "close") {
        this.closed = { code: next.code, reason: next.reason };
        break;
      }
      if (next.kind !== "frame") {
        if (next.kind === "timeout" && !this.ws.isOpen && this.closed) break;
        continue;
      }
      const frame = next.frame;
      if (typeof frame !== "object" || frame === null || Array.isArray(frame)) continue;
      const object = frame as Frame;
      if (object.type === "ping") {
        this.send({ type: "pong", ...(object.nonce !== undefined ? { nonce: object.nonce } : {}) });
        continue;
      }
      this.frames.push(object);
      this.#wakeAll();
    }
    this.#wakeAll();
  }

  #wakeAll(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
    });
  }
}

/** The slug of an error frame's problem, or undefined. */
export function problemSlugOf(frame: Frame | undefined): string | undefined {
  const type = (frame?.problem as { type?: unknown } | undefined)?.type;
  if (typeof type !== "string" || !type.startsWith(PROBLEM_TYPE_BASE)) return undefined;
  return type.slice(PROBLEM_TYPE_BASE.length);
}

/**
 * Fails with `requirement` unless `frame` is an `error` frame with the problem
 * type `slug`, its catalogued status, and the given `sub` or `req`.
 */
export function expectErrorFrame(
  t: CheckContext,
  requirement: string,
  frame: Frame | undefined,
  slug: ProblemSlug,
  ids: { sub?: string; req?: string },
): void {
  t.expect(requirement, frame !== undefined, `no answer; expected an error frame (${slug})`);
  t.expectEqual(requirement, frame!.type, "error", "frame type");
  if (ids.sub !== undefined) t.expectEqual(requirement, frame!.sub, ids.sub, "error.sub");
  if (ids.req !== undefined) t.expectEqual(requirement, frame!.req, ids.req, "error.req");
  t.expectEqual(requirement, problemSlugOf(frame), slug, "problem type");
  const status = (frame!.problem as { status?: unknown }).status;
  t.expectEqual(requirement, status, PROBLEM_TYPES[slug].status, "problem status");
}

/** The offset `n` as the wire writes it. */
export function offset(n: number): string {
  return formatOffset(n);
}

/** An offset as a number; NaN when it is not an offset. */
export function offsetValue(value: unknown): number {
  if (typeof value !== "string") return NaN;
  try {
    return parseOffset(value);
  } catch {
    return NaN;
  }
}

/** Appends `messages` over HTTP; fails with `requirement` unless the append succeeds. */
export async function appendHttp(
  t: CheckContext,
  url: string,
  messages: readonly unknown[],
  requirement = "HTTP-APPEND-1",
): Promise<void> {
  const reply = await t.http.request("POST", url, {
    headers: { "Content-Type": "application/json" },
    body: { json: messages },
  });
  t.expectStatus(requirement, reply, [200, 204]);
}

/** Creates a JSON stream holding `count` numbered messages; returns its path and URL. */
export async function streamWith(
  t: CheckContext,
  count: number,
  label = "s",
): Promise<{ path: string; url: string; messages: unknown[] }> {
  const path = t.stream(label);
  const url = await t.createStream(path);
  const messages = Array.from({ length: count }, (_, i) => ({ n: i }));
  const batch = Math.max(1, t.discovery.limits?.maxReadMessages ?? 100);
  for (let i = 0; i < count; i += batch) {
    await appendHttp(t, url, messages.slice(i, i + batch));
  }
  return { path, url, messages };
}

/** The data frames of `sub` among `frames`. */
export function dataOf(frames: readonly Frame[], sub: string): Frame[] {
  return frames.filter((f) => f.type === "data" && f.sub === sub);
}
