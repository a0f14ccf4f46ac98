// The runtime adapters against a fake server: the native adapter of the
// runtime running the test (Deno or Bun), and the Node.js adapter, which runs
// on both through their node:http.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AgentStreamServer, WsConnection, WsTransport } from "./agent_stream_server.ts";
import { isAddressInUse, type ServeHandle, type ServeOptions } from "./serve_options.ts";
import { createServer } from "./mod.ts";
import { MemoryStore } from "../stores/memory_store.ts";

// The fake answers HTTP with what it was asked, upgrades /v1/ws and echoes
// WebSocket frames, so a test sees exactly what the adapter passed through.
/** What the fake saw of its WebSocket sessions. */
export interface FakeServerLog {
  opened: number;
  closed: number;
  received: Array<string | ArrayBuffer | Uint8Array>;
  transports: WsTransport[];
}

/** A fake server and its log. */
export function fakeServer(): { server: AgentStreamServer; log: FakeServerLog } {
  const log: FakeServerLog = { opened: 0, closed: 0, received: [], transports: [] };
  const server: AgentStreamServer = {
    fetch(request) {
      const url = new URL(request.url);
      return Promise.resolve(Response.json({ method: request.method, path: url.pathname }));
    },
    checkWsUpgrade(request) {
      if (new URL(request.url).pathname !== "/v1/ws") return undefined;
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("not a WebSocket handshake", { status: 400 });
      }
      return "upgrade";
    },
    openWs(transport): WsConnection {
      log.opened++;
      log.transports.push(transport);
      transport.send("hello");
      return {
        receive(data) {
          log.received.push(data);
          if (typeof data === "string") {
            if (data === "close") transport.close(4000, "asked to");
            else transport.send(`echo:${data}`);
          } else {
            transport.send(`binary:${new Uint8Array(data).byteLength}`);
          }
        },
        closed() {
          log.closed++;
        },
      };
    },
    shutdown: () => Promise.resolve(),
  };
  return { server, log };
}

type Serve = (server: AgentStreamServer, options: ServeOptions) => Promise<ServeHandle>;

const isDeno = "Deno" in globalThis;
const native = isDeno ? "deno" : "bun";

async function loadServe(name: string): Promise<Serve> {
  if (name === "deno") return (await import("./serve_deno.ts")).serve;
  if (name === "bun") return (await import("./serve_bun.ts")).serve;
  return (await import("./serve_node.ts")).serve;
}

/** Resolves with the value, or rejects once `ms` passed: no test hangs. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens a WebSocket and collects its messages; resolves once it is open. */
function connect(url: string, protocols: string[]): Promise<{
  socket: WebSocket;
  messages: string[];
  next(): Promise<string>;
  closed: Promise<CloseEvent>;
}> {
  const socket = new WebSocket(url, protocols);
  const messages: string[] = [];
  const waiters: Array<(text: string) => void> = [];
  socket.onmessage = (event) => {
    const text = String(event.data);
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else messages.push(text);
  };
  const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
  const next = () => {
    const queued = messages.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return within(5_000, new Promise<string>((resolve) => waiters.push(resolve)), "next frame");
  };
  return within(
    5_000,
    new Promise((resolve, reject) => {
      socket.onopen = () => resolve({ socket, messages, next, closed });
      socket.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
    }),
    "WebSocket open",
  );
}

