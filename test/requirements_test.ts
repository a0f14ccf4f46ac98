import { it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  findDuplicateIds,
  formatProblem,
  type ParsedSpec,
  parseRequirements,
} from "../conformance/requirements.ts";

const root = new URL("../", import.meta.url);

// A hand-rolled walk: recursive readdir differs between the runtimes' node:fs.
function markdownFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(new URL(dir, root), { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) files.push(...markdownFiles(`${path}/`));
    else if (entry.name.endsWith(".md")) files.push(path);
  }
  return files.sort();
}

it("spec/ requirement IDs are well-formed and unique", () => {
  const parsed: ParsedSpec[] = markdownFiles("spec/").map((file) =>
    parseRequirements(readFileSync(new URL(file, root), "utf8"), file)
  );
  for (const { file, requirements } of parsed) {
    console.log(`${String(requirements.length).padStart(4)} requirements  ${file}`);
  }
  const problems = parsed.flatMap((spec) => spec.problems).map(formatProblem);
  assert.deepEqual(problems, [], `requirement problems under ${fileURLToPath(root)}spec`);
  const duplicates = findDuplicateIds(parsed.flatMap((spec) => spec.requirements)).map((d) =>
    `${d.id} at ${d.occurrences.map(({ file, line }) => `${file}:${line}`).join(", ")}`
  );
  assert.deepEqual(duplicates, [], "requirement IDs are used more than once");
  const total = parsed.reduce((sum, spec) => sum + spec.requirements.length, 0);
  assert.ok(total > 0, `no requirements found in ${parsed.length} spec files`);
});
