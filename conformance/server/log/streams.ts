// log.md §1: streams. The model property here runs every kind of log
// operation together; the sections that follow test each rule on its own.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { arrayBody } from "./_log_json.ts";
import { engineRequirements, type OpMix, runModel } from "./_log_engine.ts";
import { flag, post, putStream } from "./_log_http.ts";

const EVERYTHING: OpMix = {
  weights: {
    create: 1,
    append: 6,
    close: 1,
    concurrent: 1,
    read: 4,
    head: 1,
    fork: 1,
    delete: 1,
  },
  producers: true,
  streamSeq: true,
};

/** Creates that differ from a JSON stream in kind, content type or closure. */
const CONFLICTS: readonly Record<string, string>[] = [
  { "Agent-Stream-Kind": "agent" },
  { "Content-Type": "text/plain" },
  { "Content-Type": "application/octet-stream" },
  { "Stream-Closed": "true" },
  { "Agent-Stream-Kind": "json", "Stream-Closed": "true" },
];

/** Checks of log.md §1 (streams). */
export const logStreamsChecks: readonly Check[] = [
  defineCheck({
    id: "log.stream.model",
    title:
      "random interleavings of creates, appends, producer and Stream-Seq appends, concurrent writers, closes, reads, forks and deletes behave as the log model",
    section: "log.md §1–§10",
    requirements: engineRequirements(EVERYTHING),
    async run(t) {
      await runModel(t, EVERYTHING);
    },
  }),
  defineCheck({
    id: "log.stream.metadata-fixed",
    title:
      "a stream keeps its content type and kind through appends, closing and conflicting creates",
    section: "log.md §1",
    requirements: ["LOG-STREAM-1"],
    async run(t) {
      await t.property(
        // Every conflicting create, in a random order.
        fc.shuffledSubarray([...CONFLICTS], { minLength: CONFLICTS.length }),
        async (conflicts, run) => {
          const url = run.streamUrl(run.stream());
          run.expectStatus("LOG-STREAM-1", await putStream(run, url, { body: "[1,2]" }), 201);
          const check = async (when: string) => {
            for (const method of ["HEAD", "GET"]) {
              const reply = await run.http.request(method, url);
              run.expectStatus("LOG-STREAM-1", reply, 200);
              const type = (reply.headers.get("content-type") ?? "").split(";")[0].trim();
              run.expectEqual(
                "LOG-STREAM-1",
                type.toLowerCase(),
                "application/json",
                `${method} content type ${when}`,
              );
              run.expectEqual(
                "LOG-STREAM-1",
                reply.headers.get("agent-stream-kind"),
                "json",
                `${method} kind ${when}`,
              );
            }
          };
          for (const headers of conflicts) {
            await run.http.request("PUT", url, {
              headers: { "Content-Type": "application/json", ...headers },
            });
            await check(`after PUT with ${JSON.stringify(headers)}`);
          }
          await post(run, url, "[3]", { "Stream-Closed": "true" });
          await check("after closing");
        },
        { numRuns: 4 },
      );
    },
  }),
  defineCheck({
    id: "log.stream.one-per-path",
    title:
      "concurrent creates of one path make one stream: one 201, and the stream the winner asked for",
    section: "log.md §1",
    requirements: ["LOG-STREAM-2"],
    async run(t) {
      await t.property(
        fc.array(fc.boolean(), { minLength: 2, maxLength: 5 }),
        async (closedFlags, run) => {
          const url = run.streamUrl(run.stream());
          const replies = await Promise.all(
            closedFlags.map((closed, i) =>
              putStream(run, url, { closed, body: arrayBody([`{"creator":${i}}`]) })
            ),
          );
          const winners = replies.flatMap((r, i) => (r.status === 201 ? [i] : []));
          run.expectEqual("LOG-STREAM-2", winners.length, 1, "creates answered 201");
          const winner = winners[0];
          const read = await run.http.request("GET", `${url}?offset=-1`);
          run.expectStatus("LOG-STREAM-2", read, 200);
          run.expectEqual(
            "LOG-STREAM-2",
            [read.text.replace(/\s/g, ""), flag(read, "stream-closed")],
            [`[{"creator":${winner}}]`, closedFlags[winner]],
            "the stream holds what the one created answer asked for",
          );
        },
        { numRuns: 5 },
      );
    },
  }),
];
