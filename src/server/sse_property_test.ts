import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type SseEvent, SseReader } from "../../test/_sse_reader.ts";
import { formatOffset } from "../protocol/offset.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { createContext } from "./_context.ts";
import { sseResponse } from "./sse.ts";

// SSE-EVENT-1, SSE-ID-1, SSE-RESUME-1, SSE-RESUME-3, SSE-RESUME-4, SSE-CLOSE-1:
// a reader that drops its connection at arbitrary points and reconnects the
// way EventSource does (Last-Event-ID = last id seen) receives the log
// exactly: no gap, no repeat, in order, and closure ends it.

type Mode = "json" | "text" | "bytes";

type Step =
  | { readonly kind: "append"; readonly items: readonly string[] | readonly Uint8Array[] }
  | { readonly kind: "read"; readonly events: number }
  | { readonly kind: "disconnect" };

const encoder = new TextEncoder();
const CONTENT_TYPE: Record<Mode, string> = {
  json: "application/json",
  text: "text/plain",
  bytes: "application/octet-stream",
};

const textChunk = fc.array(fc.constantFrom("a", "é", "€", "😀", "\n", " ", "x"), {
  minLength: 1,
  maxLength: 6,
}).map((parts) => parts.join(""));

function items(mode: Mode): fc.Arbitrary<readonly string[] | readonly Uint8Array[]> {
  if (mode === "bytes") {
    return fc.array(fc.uint8Array({ minLength: 1, maxLength: 7 }), { minLength: 1, maxLength: 3 });
  }
  if (mode === "text") return fc.array(textChunk, { minLength: 1, maxLength: 3 });
  // JSON: a single message or a batch; the text is the message as stored.
  return fc.array(fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)), {
    minLength: 1,
    maxLength: 3,
  });
}

function steps(mode: Mode): fc.Arbitrary<Step[]> {
  return fc.array(
    fc.oneof(
      items(mode).map((i): Step => ({ kind: "append", items: i })),
      fc.integer({ min: 1, max: 6 }).map((events): Step => ({ kind: "read", events })),
      fc.constant<Step>({ kind: "disconnect" }),
    ),
    { maxLength: 14 },
  );
}

function bytesOf(item: string | Uint8Array): Uint8Array {
  return typeof item === "string" ? encoder.encode(item) : item;
}

async function run(
  mode: Mode,
  script: Step[],
  finalItems: readonly string[] | readonly Uint8Array[],
  maxReadMessages: number,
  subscriberBufferMessages: number,
): Promise<void> {
  const store = new MemoryStore();
  const shutdown = new AbortController();
  const ctx = createContext({
    store,
    limits: { maxReadMessages, subscriberBufferMessages, maxBodyBytes: maxReadMessages },
    timing: { heartbeatMs: 10_000, sseRotationMs: 60_000 },
  }, shutdown.signal);
  const path = "chats/p";
  const appended: (string | Uint8Array)[] = [];
  let tail = 0;
  const delivered: unknown[] = [];
  let deliveredText = "";
  const deliveredBytes: number[] = [];
  let lastId = "";
  let lastControl: Record<string, unknown> | undefined;
  let connection: SseReader | undefined;

  const append = async (batch: readonly (string | Uint8Array)[], close = false) => {
    await store.append(path, { messages: batch.map(bytesOf), close });
    appended.push(...batch);
    for (const item of batch) tail += mode === "json" ? 1 : bytesOf(item).length;
  };
  const connect = async (): Promise<Response> => {
    const url = `http://localhost/v1/stream/chats%2Fp?live=sse${lastId === "" ? "&offset=-1" : ""}`;
    const headers: HeadersInit = lastId === "" ? {} : { "last-event-id": lastId };
    return await sseResponse(ctx, path, new Request(url, { headers }));
  };
  const take = (event: SseEvent) => {
    lastId = event.id;
    if (event.type === "control") {
      lastControl = JSON.parse(event.data);
      return;
    }
    assert.equal(event.type, "data");
    if (mode === "json") delivered.push(...JSON.parse(event.data));
    else if (mode === "text") deliveredText += event.data;
    else deliveredBytes.push(...Array.from(atob(event.data), (c) => c.charCodeAt(0)));
  };
  const caughtUp = () => lastControl?.streamNextOffset === formatOffset(tail);

  try {
    await store.create(path, { contentType: CONTENT_TYPE[mode] });
    for (const step of script) {
      if (step.kind === "append") await append(step.items);
      else if (step.kind === "disconnect") {
        await connection?.cancel();
        connection = undefined;
      } else {
        for (let i = 0; i < step.events && !caughtUp(); i++) {
          if (!connection) {
            const response = await connect();
            assert.equal(response.status, 200);
            connection = new SseReader(response.body!);
          }
          const event = await connection.nextEvent();
          assert.ok(event, "an open stream's response does not end by itself here");
          take(event);
        }
      }
    }
    await append(finalItems, true);
    // Read to the end, reconnecting like EventSource until a closing
    // control event or a 204 (SSE-RESUME-3) says there is nothing more.
    let connections = 0;
    while (lastControl?.streamClosed !== true) {
      if (!connection) {
        assert.ok(++connections <= 2, "a closed stream is read to its end in one connection");
        const response = await connect();
        if (response.status === 204) break;
        assert.equal(response.status, 200);
        connection = new SseReader(response.body!);
      }
      const event = await connection.nextEvent();
      if (event === undefined) connection = undefined;
      else take(event);
    }
    if (connection) {
      assert.equal(await connection.nextEvent(), undefined, "the response ends after streamClosed");
      connection = undefined;
    }
    assert.equal(lastId, formatOffset(tail));
    assert.equal((await connect()).status, 204, "no reconnection after the end");

    if (mode === "json") {
      assert.deepEqual(delivered, appended.map((m) => JSON.parse(m as string)));
    } else if (mode === "text") {
      assert.equal(deliveredText, (appended as string[]).join(""));
    } else {
      const expected: number[] = [];
      for (const chunk of appended as Uint8Array[]) expected.push(...chunk);
      assert.deepEqual(deliveredBytes, expected);
    }
    assert.equal(ctx.subscribers.total, 0, "every slot is given back");
  } finally {
    await connection?.cancel();
    shutdown.abort();
    await store.dispose();
  }
}

describe("sseResponse with disconnects and Last-Event-ID resumption", () => {
  for (const mode of ["json", "text", "bytes"] as const) {
    it(`delivers a ${mode} stream exactly once, in order, until its closure`, async () => {
      await fc.assert(
        fc.asyncProperty(
          steps(mode),
          items(mode),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 6 }),
          (script, finalItems, maxRead, buffer) => run(mode, script, finalItems, maxRead, buffer),
        ),
        { numRuns: 100 },
      );
    });
  }
});
