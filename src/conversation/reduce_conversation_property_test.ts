import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Conversation } from "./conversation.ts";
import { initialConversation } from "./initial_conversation.ts";
import { reduceConversation } from "./reduce_conversation.ts";
import { deepFreeze, validEvents } from "./_conversation_test_support.ts";
import { LifecycleTracker } from "../vocabulary/lifecycle.ts";
import { normalizeEvent } from "../vocabulary/normalize_event.ts";

// Replay a failure with FC_SEED=<seed> (fast-check prints it).
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const runs = { numRuns: 200, ...(seed !== undefined ? { seed } : {}) };

describe("reduceConversation properties", () => {
  it("never changes the value it is given, nor the event", () => {
    fc.assert(
      fc.property(validEvents(), (events) => {
        let conversation: Conversation = deepFreeze(initialConversation());
        const seen: [Conversation, string][] = [];
        events.forEach((event, offset) => {
          seen.push([conversation, JSON.stringify(conversation)]);
          // Frozen: a mutation of the previous value or of the event throws.
          conversation = deepFreeze(reduceConversation(conversation, deepFreeze(event), offset));
        });
        for (const [value, text] of seen) assert.equal(JSON.stringify(value), text);
      }),
      runs,
    );
  });

  it("PROJ-JSON-1 every value survives a JSON round trip unchanged", () => {
    fc.assert(
      fc.property(validEvents(), (events) => {
        let conversation = initialConversation();
        events.forEach((event, offset) => {
          conversation = reduceConversation(conversation, event, offset);
          assert.deepEqual(JSON.parse(JSON.stringify(conversation)), conversation);
        });
      }),
      runs,
    );
  });

  it("PROJ-OPEN-1 given the bookkeeping, open names what it has open, in the order begun", () => {
    fc.assert(
      fc.property(validEvents(), (events) => {
        const tracker = new LifecycleTracker();
        let conversation = initialConversation();
        events.forEach((event, offset) => {
          assert.equal(tracker.admit(event, offset), undefined);
          for (const core of normalizeEvent(event, (id) => tracker.requestMessageId(id))) {
            conversation = reduceConversation(conversation, core, offset, tracker);
          }
          const { messages, open } = conversation;
          assert.deepEqual(open, {
            messages: tracker.openMessageIds(),
            toolCalls: tracker.openToolCallIds(),
          });
          const calls = messages.flatMap((m) => m.role === "assistant" ? m.toolCalls : []);
          for (const id of open.messages) {
            assert.ok(messages.some((m) => m.id === id && "content" in m));
          }
          for (const id of open.toolCalls) {
            assert.ok(calls.some((c) => c.id === id && !("input" in c)));
          }
        });
      }),
      runs,
    );
  });
});
