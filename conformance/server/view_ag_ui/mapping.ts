// view-ag-ui.md §2.2 and §2.4: each event maps to the AG-UI events of its
// row, and a client that applies them holds the projection.

import { type Check, defineCheck } from "../../check.ts";
import { validEventSequence } from "../../agent/event_sequences.ts";
import { AgUiClientModel } from "../../../adapters/ag-ui/ag_ui_client_model.ts";
import type { AgUiEvent } from "../../../adapters/ag-ui/ag_ui_events.ts";
import { toAgUiMessages } from "../../../adapters/ag-ui/to_ag_ui_messages.ts";
import { CHAT } from "./_scenario.ts";
import {
  agentStream,
  delivered,
  projection,
  readView,
  referenceView,
  SEQUENCE_OPTIONS,
} from "./_view.ts";

type Event = { type: string; [key: string]: unknown };

/** Checks of view-ag-ui.md §2.2 and §2.4 (the mapping, what a client holds). */
export const viewAgUiMappingChecks: readonly Check[] = [
  defineCheck({
    id: "view-ag-ui.mapping.rows",
    title: "each event of a valid stream maps to the AG-UI events its row of the table gives",
    section: "view-ag-ui.md §2.2",
    requirements: ["VIEW-AGUI-EVENT-1"],
    features: ["ag-ui"],
    async run(t) {
      const check = async (events: readonly unknown[], run: typeof t) => {
        const path = await agentStream(run, events);
        const expected = referenceView(events, path).map((e) => e.event);
        const read = await readView(run, path, expected.length);
        const got = read.events.map((e) => e.data);
        const first = expected.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(got[i]));
        run.expectEqual(
          "VIEW-AGUI-EVENT-1",
          got.slice(first, first + 3),
          expected.slice(first, first + 3),
          first < 0 ? "the events" : `the events from number ${first}`,
        );
        run.expectEqual("VIEW-AGUI-EVENT-1", got.length, expected.length, "the number of events");
      };
      await check(CHAT, t);
      await t.property(validEventSequence(SEQUENCE_OPTIONS), check, { numRuns: 10 });
    },
  }),
  defineCheck({
    id: "view-ag-ui.mapping.client-holds-projection",
    title:
      "a client that applies the view holds the AG-UI messages and the state of the projection",
    section: "view-ag-ui.md §2.4",
    requirements: ["VIEW-AGUI-MSG-1"],
    features: ["ag-ui"],
    async run(t) {
      const check = async (events: readonly Event[], run: typeof t) => {
        const path = await agentStream(run, events);
        const count = referenceView(events, path).length;
        const read = await readView(run, path, count);
        const client = new AgUiClientModel();
        for (const e of read.events) client.apply(e.data as AgUiEvent);
        const expected = projection(delivered(events));
        run.expectEqual(
          "VIEW-AGUI-MSG-1",
          client.messages,
          toAgUiMessages(expected),
          "the messages",
        );
        run.expectEqual("VIEW-AGUI-MSG-1", client.state, expected.state, "the state");
      };
      await check(CHAT, t);
      await t.property(
        validEventSequence(SEQUENCE_OPTIONS).map((events) => events as Event[]),
        check,
        { numRuns: 10 },
      );
    },
  }),
];
