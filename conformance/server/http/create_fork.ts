// http.md §4, forks: a PUT carrying Stream-Forked-From.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { byteTypes } from "./create.ts";
import { fcHeaderText, offset16 } from "./_support.ts";

/** The fork headers naming `source` (its path as it appears after the stream prefix). */
function forkHeaders(source: string, offset?: string): Record<string, string> {
  const encoded = source.split("/").map((s) => encodeURIComponent(s)).join("/");
  return {
    "Stream-Forked-From": encoded,
    ...(offset !== undefined ? { "Stream-Fork-Offset": offset } : {}),
  };
}

/** Checks of http.md §4 (forks). */
export const httpCreateForkChecks: readonly Check[] = [
  defineCheck({
    id: "http.create.fork-mismatch",
    title: "a fork whose content type or kind differs from its source's answers 409 stream-exists",
    section: "http.md §4",
    requirements: ["HTTP-FORK-1", "HTTP-CREATE-1", "HTTP-ERR-2"],
    features: ["fork"],
    async run(t) {
      const kinds = t.features.has("agent") ? ["json", "agent"] : ["json"];
      const other = byteTypes(t);
      await t.property(
        fc.record({
          kind: fc.constantFrom(...kinds),
          differ: fc.constantFrom("kind", "type", "none"),
          typeIndex: fc.nat(),
          spellOut: fc.boolean(),
        }),
        async ({ kind, differ, typeIndex, spellOut }, run) => {
          const sourcePath = run.stream("src");
          const source = run.streamUrl(sourcePath);
          const created = await run.http.request("PUT", source, {
            headers: { "Content-Type": "application/json", "Agent-Stream-Kind": kind },
            body: JSON.stringify([{ type: "conformance.note" }]),
          });
          run.expectStatus("HTTP-CREATE-1", created, 201);
          const headers = forkHeaders(sourcePath, offset16(1));
          if (differ === "kind" && kinds.length > 1) {
            headers["Agent-Stream-Kind"] = kind === "json" ? "agent" : "json";
          } else if (differ === "type" && other.length > 0) {
            headers["Content-Type"] = other[typeIndex % other.length];
          } else if (spellOut) {
            headers["Content-Type"] = "application/json";
            headers["Agent-Stream-Kind"] = kind;
          }
          const fork = run.streamUrl(run.stream("fork"));
          const reply = await run.http.request("PUT", fork, { headers });
          const differs = "Agent-Stream-Kind" in headers && headers["Agent-Stream-Kind"] !== kind ||
            "Content-Type" in headers && headers["Content-Type"] !== "application/json";
          if (!differs) {
            run.expectStatus("HTTP-CREATE-1", reply, 201);
            return;
          }
          run.expectProblem("HTTP-FORK-1", reply, 409, "stream-exists");
          run.expectStatus("HTTP-ERR-2", await run.http.request("HEAD", fork), 404);
        },
        { numRuns: 10 },
      );
    },
  }),
  defineCheck({
    id: "http.create.fork-again",
    title:
      "a fork created again from the same origin answers 200; from another origin, or as a plain stream, 409",
    section: "http.md §4",
    requirements: ["HTTP-CREATE-1", "HTTP-CREATE-2", "HTTP-CREATE-3"],
    features: ["fork"],
    async run(t) {
      const sourcePath = t.stream("src");
      const source = t.streamUrl(sourcePath);
      const created = await t.http.request("PUT", source, {
        headers: { "Content-Type": "application/json" },
        body: "[1,2,3]",
      });
      t.expectStatus("HTTP-CREATE-1", created, 201);
      const fork = t.streamUrl(t.stream("fork"));
      const headers = forkHeaders(sourcePath, offset16(1));
      t.expectStatus("HTTP-CREATE-1", await t.http.request("PUT", fork, { headers }), 201);
      t.expectStatus("HTTP-CREATE-2", await t.http.request("PUT", fork, { headers }), 200);
      const elsewhere = [
        forkHeaders(sourcePath, offset16(2)),
        { "Content-Type": "application/json" },
      ];
      for (const other of elsewhere) {
        const reply = await t.http.request("PUT", fork, { headers: other });
        t.expectProblem("HTTP-CREATE-3", reply, 409, "stream-exists");
      }
    },
  }),
  defineCheck({
    id: "http.create.fork-bad-offset",
    title: "a malformed Stream-Fork-Offset answers 400 invalid-offset and creates nothing",
    section: "http.md §4",
    requirements: ["HTTP-FORK-2", "HTTP-ERR-2"],
    features: ["fork"],
    async run(t) {
      const sourcePath = t.stream("src");
      const created = await t.http.request("PUT", t.streamUrl(sourcePath), {
        headers: { "Content-Type": "application/json" },
        body: "[1,2,3]",
      });
      t.expectStatus("HTTP-FORK-2", created, 201);
      await t.property(
        fc.oneof(
          fc.constantFrom(
            "1",
            "000000000000001",
            "00000000000000001",
            "0000000000000001x",
            "abc",
            "",
            "0000_0000000001",
            "1e0",
            "+000000000000001",
            "0x00000000000001",
          ),
          fc.stringMatching(/^[0-9]{1,15}$/),
          fc.stringMatching(/^[0-9]{17,20}$/),
          fcHeaderText(20),
        ).filter((o) => !/^[0-9]{16}$/.test(o) && o !== "-1" && o !== "now"),
        async (offset, run) => {
          const fork = run.streamUrl(run.stream("fork"));
          const reply = await run.http.request("PUT", fork, {
            headers: forkHeaders(sourcePath, offset),
          });
          run.expectProblem("HTTP-FORK-2", reply, 400, "invalid-offset");
          run.expectStatus("HTTP-ERR-2", await run.http.request("HEAD", fork), 404);
        },
        { numRuns: 15 },
      );
    },
  }),
];
