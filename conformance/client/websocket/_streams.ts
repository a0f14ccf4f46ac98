// Helpers of the WebSocket client checks: which frames belong to a stream,
// and whether every resubscription started at the delivered offset.

import { formatOffset } from "../../../src/protocol/offset.ts";
import type { ClientCheckContext } from "../client_context.ts";
import { delivered, numbered } from "../_delivery.ts";
import type { WsFrame, WsLink } from "../fault_script.ts";

/** Whether `frame` is about a subscription of `stream` on `link`. */
export function isFor(frame: WsFrame, link: WsLink, stream: string): boolean {
  return typeof frame.sub === "string" && link.subscriptions.get(frame.sub) === stream;
}

/**
 * Fails with `requirement` unless every `subscribe` for `stream` after the
 * first asked for the delivered offset: the `nextOffset` of the last data
 * frame sent for it, or its start offset.
 */
export function expectWsResumes(t: ClientCheckContext, requirement: string, stream: string): void {
  const trace = t.server.trace(stream);
  for (const [i, start] of trace.starts.entries()) {
    const due = start.expected;
    if (i === 0 || due === undefined) continue;
    const ok = start.offset !== undefined && start.offset >= due.low && start.offset <= due.high;
    t.expect(
      requirement,
      ok,
      `subscription ${i + 1} of ${stream} started at ${start.requested}; the delivered offset was ${
        formatOffset(due.high)
      }`,
      { expected: formatOffset(due.high), actual: start.requested },
    );
  }
}

/** The WebSocket frames the client sent in the run, with the connection they came on. */
export function clientFrames(
  t: ClientCheckContext,
): { connection: number; at: number; frame?: WsFrame; text?: string; binary?: number }[] {
  return t.server.connections.flatMap((record) =>
    record.incoming.map((entry) => ({ connection: record.index, ...entry }))
  );
}

/**
 * A varied WebSocket session through the adapter: a read with a window over
 * a dropped connection (so there are two connections), a ping, an append
 * when the adapter appends over WebSocket, and an unsubscribe. Resolves with
 * the stream; the frames are in `t.server.connections`.
 */
export async function exerciseSession(t: ClientCheckContext): Promise<string> {
  const stream = await t.createStream({ messages: numbered(4) });
  let dropped = false;
  t.script({
    wsOut(frame, link) {
      if (!isFor(frame, link, stream)) return undefined;
      if (frame.type === "subscribed" && !dropped) {
        return { frames: [frame, { type: "ping", nonce: "exercise" }] };
      }
      if (frame.type === "data" && !dropped) {
        dropped = true;
        return { close: { code: 1012, reason: "dropped" }, before: [frame] };
      }
      return undefined;
    },
  });
  const read = await t.read(stream, { live: "websocket", window: 2 });
  await delivered(read, 4, t.timeoutMs);
  if (t.capabilities.appends?.includes("websocket")) {
    const append = await t.appendThroughClient(stream, { via: "websocket", messages: [{ n: 4 }] });
    await append.settled(t.timeoutMs);
    await delivered(read, 5, t.timeoutMs);
  }
  await t.closeRead(read);
  return stream;
}
