import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Conversation } from "./conversation.ts";
import { initialConversation } from "./initial_conversation.ts";
import { reduceConversation } from "./reduce_conversation.ts";
import { deepFreeze, validEvents } from "./_conversation_test_support.ts";

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

  it("PROJ-OPEN-1 open names messages and calls of the conversation, each once", () => {
    fc.assert(
      fc.property(validEvents(), (events) => {
        let conversation = initialConversation();
        events.forEach((event, offset) => {
          conversation = reduceConversation(conversation, event, offset);
          const { messages, open } = conversation;
          const calls = messages.flatMap((m) => m.role === "assistant" ? m.toolCalls : []);
          assert.equal(new Set(open.messages).size, open.messages.length);
          assert.equal(new Set(open.toolCalls).size, open.toolCalls.length);
          for (const id of open.messages) {
            const message = messages.find((m) => m.id === id);
            assert.ok(
              message?.role === "reasoning" || (message !== undefined && "content" in message),
            );
          }
          for (const id of open.toolCalls) {
            const call = calls.find((c) => c.id === id);
            assert.ok(call !== undefined && !("input" in call));
          }
        });
      }),
      runs,
    );
  });
});
