import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BROKEN_EVENT_REQUIREMENTS,
  brokenEventSequenceWithIndex,
  validEventSequence,
} from "../../conformance/agent/event_sequences.ts";
import { checkLifecycle, LifecycleTracker } from "../vocabulary/lifecycle.ts";
import type { Envelope } from "../protocol/envelope.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { conversationProjector } from "./conversation_projector.ts";
import {
  type ConversationProjectionState,
  initialConversationProjection,
  projectConversation,
  reduceConversationProjection,
} from "./project_conversation.ts";
import { anyEvent, deepFreeze, validEvents } from "./_conversation_test_support.ts";

// Replay a failure with FC_SEED=<seed>; the seed of every run is printed.
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`project_conversation_property_test seed ${seed}`);
const params = { seed, numRuns: 100 };

const json = (value: unknown): string => JSON.stringify(value);
const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(json(value));

// Valid streams of both generators, and the same with arbitrary values mixed in.
const streams: fc.Arbitrary<unknown[]> = fc.oneof(
  validEventSequence({ maxRuns: 3 }),
  validEventSequence({ core: "chat", maxRuns: 3 }),
  validEvents(),
  fc.tuple(
    validEventSequence({ maxRuns: 2 }),
    fc.array(fc.tuple(fc.nat(), anyEvent()), { maxLength: 8 }),
  )
    .map(([events, extra]) => {
      const mixed: unknown[] = [...events];
      for (const [at, value] of extra) mixed.splice(at % (mixed.length + 1), 0, value);
      return mixed;
    }),
  fc.array(anyEvent(), { maxLength: 40 }),
);

// A JSON value all through: no undefined member or item, no function, finite numbers.
function assertJson(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") return assert.ok(Number.isFinite(value), `${path} is ${value}`);
  assert.equal(typeof value, "object", `${path} is ${typeof value}`);
  for (const [key, member] of Object.entries(value as object)) assertJson(member, `${path}/${key}`);
}

function foldFrom(
  state: ConversationProjectionState,
  events: readonly unknown[],
  from: number,
): ConversationProjectionState {
  events.forEach((event, i) => state = reduceConversationProjection(state, event, from + i));
  return state;
}

describe("projectConversation properties", () => {
  it("the sequences of validEvents follow every lifecycle rule", () => {
    fc.assert(
      fc.property(validEvents(), (events) => {
        assert.deepEqual(checkLifecycle(events).filter((finding) => finding.level === "MUST"), []);
      }),
      { ...params, numRuns: 300 },
    );
  });

  it("PROJ-FOLD-2 never throws, whatever the values, and the result is JSON", () => {
    fc.assert(
      fc.property(streams, (events) => {
        assertJson(projectConversation(events), "");
      }),
      params,
    );
  });

  it("PROJ-FOLD-4 folding in batches of any sizes equals folding at once", () => {
    const projector = conversationProjector();
    fc.assert(
      fc.property(streams, fc.array(fc.nat(), { maxLength: 6 }), (events, cuts) => {
        const messages = events.map(bytes);
        const whole = projector.fold(projector.initial(), messages);
        let snapshot = projector.initial();
        let at = 0;
        for (const cut of [...cuts.map((c) => c % (messages.length + 1))].sort((a, b) => a - b)) {
          snapshot = projector.fold(snapshot, messages.slice(at, cut));
          at = cut;
        }
        snapshot = projector.fold(snapshot, messages.slice(at));
        assert.equal(json(snapshot), json(whole));
        assert.equal(json(whole.state.conversation), json(projectConversation(events)));
      }),
      params,
    );
  });

  it("PROJ-FOLD-5 resuming from a state saved as JSON equals folding from the start", () => {
    fc.assert(
      fc.property(streams, fc.nat(), (events, at) => {
        const cut = at % (events.length + 1);
        const saved = json(foldFrom(initialConversationProjection(), events.slice(0, cut), 0));
        const resumed = foldFrom(JSON.parse(saved), events.slice(cut), cut);
        assert.equal(json(resumed.conversation), json(projectConversation(events)));
      }),
      params,
    );
  });

  it("never changes a previous state or an event; folding twice from one state gives one result", () => {
    fc.assert(
      fc.property(streams, fc.nat(), (raw, at) => {
        const events = deepFreeze(structuredClone(raw));
        const states: [ConversationProjectionState, string][] = [];
        let state = deepFreeze(initialConversationProjection());
        events.forEach((event, offset) => {
          states.push([state, json(state)]);
          state = deepFreeze(reduceConversationProjection(state, event, offset));
        });
        for (const [value, text] of states) assert.equal(json(value), text);
        // A branch from an older state (its tracker has moved on) folds the same.
        const cut = at % (events.length + 1);
        const older = cut < states.length ? states[cut][0] : state;
        assert.equal(json(foldFrom(older, events.slice(cut), cut)), json(state));
      }),
      params,
    );
  });

  it("PROJ-FOLD-3 a refused event leaves the state as it was, and the fold goes on as without it", () => {
    const refusable = BROKEN_EVENT_REQUIREMENTS.filter((id) =>
      !["EVT-SHAPE-1", "EVT-USAGE-1", "EVT-LLM-2"].includes(id)
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...refusable).chain((id) => brokenEventSequenceWithIndex(id)),
        ({ events, index }) => {
          const before = foldFrom(initialConversationProjection(), events.slice(0, index), 0);
          const after = reduceConversationProjection(before, events[index], index);
          assert.equal(after, before);
          // The same stream with the refused event replaced by one of no one's vocabulary.
          const skipped = events.map((event, i) =>
            i === index ? { type: "com.example.skipped" } : event
          );
          assert.equal(json(projectConversation(events)), json(projectConversation(skipped)));
        },
      ),
      { ...params, numRuns: 200 },
    );
  });

  it("PROJ-OPEN-1 open agrees with the lifecycle bookkeeping after every event", () => {
    fc.assert(
      fc.property(streams, (events) => {
        const tracker = new LifecycleTracker();
        let state = initialConversationProjection();
        events.forEach((event, offset) => {
          state = reduceConversationProjection(state, event, offset);
          if (typeof event === "object" && event !== null) tracker.admit(event as Envelope, offset);
          assert.deepEqual(state.conversation.open, {
            messages: tracker.openMessageIds(),
            toolCalls: tracker.openToolCallIds(),
          });
        });
      }),
      params,
    );
  });

  it("PROJ-FOLD-4 the projector's catch-up of a stored stream equals the projection of its events", async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 1, max: 7 }), async (events, batchLimit) => {
        const store = new MemoryStore();
        try {
          await store.create("s");
          if (events.length > 0) await store.append("s", { messages: events.map(bytes) });
          const { state, offset } = await conversationProjector().catchUp(store, "s", {
            batchLimit,
          });
          assert.equal(offset, events.length);
          assert.equal(json(state.conversation), json(projectConversation(events)));
        } finally {
          await store.dispose();
        }
      }),
      { ...params, numRuns: 30 },
    );
  });
});
