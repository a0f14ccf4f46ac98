import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { validEventSequence } from "../../conformance/agent/event_sequences.ts";
import { applyInClient } from "./_ag_ui_test_support.ts";
import { AgUiClientModel } from "./ag_ui_client_model.ts";
import { AgUiEventMapper } from "./to_ag_ui_events.ts";

test("AgUiClientModel holds what AG-UI's own client holds after the view's events", async () => {
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
  console.log(`AgUiClientModel property: seed ${seed} (set PROPERTY_SEED to repeat)`);
  const warn = console.warn;
  console.warn = () => {};
  try {
    await fc.assert(
      fc.asyncProperty(validEventSequence(), fc.nat(), async (events, cut) => {
        // A reader that joins somewhere starts with a stale view of the conversation.
        const mapper = new AgUiEventMapper();
        const join = events.length === 0 ? 0 : cut % (events.length + 1);
        events.slice(0, join).forEach((e) => mapper.push(e));
        const start = { messages: mapper.messages.slice(0, cut % 3), state: { stale: true } };
        const out = [
          ...mapper.beginReader(start),
          ...events.slice(join).flatMap((e) => mapper.push(e)),
        ];
        if (!out.some((e) => e.type === "RUN_STARTED")) return;
        const model = new AgUiClientModel(start.messages, start.state);
        for (const event of JSON.parse(JSON.stringify(out))) model.apply(event);
        const client = await applyInClient(out, start);
        assert.deepEqual(model.messages, client.messages);
        assert.deepEqual(model.state, client.state);
      }),
      { numRuns: 150, seed },
    );
  } finally {
    console.warn = warn;
  }
});

test("AgUiClientModel files calls and results as AG-UI clients do", () => {
  const model = new AgUiClientModel([{ id: "u1", role: "user", content: "Hi" }]);
  model.apply({
    type: "TOOL_CALL_START",
    toolCallId: "c1",
    toolCallName: "f",
    parentMessageId: "u1",
  });
  model.apply({
    type: "TOOL_CALL_START",
    toolCallId: "c2",
    toolCallName: "g",
    parentMessageId: "x",
  });
  model.apply({ type: "TEXT_MESSAGE_START", messageId: "a1" });
  model.apply({ type: "TOOL_CALL_RESULT", messageId: "t1", toolCallId: "c1", content: "ok" });
  model.apply({ type: "STATE_DELTA", delta: [{ op: "remove", path: "/missing" }] });
  assert.deepEqual(model.messages.map((m) => m.id), ["u1", "c1", "t1", "x", "a1"]);
  assert.deepEqual(model.state, {});
});