for (const name of [native, "node"]) {
  describe(`serve (${name} adapter)`, { timeout: 30_000 }, () => {
    it("answers HTTP through the server's fetch, on the port the system chose", async () => {
      const serve = await loadServe(name);
      const { server } = fakeServer();
      let listened: unknown;
      const handle = await serve(server, { port: 0, onListen: (address) => listened = address });
      try {
        assert.ok(handle.address.port > 0);
        assert.deepEqual(listened, handle.address);
        assert.equal(handle.url, `http://127.0.0.1:${handle.address.port}`);
        const response = await within(5_000, fetch(`${handle.url}/v1/stream/a%2Fb`), "GET");
        assert.deepEqual(await response.json(), { method: "GET", path: "/v1/stream/a%2Fb" });
      } finally {
        await handle.close();
      }
      await within(5_000, handle.finished, "finished");
    });

    it("rejects a taken port with an error isAddressInUse recognises", async () => {
      const serve = await loadServe(name);
      const first = await serve(fakeServer().server, { port: 0 });
      try {
        await assert.rejects(
          serve(fakeServer().server, { port: first.address.port }),
          (error) => isAddressInUse(error),
        );
      } finally {
        await first.close();
      }
    });

    it("stops listening on close() and when its signal aborts", async () => {
      const serve = await loadServe(name);
      const handle = await serve(fakeServer().server, { port: 0 });
      await (await fetch(`${handle.url}/v1`)).body?.cancel();
      await within(5_000, handle.close(), "close");
      await within(5_000, handle.finished, "finished");
      await assert.rejects(within(5_000, fetch(`${handle.url}/v1`), "GET after close"));

      const controller = new AbortController();
      const aborted = await serve(fakeServer().server, { port: 0, signal: controller.signal });
      controller.abort();
      await within(5_000, aborted.finished, "finished after abort");
    });

    if (name === "node") {
      it("serves the real server without WebSocket (WS-HANDSHAKE-6, DISC-FEATURE-2)", async () => {
        const serve = await loadServe(name);
        const server = createServer({ store: new MemoryStore(), websocket: false });
        const handle = await serve(server, { port: 0 });
        try {
          const discovery = await (await fetch(`${handle.url}/v1`)).json();
          assert.ok(!discovery.features.includes("websocket"));
          const response = await within(5_000, fetch(`${handle.url}/v1/ws`), "GET /v1/ws");
          assert.equal(response.status, 404);
          await response.body?.cancel();
        } finally {
          await server.shutdown();
          await handle.close();
        }
      });
      return;
    }

    it("runs a real WebSocket session: welcome, subscribe, data", async () => {
      const serve = await loadServe(name);
      const server = createServer({ store: new MemoryStore() });
      const handle = await serve(server, { port: 0 });
      try {
        const headers = { "Content-Type": "application/json" };
        const stream = `${handle.url}/v1/stream/s`;
        assert.equal((await fetch(stream, { method: "PUT", headers })).status, 201);
        await (await fetch(stream, { method: "POST", headers, body: '[{"a":1.0}]' })).body
          ?.cancel();
        const ws = await connect(`${handle.url.replace("http", "ws")}/v1/ws`, ["agent-stream.v1"]);
        ws.socket.send(JSON.stringify({ type: "hello", version: "1.0" }));
        assert.equal(JSON.parse(await ws.next()).type, "welcome");
        ws.socket.send(JSON.stringify({ type: "subscribe", sub: "s1", path: "s" }));
        assert.equal(JSON.parse(await ws.next()).type, "subscribed");
        const data = await ws.next();
        assert.equal(JSON.parse(data).type, "data");
        assert.ok(data.includes('[{"a":1.0}]'), data); // LOG-MSG-1: sent exactly as appended
        ws.socket.close();
      } finally {
        await server.shutdown();
        await handle.close();
      }
    });

    it("upgrades /v1/ws with the agent-stream.v1 subprotocol and feeds the session", async () => {
      const serve = await loadServe(name);
      const { server, log } = fakeServer();
      const handle = await serve(server, { port: 0 });
      try {
        const ws = await connect(`${handle.url.replace("http", "ws")}/v1/ws`, ["agent-stream.v1"]);
        assert.equal(ws.socket.protocol, "agent-stream.v1"); // WS-HANDSHAKE-2
        assert.equal(await ws.next(), "hello");
        ws.socket.send("ping");
        assert.equal(await ws.next(), "echo:ping");
        ws.socket.send(new Uint8Array([1, 2, 3]));
        assert.equal(await ws.next(), "binary:3");
        assert.equal(typeof log.transports[0].bufferedAmount, "number");
        ws.socket.send("close");
        const event = await within(5_000, ws.closed, "close");
        assert.equal(event.code, 4000);
        assert.equal(event.reason, "asked to");
        await within(5_000, waitFor(() => log.closed === 1), "session closed");
        assert.equal(log.opened, 1);
      } finally {
        await handle.close();
      }
    });

    it("ends the session when the client closes", async () => {
      const serve = await loadServe(name);
      const { server, log } = fakeServer();
      const handle = await serve(server, { port: 0 });
      try {
        const ws = await connect(`${handle.url.replace("http", "ws")}/v1/ws`, ["agent-stream.v1"]);
        assert.equal(await ws.next(), "hello");
        ws.socket.close(1000, "bye");
        await within(5_000, waitFor(() => log.closed === 1), "session closed");
      } finally {
        await handle.close();
      }
    });

    it("sends the server's refusal instead of upgrading", async () => {
      const serve = await loadServe(name);
      const handle = await serve(fakeServer().server, { port: 0 });
      try {
        const response = await within(5_000, fetch(`${handle.url}/v1/ws`), "GET /v1/ws");
        assert.equal(response.status, 400);
        assert.equal(await response.text(), "not a WebSocket handshake");
      } finally {
        await handle.close();
      }
    });
  });
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
