import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore } from "../stores/memory_store.ts";
import { conversationProjector } from "./conversation_projector.ts";
import { projectConversation } from "./project_conversation.ts";

const text = new TextEncoder();
const bytes = (value: unknown): Uint8Array => text.encode(JSON.stringify(value));

const first = [
  { type: "text.message", messageId: "u1", role: "user", content: "Hi" },
  { type: "run.started", runId: "r1" },
  { type: "text.start", runId: "r1", messageId: "a1" },
];
const second = [
  { type: "text.delta", runId: "r1", messageId: "a1", delta: "Hello" },
  { type: "run.finished", runId: "r1", outcome: "success" }, // refused: a1 is open
  { type: "text.end", runId: "r1", messageId: "a1" },
  { type: "run.finished", runId: "r1", outcome: "success" },
];

describe("conversationProjector", () => {
  it("PROJ-FOLD-4 follows a stream live to the projection of all its events", async () => {
    const store = new MemoryStore();
    try {
      await store.create("s", { kind: "agent" });
      await store.append("s", { messages: first.map(bytes) });
      const appending = (async () => {
        await store.append("s", { messages: second.slice(0, 2).map(bytes) });
        await store.append("s", { messages: second.slice(2).map(bytes), close: true });
      })();
      let last;
      for await (const update of conversationProjector().follow(store, "s")) last = update;
      await appending;
      assert.equal(last?.closed, true);
      assert.equal(last?.offset, 7);
      assert.deepEqual(last?.state.conversation, projectConversation([...first, ...second]));
    } finally {
      await store.dispose();
    }
  });

  it("PROJ-FOLD-5 a snapshot persisted as JSON resumes a follow where it was taken", async () => {
    const store = new MemoryStore();
    try {
      await store.create("s", { kind: "agent" });
      await store.append("s", { messages: [...first.map(bytes), text.encode("not json")] });
      const projector = conversationProjector();
      const saved = JSON.stringify(await projector.catchUp(store, "s"));
      await store.append("s", { messages: second.map(bytes), close: true });
      let last;
      for await (const update of projector.follow(store, "s", { from: JSON.parse(saved) })) {
        last = update;
      }
      const whole = projectConversation([...first, "not json", ...second]);
      assert.deepEqual(last?.state.conversation, whole);
      assert.equal(whole.runs[0].status, "success");
    } finally {
      await store.dispose();
    }
  });
});
