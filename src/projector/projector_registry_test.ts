// A registry as the projector's decoder: reducers receive typed events, and
// unknown types arrive untouched, with the bytes they were stored as.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { defineEvent, type InferEvent } from "../events/define_event.ts";
import { type DecodedEvent, EventRegistry } from "../events/event_registry.ts";
import { MemoryStore } from "../stores/memory_store.ts";
import { Projector } from "./projector.ts";

const Added = defineEvent("com.example.counter.added", { amount: v.number() });
const Reset = defineEvent("com.example.counter.reset", {});
const registry = new EventRegistry([Added, Reset]);

type Tally = { count: number; skipped: string[] };

const tally = new Projector({
  init: (): Tally => ({ count: 0, skipped: [] }),
  decode: registry,
  reducer: (state, decoded) => {
    if (!decoded.known) return { ...state, skipped: [...state.skipped, decoded.event.type] };
    switch (decoded.event.type) {
      case "com.example.counter.added":
        return { ...state, count: state.count + decoded.event.amount };
      case "com.example.counter.reset":
        return { ...state, count: 0 };
    }
  },
});

describe("Projector with an EventRegistry", () => {
  it("types events for the reducer and lets it skip unknown types", async () => {
    const store = new MemoryStore();
    await store.create("s", { kind: "agent" });
    const text = new TextEncoder();
    await store.append("s", {
      messages: [
        registry.encode({ type: "com.example.counter.added", amount: 5 }),
        text.encode('{"type":"com.other.thing","n":123456789012345678901234567890}'),
        registry.encode({ type: "com.example.counter.reset" }),
        registry.encode({ type: "com.example.counter.added", amount: 2, runId: "r1" }),
      ],
    });
    const { state, offset } = await tally.catchUp(store, "s");
    assert.deepEqual(state, { count: 2, skipped: ["com.other.thing"] });
    assert.equal(offset, 4);
    await store.dispose();
  });

  it("hands over unknown events with their stored bytes", async () => {
    const store = new MemoryStore();
    const raw = '{ "n": 1e400, "type": "com.other.thing", "big": 18446744073709551617 }';
    await store.create("s", { kind: "agent", messages: [new TextEncoder().encode(raw)] });
    const seen: DecodedEvent<InferEvent<typeof Added | typeof Reset>>[] = [];
    const keep = new Projector({
      init: () => null,
      decode: registry,
      reducer: (state: null, decoded) => (seen.push(decoded), state),
    });
    await keep.catchUp(store, "s");
    assert.equal(seen.length, 1);
    assert.equal(seen[0].known, false);
    assert.equal(new TextDecoder().decode(registry.encode(seen[0])), raw);
    await store.dispose();
  });
});
