/**
 * The WebSocket client of agent-stream (websocket.md): one connection,
 * many subscriptions, appends answered by request id, heartbeats, and
 * reconnection with resubscription from where each subscription was.
 *
 * @module
 */

import type { Discovery } from "../protocol/discovery.ts";
import { type Problem, problemSlug } from "../protocol/problem.ts";
import { PROTOCOL_VERSION } from "../protocol/protocol_version.ts";
import type { AppendFrame, WsClientFrame } from "../protocol/ws_client_frame.ts";
import { WS_SUBPROTOCOL } from "../protocol/ws_frame.ts";
import type { GoodbyeFrame, WsServerFrame } from "../protocol/ws_server_frame.ts";
import { abortReason } from "./_abort.ts";
import { DiscoveryCache } from "./_discovery_cache.ts";
import { checkAppendSize, requireFeature } from "./_discovery_rules.ts";
import { jsonMemberText, splitJsonArray } from "./_json_array.ts";
import { PendingAppends, problemError } from "./_ws_appends.ts";
import { type SubscriptionHost, WsSubscriptionState } from "./_ws_subscription.ts";
import type {
  WebSocketConstructor,
  WebSocketLike,
  WsClientOptions,
  WsStatus,
} from "./ws_client_options.ts";
import type { WsSubscribeOptions, WsSubscription } from "./ws_subscription.ts";
import { Backoff } from "./backoff.ts";
import { IdempotentProducer, type ProducerOptions } from "./producer.ts";
import type { AppendOptions, AppendResult } from "./stream_client_options.ts";
import { StreamError } from "./stream_error.ts";
import type { StreamEvent } from "./stream_reader.ts";

