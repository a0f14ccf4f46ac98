import type {
  AgentStreamServer,
  WsConnection,
  WsTransport,
} from "../../../src/server/agent_stream_server.ts";
import { mapHttp, mapWs, type Mutant } from "../mutant.ts";
import { TEST_LIMITS } from "../reference_server.ts";

// ---------------------------------------------------------------------------
// Connection mutants: websocket.md §3–5 and §10–13 (handshake, frames, hello,
// errors, heartbeats, closing, limits).
// ---------------------------------------------------------------------------

/** A variant whose handshake checks pass through `check`, given the original's verdict. */
function withUpgradeCheck(
  check: (request: Request, verdict: "upgrade" | Response | undefined) =>
    | "upgrade"
    | Response
    | undefined,
): (server: AgentStreamServer) => AgentStreamServer {
  return (server) => ({
    fetch: (request) => server.fetch(request),
    checkWsUpgrade: (request) => check(request, server.checkWsUpgrade(request)),
    openWs: (transport) => server.openWs(transport),
    shutdown: () => server.shutdown(),
  });
}

/**
 * A variant whose connections are wrapped one by one: `wrap` gets the
 * adapter's transport and the session's connection and returns the
 * connection the adapter drives; `send` rewrites what the session sends.
 */
function perConnection(
  wrap: (transport: WsTransport, inner: WsConnection, state: { welcomed: boolean }) => WsConnection,
): (server: AgentStreamServer) => AgentStreamServer {
  return (server) => ({
    fetch: (request) => server.fetch(request),
    checkWsUpgrade: (request) => server.checkWsUpgrade(request),
    openWs(transport): WsConnection {
      const state = { welcomed: false };
      const inner = server.openWs({
        send(text) {
          if (text.startsWith('{"type":"welcome"')) state.welcomed = true;
          transport.send(text);
        },
        close: (code, reason) => transport.close(code, reason),
        get bufferedAmount() {
          return transport.bufferedAmount;
        },
      });
      return wrap(transport, inner, state);
    },
    shutdown: () => server.shutdown(),
  });
}

function problemOf(slug: string, status: number): Response {
  return new Response(
    JSON.stringify({ type: `https://agent-stream.dev/problems/${slug}`, title: slug, status }),
    { status, headers: { "content-type": "application/problem+json" } },
  );
}

function frameOf(data: string | ArrayBuffer | Uint8Array): Record<string, unknown> | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const value = JSON.parse(data);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const CLIENT_TYPES = ["hello", "subscribe", "unsubscribe", "ack", "append", "ping", "pong"];

