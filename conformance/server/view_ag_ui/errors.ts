// view-ag-ui.md §4.4: requests the view cannot answer.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import { CHAT } from "./_scenario.ts";
import { agentStream, storedEvents, viewPath } from "./_view.ts";

/** Bodies that are not a RunAgentInput, with the problem type each is refused with. */
const badBodyArb: fc.Arbitrary<{ text: string; slug: string; why: string }> = fc.oneof(
  fc.constantFrom(
    { text: "{", slug: "invalid-json", why: "not JSON" },
    { text: "", slug: "invalid-json", why: "empty" },
  ),
  fc.constantFrom<[unknown, string]>(
    [[], "an array"],
    [{ runId: "r", messages: [] }, "no threadId"],
    [{ threadId: "t", runId: 7, messages: [] }, "a numeric runId"],
    [{ threadId: "t", runId: "r" }, "no messages"],
    [
      { threadId: "t", runId: "r", messages: [{ id: "x", role: "user" }] },
      "a message without content",
    ],
    [
      { threadId: "t", runId: "r", messages: [{ id: "x", role: "robot", content: "" }] },
      "an unknown role",
    ],
    [
      { threadId: "t", runId: "r", messages: [{ id: "", role: "user", content: "Hi" }] },
      "an empty id",
    ],
  ).map(([body, why]) => ({ text: JSON.stringify(body), slug: "invalid-request", why })),
);

/** Checks of view-ag-ui.md §4.4 (errors). */
export const viewAgUiErrorChecks: readonly Check[] = [
  defineCheck({
    id: "view-ag-ui.not-found",
    title:
      "GET and POST of a path without a stream answer 404 stream-not-found, of a json stream 409 not-agent-stream",
    section: "view-ag-ui.md §4.4",
    requirements: ["VIEW-AGUI-ERR-1"],
    features: ["ag-ui"],
    async run(t) {
      const missing = t.stream("missing");
      const body = { json: { threadId: "t", runId: "r", messages: [] } };
      for (const method of ["GET", "POST"]) {
        const reply = await t.http.request(
          method,
          viewPath(missing),
          method === "POST" ? { body } : {},
        );
        t.expectProblem("VIEW-AGUI-ERR-1", reply, 404, "stream-not-found");
      }
      const json = t.stream("json");
      await t.createStream(json);
      for (const method of ["GET", "POST"]) {
        const reply = await t.http.request(
          method,
          viewPath(json),
          method === "POST" ? { body } : {},
        );
        t.expectProblem("VIEW-AGUI-ERR-1", reply, 409, "not-agent-stream");
      }
    },
  }),
  defineCheck({
    id: "view-ag-ui.post.bad-body",
    title:
      "a POST whose body is not JSON answers 400 invalid-json, one that is no RunAgentInput 400 invalid-request with pointers, and appends nothing",
    section: "view-ag-ui.md §4.4",
    requirements: ["VIEW-AGUI-ERR-2"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      await t.property(badBodyArb, async ({ text, slug, why }, run) => {
        run.note(`the body is ${why}`);
        const reply = await run.http.request("POST", viewPath(path), {
          headers: { "Content-Type": "application/json" },
          body: text,
        });
        run.expectProblem("VIEW-AGUI-ERR-2", reply, 400, slug);
        if (slug === "invalid-request") {
          const errors = (reply.json as { errors?: { path?: unknown }[] } | undefined)?.errors;
          run.expect(
            "VIEW-AGUI-ERR-2",
            Array.isArray(errors) && errors.length > 0 &&
              errors.every((e) => typeof e.path === "string"),
            "the problem has no errors pointing into the body",
          );
        }
        run.expectEqual(
          "VIEW-AGUI-ERR-2",
          (await storedEvents(run, path)).length,
          CHAT.length,
          "the stream's length after the refused POST",
        );
      }, { numRuns: 12 });
    },
  }),
];
