import { describe, it } from "node:test";
import { storeContract } from "../../test/store_contract/contract.ts";
import { MemoryStore } from "./memory_store.ts";

describe("MemoryStore", () => {
  it("answers every operation sequence exactly as the log model does", async () => {
    await storeContract({ open: (clock) => Promise.resolve(new MemoryStore({ clock })) });
  });
});
