// http.md §5: appending and closing with POST.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { appendJson, fcBatch, flag, messagesOf, offset16, offsetOf, snapshot } from "./_support.ts";

type Step = { readonly body: string; readonly count: number; readonly close: string | null };

type ProducerOp = "next" | "duplicate" | "stale" | "gap" | "new-epoch";

const ENVELOPE = { type: "conformance.note" };

/** Checks of http.md §5 (append and close). */
export const httpAppendChecks: readonly Check[] = [
  defineCheck({
    id: "http.append.next-offset",
    title:
      "each append answers 204 with Stream-Next-Offset at the new tail, and Stream-Closed: true once it closed the stream",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-1"],
    async run(t) {
      await t.property(
        fc.array(
          fc.record({
            batch: fc.option(fcBatch(), { freq: 6 }),
            close: fc.option(fc.constantFrom("true", "TRUE", "True", "false", "yes", "1"), {
              freq: 3,
            }),
          }),
          { minLength: 1, maxLength: 6 },
        ).map((steps) =>
          steps.map(({ batch, close }): Step => ({
            body: batch?.body ?? "",
            count: batch?.messages.length ?? 0,
            close: batch === null ? "true" : close,
          }))
        ),
        async (steps, run) => {
          const url = await run.createStream();
          let tail = 0;
          for (const step of steps) {
            const closes = step.close?.toLowerCase() === "true";
            const reply = await run.http.request("POST", url, {
              headers: {
                "Content-Type": "application/json",
                ...(step.close === null ? {} : { "Stream-Closed": step.close }),
              },
              body: step.body === "" ? undefined : step.body,
            });
            run.expectStatus("HTTP-APPEND-1", reply, 204);
            tail += step.count;
            run.expectEqual(
              "HTTP-APPEND-1",
              reply.headers.get("stream-next-offset"),
              offset16(tail),
              "Stream-Next-Offset",
            );
            run.expectEqual(
              "HTTP-APPEND-1",
              flag(reply, "stream-closed"),
              closes,
              "Stream-Closed: true on the answer",
            );
            if (closes) return;
          }
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.append.producer-answers",
    title:
      "producer appends answer 200 for new data, 204 for a duplicate, 403 for a stale epoch and 409 for a gap, with the producer headers",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-2", "HTTP-APPEND-3"],
    features: ["idempotent-producer"],
    async run(t) {
      await t.property(
        fc.array(
          fc.record({
            op: fc.constantFrom<ProducerOp>(
              "next",
              "next",
              "duplicate",
              "stale",
              "gap",
              "new-epoch",
            ),
            pick: fc.nat(100),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        async (ops, run) => {
          const url = await run.createStream();
          const id = `p-${ops.length}`;
          let epoch = 0;
          let last = -1;
          for (const { op, pick } of ops) {
            let e = epoch;
            let s = last + 1;
            if (op === "duplicate" && last >= 0) s = pick % (last + 1);
            else if (op === "stale" && epoch > 0) e = pick % epoch;
            else if (op === "gap") s = last + 2 + (pick % 3);
            else if (op === "new-epoch") [e, s] = [epoch + 1, 0];
            const reply = await appendJson(run, url, [{ e, s }], {
              "Producer-Id": id,
              "Producer-Epoch": String(e),
              "Producer-Seq": String(s),
            });
            if (e < epoch) {
              run.expectStatus("HTTP-APPEND-3", reply, 403);
              run.expectEqual(
                "HTTP-APPEND-3",
                reply.headers.get("producer-epoch"),
                String(epoch),
                "Producer-Epoch on a stale epoch",
              );
            } else if (e === epoch && s > last + 1) {
              run.expectStatus("HTTP-APPEND-3", reply, 409);
              run.expectEqual(
                "HTTP-APPEND-3",
                [
                  reply.headers.get("producer-expected-seq"),
                  reply.headers.get("producer-received-seq"),
                ],
                [String(last + 1), String(s)],
                "Producer-Expected-Seq and Producer-Received-Seq",
              );
            } else {
              const fresh = e > epoch || s === last + 1;
              if (fresh) [epoch, last] = [e, s];
              run.expectStatus("HTTP-APPEND-2", reply, fresh ? 200 : 204);
              run.expectEqual(
                "HTTP-APPEND-2",
                [reply.headers.get("producer-epoch"), reply.headers.get("producer-seq")],
                [String(epoch), String(last)],
                "Producer-Epoch and Producer-Seq",
              );
            }
          }
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.append.closed-first",
    title:
      "an append to a closed stream answers 409 stream-closed with Stream-Closed and the final tail, before any other conflict",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-4"],
    async run(t) {
      const conflicts = ["none", "content-type"];
      if (t.features.has("stream-seq")) conflicts.push("stream-seq");
      if (t.features.has("idempotent-producer")) conflicts.push("producer-gap", "stale-epoch");
      await t.property(
        fc.record({ initial: fcBatch(), conflict: fc.constantFrom(...conflicts) }),
        async ({ initial, conflict }, run) => {
          const url = await run.createStream();
          const setup: Record<string, string> = { "Stream-Closed": "true" };
          if (conflict === "stream-seq") setup["Stream-Seq"] = "m";
          if (conflict === "producer-gap" || conflict === "stale-epoch") {
            Object.assign(setup, {
              "Producer-Id": "p",
              "Producer-Epoch": "1",
              "Producer-Seq": "0",
            });
          }
          const closing = await run.http.request("POST", url, {
            headers: { "Content-Type": "application/json", ...setup },
            body: initial.body,
          });
          run.expectStatus("HTTP-APPEND-4", closing, [200, 204]);
          const headers: Record<string, string> = { "Content-Type": "application/json" };
          if (conflict === "content-type") headers["Content-Type"] = "text/plain";
          if (conflict === "stream-seq") headers["Stream-Seq"] = "a";
          if (conflict === "producer-gap") {
            Object.assign(headers, {
              "Producer-Id": "p",
              "Producer-Epoch": "1",
              "Producer-Seq": "5",
            });
          }
          if (conflict === "stale-epoch") {
            Object.assign(headers, {
              "Producer-Id": "p",
              "Producer-Epoch": "0",
              "Producer-Seq": "0",
            });
          }
          const reply = await run.http.request("POST", url, { headers, body: "[1]" });
          run.expectProblem("HTTP-APPEND-4", reply, 409, "stream-closed");
          run.expect("HTTP-APPEND-4", flag(reply, "stream-closed"), "no Stream-Closed: true");
          run.expectEqual(
            "HTTP-APPEND-4",
            reply.headers.get("stream-next-offset"),
            offset16(initial.messages.length),
            "Stream-Next-Offset of the refusal",
          );
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.append.content-type",
    title:
      "an append whose media type is not the stream's answers 409 content-type-mismatch, one without Content-Type 400 invalid-header",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-5", "HTTP-ERR-2"],
    async run(t) {
      const url = await t.createStream();
      await appendJson(t, url, ["first"]);
      const before = await snapshot(t, url);
      await t.property(
        fc.oneof(
          fc.constantFrom("text/plain", "application/xml", "application/ndjson", "text/json"),
          fc.stringMatching(/^x-[a-z]{1,8}\/[a-z]{1,8}$/),
          fc.constant(null),
        ),
        async (type, run) => {
          const reply = await run.http.request("POST", url, {
            headers: type === null ? {} : { "Content-Type": type },
            body: new TextEncoder().encode('["never"]'),
          });
          if (type === null) run.expectProblem("HTTP-APPEND-5", reply, 400, "invalid-header");
          else run.expectProblem("HTTP-APPEND-5", reply, 409, "content-type-mismatch");
          run.expectEqual("HTTP-ERR-2", await snapshot(run, url), before, "the stream after");
        },
        { numRuns: 8 },
      );
      for (const type of ["application/json; charset=utf-8", "Application/JSON"]) {
        const reply = await t.http.request("POST", url, {
          headers: { "Content-Type": type },
          body: "[2]",
        });
        t.expectStatus("HTTP-APPEND-5", reply, 204);
      }
    },
  }),
  defineCheck({
    id: "http.append.close-only",
    title: "a close-only request is accepted whatever its Content-Type",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-6"],
    async run(t) {
      await t.property(
        fc.constantFrom(null, "text/plain", "application/json", "x-nothing/at-all", "bogus"),
        async (type, run) => {
          const url = await run.createStream();
          await appendJson(run, url, [1, 2]);
          const reply = await run.http.request("POST", url, {
            headers: {
              "Stream-Closed": "true",
              ...(type === null ? {} : { "Content-Type": type }),
            },
          });
          run.expectStatus("HTTP-APPEND-6", reply, 204);
          run.expect("HTTP-APPEND-6", flag(reply, "stream-closed"), "no Stream-Closed: true");
          run.expectEqual("HTTP-APPEND-6", offsetOf(reply), 2, "Stream-Next-Offset");
        },
        { numRuns: 5 },
      );
    },
  }),
  defineCheck({
    id: "http.append.too-large",
    title:
      "a body over maxBodyBytes or a message over maxMessageBytes answers 413 payload-too-large and stores nothing",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-7"],
    async run(t) {
      const { maxBodyBytes, maxMessageBytes } = t.discovery.limits;
      if (maxBodyBytes > 16 * 1024 * 1024) {
        t.skip(`maxBodyBytes ${maxBodyBytes} is too large to send`);
      }
      const url = await t.createStream();
      await appendJson(t, url, ["first"]);
      const before = await snapshot(t, url);
      await t.property(
        fc.record({
          which: fc.constantFrom("body", "message"),
          extra: fc.integer({ min: 1, max: 64 }),
        }),
        async ({ which, extra }, run) => {
          let body: string;
          if (which === "message" && maxMessageBytes + extra + 8 <= maxBodyBytes) {
            // One JSON string whose text is maxMessageBytes + extra bytes.
            body = JSON.stringify(["m".repeat(maxMessageBytes + extra - 2), 1]);
          } else {
            const piece = Math.max(1, Math.min(1024, maxMessageBytes - 2) - 2);
            const count = Math.ceil((maxBodyBytes + extra) / (piece + 3)) + 1;
            body = JSON.stringify(Array.from({ length: count }, () => "b".repeat(piece)));
          }
          const reply = await run.http.request("POST", url, {
            headers: { "Content-Type": "application/json" },
            body,
          });
          run.expectProblem("HTTP-APPEND-7", reply, 413, "payload-too-large");
          run.expectEqual("HTTP-APPEND-7", await snapshot(run, url), before, "the stream after");
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "http.append.invalid-envelope",
    title:
      "an agent-stream append with an invalid envelope answers 400 invalid-envelope, pointing into the body, storing nothing",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-8"],
    features: ["agent"],
    async run(t) {
      const url = await t.createStream(undefined, { headers: { "Agent-Stream-Kind": "agent" } });
      await appendJson(t, url, [ENVELOPE]);
      const before = await snapshot(t, url);
      await t.property(
        fc.record({
          size: fc.integer({ min: 1, max: 5 }),
          bad: fc.uniqueArray(fc.nat(4), { minLength: 1, maxLength: 3 }),
          array: fc.boolean(),
          value: fc.constantFrom<unknown>({}, { type: "x" }, { type: "A.b" }, 7, "s", null, {
            type: "a.b",
            runId: 5,
          }),
        }),
        async ({ size, bad, array, value }, run) => {
          const messages: unknown[] = Array.from({ length: size }, (_, i) => ({ ...ENVELOPE, i }));
          const invalid = [...new Set(bad.map((b) => b % size))];
          for (const i of invalid) messages[i] = value;
          const single = !array && size === 1;
          const reply = await appendJson(run, url, single ? messages[0] : messages);
          run.expectProblem("HTTP-APPEND-8", reply, 400, "invalid-envelope");
          const errors = (reply.json as { errors?: unknown }).errors;
          run.expect("HTTP-APPEND-8", Array.isArray(errors) && errors.length > 0, "no errors");
          const paths = (errors as { path?: unknown }[]).map((e) => e.path);
          run.expect(
            "HTTP-APPEND-8",
            paths.every((p) => typeof p === "string" && (p === "" || p.startsWith("/"))),
            `errors paths are not JSON Pointers: ${JSON.stringify(paths)}`,
          );
          for (const i of single ? [] : invalid) {
            run.expect(
              "HTTP-APPEND-8",
              paths.some((p) => p === `/${i}` || String(p).startsWith(`/${i}/`)),
              `no error points at /${i}: ${JSON.stringify(paths)}`,
            );
          }
          run.expectEqual("HTTP-APPEND-8", await snapshot(run, url), before, "the stream after");
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.append.close-retry",
    title: "a retry of the producer append that closed the stream answers 204 with Stream-Closed",
    section: "http.md §5",
    requirements: ["HTTP-APPEND-9"],
    features: ["idempotent-producer"],
    async run(t) {
      const url = await t.createStream();
      const headers = {
        "Producer-Id": "closer",
        "Producer-Epoch": "0",
        "Producer-Seq": "0",
        "Stream-Closed": "true",
      };
      const first = await appendJson(t, url, ["last"], headers);
      t.expectStatus("HTTP-APPEND-9", first, 200);
      for (let i = 0; i < 2; i++) {
        const retry = await appendJson(t, url, ["last"], headers);
        t.expectStatus("HTTP-APPEND-9", retry, 204);
        t.expect("HTTP-APPEND-9", flag(retry, "stream-closed"), "no Stream-Closed: true");
        t.expectEqual("HTTP-APPEND-9", offsetOf(retry), 1, "Stream-Next-Offset");
      }
      const read = await t.http.request("GET", `${url}?offset=-1`);
      t.expectEqual("HTTP-APPEND-9", messagesOf(read), ['"last"'], "messages after the retries");
    },
  }),
];
