// Random sequences of appends and reads over HTTP agree with the store read
// directly and with a plain list of the messages appended: what goes in
// comes out byte for byte, at the offsets the list predicts (LOG-MSG-1,
// LOG-OFFSET-5, HTTP-READ-1…5).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatOffset } from "../protocol/offset.ts";
import { StoreError } from "../stores/event_store.ts";
import { JSON_TYPE, problemOf, type TestServer, withServer } from "./_http_test_kit.ts";

const MAX_READ = 4;
const decoder = new TextDecoder();

/** A message as sent (pretty-printed, literal numbers kept) and as stored. */
const message = fc.oneof(
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(0, 1, 2, "\t")).map(([v, indent]) => ({
    sent: JSON.stringify(v, null, indent),
    stored: JSON.stringify(v),
  })),
  fc.constantFrom("1.50e+10", "123456789012345678901234567890", "-0.0", "1E400").map((n) => ({
    sent: ` ${n} `,
    stored: n,
  })),
);

type Op =
  | { op: "append"; messages: { sent: string; stored: string }[]; array: boolean }
  | { op: "read"; offset: number | "-1" | "now"; limit?: number; live: boolean }
  | { op: "head" }
  | { op: "close" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("append" as const),
      messages: fc.array(message, { minLength: 1, maxLength: 5 }),
      array: fc.boolean(),
    }).map((a) =>
      // A lone array body would be flattened, so it goes inside a batch.
      a.messages.length > 1 || a.messages[0].stored.startsWith("[") ? { ...a, array: true } : a
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        op: fc.constant("read" as const),
        offset: fc.oneof(fc.nat({ max: 25 }), fc.constantFrom("-1" as const, "now" as const)),
        limit: fc.integer({ min: 1, max: 6 }),
        live: fc.boolean(),
      },
      { requiredKeys: ["op", "offset", "live"] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ op: "head" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "close" as const }) },
);

async function run(t: TestServer, ops: Op[]): Promise<void> {
  const model: string[] = [];
  let closed = false;
  assert.equal((await t.call("PUT", "m")).status, 201);
  for (const o of ops) {
    if (o.op === "append") {
      const body = o.array ? `[${o.messages.map((m) => m.sent).join(" ,\n")}]` : o.messages[0].sent;
      const r = await t.call("POST", "m", { headers: JSON_TYPE, body });
      if (closed) {
        await problemOf(r, "stream-closed");
        continue;
      }
      assert.equal(r.status, 204);
      model.push(...o.messages.map((m) => m.stored));
      assert.equal(r.headers.get("stream-next-offset"), formatOffset(model.length));
    } else if (o.op === "close") {
      const r = await t.call("POST", "m", { headers: { "stream-closed": "true" } });
      assert.equal(r.status, 204);
      closed = true;
    } else if (o.op === "head") {
      const r = await t.call("HEAD", "m");
      assert.equal(r.headers.get("stream-next-offset"), formatOffset(model.length));
      assert.equal(r.headers.get("stream-closed"), closed ? "true" : null);
    } else {
      await read(t, o, model, closed);
    }
  }
}

async function read(
  t: TestServer,
  o: Extract<Op, { op: "read" }>,
  model: string[],
  closed: boolean,
): Promise<void> {
  const offsetText = typeof o.offset === "number" ? formatOffset(o.offset) : o.offset;
  const start = o.offset === "-1" ? 0 : o.offset === "now" ? model.length : o.offset;
  // A live read that would wait is not what this property is about.
  const live = o.live && start < model.length;
  const query = `offset=${offsetText}` + (o.limit !== undefined ? `&limit=${o.limit}` : "") +
    (live ? "&live=long-poll" : "");
  const r = await t.call("GET", `m?${query}`);
  if (start > model.length) {
    await problemOf(r, "offset-out-of-range");
    await assert.rejects(
      t.store.read("m", { offset: start }),
      (e) => e instanceof StoreError && e.slug === "offset-out-of-range",
    );
    return;
  }
  assert.equal(r.status, 200);
  const count = Math.min(o.limit ?? MAX_READ, MAX_READ, model.length - start);
  const expected = model.slice(start, start + count);
  const text = await r.text();
  assert.equal(text, `[${expected.join(",")}]`);
  assert.equal(r.headers.get("stream-next-offset"), formatOffset(start + count));
  const upToDate = start + count === model.length;
  assert.equal(r.headers.get("stream-up-to-date"), upToDate ? "true" : null);
  assert.equal(r.headers.get("stream-closed"), upToDate && closed ? "true" : null);
  if (o.offset === "now") return;
  // The same read, straight from the store.
  const direct = await t.store.read("m", {
    offset: start,
    limit: Math.min(o.limit ?? MAX_READ, MAX_READ),
  });
  assert.equal(text, `[${direct.messages.map((m) => decoder.decode(m)).join(",")}]`);
  assert.equal(r.headers.get("stream-next-offset"), formatOffset(direct.nextOffset));
  assert.equal(r.headers.get("stream-up-to-date") === "true", direct.upToDate);
  assert.equal(r.headers.get("stream-closed") === "true", direct.closed);
}

describe("HTTP against the log model", () => {
  it("appends and reads over HTTP agree with the store and with the list of messages sent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), (ops) =>
        withServer((t) => run(t, ops), {
          limits: { maxReadMessages: MAX_READ },
          timing: { longPollTimeoutMs: 1000 },
        })),
      { numRuns: 150 },
    );
  });
});
