// sse.md §2: a client resumes a dropped SSE connection from the last id it
// received, and does not reconnect after a control event with streamClosed.

import fc from "fast-check";
import { formatOffset } from "../../../src/protocol/offset.ts";
import type { Check } from "../../check.ts";
import type { ClientCheckContext } from "../client_context.ts";
import { defineClientCheck } from "../client_context.ts";
import { delivered, expectExactly, numbered } from "../_delivery.ts";
import { problemReply } from "../problem_reply.ts";
import type { FaultScript, SseUnit } from "../fault_script.ts";

type Cut = "before" | "mid" | "after-data" | "after-control";

/** One step of a fault schedule. */
type Step =
  | { readonly op: "append"; readonly count: number }
  | { readonly op: "settle" }
  | { readonly op: "cut"; readonly where: Cut; readonly fraction: number }
  | { readonly op: "refuse" }
  | { readonly op: "restart" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: 1, max: 4 }).map((count) => ({ op: "append" as const, count })),
  },
  { weight: 2, arbitrary: fc.constant({ op: "settle" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("cut" as const),
      where: fc.constantFrom<Cut>("before", "mid", "after-data", "after-control"),
      fraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: "refuse" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "restart" as const }) },
);

/**
 * A script that cuts the SSE responses of `stream` as armed: before, in the
 * middle of, or right after the next data event, or after the next control
 * event; and refuses the next requests with 503 `unavailable`.
 */
class SseFaults {
  readonly cuts: { where: Cut; fraction: number }[] = [];
  refusals = 0;
  #afterControl = false;

  script(stream: string): FaultScript {
    return {
      http: (call) => {
        if (call.stream !== stream || call.live !== "sse" || this.refusals === 0) return undefined;
        this.refusals--;
        return { respond: problemReply({ slug: "unavailable", members: { retryAfterMs: 20 } }) };
      },
      sse: (unit, response) => response.stream === stream ? this.#onUnit(unit) : undefined,
    };
  }

  #onUnit(unit: SseUnit) {
    if (unit.kind === "control" && this.#afterControl) {
      this.#afterControl = false;
      return { cut: true as const, keep: unit.text.length };
    }
    if (unit.kind !== "data" || this.cuts.length === 0) return undefined;
    const cut = this.cuts.shift()!;
    switch (cut.where) {
      case "before":
        return { cut: true as const, keep: 0 };
      case "mid": {
        const keep = Math.min(
          unit.text.length - 2,
          Math.max(1, Math.floor(unit.text.length * cut.fraction)),
        );
        return { cut: true as const, keep };
      }
      case "after-data":
        return { cut: true as const, keep: unit.text.length };
      default:
        this.#afterControl = true;
        return undefined;
    }
  }
}

/** Fails with `requirement` unless every reconnection of `stream` started where it had to. */
export function expectSseResumes(
  t: ClientCheckContext,
  stream: string,
  requirement = "SSE-RESUME-4",
): void {
  const trace = t.server.trace(stream);
  for (const [i, start] of trace.starts.entries()) {
    const due = start.expected;
    if (i === 0 || due === undefined) continue;
    const ok = start.offset !== undefined && start.offset >= due.low && start.offset <= due.high;
    const wanted = due.low === due.high
      ? formatOffset(due.high)
      : `between ${formatOffset(due.low)} and ${formatOffset(due.high)}`;
    t.expect(
      requirement,
      ok,
      `reconnection ${i} asked for ${start.requested ?? "no offset"}${
        start.lastEventId ? " (Last-Event-ID)" : ""
      }; the last id it received was ${wanted}`,
      { expected: wanted, actual: start.requested },
    );
  }
}

/** Fails with SSE-RESUME-4 when `stream` was requested again after the client got its closed event. */
export function expectNoReconnectAfterClose(t: ClientCheckContext, stream: string): void {
  const closedAt = t.server.trace(stream).closedAt;
  if (closedAt === undefined) return;
  const later = t.server.callsFor(stream).filter((call) =>
    call.method === "GET" && call.at > closedAt
  );
  t.expect(
    "SSE-RESUME-4",
    later.length === 0,
    `the client requested the stream again after a control event with streamClosed: true (${
      later.map((c) => `${c.pathname}?${c.query}`).join(", ")
    })`,
  );
}

/** Checks of sse.md §2 (event IDs and resumption), client side. */
export const sseResumeChecks: readonly Check<ClientCheckContext>[] = [
  defineClientCheck({
    id: "client.sse.resume.fault-schedules",
    title:
      "across random drops (between and in the middle of events), 503s and restarts, SSE delivers the log once each, in order, resuming from the last id",
    section: "sse.md §2",
    requirements: ["SSE-RESUME-4"],
    features: ["sse"],
    async run(t) {
      await t.property(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps, run) => {
        const stream = await run.createStream();
        const faults = new SseFaults();
        run.script(faults.script(stream));
        const read = await run.read(stream, { live: "sse" });
        const log: unknown[] = [];
        for (const step of steps) {
          if (step.op === "append") {
            const messages = numbered(step.count, log.length);
            await run.append(stream, messages);
            log.push(...messages);
          } else if (step.op === "settle") {
            await delivered(read, log.length, 3_000);
          } else if (step.op === "cut") {
            faults.cuts.push({ where: step.where, fraction: step.fraction });
          } else if (step.op === "refuse") {
            faults.refusals++;
          } else {
            await run.restart(20);
          }
        }
        await run.closeStream(stream);
        const final = await read.settled(run.timeoutMs);
        expectSseResumes(run, stream);
        expectExactly(run, "SSE-RESUME-4", read, log);
        run.expect(
          "SSE-RESUME-4",
          final?.event === "closed",
          `the read did not end with the stream's closure: ${
            final ? JSON.stringify(final) : "still running"
          }`,
        );
        await run.sleep(100);
        expectNoReconnectAfterClose(run, stream);
      });
    },
  }),
  defineClientCheck({
    id: "client.sse.resume.no-reconnect-after-close",
    title: "after a control event with streamClosed: true the client does not reconnect",
    section: "sse.md §2",
    requirements: ["SSE-RESUME-4"],
    features: ["sse"],
    async run(t) {
      // Closed before the read, and closed while the client waits at the tail.
      const before = await t.createStream({ messages: numbered(3) });
      await t.closeStream(before);
      const during = await t.createStream({ messages: numbered(2) });
      const first = await t.read(before, { live: "sse" });
      const second = await t.read(during, { live: "sse" });
      await delivered(second, 2, t.timeoutMs);
      await t.sleep(50);
      await t.closeStream(during);
      for (const [stream, read, count] of [[before, first, 3], [during, second, 2]] as const) {
        const final = await read.settled(t.timeoutMs);
        expectExactly(t, "SSE-RESUME-4", read, numbered(count));
        t.expect(
          "SSE-RESUME-4",
          final?.event === "closed",
          `the read of ${stream} did not end as closed`,
        );
      }
      // Several retry delays of a client that would come back.
      await t.sleep(600);
      expectNoReconnectAfterClose(t, before);
      expectNoReconnectAfterClose(t, during);
    },
  }),
];
