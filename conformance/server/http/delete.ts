// http.md §6: deleting a stream, and the URL of a soft-deleted one.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { appendJson } from "./_support.ts";

/** Checks of http.md §6 (delete). */
export const httpDeleteChecks: readonly Check[] = [
  defineCheck({
    id: "http.delete.answers",
    title: "a delete answers 204; a delete of a stream that does not exist 404 stream-not-found",
    section: "http.md §6",
    requirements: ["HTTP-DELETE-1"],
    async run(t) {
      await t.property(
        fc.record({ messages: fc.nat(3), closed: fc.boolean(), again: fc.boolean() }),
        async ({ messages, closed, again }, run) => {
          const url = await run.createStream();
          if (messages > 0) {
            await appendJson(
              run,
              url,
              Array.from({ length: messages }, (_, i) => i),
            );
          }
          if (closed) await run.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
          run.expectStatus("HTTP-DELETE-1", await run.http.request("DELETE", url), 204);
          if (again) {
            const second = await run.http.request("DELETE", url);
            run.expectProblem("HTTP-DELETE-1", second, 404, "stream-not-found");
          }
          const never = await run.http.request("DELETE", run.streamUrl(run.stream("never")));
          run.expectProblem("HTTP-DELETE-1", never, 404, "stream-not-found");
        },
        { numRuns: 5 },
      );
    },
  }),
  defineCheck({
    id: "http.delete.soft-deleted",
    title:
      "every request on a soft-deleted stream's URL answers 410 stream-gone, except PUT, which answers 409 stream-exists",
    section: "http.md §6",
    requirements: ["HTTP-DELETE-2"],
    features: ["fork"],
    async run(t) {
      const source = t.stream("src");
      const url = await t.createStream(source);
      await appendJson(t, url, [1, 2, 3]);
      const fork = t.streamUrl(t.stream("fork"));
      const forked = await t.http.request("PUT", fork, {
        headers: { "Stream-Forked-From": source.split("/").map(encodeURIComponent).join("/") },
      });
      t.expectStatus("HTTP-DELETE-2", forked, 201);
      t.expectStatus("HTTP-DELETE-2", await t.http.request("DELETE", url), 204);
      const kinds = ["GET", "GET-now", "HEAD", "POST", "POST-close", "PUT", "DELETE"];
      if (t.features.has("long-poll")) kinds.push("GET-long-poll");
      await t.property(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 5 }),
        async (requests, run) => {
          for (const request of requests) {
            const reply = await (() => {
              switch (request) {
                case "GET":
                  return run.http.request("GET", `${url}?offset=-1`);
                case "GET-long-poll":
                  return run.http.request("GET", `${url}?offset=-1&live=long-poll`);
                case "GET-now":
                  return run.http.request("GET", `${url}?offset=now`);
                case "HEAD":
                  return run.http.request("HEAD", url);
                case "POST":
                  return appendJson(run, url, [4]);
                case "POST-close":
                  return run.http.request("POST", url, { headers: { "Stream-Closed": "true" } });
                case "PUT":
                  return run.http.request("PUT", url, {
                    headers: { "Content-Type": "application/json" },
                  });
                default:
                  return run.http.request("DELETE", url);
              }
            })();
            if (request === "PUT") run.expectProblem("HTTP-DELETE-2", reply, 409, "stream-exists");
            else if (request === "HEAD") run.expectStatus("HTTP-DELETE-2", reply, 410);
            else run.expectProblem("HTTP-DELETE-2", reply, 410, "stream-gone");
          }
        },
        { numRuns: 6 },
      );
    },
  }),
];
