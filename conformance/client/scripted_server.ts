/**
 * The scripted server of the client suite: the reference server (in memory,
 * short timers) behind a layer that lets a fault script answer, cut, stall
 * or rewrite what the client under test gets, records every request, SSE
 * event and WebSocket frame, and tracks where each live read must resume.
 * It is an {@linkcode AgentStreamServer}, so any runtime adapter serves it
 * (`ScriptedHost` serves it on 127.0.0.1 and restarts it on the same port).
 *
 * @module
 */

import type {
  AgentStreamServer,
  WsConnection,
  WsTransport,
} from "../../src/server/agent_stream_server.ts";
import { createServer } from "../../src/server/app.ts";
import type { ServerLimits, ServerTiming } from "../../src/server/server_options.ts";
import { MemoryStore } from "../../src/stores/memory_store.ts";
import type { Transcript } from "../transcript.ts";
import { SseTap } from "./_sse_tap.ts";
import { WsTap } from "./_ws_tap.ts";
import type { WsRecord } from "./ws_record.ts";
import type { FaultScript, HttpCall } from "./fault_script.ts";
import { problemReply } from "./problem_reply.ts";
import { emptyTrace, type ReadTrace, recordStart } from "./read_trace.ts";

/** Timers of the scripted server: short, so that checks of heartbeats and timeouts are quick. */
export const SCRIPTED_TIMING: ServerTiming = Object.freeze({
  longPollTimeoutMs: 500,
  heartbeatMs: 200,
  sseRotationMs: 20_000,
  sseRetryMs: 50,
  cursorIntervalMs: 1_000,
});

/** Limits of the scripted server. */
export const SCRIPTED_LIMITS: Partial<ServerLimits> = Object.freeze({
  maxReadMessages: 100,
  maxSubscribersPerStream: 64,
  maxSubscribers: 1024,
  maxWsSubscriptions: 64,
  subscriberBufferMessages: 256,
});

const STREAM_PREFIX = "/v1/stream/";
const WS_PATH = "/v1/ws";
const INNER_ORIGIN = "http://scripted.invalid";

