// view-ag-ui.md §2.1: what comes between runs waits for the next run, and
// the sequence is one AG-UI clients accept.

import { type Check, defineCheck } from "../../check.ts";
import { validEventSequence } from "../../agent/event_sequences.ts";
import { agUiViolation } from "./_ag_ui_rules.ts";
import { CHAT } from "./_scenario.ts";
import { agentStream, readView, referenceView, SEQUENCE_OPTIONS } from "./_view.ts";

/** Checks of view-ag-ui.md §2.1 (runs). */
export const viewAgUiRunChecks: readonly Check[] = [
  defineCheck({
    id: "view-ag-ui.runs.held",
    title:
      "events read between runs are written right after the next RUN_STARTED, and nothing is written outside a run",
    section: "view-ag-ui.md §2.1",
    requirements: ["VIEW-AGUI-RUN-1"],
    features: ["ag-ui"],
    async run(t) {
      const path = await agentStream(t, CHAT);
      const expected = referenceView(CHAT, path).map((e) => e.event);
      const read = await readView(t, path, expected.length);
      const types = read.events.map((e) => (e.data as { type?: unknown }).type);
      let inRun = false;
      for (const [i, type] of types.entries()) {
        if (type === "RUN_STARTED") inRun = true;
        else {
          t.expect(
            "VIEW-AGUI-RUN-1",
            inRun,
            `event ${i} (${String(type)}) is written outside a run`,
          );
          if (type === "RUN_FINISHED" || type === "RUN_ERROR") inRun = false;
        }
      }
      // What came between the runs (a user message and state or data) follows each RUN_STARTED.
      const starts = (list: unknown[]) =>
        list.flatMap((e, i) => (e as { type?: unknown }).type === "RUN_STARTED" ? [i] : []);
      const want = starts(expected);
      const got = starts(read.events.map((e) => e.data));
      t.expectEqual("VIEW-AGUI-RUN-1", got.length, want.length, "RUN_STARTED events");
      want.forEach((at, k) => {
        t.expectEqual(
          "VIEW-AGUI-RUN-1",
          read.events.slice(got[k], got[k] + 5).map((e) => e.data),
          expected.slice(at, at + 5),
          `RUN_STARTED number ${k + 1} and the four events after it`,
        );
      });
    },
  }),
  defineCheck({
    id: "view-ag-ui.runs.accepted",
    title:
      "the view is a sequence AG-UI clients accept: known events with their members, one run at a time, nothing open at RUN_FINISHED",
    section: "view-ag-ui.md §2.1",
    requirements: ["VIEW-AGUI-RUN-2"],
    features: ["ag-ui"],
    async run(t) {
      const check = async (events: readonly unknown[], run: typeof t) => {
        const path = await agentStream(run, events);
        const count = referenceView(events, path).length;
        const read = await readView(run, path, count);
        const violation = agUiViolation(read.events.map((e) => e.data));
        run.expect("VIEW-AGUI-RUN-2", violation === undefined, `${violation}`);
      };
      await check(CHAT, t);
      await t.property(validEventSequence(SEQUENCE_OPTIONS), check, { numRuns: 8 });
    },
  }),
];
