// Builds the text of _catalogue_rows.ts from the spec's Markdown. Used by
// scripts/gen_catalogue.ts to write the file and by catalogue_test.ts to
// prove the committed file is current.

import { parseRequirements } from "./requirements.ts";

/** The spec chapters, in reading order. */
export const SPEC_CHAPTERS: readonly string[] = [
  "overview.md",
  "log.md",
  "http.md",
  "sse.md",
  "websocket.md",
  "discovery.md",
  "errors.md",
  "envelope.md",
  "events.md",
  "projection.md",
  "view-ag-ui.md",
  "view-ai-sdk.md",
  "versioning.md",
  "conformance.md",
];

/** The TypeScript source of _catalogue_rows.ts for the given chapter texts (file name → Markdown). */
export function catalogueSource(chapters: ReadonlyMap<string, string>): string {
  const rows: string[] = [];
  for (const file of SPEC_CHAPTERS) {
    const markdown = chapters.get(file);
    if (markdown === undefined) throw new Error(`missing chapter ${file}`);
    const lines = markdown.split("\n");
    const parsed = parseRequirements(markdown, `spec/v1/${file}`);
    if (parsed.problems.length > 0) {
      throw new Error(`spec/v1/${file}: ${parsed.problems[0].message}`);
    }
    for (const requirement of parsed.requirements) {
      let heading = "";
      for (let i = requirement.line - 1; i >= 0; i--) {
        const match = /^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s/.exec(lines[i]);
        if (match) {
          heading = match[1];
          break;
        }
      }
      rows.push(
        `  [${
          [
            requirement.id,
            requirement.actor,
            requirement.keyword,
            `${file} §${heading}`,
            requirement.text,
          ].map((value) => JSON.stringify(value)).join(", ")
        }],`,
      );
    }
  }
  return `// Generated from spec/v1 by scripts/gen_catalogue.ts; do not edit.
// catalogue_test.ts fails when this file and the spec disagree.

import type { Actor, Keyword } from "./requirements.ts";

type Row = readonly [id: string, actor: Actor, keyword: Keyword, section: string, text: string];

/** Every requirement of spec v1: ID, actor, keyword, section, text. */
export const CATALOGUE_ROWS: readonly Row[] = [
${rows.join("\n")}
];
`;
}