function baseOf(options: WsClientOptions): URL | undefined {
  if (options.url !== undefined || options.baseUrl === undefined) return undefined;
  const url = new URL(String(options.baseUrl));
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function webSocketUrl(url: URL): string {
  url.protocol = url.protocol === "https:"
    ? "wss:"
    : url.protocol === "http:"
    ? "ws:"
    : url.protocol;
  return url.href;
}

function endpoint(options: WsClientOptions): string {
  if (options.url !== undefined) return String(options.url);
  const base = baseOf(options);
  if (base === undefined) throw new TypeError("WsClient needs url or baseUrl");
  return webSocketUrl(new URL("v1/ws", base));
}

/**
 * A client of the WebSocket binding. It connects on first use, says
 * `hello`, and keeps the connection: after a drop it reconnects with
 * backoff and subscribes again from where each subscription was
 * (WS-RESUME-1); appends with producer numbers are sent again, others fail
 * with `connection-lost` since their outcome is unknown (WS-APPEND-16).
 * Given a base URL, it takes the endpoint, the features and the limits from
 * the server's discovery document, fetched again once it is stale.
 *
 * @example
 * ```ts
 * import { WsClient } from "@agent-stream/agent-stream/client";
 *
 * const ws = new WsClient({ baseUrl: "http://localhost:8787" });
 * const subscription = ws.subscribe("chats/42", { offset: "-1" }, (event) => {
 *   console.log(event.offset, event.message);
 * });
 * await ws.append("chats/42", [{ type: "text.delta", delta: "Hi" }]);
 * await subscription.done; // the stream was closed, or deleted
 * ws.close();
 * ```
 */
export class WsClient {
  readonly #options: WsClientOptions;
  readonly #url: string;
  readonly #Socket: WebSocketConstructor;
  readonly #backoff: Backoff;
  readonly #subscriptions = new Set<WsSubscriptionState<never>>();
  readonly #routes = new Map<string, WsSubscriptionState<never>>();
  readonly #appends: PendingAppends;
  readonly #host: SubscriptionHost;
  readonly #base: URL | undefined;
  readonly #discovery: DiscoveryCache | undefined;
  #resolving = false;
  #limits: Record<string, unknown> | undefined;
  #socket: WebSocketLike | undefined;
  #open = false;
  #status: WsStatus = "idle";
  #heartbeatMs: number | undefined;
  #lastFrameAt = 0;
  #deadTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #goodbye: GoodbyeFrame | undefined;
  #failure: StreamError | undefined;
  #lost: StreamError | undefined;
  #closed = false;
  #nextReq = 0;
  #nextSub = 0;
  #session: string | undefined;
  #waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  /** Creates a client; nothing connects until `connect`, `subscribe` or `append`. */
  constructor(options: WsClientOptions) {
    this.#options = options;
    this.#url = endpoint(options);
    const Socket = options.WebSocket ??
      (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (Socket === undefined) throw new TypeError("No WebSocket constructor available");
    this.#Socket = Socket;
    // DISC-BIND-8: with a base URL, the endpoint, the features and the limits
    // come from the discovery document.
    this.#base = baseOf(options);
    if (this.#base !== undefined && options.discovery !== false) {
      const base = this.#base;
      const fetchOf = options.fetch ?? ((request: Request) => fetch(request));
      this.#discovery = new DiscoveryCache((signal) =>
        fetchOf(
          new Request(new URL("v1", base), {
            headers: { "agent-stream-version": PROTOCOL_VERSION },
            signal,
          }),
        )
      );
    }
    this.#backoff = new Backoff(options.backoff);
    this.#appends = new PendingAppends((frame) => this.#send(frame), options.backoff);
    this.#host = {
      send: (frame) => this.#send(frame),
      nextWireId: () => `s${++this.#nextSub}`,
      route: (wire, subscription) => this.#routes.set(wire, subscription),
      unroute: (wire) => this.#routes.delete(wire),
      forget: (subscription) => this.#subscriptions.delete(subscription),
      backoff: options.backoff ?? {},
    };
  }

  /** The connection state. */
  get status(): WsStatus {
    return this.#status;
  }

  /** The server's session token of the current connection, for diagnostics. */
  get session(): string | undefined {
    return this.#session;
  }

  /**
   * Connects (if not yet) and resolves once the server said `welcome`.
   *
   * @example
   * ```ts
   * import { WsClient } from "@agent-stream/agent-stream/client";
   * const ws = new WsClient({ url: "ws://localhost:8787/v1/ws" });
   * await ws.connect();
   * console.log(ws.session);
   * ```
   */
  connect(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closed) {
      return Promise.reject(new StreamError("Client closed", { code: "connection-lost" }));
    }
    if (this.#status === "open") return Promise.resolve();
    const ready = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#ensure();
    return ready;
  }

  /**
   * Subscribes to a stream. `handler` gets every message from `offset` on,
   * in order, once each, across reconnects.
   *
   * @example
   * ```ts
   * import { WsClient } from "@agent-stream/agent-stream/client";
   * const ws = new WsClient({ baseUrl: "http://localhost:8787" });
   * const subscription = ws.subscribe("chats/42", { offset: "now" }, (event) => console.log(event.message));
   * await subscription.unsubscribe();
   * ```
   */
  subscribe<M = unknown>(
    path: string,
    options: WsSubscribeOptions,
    handler: (event: StreamEvent<M>) => void,
  ): WsSubscription<M> {
    const subscription = new WsSubscriptionState<M>(this.#host, path, options, handler);
    if (this.#failure !== undefined || this.#closed) {
      subscription.fail(
        this.#failure ?? new StreamError("Client closed", { code: "connection-lost" }),
      );
      return subscription;
    }
    this.#subscriptions.add(subscription as WsSubscriptionState<never>);
    if (this.#open) subscription.subscribe();
    else this.#ensure();
    return subscription;
  }

  /**
   * Appends one batch and resolves with the server's `appended` answer.
   * With `producer` the append is repeated after reconnects and transient
   * errors, with the same numbers; without it, an append whose answer is
   * lost with the connection fails with `connection-lost`.
   *
   * @example
   * ```ts
   * import { WsClient } from "@agent-stream/agent-stream/client";
   * const ws = new WsClient({ baseUrl: "http://localhost:8787" });
   * const { nextOffset } = await ws.append("chats/42", [{ type: "text.delta", delta: "Hi" }]);
   * ```
   */
  append(
    path: string,
    messages: readonly unknown[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (messages.length === 0 && options.close !== true) {
      return Promise.reject(
        new TypeError("An append needs at least one message unless it closes the stream"),
      );
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closed) {
      return Promise.reject(new StreamError("Client closed", { code: "connection-lost" }));
    }
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // Appends called in a row wait for the same document, so they stay in order.
    return this.#document().then((doc) => {
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#closed) throw new StreamError("Client closed", { code: "connection-lost" });
      // WS-APPEND-15: request ids are never reused.
      const frame: AppendFrame = { type: "append", req: `r${++this.#nextReq}`, path };
      if (messages.length > 0) frame.messages = [...messages];
      if (options.close === true) frame.close = true;
      if (options.producer !== undefined) {
        requireFeature(doc, "idempotent-producer", "idempotent producers"); // DISC-FEATURE-7
        const { id, epoch, seq } = options.producer;
        frame.producer = { id, epoch, seq };
      }
      if (options.streamSeq !== undefined) {
        requireFeature(doc, "stream-seq", "Stream-Seq");
        frame.streamSeq = options.streamSeq;
      }
      // DISC-LIMIT-9; a value in welcome.limits replaces the document's.
      checkAppendSize(messages, { ...doc?.limits, ...this.#limits }, JSON.stringify(frame));
      const result = this.#appends.add(frame, signal);
      if (!this.#open) this.#ensure();
      return result;
    });
  }

  // The discovery document when there is one to hold to; a failure to fetch
  // it leaves the last one known (or none), and the connection finds out.
  async #document(): Promise<Discovery | undefined> {
    if (this.#discovery === undefined) return undefined;
    try {
      return await this.#discovery.get();
    } catch {
      return this.#discovery.last;
    }
  }

  /**
   * An idempotent producer over this connection (see `IdempotentProducer`).
   *
   * @example
   * ```ts
   * import { WsClient } from "@agent-stream/agent-stream/client";
   * const ws = new WsClient({ baseUrl: "http://localhost:8787" });
   * const producer = ws.producer("chats/42", { id: "agent-1" });
   * await producer.append([{ type: "run.started", runId: "r1" }]);
   * ```
   */
  producer(path: string, options: ProducerOptions): IdempotentProducer {
    return new IdempotentProducer(this, path, options);
  }

  /**
   * Closes the connection for good: subscriptions end (`reason: "client"`),
   * appends not yet answered fail.
   *
   * @example
   * ```ts
   * import { WsClient } from "@agent-stream/agent-stream/client";
   * const ws = new WsClient({ baseUrl: "http://localhost:8787" });
   * ws.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new StreamError("Client closed", { code: "connection-lost" });
    for (const subscription of [...this.#subscriptions]) subscription.stop();
    this.#appends.fail(error, true);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    clearTimeout(this.#reconnectTimer);
    const socket = this.#socket;
    this.#detach();
    socket?.close(1000, "client closed");
    this.#setStatus("closed");
  }

  #setStatus(status: WsStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#options.onStatusChange?.(status);
  }

  #ensure(): void {
    if (this.#socket !== undefined || this.#reconnectTimer !== undefined || this.#resolving) return;
    if (this.#closed || this.#failure !== undefined) return;
    this.#connect();
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    this.#goodbye = undefined;
    if (this.#status !== "reconnecting") this.#setStatus("connecting");
    const discovery = this.#discovery;
    if (discovery === undefined) {
      this.#openSocket(this.#url);
      return;
    }
    // DISC-CACHE-2: a copy older than its max-age is fetched again first.
    this.#resolving = true;
    discovery.get().then(
      (doc) => {
        this.#resolving = false;
        if (this.#closed || this.#failure !== undefined) return;
        const path = doc.bindings?.websocket?.path;
        if (!doc.features.includes("websocket") || typeof path !== "string") {
          // DISC-FEATURE-7.
          this.#giveUp(
            new StreamError("The server does not offer the WebSocket binding", {
              code: "protocol",
              transient: false,
            }),
          );
          return;
        }
        this.#openSocket(webSocketUrl(new URL(path, this.#base!.origin)));
      },
      (error: unknown) => {
        this.#resolving = false;
        if (this.#closed || this.#failure !== undefined) return;
        const failure = error instanceof StreamError
          ? error
          : new StreamError(`Discovery failed: ${String(error)}`, {
            code: "network",
            cause: error,
          });
        // A server without a discovery document serves the conventional endpoint.
        if (!failure.transient) this.#openSocket(this.#url);
        else this.#connectionLost(failure);
      },
    );
  }

  #openSocket(url: string): void {
    let socket: WebSocketLike;
    try {
      // WS-HANDSHAKE-1.
      socket = new this.#Socket(url, [WS_SUBPROTOCOL]);
    } catch (cause) {
      this.#connectionLost(
        new StreamError(`Cannot connect: ${String(cause)}`, { code: "network", cause }),
      );
      return;
    }
    this.#socket = socket;
    socket.onopen = () => this.#onOpen(socket);
    socket.onmessage = (event) => this.#onMessage(socket, event.data);
    socket.onerror = () => {};
    socket.onclose = (event) => this.#onClose(socket, event.code, event.reason);
  }

  #onOpen(socket: WebSocketLike): void {
    if (socket !== this.#socket) return;
    this.#open = true;
    this.#lastFrameAt = Date.now();
    // Until `welcome` tells, a silent server is judged by the last interval known.
    this.#heartbeatMs = this.#options.heartbeatMs ?? this.#heartbeatMs ?? 15_000;
    this.#armDeadTimer();
    // WS-HELLO-1; the rest may follow before `welcome` (WS-HELLO-2).
    const hello: WsClientFrame = { type: "hello", version: PROTOCOL_VERSION };
    if (this.#options.client !== undefined) hello.client = { ...this.#options.client };
    this.#send(hello);
    for (const subscription of this.#subscriptions) subscription.subscribe();
    this.#appends.sendUnsent();
  }

  #send(frame: WsClientFrame): boolean {
    if (!this.#open || this.#socket === undefined) return false;
    try {
      this.#socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  #onMessage(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.#socket) return;
    this.#lastFrameAt = Date.now();
    if (typeof data !== "string") return;
    let frame: WsServerFrame | { type?: unknown };
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== "object" || frame === null) return;
    this.#dispatch(frame as WsServerFrame, data);
  }

  #dispatch(frame: WsServerFrame, text: string): void {
    switch (frame.type) {
      case "welcome": {
        this.#session = frame.session;
        this.#limits = frame.limits;
        this.#heartbeatMs = this.#options.heartbeatMs ?? frame.heartbeatMs;
        this.#armDeadTimer();
        const recovering = this.#lost !== undefined;
        this.#lost = undefined;
        this.#backoff.reset();
        this.#setStatus("open");
        if (recovering) this.#options.onReconnected?.();
        for (const waiter of this.#waiters.splice(0)) waiter.resolve();
        return;
      }
      case "ping":
        // WS-HEARTBEAT-2.
        this.#send(
          frame.nonce === undefined ? { type: "pong" } : { type: "pong", nonce: frame.nonce },
        );
        return;
      case "subscribed":
        this.#routes.get(frame.sub)?.onSubscribed(frame);
        return;
      case "data": {
        const subscription = this.#routes.get(frame.sub);
        if (subscription === undefined || !Array.isArray(frame.messages)) return; // WS-FRAME-11
        let raws: string[];
        try {
          raws = splitJsonArray(jsonMemberText(text, "messages") ?? "");
        } catch {
          raws = frame.messages.map((message) => JSON.stringify(message));
        }
        subscription.onData(frame, raws);
        return;
      }
      case "unsubscribed":
        this.#routes.get(frame.sub)?.onUnsubscribed(frame);
        return;
      case "appended":
        this.#appends.appended(frame);
        return;
      case "error":
        this.#onErrorFrame(frame.problem, frame.req, frame.sub, frame);
        return;
      case "goodbye":
        this.#goodbye = frame;
        this.#options.onGoodbye?.(frame);
        return;
      default:
        // pong, and frame types of later versions (WS-FRAME-8).
        return;
    }
  }

  #onErrorFrame(
    problem: Problem,
    req: string | undefined,
    sub: string | undefined,
    frame: WsServerFrame & { type: "error" },
  ): void {
    if (req !== undefined) {
      this.#appends.failed(req, problem);
      return;
    }
    if (sub !== undefined) {
      this.#routes.get(sub)?.onError(frame);
      return;
    }
    // DISC-CACHE-3: the document may name versions the server no longer speaks.
    if (problemSlug(problem.type) === "unsupported-version") this.#discovery?.invalidate();
    this.#options.onError?.(problem);
  }

  // WS-HEARTBEAT-4: no frame for twice the interval means a dead connection.
  #armDeadTimer(): void {
    clearTimeout(this.#deadTimer);
    const interval = this.#heartbeatMs;
    if (interval === undefined || interval <= 0 || !this.#open) return;
    const limit = 2 * interval;
    const check = (): void => {
      const silent = Date.now() - this.#lastFrameAt;
      if (silent >= limit) {
        const socket = this.#socket;
        this.#connectionLost(
          new StreamError(`No frame for ${silent} ms`, { code: "heartbeat-timeout" }),
        );
        try {
          socket?.close(4000, "heartbeat timeout");
        } catch { /* already closing */ }
        return;
      }
      this.#deadTimer = setTimeout(check, limit - silent);
    };
    this.#deadTimer = setTimeout(check, limit);
  }

  #onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    if (code === 1008) {
      // Policy violation: the same hello would be refused again.
      this.#giveUp(
        new StreamError(`Connection refused (1008): ${reason}`, { code: "connection-lost" }),
      );
      return;
    }
    if (code === 1009) {
      this.#appends.fail(
        new StreamError("Frame too large (1009)", { code: "payload-too-large", status: 413 }),
        false,
      );
    }
    const goodbye = this.#goodbye;
    if (goodbye !== undefined && !goodbye.reconnect) {
      // WS-CLOSE-6.
      const error = goodbye.problem !== undefined
        ? problemError(goodbye.problem)
        : new StreamError("The server closed the connection for good", { code: "connection-lost" });
      this.#giveUp(error);
      return;
    }
    this.#connectionLost(
      new StreamError(`Connection closed (${code}) ${reason}`.trim(), { code: "network" }),
    );
  }

  #detach(): void {
    const socket = this.#socket;
    if (socket !== undefined) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
    }
    this.#socket = undefined;
    this.#open = false;
    clearTimeout(this.#deadTimer);
    for (const subscription of this.#subscriptions) subscription.disconnected();
    this.#routes.clear();
  }

  #connectionLost(error: StreamError): void {
    if (this.#closed) return;
    const goodbye = this.#goodbye;
    this.#detach();
    this.#lost = error;
    // WS-APPEND-16: an unanswered append without producer numbers has an unknown outcome.
    this.#appends.connectionLost(error);
    // WS-CLOSE-5: wait at least what the goodbye asked for.
    const delay = this.#backoff.next(goodbye?.retryAfterMs);
    if (delay === undefined) {
      this.#giveUp(error);
      return;
    }
    this.#setStatus("reconnecting");
    this.#options.onReconnecting?.(this.#backoff.attempt, this.#backoff.maxAttempts, delay, error);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  #giveUp(error: StreamError): void {
    this.#detach();
    this.#failure = error;
    this.#options.onReconnectFailed?.(error);
    for (const subscription of [...this.#subscriptions]) subscription.fail(error);
    this.#appends.fail(error, true);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    this.#setStatus("closed");
  }
}
