/**
 * The WebSocket binding (spec/v1/websocket.md) on one upgraded connection:
 * hello and welcome, subscriptions, appends, heartbeats and goodbye. Runtime
 * adapters feed it received messages; it answers through a
 * {@linkcode WsTransport}.
 *
 * @module
 */

import { PROTOCOL_VERSION_PATTERN } from "../protocol/protocol_version.ts";
import { formatOffset, parseOffset } from "../protocol/offset.ts";
import type { Problem, ProblemSlug } from "../protocol/problem.ts";
import { WS_CLOSE_CODES } from "../protocol/ws_frame.ts";
import type {
  AckFrame,
  AppendFrame,
  HelloFrame,
  SubscribeFrame,
} from "../protocol/ws_client_frame.ts";
import type { WsServerFrame } from "../protocol/ws_server_frame.ts";
import { checkStreamPath, isJsonContentType } from "../stores/_log_rules.ts";
import { StoreError, type StreamInfo } from "../stores/event_store.ts";
import type { ServerContext } from "./_context.ts";
import { problemBody } from "./_problem.ts";
import type { WsConnection, WsTransport } from "./agent_stream_server.ts";
import { SUPPORTED_VERSIONS } from "./_http_version.ts";
import { dispatchAppend, problemOf } from "./_ws_append.ts";
import { frameText } from "./_ws_frames.ts";
import { Heartbeat } from "./_ws_heartbeat.ts";
import { type Defect, readClientFrame } from "./_ws_inbound.ts";
import { utf8Exceeds } from "./_ws_raw_messages.ts";
import { type SubscriptionHost, WsSubscription } from "./_ws_subscription.ts";

/** Unsent bytes above which data frames wait (slow subscribers, section 8). */
const HIGH_WATER_BYTES = 1024 * 1024;
/** How often a congested transport is looked at again. */
const DRAIN_POLL_MS = 10;
/** Frames waiting for their turn beyond this mean a client that does not wait for answers. */
const MAX_WAITING_FRAMES = 10_000;
/** Suggested wait after `subscriber-limit` and `rate-limited` (ERR-EXT-4). */
const RETRY_AFTER_MS = 1000;

/**
 * One WebSocket connection speaking agent-stream v1. Create it when the
 * adapter has upgraded a connection; pass every received message to
 * `receive` and the end of the connection to `closed`. On shutdown, call
 * `goodbye`, or abort `ctx.shutdown`: the session then says goodbye with
 * `reconnect` unless the abort reason is `{ reconnect: false }`, and with the
 * reason's `retryAfterMs` if it has one.
 *
 * @example
 * ```ts
 * import { createContext } from "./_context.ts";
 * import { WsSession } from "./ws_session.ts";
 * import { MemoryStore } from "../stores/memory_store.ts";
 *
 * const ctx = createContext({ store: new MemoryStore() }, new AbortController().signal);
 * const sent: string[] = [];
 * const session = new WsSession(ctx, { send: (t) => sent.push(t), close: () => {} });
 * session.receive('{"type":"hello","version":"1.0"}');
 * JSON.parse(sent[0]).type; // "welcome"
 * session.closed();
 * ```
 */
