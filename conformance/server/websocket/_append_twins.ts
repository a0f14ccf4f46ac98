// What the append checks of websocket.md §9 share: an append as a frame
// states it, its equivalent HTTP request, and the comparison of the two
// outcomes on twin streams.

import fc from "fast-check";
import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import {
  expectErrorFrame,
  type Frame,
  offset,
  problemSlugOf,
  type Session,
} from "./_subscription_kit.ts";

/** One append, as the frame states it. */
export interface Append {
  messages?: unknown[];
  close?: boolean;
  producer?: { id: string; epoch: number; seq: number };
  streamSeq?: string;
}

/** The equivalent HTTP request of an append frame (websocket.md §9). */
export async function appendOverHttp(t: CheckContext, url: string, a: Append): Promise<HttpReply> {
  const headers: Record<string, string> = {};
  if (a.messages !== undefined) headers["Content-Type"] = "application/json";
  if (a.close === true) headers["Stream-Closed"] = "true";
  if (a.producer) {
    headers["Producer-Id"] = a.producer.id;
    headers["Producer-Epoch"] = String(a.producer.epoch);
    headers["Producer-Seq"] = String(a.producer.seq);
  }
  if (a.streamSeq !== undefined) headers["Stream-Seq"] = a.streamSeq;
  return await t.http.request("POST", url, {
    headers,
    ...(a.messages !== undefined ? { body: JSON.stringify(a.messages) } : {}),
  });
}

/** Sends `a` as an append frame and takes its answer. */
export async function appendOverWs(
  t: CheckContext,
  session: Session,
  path: string,
  a: Append,
  req: string,
): Promise<Frame | undefined> {
  session.send({ type: "append", req, path, ...a });
  return await session.takeMatching((f) => f.req === req, t.timeoutMs);
}

/** A member of the problem, or the header that carries it over HTTP. */
function producerMember(reply: HttpReply, header: string, member: string): number | undefined {
  const value = reply.headers.get(header) ??
    (reply.json as Record<string, unknown> | undefined)?.[member];
  return value === undefined || value === null ? undefined : Number(value);
}

/** Fails unless `frame` answers `a` as `reply` answered its equivalent HTTP request. */
export function expectSameOutcome(
  t: CheckContext,
  a: Append,
  reply: HttpReply,
  frame: Frame | undefined,
  req: string,
): void {
  t.expect("WS-APPEND-2", frame !== undefined, `no answer to ${req}`);
  if (a.messages?.length === 0) {
    // The frame itself is defective: empty-append, whatever HTTP says of `[]`.
    return expectErrorFrame(t, "WS-APPEND-11", frame, "empty-append", { req });
  }
  const what = `${req} (HTTP answered ${reply.status})`;
  if (reply.status >= 200 && reply.status < 300) {
    t.expectEqual("WS-APPEND-3", frame!.type, "appended", `answer to ${what}`);
    t.expectEqual(
      "WS-APPEND-3",
      frame!.nextOffset,
      reply.headers.get("stream-next-offset"),
      `nextOffset of ${req}`,
    );
    t.expectEqual(
      "WS-APPEND-6",
      frame!.closed === true,
      reply.headers.get("stream-closed") === "true",
      `closed of ${req}`,
    );
    const stored = (a.messages?.length ?? 0) > 0;
    const duplicate = a.producer !== undefined && stored && reply.status === 204;
    if (duplicate) t.expectEqual("WS-APPEND-4", frame!.duplicate, true, `duplicate of ${req}`);
    else if (stored || !a.producer) {
      t.expect(
        "WS-APPEND-5",
        frame!.duplicate !== true,
        `${req} stored messages or closed, yet duplicate`,
      );
    }
    if (a.producer && reply.headers.has("producer-epoch")) {
      const p = frame!.producer as { epoch?: unknown; seq?: unknown } | undefined;
      t.expectEqual("WS-APPEND-7", [p?.epoch, p?.seq], [
        Number(reply.headers.get("producer-epoch")),
        Number(reply.headers.get("producer-seq")),
      ], `producer of ${req}`);
    }
    return;
  }
  const problem = reply.json as { type?: string; status?: number; errors?: { path?: string }[] };
  const slug = problemSlugOf({ problem });
  t.expectEqual("WS-APPEND-8", frame!.type, "error", `answer to ${what}`);
  t.expectEqual("WS-APPEND-8", frame!.req, req, "error.req");
  t.expectEqual("WS-APPEND-8", problemSlugOf(frame), slug, `problem type of ${req}`);
  t.expectEqual(
    "WS-APPEND-8",
    (frame!.problem as { status?: unknown }).status,
    reply.status,
    `problem status of ${req}`,
  );
  const got = frame!.problem as Record<string, unknown>;
  if (slug === "producer-stale-epoch") {
    t.expectEqual(
      "WS-APPEND-9",
      got.producerEpoch,
      producerMember(reply, "producer-epoch", "producerEpoch"),
      "producerEpoch",
    );
  }
  if (slug === "producer-seq-gap") {
    t.expectEqual("WS-APPEND-10", [got.expectedSeq, got.receivedSeq], [
      producerMember(reply, "producer-expected-seq", "expectedSeq"),
      producerMember(reply, "producer-received-seq", "receivedSeq"),
    ], "expectedSeq, receivedSeq");
  }
  if (slug === "invalid-envelope") {
    const paths = (errors: unknown) =>
      ((errors ?? []) as { path?: unknown }[]).map((e) => e.path).sort();
    t.expectEqual("WS-APPEND-12", paths(got.errors), paths(problem.errors), "errors[].path");
  }
}