const connectionMutants: Mutant[] = [
  {
    name: "refuses a handshake without the subprotocol as invalid-header",
    breaks: "WS-HANDSHAKE-3",
    wrap: withUpgradeCheck((request, verdict) =>
      verdict instanceof Response && verdict.status === 400 &&
        request.headers.get("upgrade") !== null &&
        !(request.headers.get("sec-websocket-protocol") ?? "").includes("agent-stream.v1")
        ? problemOf("invalid-header", 400)
        : verdict
    ),
  },
  {
    name: "keeps refusing handshakes at /v1/ws as invalid without the feature",
    breaks: "WS-HANDSHAKE-6",
    create: { websocket: false },
    wrap: withUpgradeCheck((request, verdict) =>
      new URL(request.url).pathname === "/v1/ws" ? problemOf("invalid-header", 400) : verdict
    ),
  },
  {
    name: "answers a binary frame by closing the connection",
    breaks: "WS-FRAME-3",
    wrap: perConnection((transport, inner) => ({
      receive(data) {
        if (typeof data === "string") inner.receive(data);
        else transport.close(1008, "Binary frames are not accepted");
      },
      closed: () => inner.closed(),
    })),
  },
  {
    name: "answers frames of unknown types with an error",
    breaks: "WS-FRAME-7",
    wrap: mapWs({
      incoming(data) {
        const type = frameOf(data)?.type;
        // A binary frame in its place draws the invalid-frame error of WS-FRAME-3.
        return typeof type === "string" && !CLIENT_TYPES.includes(type)
          ? [new Uint8Array([0])]
          : [data];
      },
    }),
  },
  {
    name: "closes oversize frames with 1008 instead of 1009",
    breaks: "WS-FRAME-12",
    wrap: perConnection((transport, inner) => ({
      receive(data) {
        const bytes = typeof data === "string"
          ? new TextEncoder().encode(data).byteLength
          : data.byteLength;
        if (bytes > TEST_LIMITS.maxWsFrameBytes!) transport.close(1008, "Frame too large");
        else inner.receive(data);
      },
      closed: () => inner.closed(),
    })),
  },
  {
    name: "pings before welcome",
    breaks: "WS-HELLO-3",
    wrap: mapWs({
      outgoing: (text) =>
        text.startsWith('{"type":"welcome"') ? ['{"type":"ping","nonce":"early"}', text] : [text],
    }),
  },
  {
    name: "processes frames that arrive right after hello in reverse order",
    breaks: "WS-HELLO-2",
    wrap: perConnection((_transport, inner, state) => {
      let held: (string | ArrayBuffer | Uint8Array)[] | undefined;
      return {
        receive(data) {
          if (held !== undefined) {
            held.push(data);
            return;
          }
          const wasWelcomed = state.welcomed;
          inner.receive(data);
          if (!wasWelcomed && state.welcomed) {
            held = [];
            setTimeout(() => {
              const frames = held!.reverse();
              held = undefined;
              for (const frame of frames) inner.receive(frame);
            }, 20);
          }
        },
        closed: () => inner.closed(),
      };
    }),
  },
  {
    name: "welcome echoes the client's version",
    breaks: "WS-HELLO-4",
    wrap: (() => {
      let asked: unknown;
      return mapWs({
        incoming(data) {
          const frame = frameOf(data);
          if (frame?.type === "hello") asked = frame.version;
          return [data];
        },
        outgoing(text) {
          if (!text.startsWith('{"type":"welcome"')) return [text];
          return [JSON.stringify({ ...JSON.parse(text), version: asked })];
        },
      });
    })(),
  },
  {
    name: "closes the connection on a second hello",
    breaks: "WS-HELLO-7",
    wrap: perConnection((transport, inner, state) => ({
      receive(data) {
        if (state.welcomed && frameOf(data)?.type === "hello") {
          transport.send(JSON.stringify({
            type: "error",
            problem: {
              type: "https://agent-stream.dev/problems/invalid-frame",
              title: "Invalid frame",
              status: 400,
            },
          }));
          transport.close(1008, "hello was already received");
          return;
        }
        inner.receive(data);
      },
      closed: () => inner.closed(),
    })),
  },
  {
    name: "gives every connection the same session token",
    breaks: "WS-HELLO-8",
    wrap: mapWs({
      outgoing: (text) =>
        text.startsWith('{"type":"welcome"')
          ? [JSON.stringify({ ...JSON.parse(text), session: "session-1" })]
          : [text],
    }),
  },
  {
    name: "sends invalid-frame problems with status 422",
    breaks: "WS-ERROR-1",
    wrap: mapWs({
      outgoing(text) {
        const frame = JSON.parse(text);
        if (frame.type !== "error" || !String(frame.problem?.type).endsWith("/invalid-frame")) {
          return [text];
        }
        return [JSON.stringify({ ...frame, problem: { ...frame.problem, status: 422 } })];
      },
    }),
  },
  {
    name: "sends no ping on silence",
    breaks: "WS-HEARTBEAT-1",
    wrap: mapWs({ outgoing: (text) => text.startsWith('{"type":"ping"') ? [] : [text] }),
  },
  {
    name: "answers ping with a pong without the nonce",
    breaks: "WS-HEARTBEAT-3",
    wrap: mapWs({
      outgoing: (text) => text.startsWith('{"type":"pong"') ? ['{"type":"pong"}'] : [text],
    }),
  },
  {
    name: "advertises one subscription per connection fewer than it allows",
    breaks: "WS-LIMIT-1",
    wrap: mapHttp(async (request, next) => {
      const response = await next(request);
      if (new URL(request.url).pathname !== "/v1" || request.method !== "GET") return response;
      const document = await response.json();
      document.bindings.websocket.maxSubscriptions -= 1;
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      return new Response(JSON.stringify(document), { status: response.status, headers });
    }),
  },
];

// ---------------------------------------------------------------------------
// Subscription mutants: websocket.md §6–9 (subscriptions, data, resuming,
// flow control, slow subscribers, appends).
// ---------------------------------------------------------------------------

type WsFrame = Record<string, unknown>;

/** A variant whose outgoing JSON frames pass through `map`, with state kept per connection. */
function mapServerFrames<S>(
  state: () => S,
  map: (frame: WsFrame, state: S, transport: WsTransport) => WsFrame[],
): (server: AgentStreamServer) => AgentStreamServer {
  const states = new WeakMap<WsTransport, S>();
  return mapWs({
    outgoing(text, transport) {
      let own = states.get(transport);
      if (own === undefined) states.set(transport, own = state());
      const frame = frameOf(text);
      // Frames passed on unchanged keep their text.
      return frame
        ? map(frame, own, transport).map((f) => f === frame ? text : JSON.stringify(f))
        : [text];
    },
  });
}

/** A variant whose incoming JSON frames pass through `map`. */
function mapClientFrames(
  map: (frame: WsFrame) => WsFrame,
): (server: AgentStreamServer) => AgentStreamServer {
  return mapWs({
    incoming(data) {
      const frame = frameOf(data);
      const mapped = frame && map(frame);
      return [mapped && mapped !== frame ? JSON.stringify(mapped) : data];
    },
  });
}

const plusOne = (offset: unknown) => String(Number(offset) + 1).padStart(16, "0");
const hasMessages = (f: WsFrame) =>
  f.type === "data" && Array.isArray(f.messages) && f.messages.length > 0;

