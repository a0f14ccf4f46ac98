// Regenerates conformance/_catalogue_rows.ts (the requirement catalogue) from spec/v1/*.md.
// Run: ./node_modules/.bin/deno run --allow-read --allow-write scripts/gen_catalogue.ts

import { readFileSync, writeFileSync } from "node:fs";
import { catalogueSource, SPEC_CHAPTERS } from "../conformance/_catalogue_source.ts";

const root = new URL("../", import.meta.url);
const chapters = new Map(
  SPEC_CHAPTERS.map((file) => [file, readFileSync(new URL(`spec/v1/${file}`, root), "utf8")]),
);
writeFileSync(new URL("conformance/_catalogue_rows.ts", root), catalogueSource(chapters));
console.log("wrote conformance/_catalogue_rows.ts");