/** Reads a whole stream over HTTP: its messages and whether it is closed. */
export async function readBack(
  t: CheckContext,
  url: string,
): Promise<{ status: number; messages: unknown[]; closed: boolean }> {
  const messages: unknown[] = [];
  for (let at = 0, guard = 0; guard < 100; guard++) {
    const reply = await t.http.request("GET", `${url}?offset=${offset(at)}`);
    if (reply.status !== 200) return { status: reply.status, messages, closed: false };
    const batch = reply.json as unknown[];
    messages.push(...batch);
    at += batch.length;
    if (reply.headers.get("stream-up-to-date") === "true" || batch.length === 0) {
      return { status: 200, messages, closed: reply.headers.get("stream-closed") === "true" };
    }
  }
  return { status: 200, messages, closed: false };
}

/** Messages for an agent stream: mostly valid envelopes, sometimes not. */
export const envelope = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant("com.example.note"), i: fc.nat(99) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>({}, { type: "Bad" }, { type: "a.b", id: "" }, 7, [], {
      type: "x.y",
      runId: 5,
    }),
  },
);

const json = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 5 }),
  fc.constant(null),
  fc.array(fc.boolean(), { maxLength: 2 }),
);

/** Random appends, valid and not, as a producer, with Stream-Seq, closing. */
export function appendArbitrary(t: CheckContext, agent: boolean): fc.Arbitrary<Append> {
  const producers = t.features.has("idempotent-producer");
  const seqs = t.features.has("stream-seq");
  const maxMessage = t.discovery.limits?.maxMessageBytes ?? Infinity;
  const maxFrame = t.discovery.limits?.maxWsFrameBytes ?? 65_536;
  const big = maxMessage + 64 < Math.min(maxFrame, 65_536) ? [["x".repeat(maxMessage + 1)]] : [];
  const message = agent ? envelope : json;
  return fc.record({
    messages: fc.oneof(
      { weight: 8, arbitrary: fc.array(message, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom<unknown[] | undefined>(undefined, [], ...big) },
    ),
    close: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, {
      weight: 1,
      arbitrary: fc.boolean(),
    }),
    producer: producers
      ? fc.option(fc.record({ id: fc.constantFrom("p", "q"), epoch: fc.nat(2), seq: fc.nat(3) }), {
        nil: undefined,
      })
      : fc.constant(undefined),
    streamSeq: seqs
      ? fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: undefined, freq: 5 })
      : fc.constant(undefined),
  }, { requiredKeys: [] }).map((a) => {
    const out: Append = {};
    for (const [k, v] of Object.entries(a)) {
      if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    }
    // A frame without messages is an append only when it closes.
    if (out.messages === undefined) out.close = true;
    return out;
  });
}
