// sse.md §5: errors found before the event stream starts.

import fc from "fast-check";
import { formatOffset } from "../../../src/protocol/offset.ts";
import { type Check, type CheckContext, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { appendTo, batch, freshStream } from "./_stream_model.ts";

type Defect =
  | { readonly kind: "missing-stream" }
  | { readonly kind: "deleted-stream" }
  | { readonly kind: "bad-offset"; readonly offset: string }
  | { readonly kind: "beyond-tail"; readonly by: number }
  | { readonly kind: "bad-path"; readonly segment: string }
  | { readonly kind: "bad-version"; readonly version: string };

const defectArb: fc.Arbitrary<Defect> = fc.oneof(
  fc.constant({ kind: "missing-stream" as const }),
  fc.constant({ kind: "deleted-stream" as const }),
  fc.oneof(
    fc.constantFrom("abc", "-2", "12", "0000000000000000x", "+000000000000001", "NOW"),
    fc.stringMatching(/^[0-9]{1,15}$/),
  ).map((offset) => ({ kind: "bad-offset" as const, offset })),
  fc.integer({ min: 1, max: 1000 }).map((by) => ({ kind: "beyond-tail" as const, by })),
  fc.constantFrom("a%5Cb", "a%01b", "x//y", "%FF").map((segment) => ({
    kind: "bad-path" as const,
    segment,
  })),
  fc.constantFrom("2.0", "0.9", "1", "one", "1.0.0").map((version) => ({
    kind: "bad-version" as const,
    version,
  })),
);

/** Checks of sse.md §5 (errors). */
export const sseErrorsChecks: readonly Check[] = [
  defineCheck({
    id: "sse.errors.as-catch-up",
    title:
      "an SSE request refused before the event stream starts gets the status and problem of the same catch-up read",
    section: "sse.md §5",
    requirements: ["SSE-ERR-1"],
    features: ["sse"],
    async run(t) {
      await t.property(defectArb, async (defect, run) => {
        const { path, query, headers } = await arrange(run, defect);
        const catchUp = await run.http.request("GET", `${path}?${new URLSearchParams(query)}`, {
          headers,
        });
        if (catchUp.status < 400) {
          run.note(`the catch-up read answered ${catchUp.status}: nothing to compare with`);
          return;
        }
        const url = `${path}?${new URLSearchParams({ ...query, live: "sse" })}`;
        const sse = await run.http.openSse(url, headers);
        await sse.close();
        run.expectEqual("SSE-ERR-1", sse.status, catchUp.status, "the status of the SSE request");
        const live = await run.http.request("GET", url, { headers, timeoutMs: 2000 });
        run.expectEqual("SSE-ERR-1", problemOf(live), problemOf(catchUp), "the problem");
      }, { numRuns: 12 });
    },
  }),
];

async function arrange(
  t: CheckContext,
  defect: Defect,
): Promise<{ path: string; query: Record<string, string>; headers: Record<string, string> }> {
  const from = { offset: "-1" };
  switch (defect.kind) {
    case "missing-stream":
      return { path: t.streamUrl(t.stream("missing")), query: from, headers: {} };
    case "bad-path": {
      const prefix = t.discovery.bindings?.http?.streamPrefix ?? "/v1/stream/";
      return { path: `${prefix}${defect.segment}`, query: from, headers: {} };
    }
  }
  const model = await freshStream(t);
  await appendTo(t, model, batch(0, 2));
  switch (defect.kind) {
    case "deleted-stream": {
      const reply = await t.http.request("DELETE", model.url);
      // A server that keeps the stream answers the catch-up read with 200: nothing to compare.
      t.note(`DELETE answered ${reply.status}`);
      return { path: model.url, query: from, headers: {} };
    }
    case "bad-offset":
      return { path: model.url, query: { offset: defect.offset }, headers: {} };
    case "beyond-tail":
      return { path: model.url, query: { offset: formatOffset(2 + defect.by) }, headers: {} };
    case "bad-version":
      return { path: model.url, query: from, headers: { "Agent-Stream-Version": defect.version } };
  }
}

function problemOf(reply: HttpReply): unknown {
  const body = reply.json as Record<string, unknown> | undefined;
  return {
    contentType: reply.headers.get("content-type")?.split(";")[0].trim().toLowerCase(),
    type: body?.type,
    status: body?.status,
  };
}
