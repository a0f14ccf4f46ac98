import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { catalogueSource, SPEC_CHAPTERS } from "./_catalogue_source.ts";
import { CATALOGUE, requirementById } from "./catalogue.ts";

const root = new URL("../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

test("catalogue: _catalogue_rows.ts is what scripts/gen_catalogue.ts makes of spec/v1", () => {
  const chapters = new Map(SPEC_CHAPTERS.map((file) => [file, read(`spec/v1/${file}`)]));
  assert.equal(
    read("conformance/_catalogue_rows.ts"),
    catalogueSource(chapters),
    "run scripts/gen_catalogue.ts after changing the spec",
  );
});

test("catalogue: IDs are unique and resolvable; levels follow keywords", () => {
  assert.equal(new Set(CATALOGUE.map((r) => r.id)).size, CATALOGUE.length);
  for (const entry of CATALOGUE) {
    assert.equal(requirementById(entry.id), entry);
    assert.equal(entry.level, entry.keyword.startsWith("MUST") ? "MUST" : "SHOULD");
    assert.match(entry.section, /^[a-z]+(-[a-z]+)*\.md §\d+(\.\d+)*$/);
  }
});

test("catalogue: a changed spec no longer matches", () => {
  const chapters = new Map(SPEC_CHAPTERS.map((file) => [file, read(`spec/v1/${file}`)]));
  const log = chapters.get("log.md")!;
  chapters.set("log.md", log.replace("**server MUST**", "**server SHOULD**"));
  assert.notEqual(read("conformance/_catalogue_rows.ts"), catalogueSource(chapters));
});
