// The mapping table of spec/v1/view-ai-sdk.md and the tests agree: every row
// has exactly one round-trip test named after it, every event type of the
// vocabulary and every chunk type of the protocol has a row.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { STANDARD_EVENT_DEFINITIONS } from "../../src/vocabulary/standard_events.ts";
import { UI_MESSAGE_CHUNK_TYPES } from "./ui_message_chunk.ts";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const spec = read("../../spec/v1/view-ai-sdk.md");
const rows = spec.split("\n").filter((line) => /^\| `AISDK-MAP-\d+`/.test(line));
const tests = [
  "mapping_events_rows_test.ts",
  "mapping_passthrough_rows_test.ts",
  "mapping_chunks_rows_test.ts",
].map(read).join("\n");

describe("the mapping table of view-ai-sdk.md", () => {
  it("numbers its rows 1 to n, each tested once by a test named after it", () => {
    const ids = rows.map((line) => /`(AISDK-MAP-\d+)`/.exec(line)![1]);
    assert.deepEqual(ids, ids.map((_, i) => `AISDK-MAP-${i + 1}`));
    for (const id of ids) {
      const named = tests.match(new RegExp(`Row\\("${id} `, "g")) ?? [];
      assert.equal(named.length, 1, `${id} has ${named.length} tests`);
    }
  });

  it("has a row for every event type of the vocabulary", () => {
    const first = rows.map((line) => line.split("|")[2]);
    for (const { type } of STANDARD_EVENT_DEFINITIONS) {
      const family = `\`${type.split(".")[0]}.*\``;
      assert.ok(
        first.some((cell) => cell.includes(`\`${type}\``) || cell.includes(family)),
        `no row for ${type}`,
      );
    }
  });

  it("has a row for every chunk type of the protocol", () => {
    const first = rows.map((line) => line.split("|")[2]);
    for (const type of [...UI_MESSAGE_CHUNK_TYPES, "data-<name>"]) {
      assert.ok(first.some((cell) => cell.includes(`\`${type}\``)), `no row for ${type}`);
    }
  });
});
