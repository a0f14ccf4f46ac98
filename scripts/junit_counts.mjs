// @ts-check
/**
 * Prints `<passed> <failed> <skipped>` for JUnit XML files written by
 * `deno test --junit-path` and `bun test --reporter=junit`.
 *
 * Only leaf test cases count: Deno also reports each `describe` block as a
 * test case named like the prefix of its children (`parent > child`), and
 * counting those too would count every group twice.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  const xml = readFileSync(file, "utf8");
  /** @type {{ name: string, failed: boolean, skipped: boolean }[]} */
  const cases = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = /\bname="([^"]*)"/.exec(match[1])?.[1] ?? "";
    const body = match[3] ?? "";
    cases.push({
      name,
      failed: /<(failure|error)\b/.test(body),
      skipped: /<skipped\b/.test(body),
    });
  }
  const names = new Set(cases.map((c) => c.name));
  const parents = new Set();
  for (const name of names) {
    const cut = name.lastIndexOf(" &gt; ");
    if (cut !== -1) parents.add(name.slice(0, cut));
  }
  for (const testCase of cases) {
    if (parents.has(testCase.name)) continue;
    if (testCase.failed) failed++;
    else if (testCase.skipped) skipped++;
    else passed++;
  }
}
console.log(`${passed} ${failed} ${skipped}`);