export class WsSession implements WsConnection {
  readonly #ctx: ServerContext;
  readonly #transport: WsTransport;
  readonly #session = crypto.randomUUID(); // WS-HELLO-8
  readonly #subscriptions = new Map<string, WsSubscription>();
  readonly #host: SubscriptionHost;
  readonly #heartbeat: Heartbeat;
  readonly #answers = new Map<string, Promise<void>>();
  readonly #draining = new Set<WsSubscription>();
  readonly #onShutdown = () => {
    // The app may say how it goes: abort({ reconnect: false, retryAfterMs }).
    const how = this.#ctx.shutdown.reason as { reconnect?: unknown; retryAfterMs?: unknown };
    const retry = how?.retryAfterMs;
    this.goodbye(
      how?.reconnect !== false,
      Number.isSafeInteger(retry) && (retry as number) >= 0 ? retry as number : undefined,
    );
  };
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #welcomed = false;
  #closing = false;
  #turn: Promise<void> = Promise.resolve();
  #waiting = 0;
  #nonce = 0;

  /**
   * Starts the protocol on a connection; `options.helloTimeoutMs` (default
   * 10 000) bounds the wait for `hello`.
   */
  constructor(
    ctx: ServerContext,
    transport: WsTransport,
    options: { readonly helloTimeoutMs?: number } = {},
  ) {
    this.#ctx = ctx;
    this.#transport = transport;
    this.#host = {
      ctx,
      send: (text) => this.#sendText(text),
      congested: () => (this.#transport.bufferedAmount ?? 0) > HIGH_WATER_BYTES,
      whenDrained: (sub) => this.#whenDrained(sub),
      released: (sub) => this.#released(sub),
    };
    this.#heartbeat = new Heartbeat(
      ctx.timing.heartbeatMs,
      // Real time, like the timer that drives it; ctx.clock may be a test's frozen clock.
      () => performance.now(),
      () => this.#send({ type: "ping", nonce: `n-${++this.#nonce}` }),
      () => this.#deadPeer(),
    );
    // Section 5: a connection without hello may be closed with 1008.
    this.#helloTimer = setTimeout(
      () =>
        this.#fatal("invalid-frame", "No hello arrived in time", WS_CLOSE_CODES.policyViolation),
      options.helloTimeoutMs ?? 10_000,
    );
    if (ctx.shutdown.aborted) queueMicrotask(this.#onShutdown);
    else ctx.shutdown.addEventListener("abort", this.#onShutdown, { once: true });
  }

  /** A message arrived: text, or binary as ArrayBuffer/Uint8Array. Never throws. */
  receive(data: string | ArrayBuffer | Uint8Array): void {
    if (this.#closing) return;
    this.#heartbeat.received();
    const max = this.#ctx.limits.maxWsFrameBytes;
    if (typeof data === "string" ? utf8Exceeds(data, max) : data.byteLength > max) {
      this.#close(WS_CLOSE_CODES.messageTooBig, "Frame larger than maxWsFrameBytes"); // WS-FRAME-12
      return;
    }
    if (!this.#welcomed) {
      this.#hello(data);
      return;
    }
    if (this.#waiting >= MAX_WAITING_FRAMES) {
      this.#fatal(
        "rate-limited",
        "Too many frames wait for processing",
        WS_CLOSE_CODES.policyViolation,
        {
          retryAfterMs: RETRY_AFTER_MS,
        },
      );
      return;
    }
    // WS-HELLO-2: one frame at a time, in the order received.
    this.#waiting++;
    this.#turn = this.#turn.then(() => this.#handle(data)).catch((error) => {
      if (this.#closing) return;
      console.error("agent-stream: WebSocket session failed", error);
      this.#fatal(
        "internal-error",
        "The server met an unexpected condition",
        WS_CLOSE_CODES.internalError,
      );
    }).finally(() => this.#waiting--);
  }

  /** The connection closed, from either side: its subscriptions end. */
  closed(): void {
    this.#shutDown();
  }

  /**
   * Says `goodbye` and closes: with 1012 when the client should reconnect
   * (restart), with 1001 otherwise (WS-CLOSE-1..3). Nothing follows it.
   */
  goodbye(reconnect: boolean, retryAfterMs?: number): void {
    if (this.#closing) return;
    this.#send({
      type: "goodbye",
      reconnect,
      ...(retryAfterMs !== undefined
        ? {
          retryAfterMs,
          // ERR-WS-1
          problem: problemBody("unavailable", {
            detail: "The server is going away",
            members: { retryAfterMs },
          }),
        }
        : {}),
    });
    this.#close(
      reconnect ? WS_CLOSE_CODES.serviceRestart : WS_CLOSE_CODES.goingAway,
      reconnect ? "Server restart" : "Server shutdown",
    );
  }

  // ------------------------------------------------------------------ hello

  #hello(data: string | ArrayBuffer | Uint8Array): void {
    clearTimeout(this.#helloTimer);
    this.#helloTimer = undefined;
    const inbound = readClientFrame(data);
    if (inbound.kind !== "frame" || inbound.frame.type !== "hello") {
      const version = inbound.kind === "defect" && inbound.value?.type === "hello"
        ? inbound.value.version
        : undefined;
      if (inbound.kind === "defect" && inbound.value?.type === "hello" && !isVersion(version)) {
        // WS-HELLO-6
        return this.#fatal(
          "unsupported-version",
          `Version ${JSON.stringify(version) ?? "(none)"} is not 1.<minor>`,
          WS_CLOSE_CODES.policyViolation,
          { supported: [...SUPPORTED_VERSIONS] },
        );
      }
      // WS-HELLO-5
      return this.#fatal(
        "invalid-frame",
        "The first frame must be a valid hello",
        WS_CLOSE_CODES.policyViolation,
      );
    }
    const hello = inbound.frame as HelloFrame;
    this.#welcomed = true;
    this.#send({
      type: "welcome",
      version: servedVersion(hello.version), // WS-HELLO-4
      session: this.#session,
      heartbeatMs: this.#ctx.timing.heartbeatMs,
    });
    this.#heartbeat.start();
  }

  // ----------------------------------------------------------------- frames

  async #handle(data: string | ArrayBuffer | Uint8Array): Promise<void> {
    if (this.#closing) return;
    const inbound = readClientFrame(data);
    if (inbound.kind === "unknown") return; // WS-FRAME-7
    if (inbound.kind === "defect") return this.#defect(inbound);
    const frame = inbound.frame;
    switch (frame.type) {
      case "hello": // WS-HELLO-7
        return this.#error("invalid-frame", "hello was already received");
      case "ping": // WS-HEARTBEAT-3
        return this.#send({
          type: "pong",
          ...(frame.nonce !== undefined ? { nonce: frame.nonce } : {}),
        });
      case "pong":
        return;
      case "subscribe":
        return await this.#subscribe(frame);
      case "unsubscribe": {
        // WS-UNSUB-1: answered whether or not the subscription exists.
        this.#subscriptions.get(frame.sub)?.stop();
        return this.#send({ type: "unsubscribed", sub: frame.sub, reason: "client" });
      }
      case "ack":
        return this.#ack(frame);
      case "append":
        return await this.#append(frame, inbound.text);
    }
  }

  #defect(defect: Defect): void {
    const problem = problemBody(defect.slug, {
      detail: defect.detail,
      ...(defect.errors ? { members: { errors: defect.errors } } : {}),
    });
    if (defect.sub !== undefined) return this.#endSubscription(defect.sub, problem); // WS-FRAME-6
    this.#send({
      type: "error",
      ...(defect.req !== undefined ? { req: defect.req } : {}),
      problem,
    });
  }

  /** Sends an error carrying `sub`, ending the subscription of that id if one is active (WS-ERROR-2). */
  #endSubscription(sub: string, problem: Problem): void {
    const active = this.#subscriptions.get(sub);
    if (active) active.fail(problem); // with resumeOffset (WS-ERROR-3)
    else this.#send({ type: "error", sub, problem }); // WS-ERROR-4
  }

  #ack(frame: AckFrame): void {
    const sub = this.#subscriptions.get(frame.sub);
    if (!sub) return; // WS-FLOW-5
    let offset: number;
    try {
      offset = parseOffset(frame.offset);
    } catch {
      offset = Infinity;
    }
    if (!sub.ack(offset)) {
      // WS-FLOW-4
      sub.fail(problemBody("invalid-frame", {
        detail: `ack ${frame.offset} is beyond the delivered offset ${formatOffset(sub.delivered)}`,
      }));
    }
  }

  // ----------------------------------------------------------- subscriptions

  async #subscribe(frame: SubscribeFrame): Promise<void> {
    const { store, limits, subscribers } = this.#ctx;
    const refuse = (slug: ProblemSlug, detail: string, members?: Record<string, unknown>) =>
      this.#endSubscription(
        frame.sub,
        problemBody(slug, { detail, ...(members ? { members } : {}) }),
      );
    if (this.#subscriptions.has(frame.sub)) {
      return refuse("invalid-frame", `Subscription ${frame.sub} is already active`); // WS-SUB-9
    }
    let start: number;
    let stream: StreamInfo;
    try {
      checkStreamPath(frame.path, limits.maxStreamPathBytes); // WS-SUB-8
      stream = await store.head(frame.path); // WS-SUB-4, WS-SUB-5
      if (this.#closing) return;
      start = resolveOffset(frame.offset ?? "-1", stream.tail); // WS-SUB-2, WS-SUB-7
    } catch (error) {
      return this.#endSubscription(frame.sub, problemOf(error));
    }
    if (!isJsonContentType(stream.contentType)) {
      return refuse(
        "unsupported-media-type",
        `Stream ${frame.path} holds ${stream.contentType}; WebSocket subscriptions carry JSON streams`,
      );
    }
    // WS-LIMIT-1..3
    if (this.#subscriptions.size >= limits.maxWsSubscriptions) {
      return refuse(
        "subscriber-limit",
        `At most ${limits.maxWsSubscriptions} subscriptions per connection`,
        {
          retryAfterMs: RETRY_AFTER_MS,
        },
      );
    }
    if (!subscribers.acquire(frame.path)) {
      return refuse("subscriber-limit", "The server has reached its subscriber limit", {
        retryAfterMs: RETRY_AFTER_MS,
      });
    }
    const sub = new WsSubscription(this.#host, {
      id: frame.sub,
      path: frame.path,
      kind: stream.kind,
      start,
      ...(frame.window !== undefined ? { window: frame.window } : {}),
      ...(stream.ttlSeconds !== undefined ? { ttlSeconds: stream.ttlSeconds } : {}),
    });
    this.#subscriptions.set(frame.sub, sub);
    try {
      await sub.open();
    } catch (error) {
      sub.stop();
      return this.#endSubscription(frame.sub, problemOf(error));
    }
    if (this.#closing) return sub.stop();
    sub.activate();
  }

  #released(sub: WsSubscription): void {
    if (this.#subscriptions.get(sub.id) !== sub) return;
    this.#subscriptions.delete(sub.id);
    this.#draining.delete(sub);
    this.#ctx.subscribers.release(sub.path);
  }

  #whenDrained(sub: WsSubscription): void {
    this.#draining.add(sub);
    if (this.#drainTimer !== undefined || this.#closing) return;
    const poll = () => {
      this.#drainTimer = undefined;
      if (this.#closing) return;
      if (this.#host.congested()) {
        this.#drainTimer = setTimeout(poll, DRAIN_POLL_MS);
        return;
      }
      const waiting = [...this.#draining];
      this.#draining.clear();
      for (const s of waiting) s.drained();
    };
    this.#drainTimer = setTimeout(poll, DRAIN_POLL_MS);
  }

  // ----------------------------------------------------------------- appends

  async #append(frame: AppendFrame, text: string): Promise<void> {
    // Dispatch in turn (WS-APPEND-13); answer per stream in the same order (WS-APPEND-14).
    const { answer } = await dispatchAppend(this.#ctx, frame, text);
    const previous = this.#answers.get(frame.path) ?? Promise.resolve();
    const sent = previous.then(() => answer).then((reply) => this.#send(reply));
    this.#answers.set(frame.path, sent);
    sent.finally(() => {
      if (this.#answers.get(frame.path) === sent) this.#answers.delete(frame.path);
    }).catch(() => {});
  }

  // ----------------------------------------------------------------- sending

  #send(frame: WsServerFrame): void {
    this.#sendText(frameText(frame));
  }

  #sendText(text: string): void {
    if (this.#closing) return; // WS-CLOSE-4: nothing after goodbye or close
    try {
      this.#transport.send(text);
      this.#heartbeat.sent();
    } catch {
      this.#shutDown();
    }
  }

  #error(slug: ProblemSlug, detail: string): void {
    this.#send({ type: "error", problem: problemBody(slug, { detail }) });
  }

  /** An error frame about the connection, then the close (WS-CLOSE-8). */
  #fatal(slug: ProblemSlug, detail: string, code: number, members?: Record<string, unknown>): void {
    if (this.#closing) return;
    this.#send({
      type: "error",
      problem: problemBody(slug, { detail, ...(members ? { members } : {}) }),
    });
    this.#close(code, slug);
  }

  #deadPeer(): void {
    // WS-HEARTBEAT-5: no frame for 2 × heartbeatMs after a ping.
    this.#send({ type: "goodbye", reconnect: true });
    this.#close(WS_CLOSE_CODES.normal, "No frame received after ping");
  }

  #close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#shutDown();
    try {
      this.#transport.close(code, reason); // short ASCII: a close reason holds at most 123 bytes
    } catch {
      // Already closed.
    }
  }

  /** Ends everything the connection holds; idempotent. */
  #shutDown(): void {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#helloTimer);
    clearTimeout(this.#drainTimer);
    this.#heartbeat.stop();
    this.#ctx.shutdown.removeEventListener("abort", this.#onShutdown);
    for (const sub of [...this.#subscriptions.values()]) sub.stop();
    this.#draining.clear();
  }
}

function isVersion(version: unknown): boolean {
  return typeof version === "string" && PROTOCOL_VERSION_PATTERN.test(version);
}

/** VER-NEG-1: the highest minor not above the client's, else the lowest (versions ascend). */
function servedVersion(requested: string): string {
  const minor = Number(requested.split(".")[1]);
  const below = SUPPORTED_VERSIONS.filter((v) => Number(v.split(".")[1]) <= minor);
  return below.at(-1) ?? SUPPORTED_VERSIONS[0];
}

/** A request offset as a number: `-1` is 0, `now` the tail (WS-SUB-2). */
function resolveOffset(offset: string, tail: number): number {
  if (offset === "-1") return 0;
  if (offset === "now") return tail;
  let n: number;
  try {
    n = parseOffset(offset);
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw new StoreError("invalid-offset", `${offset} is not an offset`);
    }
    n = Infinity;
  }
  if (n > tail) {
    throw new StoreError("offset-out-of-range", `Offset ${offset} is beyond the tail`, { tail });
  }
  return n;
}