const subscriptionMutants: Mutant[] = [
  {
    name: "skips the first message when a subscription starts mid-stream",
    breaks: "WS-RESUME-2",
    wrap: mapServerFrames(() => new Set<unknown>(), (f, resumed) => {
      if (f.type === "subscribed" && f.offset !== "0000000000000000") resumed.add(f.sub);
      if (!hasMessages(f) || !resumed.has(f.sub)) return [f];
      resumed.delete(f.sub);
      return [{ ...f, messages: (f.messages as unknown[]).slice(1) }];
    }),
  },
  {
    name: "sends every data frame with messages twice",
    breaks: "WS-DATA-2",
    wrap: mapServerFrames(() => null, (f) => hasMessages(f) ? [f, f] : [f]),
  },
  {
    name: "counts one message too many in nextOffset",
    breaks: "WS-DATA-1",
    wrap: mapServerFrames(
      () => null,
      (f) => [hasMessages(f) ? { ...f, nextOffset: plusOne(f.nextOffset) } : f],
    ),
  },
  {
    name: "never marks a data frame with messages upToDate",
    breaks: "WS-DATA-4",
    wrap: mapServerFrames(() => null, (f) => {
      if (!hasMessages(f)) return [f];
      const { upToDate: _, ...rest } = f;
      return [rest];
    }),
  },
  {
    name: "resolves the request offset now to the start of the stream",
    breaks: "WS-SUB-2",
    wrap: mapClientFrames((f) =>
      f.type === "subscribe" && f.offset === "now" ? { ...f, offset: "-1" } : f
    ),
  },
  {
    name: "answers unsubscribe but keeps delivering",
    breaks: "WS-UNSUB-2",
    // The session sees an unsubscribe of another id, so it answers in turn and keeps the subscription.
    wrap: (server) =>
      mapClientFrames((f) => f.type === "unsubscribe" ? { ...f, sub: `${f.sub}~kept` } : f)(
        mapServerFrames(
          () => null,
          (f) => [
            f.type === "unsubscribed" && String(f.sub).endsWith("~kept")
              ? { ...f, sub: String(f.sub).slice(0, -"~kept".length) }
              : f,
          ],
        )(server),
      ),
  },
  {
    name: "grants one message more than the window",
    breaks: "WS-FLOW-1",
    wrap: mapClientFrames((f) =>
      f.type === "subscribe" && typeof f.window === "number" ? { ...f, window: f.window + 1 } : f
    ),
  },
  {
    name: "puts resumeOffset one past the delivered offset on overflow",
    breaks: "WS-OVERFLOW-3",
    wrap: mapServerFrames(
      () => null,
      (
        f,
      ) => [
        f.resumeOffset !== undefined && JSON.stringify(f.problem).includes("subscriber-overflow")
          ? { ...f, resumeOffset: plusOne(f.resumeOffset) }
          : f,
      ],
    ),
  },
  {
    name: "closes the connection when a subscription overflows",
    breaks: "WS-OVERFLOW-4",
    wrap: mapServerFrames(() => null, (f, _, transport) => {
      if (f.type === "error" && JSON.stringify(f.problem).includes("subscriber-overflow")) {
        queueMicrotask(() => transport.close(1011, "overflow"));
      }
      return [f];
    }),
  },
  {
    name: "answers appends with a nextOffset one too high",
    breaks: "WS-APPEND-3",
    wrap: mapServerFrames(
      () => null,
      (f) => [f.type === "appended" ? { ...f, nextOffset: plusOne(f.nextOffset) } : f],
    ),
  },
  {
    name: "accepts a stale producer epoch over WebSocket",
    breaks: "WS-APPEND-8",
    wrap: mapServerFrames(() => ({ tail: "0000000000000000" }), (f, last) => {
      if (f.type === "appended") last.tail = String(f.nextOffset);
      const problem = f.problem as { type?: string; producerEpoch?: number } | undefined;
      if (
        f.type !== "error" || f.req === undefined ||
        !problem?.type?.endsWith("/producer-stale-epoch")
      ) return [f];
      return [{
        type: "appended",
        req: f.req,
        nextOffset: last.tail,
        producer: { epoch: problem.producerEpoch ?? 0, seq: 0 },
      }];
    }),
  },
  {
    name: "leaves producerEpoch out of stale-epoch problems over WebSocket",
    breaks: "WS-APPEND-9",
    wrap: mapServerFrames(() => null, (f) => {
      const problem = f.problem as Record<string, unknown> | undefined;
      if (f.req === undefined || problem?.producerEpoch === undefined) return [f];
      const { producerEpoch: _, ...rest } = problem;
      return [{ ...f, problem: rest }];
    }),
  },
];

// ---------------------------------------------------------------------------

/** Mutants that break one requirement of websocket.md each. */
export const websocketMutants: readonly Mutant[] = [
  ...connectionMutants,
  ...subscriptionMutants,
];
