import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSON_TYPE, problemOf, TEXT_TYPE, withServer } from "./_http_test_kit.ts";

describe("DELETE", () => {
  it("HTTP-DELETE-1: 204, then the stream is gone and its path free", () =>
    withServer(async (t) => {
      await t.call("PUT", "s", { headers: TEXT_TYPE, body: "old data" });
      assert.equal((await t.call("DELETE", "s")).status, 204);
      await problemOf(await t.call("GET", "s"), "stream-not-found");
      await problemOf(await t.call("DELETE", "s"), "stream-not-found");
      assert.equal(
        (await t.call("PUT", "s", { headers: TEXT_TYPE, body: "new data" })).status,
        201,
      );
      assert.equal(await (await t.call("GET", "s")).text(), "new data");
    }));

  it("HTTP-DELETE-2, LOG-DELETE-2: a source with forks is soft-deleted: 410, except PUT (409)", () =>
    withServer(async (t) => {
      await t.call("PUT", "src", { headers: JSON_TYPE, body: "[1,2]" });
      await t.call("PUT", "fork", { headers: { "stream-forked-from": "src" } });
      assert.equal((await t.call("DELETE", "src")).status, 204);
      await problemOf(await t.call("GET", "src"), "stream-gone");
      await problemOf(
        await t.call("POST", "src", { headers: JSON_TYPE, body: "3" }),
        "stream-gone",
      );
      await problemOf(await t.call("DELETE", "src"), "stream-gone");
      await problemOf(await t.call("PUT", "src"), "stream-exists");
      assert.equal(await (await t.call("GET", "fork")).text(), "[1,2]");
      // The last fork's delete frees the source's path too.
      assert.equal((await t.call("DELETE", "fork")).status, 204);
      await problemOf(await t.call("GET", "src"), "stream-not-found");
      assert.equal((await t.call("PUT", "src")).status, 201);
    }));

  it("a closed stream is deleted like any other", () =>
    withServer(async (t) => {
      await t.call("PUT", "c", { headers: { "stream-closed": "true" } });
      assert.equal((await t.call("DELETE", "c")).status, 204);
      assert.equal((await t.call("HEAD", "c")).status, 404);
    }));
});
