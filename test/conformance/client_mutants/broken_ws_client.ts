// A client adapter around WsClient with one bug, chosen by `--bug <name>`:
// each breaks one client requirement of websocket.md, the way a real client
// might get it wrong. client_suite_test.ts proves the suite catches each.

import process from "node:process";
import { runAdapter } from "../../../conformance/adapters/_json_lines.ts";
import { wsClientAdapter } from "../../../conformance/adapters/ws_client_adapter.ts";
import type { WebSocketConstructor } from "../../../src/client/ws_client_options.ts";

type Rewrite = (frame: Record<string, unknown>) => Record<string, unknown> | undefined;

/** A received frame rewritten to this type makes the socket close itself. */
const CLOSE = "(close the connection)";

/** The bugs, by name: how outgoing (`send`) and incoming (`receive`) frames are rewritten. */
const BUGS: Record<string, { send?: () => Rewrite; receive?: () => Rewrite }> = {
  // WS-RESUME-1: every resubscription starts over from the start of the stream.
  "resubscribe-from-start": {
    send: () => {
      const seen = new Set<unknown>();
      return (frame) => {
        if (frame.type !== "subscribe") return frame;
        if (!seen.has(frame.path)) {
          seen.add(frame.path);
          return frame;
        }
        return { ...frame, offset: "-1" };
      };
    },
  },
  // WS-FLOW-6: messages are never acknowledged.
  "no-acks": { send: () => (frame) => frame.type === "ack" ? undefined : frame },
  // WS-HEARTBEAT-2: pings go unanswered.
  "no-pong": { send: () => (frame) => frame.type === "pong" ? undefined : frame },
  // WS-APPEND-15: every append carries the same request id.
  "reuse-request-id": {
    send: () => (frame) => frame.type === "append" ? { ...frame, req: "r1" } : frame,
  },
  // WS-CLOSE-5: the delay a goodbye asks for goes unheard.
  "ignore-goodbye-delay": {
    receive: () => (frame) => {
      if (frame.type !== "goodbye") return frame;
      const { retryAfterMs: _, ...rest } = frame;
      return rest;
    },
  },
  // WS-FRAME-8: a frame of an unknown type is taken for a broken connection.
  "unknown-frame-drops": {
    receive: () => (frame) =>
      typeof frame.type === "string" && frame.type.startsWith("x-") ? { type: CLOSE } : frame,
  },
  // WS-CLOSE-6: a goodbye without reconnect is taken as one with it.
  "reconnect-after-goodbye": {
    receive: () => (frame) => frame.type === "goodbye" ? { ...frame, reconnect: true } : frame,
  },
};

function rewriting(bug: { send?: () => Rewrite; receive?: () => Rewrite }): WebSocketConstructor {
  const send = bug.send?.();
  const receive = bug.receive?.();
  const map = (rewrite: Rewrite | undefined, text: string): string | undefined => {
    if (rewrite === undefined) return text;
    const frame = rewrite(JSON.parse(text));
    return frame === undefined ? undefined : JSON.stringify(frame);
  };
  return class extends WebSocket {
    override send(data: string): void {
      const text = map(send, data);
      if (text !== undefined) super.send(text);
    }
    override set onmessage(handler: ((event: MessageEvent) => void) | null) {
      super.onmessage = handler === null ? null : (event: MessageEvent) => {
        const text = typeof event.data === "string" ? map(receive, event.data) : event.data;
        if (typeof text === "string" && text.includes(CLOSE)) this.close(4000, "unexpected frame");
        else if (text !== undefined) handler(new MessageEvent("message", { data: text }));
      };
    }
    override get onmessage(): ((event: MessageEvent) => void) | null {
      return super.onmessage;
    }
  } as unknown as WebSocketConstructor;
}

const name = process.argv[process.argv.indexOf("--bug") + 1];
const bug = BUGS[name];
if (bug === undefined) {
  throw new Error(`unknown bug ${name}; known: ${Object.keys(BUGS).join(", ")}`);
}
runAdapter(wsClientAdapter({ WebSocket: rewriting(bug) }));