function decodeSegments(rest: string): string | undefined {
  try {
    return rest.split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

function encodeSegments(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * The scripted server. One serves a whole run; each check (each property
 * run) installs its script with {@linkcode ScriptedServer.begin}.
 *
 * @example
 * ```ts ignore
 * import { ScriptedServer } from "@agent-stream/agent-stream/conformance";
 * const server = new ScriptedServer();
 * server.begin({ http: () => undefined });
 * ```
 */
export class ScriptedServer implements AgentStreamServer {
  /** Every request of the current run. */
  readonly calls: HttpCall[] = [];
  /** Every WebSocket connection of the current run. */
  readonly connections: WsRecord[] = [];
  /** The opening handshakes of the current run. */
  readonly handshakes: HttpCall[] = [];
  readonly #inner: AgentStreamServer;
  readonly #traces = new Map<string, ReadTrace>();
  readonly #counts = new Map<string, number>();
  readonly #sse = new Set<SseTap>();
  readonly #ws = new Set<WsTap>();
  readonly #pending = new Set<AbortController>();
  #script: FaultScript = {};
  #transcript: Transcript | undefined;
  #document: Record<string, unknown> | undefined;

  /** A scripted server over a fresh in-memory reference server. */
  constructor() {
    this.#inner = createServer({
      store: new MemoryStore(),
      timing: SCRIPTED_TIMING,
      limits: SCRIPTED_LIMITS,
      server: { name: "agent-stream-conformance", version: "1" },
    });
  }

  /** Starts a run: `script` in force, fresh records, `transcript` to record in. */
  begin(script: FaultScript, transcript?: Transcript): void {
    this.#script = script;
    this.#transcript = transcript;
    this.calls.length = 0;
    this.connections.length = 0;
    this.handshakes.length = 0;
    this.#traces.clear();
    this.#counts.clear();
  }

  /** Replaces the script of the current run. */
  set script(script: FaultScript) {
    this.#script = script;
  }

  /** The script in force. */
  get script(): FaultScript {
    return this.#script;
  }

  /** Where the run records. */
  set transcript(transcript: Transcript | undefined) {
    this.#transcript = transcript;
  }

  /** The live reads of `stream` in the current run. */
  trace(stream: string): ReadTrace {
    let trace = this.#traces.get(stream);
    if (trace === undefined) {
      trace = emptyTrace();
      this.#traces.set(stream, trace);
    }
    return trace;
  }

  /** The requests for `stream` in the current run. */
  callsFor(stream: string): HttpCall[] {
    return this.calls.filter((call) => call.stream === stream);
  }

  /** The discovery document the client gets, the script's edits applied. */
  async discovery(): Promise<Record<string, unknown>> {
    if (this.#document === undefined) {
      const response = await this.#inner.fetch(new Request(`${INNER_ORIGIN}/v1`));
      this.#document = await response.json();
    }
    const copy = structuredClone(this.#document!);
    return this.#script.discovery ? this.#script.discovery(copy) : copy;
  }

  /** Sends a request to the reference server directly, past the script and the records. */
  direct(
    method: string,
    stream: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    return this.#inner.fetch(
      new Request(`${INNER_ORIGIN}${STREAM_PREFIX}${encodeSegments(stream)}`, {
        method,
        headers: init.headers,
        body: init.body,
      }),
    );
  }

  /** Ends every live connection: SSE responses cleanly, WebSockets with `code`, waiting long-polls with 503. */
  dropAll(code = 1012, reason = "restart"): void {
    for (const tap of [...this.#sse]) tap.cut();
    for (const tap of [...this.#ws]) tap.close(code, reason);
    for (const pending of [...this.#pending]) pending.abort();
  }

  /** Answers a request: the script first, then the reference server, recorded either way. */
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const document = await this.discovery();
    const bindings = (document.bindings ?? {}) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    const prefix = typeof bindings.http?.streamPrefix === "string"
      ? bindings.http.streamPrefix
      : STREAM_PREFIX;
    const stream = url.pathname.startsWith(prefix)
      ? decodeSegments(url.pathname.slice(prefix.length))
      : undefined;
    const live = url.searchParams.get("live") ?? undefined;
    const body = request.method === "POST" || request.method === "PUT"
      ? await request.text()
      : undefined;
    const kind = url.pathname === "/v1" ? "discovery" : stream !== undefined ? "stream" : "other";
    const index = stream === undefined ? 0 : this.#counts.get(stream) ?? 0;
    if (stream !== undefined) this.#counts.set(stream, index + 1);
    const call: HttpCall = {
      at: Date.now(),
      method: request.method,
      pathname: url.pathname,
      kind,
      query: url.searchParams,
      headers: request.headers,
      index,
      ...(stream !== undefined ? { stream } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(live !== undefined ? { live } : {}),
    };
    this.calls.push(call);
    const channel = this.#transcript?.channel("http") ?? "http";
    this.#record(channel, call);
    const response = await this.#answer(request, call, document, prefix, channel);
    call.status = response.status;
    call.answeredAt = Date.now();
    this.#transcript?.add(channel, ">", `${response.status}${describeHeaders(response.headers)}`);
    return response;
  }

  async #answer(
    request: Request,
    call: HttpCall,
    document: Record<string, unknown>,
    prefix: string,
    channel: string,
  ): Promise<Response> {
    const scripted = await this.#script.http?.(call);
    if (scripted !== undefined) return scripted.respond;
    if (call.kind === "discovery") {
      if (call.method !== "GET" && call.method !== "HEAD") return this.#inner.fetch(request);
      return new Response(call.method === "HEAD" ? null : JSON.stringify(document), {
        headers: {
          "content-type": "application/json",
          "cache-control": "public, max-age=60",
          "agent-stream-version": "1.0",
          ...this.#script.discoveryHeaders,
        },
      });
    }
    if (call.stream === undefined) {
      return problemReply({ slug: "not-found", detail: `Nothing at ${call.pathname}` });
    }
    // DISC-FEATURE-4: a live mode whose feature is not listed is refused.
    const features = Array.isArray(document.features) ? document.features : [];
    if (call.method === "GET" && call.live !== undefined && !features.includes(call.live)) {
      return problemReply({
        slug: "invalid-parameter",
        detail: `live=${call.live} is not offered`,
      });
    }
    if (call.live === "sse" && call.method === "GET") {
      recordStart(
        this.trace(call.stream),
        "sse",
        call.headers.get("last-event-id") ?? call.query.get("offset") ?? undefined,
        call.headers.has("last-event-id"),
      );
    }
    const pending = new AbortController();
    this.#pending.add(pending);
    const onClientGone = (): void => pending.abort();
    request.signal.addEventListener("abort", onClientGone, { once: true });
    let inner: Response;
    try {
      const url = new URL(request.url);
      inner = await this.#inner.fetch(
        new Request(
          `${INNER_ORIGIN}${STREAM_PREFIX}${url.pathname.slice(prefix.length)}${url.search}`,
          {
            method: request.method,
            headers: request.headers,
            body: call.body,
            signal: pending.signal,
          },
        ),
      );
    } finally {
      this.#pending.delete(pending);
      request.signal.removeEventListener("abort", onClientGone);
    }
    // A long-poll the server gave up on for a restart: what a server that shuts down answers.
    if (pending.signal.aborted && !request.signal.aborted) {
      await inner.body?.cancel();
      inner = problemReply({ slug: "unavailable", members: { retryAfterMs: 50 } });
    }
    const replaced = this.#script.response?.(call, inner) ?? inner;
    const type = replaced.headers.get("content-type") ?? "";
    if (replaced.status === 200 && type.startsWith("text/event-stream") && replaced.body !== null) {
      const stream = call.stream;
      const connection = this.calls.filter((c) => c.stream === stream && c.live === "sse").length -
        1;
      const tap = new SseTap(replaced, {
        stream,
        connection,
        trace: this.trace(stream),
        script: () => this.#script,
        transcript: () => this.#transcript,
        channel,
        ended: (t) => this.#sse.delete(t),
      });
      this.#sse.add(tap);
      return tap.response;
    }
    if (replaced.body !== null && call.method !== "HEAD") {
      const text = await replaced.text();
      if (text === "") {
        return new Response(null, { status: replaced.status, headers: replaced.headers });
      }
      this.#transcript?.add(channel, ">", text);
      return new Response(text, { status: replaced.status, headers: replaced.headers });
    }
    return replaced;
  }

  /** Records an opening handshake at the advertised endpoint, and refuses one elsewhere. */
  checkWsUpgrade(request: Request): "upgrade" | Response | undefined {
    const url = new URL(request.url);
    const bindings = this.#scriptedDocument().bindings as
      | Record<string, { path?: unknown } | undefined>
      | undefined;
    const path = typeof bindings?.websocket?.path === "string"
      ? bindings.websocket.path
      : undefined;
    if (url.pathname !== WS_PATH && url.pathname !== path) return undefined;
    const call: HttpCall = {
      at: Date.now(),
      method: request.method,
      pathname: url.pathname,
      kind: "websocket",
      query: url.searchParams,
      headers: request.headers,
      index: this.handshakes.length,
    };
    this.handshakes.push(call);
    this.calls.push(call);
    const channel = this.#transcript?.channel("http") ?? "http";
    this.#record(channel, call);
    // WS-HANDSHAKE-6, and a path the document does not advertise.
    if (path === undefined || url.pathname !== path) {
      call.status = 404;
      return problemReply({
        slug: "not-found",
        detail: `No WebSocket endpoint at ${url.pathname}`,
      });
    }
    const inner = new Request(`${INNER_ORIGIN}${WS_PATH}`, { headers: request.headers });
    const verdict = this.#inner.checkWsUpgrade(inner) ?? "upgrade";
    call.status = verdict === "upgrade" ? 101 : verdict.status;
    return verdict;
  }

  /** Starts a reference session behind a tap that shows its frames to the script. */
  openWs(transport: WsTransport): WsConnection {
    const record: WsRecord = {
      index: this.connections.length,
      openedAt: Date.now(),
      incoming: [],
      outgoing: [],
    };
    this.connections.push(record);
    const tap = new WsTap(transport, (t) => this.#inner.openWs(t), {
      record,
      script: () => this.#script,
      transcript: () => this.#transcript,
      trace: (stream) => this.trace(stream),
      ended: (t) => this.#ws.delete(t),
    });
    this.#ws.add(tap);
    return tap.connection;
  }

  /** Drops every connection and shuts the reference server down. */
  shutdown(): Promise<void> {
    this.dropAll(1001, "shutdown");
    return this.#inner.shutdown();
  }

  // checkWsUpgrade cannot wait: the reference document was read at start.
  #scriptedDocument(): Record<string, unknown> {
    const copy = structuredClone(this.#document ?? {});
    return this.#script.discovery ? this.#script.discovery(copy) : copy;
  }

  #record(channel: string, call: HttpCall): void {
    const query = [...call.query].length > 0 ? `?${call.query}` : "";
    this.#transcript?.add(
      channel,
      "<",
      `${call.method} ${call.pathname}${query}${describeHeaders(call.headers)}${
        call.body ? `\n\n${call.body}` : ""
      }`,
    );
  }
}

const SHOWN_HEADERS = [
  "accept",
  "last-event-id",
  "content-type",
  "retry-after",
  "stream-next-offset",
  "stream-closed",
  "stream-up-to-date",
  "producer-id",
  "producer-epoch",
  "producer-seq",
  "sec-websocket-protocol",
  "cache-control",
];

function describeHeaders(headers: Headers): string {
  const lines = SHOWN_HEADERS.flatMap((name) => {
    const value = headers.get(name);
    return value === null ? [] : [`\n${name}: ${value}`];
  });
  return lines.join("");
}
