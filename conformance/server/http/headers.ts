// http.md §3: the headers common to every exchange.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { HttpReply } from "../../http_probe.ts";
import { appendJson, assortedReplies, fcHeaderText, snapshot } from "./_support.ts";

const BAD_NUMBERS = [
  "-1",
  "1.5",
  "abc",
  "9007199254740992",
  "18446744073709551616",
  "+1",
  "1e3",
  "0x1",
  "",
  "1,2",
];

type ProducerDefect =
  | { readonly kind: "partial"; readonly keep: readonly ("id" | "epoch" | "seq")[] }
  | { readonly kind: "empty-id" }
  | { readonly kind: "bad-epoch"; readonly value: string }
  | { readonly kind: "bad-seq"; readonly value: string };

function fcBadNumber(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...BAD_NUMBERS),
    fcHeaderText(10).filter((s) => !/^[0-9]+$/.test(s)),
  );
}

function fcProducerDefect(): fc.Arbitrary<ProducerDefect> {
  return fc.oneof(
    fc.subarray(["id", "epoch", "seq"] as ("id" | "epoch" | "seq")[], {
      minLength: 1,
      maxLength: 2,
    }).map((keep) => ({ kind: "partial" as const, keep })),
    fc.constant({ kind: "empty-id" as const }),
    fcBadNumber().map((value) => ({ kind: "bad-epoch" as const, value })),
    fcBadNumber().map((value) => ({ kind: "bad-seq" as const, value })),
  );
}

function producerHeaders(defect: ProducerDefect): Record<string, string> {
  const all = { "Producer-Id": "p", "Producer-Epoch": "0", "Producer-Seq": "0" };
  switch (defect.kind) {
    case "partial": {
      const names = { id: "Producer-Id", epoch: "Producer-Epoch", seq: "Producer-Seq" } as const;
      return Object.fromEntries(defect.keep.map((k) => [names[k], all[names[k]]]));
    }
    case "empty-id":
      return { ...all, "Producer-Id": "" };
    case "bad-epoch":
      return { ...all, "Producer-Epoch": defect.value };
    case "bad-seq":
      return { ...all, "Producer-Seq": defect.value };
  }
}

/** Checks of http.md §3 (common headers). */
export const httpHeadersChecks: readonly Check[] = [
  defineCheck({
    id: "http.headers.version-everywhere",
    title: "every response under /v1 carries Agent-Stream-Version with a version the server serves",
    section: "http.md §3.2",
    requirements: ["HTTP-HDR-1"],
    async run(t) {
      for (const [what, reply] of await assortedReplies(t)) {
        const version = reply.headers.get("agent-stream-version");
        t.expect(
          "HTTP-HDR-1",
          version !== null && t.discovery.versions.includes(version),
          `${what} (${reply.status}) carries Agent-Stream-Version ${JSON.stringify(version)}`,
          { expected: t.discovery.versions, actual: version },
        );
      }
    },
  }),
  defineCheck({
    id: "http.headers.kind-on-success",
    title: "every successful PUT, HEAD and GET on a stream reports the stream's Agent-Stream-Kind",
    section: "http.md §3.2",
    requirements: ["HTTP-HDR-2"],
    async run(t) {
      const kinds = t.features.has("agent") ? ["json", "agent"] : ["json"];
      for (const kind of kinds) {
        const url = t.streamUrl(t.stream(kind));
        const headers = { "Content-Type": "application/json", "Agent-Stream-Kind": kind };
        const replies: [string, HttpReply][] = [];
        replies.push(["create", await t.http.request("PUT", url, { headers })]);
        replies.push(["create again", await t.http.request("PUT", url, { headers })]);
        const message = { type: "conformance.note", n: 1 };
        t.expectStatus("HTTP-HDR-2", await appendJson(t, url, [message, message]), [200, 204]);
        replies.push(["metadata", await t.http.request("HEAD", url)]);
        replies.push(["read", await t.http.request("GET", `${url}?offset=-1`)]);
        replies.push(["read with limit", await t.http.request("GET", `${url}?offset=-1&limit=1`)]);
        replies.push(["read now", await t.http.request("GET", `${url}?offset=now`)]);
        if (t.features.has("long-poll")) {
          replies.push([
            "long-poll with data",
            await t.http.request("GET", `${url}?offset=-1&live=long-poll`),
          ]);
        }
        if (t.features.has("sse")) {
          const sse = await t.http.openSse(`${url}?offset=-1&live=sse`);
          await sse.close();
          replies.push(["sse", { status: sse.status, headers: sse.headers, text: "", json: null }]);
        }
        if (t.features.has("long-poll")) {
          await t.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
          replies.push([
            "long-poll at the closed tail",
            await t.http.request("GET", `${url}?offset=now&live=long-poll`),
          ]);
        }
        for (const [what, reply] of replies) {
          t.expect(
            "HTTP-HDR-2",
            reply.status >= 200 && reply.status < 300,
            `${what}: ${reply.status}`,
          );
          t.expectEqual(
            "HTTP-HDR-2",
            reply.headers.get("agent-stream-kind"),
            kind,
            `Agent-Stream-Kind of ${what}`,
          );
        }
      }
    },
  }),
  defineCheck({
    id: "http.headers.producer-malformed",
    title:
      "an append with some but not all producer headers, an empty id or a bad number answers 400 invalid-header and stores nothing",
    section: "http.md §3.2",
    requirements: ["HTTP-HDR-3", "HTTP-ERR-2"],
    features: ["idempotent-producer"],
    async run(t) {
      const url = await t.createStream();
      await appendJson(t, url, ["first"]);
      const before = await snapshot(t, url);
      await t.property(
        fc.record({ defect: fcProducerDefect(), close: fc.boolean() }),
        async ({ defect, close }, run) => {
          const reply = await appendJson(run, url, ["never"], {
            ...producerHeaders(defect),
            ...(close ? { "Stream-Closed": "true" } : {}),
          });
          run.expectProblem("HTTP-HDR-3", reply, 400, "invalid-header");
          run.expectEqual("HTTP-ERR-2", await snapshot(run, url), before, "the stream after");
        },
        { numRuns: 15 },
      );
    },
  }),
];
