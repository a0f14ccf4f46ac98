// http.md §10: error answers leave the log alone; exhausted limits are named.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { appendJson, fcInvalidJson, longPollTimeoutMs, snapshot } from "./_support.ts";

type Refused = {
  readonly send: (t: CheckContext, url: string, close: boolean) => Promise<HttpReply>;
  readonly requirement: string;
  readonly status: number;
  readonly slug: string;
};

/** Requests every server refuses on an open JSON stream, with the refusal the spec names. */
function refusals(t: CheckContext): fc.Arbitrary<Refused> {
  const closing = (close: boolean): Record<string, string> =>
    close ? { "Stream-Closed": "true" } : {};
  const json = (close: boolean) => ({ "Content-Type": "application/json", ...closing(close) });
  const options: fc.Arbitrary<Refused>[] = [
    fcInvalidJson().map((body) => ({
      send: (t, url, close) => t.http.request("POST", url, { headers: json(close), body }),
      requirement: "LOG-MSG-3",
      status: 400,
      slug: "invalid-json",
    })),
    fc.constantFrom("[]", " [ ] ").map((body) => ({
      send: (t, url, close) => t.http.request("POST", url, { headers: json(close), body }),
      requirement: "LOG-APPEND-3",
      status: 400,
      slug: "empty-append",
    })),
    fc.constant({
      send: (t, url) => t.http.request("POST", url, { headers: json(false) }),
      requirement: "LOG-APPEND-3",
      status: 400,
      slug: "empty-append",
    }),
    fc.constantFrom("text/plain", "application/xml").map((type) => ({
      send: (t, url, close) =>
        t.http.request("POST", url, {
          headers: { "Content-Type": type, ...closing(close) },
          body: "[1]",
        }),
      requirement: "HTTP-APPEND-5",
      status: 409,
      slug: "content-type-mismatch",
    })),
    fc.integer({ min: 1, max: 32 }).map((extra) => ({
      send: (t, url, close) => {
        const size = t.discovery.limits.maxMessageBytes + extra;
        return t.http.request("POST", url, {
          headers: json(close),
          body: JSON.stringify(["ok", "x".repeat(size)]),
        });
      },
      requirement: "HTTP-APPEND-7",
      status: 413,
      slug: "payload-too-large",
    })),
    fc.constant({
      // The stream is open: a create asking for a closed one differs from it.
      send: (t, url) => t.http.request("PUT", url, { headers: json(true), body: "[1]" }),
      requirement: "HTTP-CREATE-3",
      status: 409,
      slug: "stream-exists",
    }),
  ];
  if (t.features.has("idempotent-producer")) {
    options.push(fc.constant({
      send: (t, url, close) =>
        appendJson(t, url, [1], { "Producer-Id": "p", "Producer-Seq": "0", ...closing(close) }),
      requirement: "HTTP-HDR-3",
      status: 400,
      slug: "invalid-header",
    }));
  }
  if (t.features.has("stream-seq")) {
    options.push(
      fc.constantFrom("a", "m").map((seq) => ({
        send: (t, url, close) => appendJson(t, url, [1], { "Stream-Seq": seq, ...closing(close) }),
        requirement: "LOG-SEQ-1",
        status: 409,
        slug: "stream-seq-conflict",
      })),
    );
  }
  return fc.oneof(...options);
}

/** Checks of http.md §10 (errors). */
export const httpErrorsChecks: readonly Check[] = [
  defineCheck({
    id: "http.errors.log-unchanged",
    title: "a refused append, close or create leaves the stream exactly as it was",
    section: "http.md §10",
    requirements: [
      "HTTP-ERR-2",
      "LOG-MSG-3",
      "LOG-APPEND-3",
      "HTTP-APPEND-5",
      "HTTP-APPEND-7",
      "HTTP-CREATE-3",
      "HTTP-HDR-3",
      "LOG-SEQ-1",
    ],
    async run(t) {
      await t.property(
        fc.array(fc.record({ refused: refusals(t), close: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (requests, run) => {
          const url = await run.createStream(undefined, { requirement: "HTTP-ERR-2" });
          const seq: Record<string, string> = run.features.has("stream-seq")
            ? { "Stream-Seq": "m" }
            : {};
          run.expectStatus("HTTP-ERR-2", await appendJson(run, url, ["a", "b"], seq), [200, 204]);
          const before = await snapshot(run, url);
          for (const { refused, close } of requests) {
            const reply = await refused.send(run, url, close);
            run.expectProblem(refused.requirement, reply, refused.status, refused.slug);
            run.expectEqual("HTTP-ERR-2", await snapshot(run, url), before, "the stream after");
          }
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.errors.limit-body",
    title: "a body beyond maxBodyBytes is refused with payload-too-large, not another failure",
    section: "http.md §10",
    requirements: ["HTTP-ERR-3"],
    async run(t) {
      const { maxBodyBytes } = t.discovery.limits;
      if (maxBodyBytes > 16 * 1024 * 1024) {
        t.skip(`maxBodyBytes ${maxBodyBytes} is too large to send`);
      }
      const url = await t.createStream(undefined, { requirement: "HTTP-ERR-3" });
      for (const method of ["POST", "PUT"]) {
        const target = method === "PUT" ? t.streamUrl(t.stream("big")) : url;
        const reply = await t.http.request(method, target, {
          headers: { "Content-Type": "application/json" },
          body: new Uint8Array(maxBodyBytes + 1).fill(0x20),
        });
        t.expectProblem("HTTP-ERR-3", reply, 413, "payload-too-large");
      }
    },
  }),
  defineCheck({
    id: "http.errors.limit-subscribers",
    title: "a long-poll beyond the subscriber limit is refused with subscriber-limit",
    section: "http.md §10",
    requirements: ["HTTP-ERR-3"],
    features: ["long-poll"],
    async run(t) {
      const limits = [t.discovery.limits.maxSubscribersPerStream, t.discovery.limits.maxSubscribers]
        .filter((n): n is number => typeof n === "number");
      if (limits.length === 0) t.skip("the server advertises no subscriber limit");
      const limit = Math.min(...limits);
      if (limit > 64) t.skip(`reaching ${limit} live readers is too much work`);
      const timeout = longPollTimeoutMs(t);
      if (timeout < 400) t.skip(`the long-poll timeout ${timeout} ms is too short to fill`);
      const url = await t.createStream(undefined, { requirement: "HTTP-ERR-3" });
      const poll = () =>
        t.http.request("GET", `${url}?offset=-1&live=long-poll`, {
          timeoutMs: timeout + t.timeoutMs,
        });
      const waiting = Array.from({ length: limit }, poll);
      await t.sleep(150);
      const extra = await poll();
      await appendJson(t, url, ["release"]);
      await Promise.all(waiting);
      t.expectProblem("HTTP-ERR-3", extra, 429, "subscriber-limit");
    },
  }),
];
