// http.md §7: stream metadata with HEAD.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { byteTypes } from "./create.ts";
import { appendJson, fcBatch, flag, offsetOf } from "./_support.ts";

/** Checks of http.md §7 (metadata). */
export const httpHeadChecks: readonly Check[] = [
  defineCheck({
    id: "http.head.metadata",
    title:
      "HEAD answers 200 with Content-Type, Agent-Stream-Kind, the tail, closure and lifetime of the stream",
    section: "http.md §7",
    requirements: ["HTTP-HEAD-1"],
    async run(t) {
      const types = ["application/json", ...byteTypes(t).slice(0, 1)];
      const kinds = t.features.has("agent") ? ["json", "agent"] : ["json"];
      const lifetimes: Record<string, string>[] = [{}];
      if (t.features.has("ttl")) {
        lifetimes.push({ "Stream-TTL": "3600" }, { "Stream-Expires-At": "2099-06-01T12:00:00Z" });
      }
      await t.property(
        fc.record({
          type: fc.constantFrom(...types),
          kind: fc.constantFrom(...kinds),
          lifetime: fc.constantFrom(...lifetimes),
          batches: fc.array(fcBatch(), { maxLength: 3 }),
          close: fc.boolean(),
        }),
        async ({ type, kind, lifetime, batches, close }, run) => {
          const json = type === "application/json";
          const url = run.streamUrl(run.stream());
          const created = await run.http.request("PUT", url, {
            headers: {
              "Content-Type": type,
              ...(json ? { "Agent-Stream-Kind": kind } : {}),
              ...lifetime,
            },
          });
          run.expectStatus("HTTP-HEAD-1", created, 201);
          let tail = 0;
          for (const batch of batches) {
            if (json) {
              const body = kind === "agent"
                ? batch.messages.map((_, i) => ({ type: "conformance.note", i }))
                : JSON.parse(batch.body);
              await appendJson(run, url, body);
              tail += batch.messages.length;
            } else {
              await run.http.request("POST", url, {
                headers: { "Content-Type": type },
                body: "abc",
              });
              tail += 3;
            }
          }
          if (close) {
            await run.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
          }
          const head = await run.http.request("HEAD", url);
          run.expectStatus("HTTP-HEAD-1", head, 200);
          run.expectEqual("HTTP-HEAD-1", head.text, "", "HEAD body");
          const contentType = (head.headers.get("content-type") ?? "").split(";")[0].trim();
          run.expectEqual("HTTP-HEAD-1", contentType.toLowerCase(), type, "Content-Type");
          run.expectEqual(
            "HTTP-HEAD-1",
            head.headers.get("agent-stream-kind"),
            json ? kind : "json",
            "Agent-Stream-Kind",
          );
          run.expectEqual("HTTP-HEAD-1", offsetOf(head), tail, "Stream-Next-Offset");
          run.expectEqual("HTTP-HEAD-1", flag(head, "stream-closed"), close, "Stream-Closed");
          const ttl = head.headers.get("stream-ttl");
          const expires = head.headers.get("stream-expires-at");
          if ("Stream-TTL" in lifetime) {
            run.expect(
              "HTTP-HEAD-1",
              ttl !== null && /^[0-9]+$/.test(ttl) && Number(ttl) <= 3600,
              `Stream-TTL is ${ttl}, expected at most 3600 seconds`,
            );
          } else if ("Stream-Expires-At" in lifetime) {
            const at = Date.parse(expires ?? "");
            run.expect(
              "HTTP-HEAD-1",
              at === Date.parse(lifetime["Stream-Expires-At"]),
              `Stream-Expires-At is ${expires}`,
            );
          } else {
            run.expect("HTTP-HEAD-1", ttl === null && expires === null, "a lifetime was never set");
          }
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.head.no-store",
    title: "HEAD answers carry Cache-Control: no-store",
    section: "http.md §7",
    requirements: ["HTTP-HEAD-2"],
    async run(t) {
      const url = await t.createStream();
      for (const step of ["empty", "appended", "closed"]) {
        if (step === "appended") await appendJson(t, url, [1]);
        if (step === "closed") {
          await t.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
        }
        const head = await t.http.request("HEAD", url);
        const directives = (head.headers.get("cache-control") ?? "").toLowerCase().split(",")
          .map((d) => d.trim());
        t.expect(
          "HTTP-HEAD-2",
          directives.includes("no-store"),
          `Cache-Control is ${head.headers.get("cache-control")} (${step} stream)`,
        );
      }
    },
  }),
];
