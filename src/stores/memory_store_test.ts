import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { storeContract } from "../../test/store_contract/contract.ts";
import type { SubscriptionEvent } from "./event_store.ts";
import { MemoryStore } from "./memory_store.ts";

describe("MemoryStore", () => {
  it("answers every operation sequence exactly as the log model does", async () => {
    await storeContract({ open: (clock) => Promise.resolve(new MemoryStore({ clock })) });
  });
});

describe("MemoryStore: subscriptions that outlive closure", () => {
  it("untilDeleted reports a deletion after the closed end, until unsubscribed", async () => {
    const store = new MemoryStore();
    try {
      const events: string[] = [];
      const record = (event: SubscriptionEvent) =>
        events.push(event.type === "end" ? `end ${event.reason}` : `batch ${event.nextOffset}`);
      await store.create("a");
      await store.append("a", { messages: [new TextEncoder().encode("1")], close: true });
      const watching = await store.subscribe("a", { untilDeleted: true }, record);
      const plain = await store.subscribe("a", {}, () => events.push("plain"));
      assert.equal(await watching.done, "closed");
      assert.equal(await plain.done, "closed");
      events.length = 0;
      await store.delete("a");
      assert.deepEqual(events, ["end deleted"]);

      await store.create("b", { closed: true });
      const stopped = await store.subscribe("b", { untilDeleted: true }, record);
      await stopped.done;
      stopped.unsubscribe();
      events.length = 0;
      await store.delete("b");
      assert.deepEqual(events, []);
    } finally {
      await store.dispose();
    }
  });
});
