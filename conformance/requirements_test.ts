import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ACTORS,
  findDuplicateIds,
  formatProblem,
  type Keyword,
  parseRequirements,
  type Requirement,
  REQUIREMENT_ID_PATTERN,
} from "./requirements.ts";

const MUST_FAMILY = ["MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT"] as const;
const SHOULD_FAMILY = ["SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED"] as const;
const ALL_KEYWORDS = [...MUST_FAMILY, ...SHOULD_FAMILY];
const LEAD_IN_KEYWORDS: readonly Keyword[] = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"];

const familyOf = (keyword: string): "MUST" | "SHOULD" =>
  (MUST_FAMILY as readonly string[]).includes(keyword) ? "MUST" : "SHOULD";

// Lower-case words can never form a normative keyword, so prose built from them is neutral.
const word = fc.stringMatching(/^[a-z]{1,8}$/);
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((ws) => ws.join(" "));
const id = fc
  .tuple(
    fc.array(fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/), { minLength: 1, maxLength: 3 }),
    fc.integer({ min: 1, max: 99999 }),
  )
  .map(([segments, n]) => `${segments.join("-")}-${n}`);
const actor = fc.constantFrom(...ACTORS);
const leadInKeyword = fc.constantFrom(...LEAD_IN_KEYWORDS);

interface ItemSpec {
  readonly kind: "item";
  readonly id: string;
  readonly actor: string;
  readonly keyword: Keyword;
  readonly lines: readonly string[];
}
interface ProseSpec {
  readonly kind: "prose";
  readonly lines: readonly string[];
}
interface FenceSpec {
  readonly kind: "fence";
  readonly lines: readonly string[];
}
type Block = ItemSpec | ProseSpec | FenceSpec;

const item: fc.Arbitrary<ItemSpec> = fc.record({
  kind: fc.constant("item" as const),
  id,
  actor,
  keyword: leadInKeyword,
  lines: fc.array(words, { minLength: 1, maxLength: 3 }),
});
const prose: fc.Arbitrary<ProseSpec> = fc.record({
  kind: fc.constant("prose" as const),
  lines: fc.array(
    fc.oneof(
      words,
      words.map((w) => `## ${w}`),
      // Keywords in inline code are not normative.
      fc.tuple(words, fc.constantFrom(...ALL_KEYWORDS)).map(([w, k]) => `${w} \`${k}\` ${w}`),
    ),
    { minLength: 1, maxLength: 3 },
  ),
});
const fence: fc.Arbitrary<FenceSpec> = fc.record({
  kind: fc.constant("fence" as const),
  lines: fc
    .array(fc.tuple(words, fc.constantFrom(...ALL_KEYWORDS)).map(([w, k]) => `${k} ${w}`), {
      maxLength: 3,
    })
    .map((body) => ["```text", ...body, "```"]),
});
const document = fc.array(fc.oneof(item, prose, fence), { maxLength: 12 });

/** Renders blocks separated by blank lines and returns each block's first line number. */
function render(blocks: readonly Block[]): { markdown: string; starts: number[] } {
  const out: string[] = [];
  const starts: number[] = [];
  for (const block of blocks) {
    if (out.length > 0) out.push("");
    starts.push(out.length + 1);
    if (block.kind === "item") {
      const [first, ...rest] = block.lines;
      out.push(`- \`${block.id}\` **${block.actor} ${block.keyword}** ${first}`);
      for (const line of rest) out.push(`  ${line}`);
    } else {
      out.push(...block.lines);
    }
  }
  return { markdown: out.join("\n") + "\n", starts };
}

const uniqueIds = (blocks: readonly Block[]): boolean => {
  const ids = blocks.flatMap((b) => (b.kind === "item" ? [b.id] : []));
  return new Set(ids).size === ids.length;
};

describe("parseRequirements", () => {
  it("finds every well-formed item with its fields", () => {
    fc.assert(
      fc.property(document, (blocks) => {
        const { markdown, starts } = render(blocks);
        const parsed = parseRequirements(markdown, "spec/v1/x.md");
        const expected: Requirement[] = [];
        blocks.forEach((block, index) => {
          if (block.kind !== "item") return;
          expected.push({
            id: block.id,
            actor: block.actor as Requirement["actor"],
            keyword: block.keyword,
            level: familyOf(block.keyword),
            text: block.lines.join(" "),
            file: "spec/v1/x.md",
            line: starts[index],
          });
        });
        assert.deepEqual(parsed.problems, []);
        assert.deepEqual(parsed.requirements, expected);
        assert.equal(parsed.file, "spec/v1/x.md");
      }),
    );
  });

  it("always reports a keyword outside an item, at its line", () => {
    fc.assert(
      fc.property(
        document,
        fc.nat(),
        fc.constantFrom(...ALL_KEYWORDS),
        words,
        (blocks, at, keyword, filler) => {
          const position = at % (blocks.length + 1);
          const stray: ProseSpec = { kind: "prose", lines: [`${filler} ${keyword} ${filler}`] };
          const withStray = [...blocks.slice(0, position), stray, ...blocks.slice(position)];
          const { markdown, starts } = render(withStray);
          const { problems } = parseRequirements(markdown, "x.md");
          assert.deepEqual(
            problems.map((p) => [p.kind, p.line]),
            [["stray-keyword", starts[position]]],
          );
          assert.match(problems[0].message, new RegExp(`\\b${keyword}\\b`));
        },
      ),
    );
  });

  it("reports a keyword of the other level family inside an item", () => {
    fc.assert(
      fc.property(id, actor, leadInKeyword, words, fc.nat(), (reqId, who, keyword, text, pick) => {
        const other = familyOf(keyword) === "MUST" ? SHOULD_FAMILY : MUST_FAMILY;
        const intruder = other[pick % other.length];
        const markdown =
          `- \`${reqId}\` **${who} ${keyword}** ${text}\n  and ${intruder} ${text}\n`;
        const parsed = parseRequirements(markdown, "x.md");
        assert.deepEqual(parsed.problems.map((p) => [p.kind, p.line]), [["mixed-level", 2]]);
        assert.equal(parsed.requirements.length, 1);
      }),
    );
  });

  it("accepts keywords of the item's own family", () => {
    fc.assert(
      fc.property(id, actor, leadInKeyword, words, fc.nat(), (reqId, who, keyword, text, pick) => {
        const same = familyOf(keyword) === "MUST" ? MUST_FAMILY : SHOULD_FAMILY;
        const markdown = `- \`${reqId}\` **${who} ${keyword}** ${text}, ${
          same[pick % same.length]
        } ${text}\n`;
        assert.deepEqual(parseRequirements(markdown, "x.md").problems, []);
      }),
    );
  });

  it("reports IDs that break the pattern and records no requirement", () => {
    const malformed = fc
      .stringMatching(/^[A-Za-z0-9_.-]{1,20}$/)
      .filter((s) => !REQUIREMENT_ID_PATTERN.test(s));
    fc.assert(
      fc.property(malformed, actor, leadInKeyword, words, (reqId, who, keyword, text) => {
        const markdown = `- \`${reqId}\` **${who} ${keyword}** ${text}\n`;
        const parsed = parseRequirements(markdown, "x.md");
        assert.deepEqual(parsed.requirements, []);
        assert.deepEqual(parsed.problems.map((p) => p.kind), ["malformed-id"]);
      }),
    );
  });

  it("reports an unknown actor or level in the lead-in", () => {
    const notActor = word.filter((w) => !(ACTORS as readonly string[]).includes(w));
    fc.assert(
      fc.property(id, notActor, leadInKeyword, (reqId, who, keyword) => {
        const parsed = parseRequirements(`- \`${reqId}\` **${who} ${keyword}** x\n`, "x.md");
        assert.deepEqual(parsed.problems.map((p) => p.kind), ["invalid-actor"]);
        assert.deepEqual(parsed.requirements, []);
      }),
    );
    for (const level of ["MAY", "REQUIRED", "SHALL", "MUST MUST", ""]) {
      const parsed = parseRequirements(`- \`GEN-TERMS-1\` **server ${level}** x\n`, "x.md");
      assert.deepEqual(parsed.problems.map((p) => p.kind), ["invalid-level"], level);
    }
  });

  it("ignores keywords in fenced code and inline code", () => {
    const markdown = [
      "Intro with `MUST` in code and ``a `SHOULD` b`` in a double-tick span.",
      "",
      "~~~",
      "MUST",
      "```",
      "still code: SHOULD",
      "~~~",
      "",
      "````md",
      "- `X-1` **server MUST** inside a fence is not a requirement",
      "````",
      "",
      "A span may wrap `across",
      "lines MUST` and stay code.",
      "MAY and OPTIONAL are free.",
    ].join("\n");
    const parsed = parseRequirements(markdown, "x.md");
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.requirements, []);
  });

  it("treats an unclosed fence as running to the end of the file", () => {
    const parsed = parseRequirements("```\nMUST\n", "x.md");
    assert.deepEqual(parsed.problems, []);
  });

  it("ends an item at a blank line followed by unindented text", () => {
    const markdown = [
      "- `LOG-CLOSE-1` **server MUST** keep a stream closed  ",
      "once it is closed.",
      "",
      "  Indented continuation, still the item: MUST NOT reopen,",
      "even on a lazy line: REQUIRED.",
      "",
      "Back to prose, where MUST is stray.",
    ].join("\n");
    const parsed = parseRequirements(markdown, "spec/v1/log.md");
    assert.equal(parsed.requirements.length, 1);
    assert.equal(
      parsed.requirements[0].text,
      "keep a stream closed once it is closed. Indented continuation, still the item: MUST NOT reopen, even on a lazy line: REQUIRED.",
    );
    assert.deepEqual(parsed.problems.map((p) => [p.kind, p.line]), [["stray-keyword", 7]]);
  });

  it("ends an item at the next list item, heading or fence", () => {
    const markdown = [
      "- `A-1` **server MUST** one",
      "- a plain item that says MUST",
      "- `A-2` **client SHOULD** two",
      "# Heading SHOULD",
      "- `A-3` **consumer MUST NOT** three",
      "```",
      "code",
      "```",
      "MUST after the fence",
    ].join("\n");
    const parsed = parseRequirements(markdown, "x.md");
    assert.deepEqual(parsed.requirements.map((r) => [r.id, r.keyword, r.line]), [
      ["A-1", "MUST", 1],
      ["A-2", "SHOULD", 3],
      ["A-3", "MUST NOT", 5],
    ]);
    assert.deepEqual(parsed.problems.map((p) => [p.kind, p.line]), [
      ["stray-keyword", 2],
      ["stray-keyword", 4],
      ["stray-keyword", 9],
    ]);
  });

  it("keeps nested lists and fences inside an item, and finds nested requirements", () => {
    const markdown = [
      "- `WS-FRAME-1` **server MUST** reject a frame when:",
      "  - it is binary, or",
      "  - it is not JSON.",
      "",
      "  ```json",
      '  {"type": "hello"}',
      "  ```",
      "  - `WS-FRAME-2` **server SHOULD** log it.",
      "* `WS-FRAME-3` **producer MUST** use `*` bullets too, with REQUIRED.",
    ].join("\n");
    const parsed = parseRequirements(markdown, "x.md");
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.requirements.map((r) => [r.id, r.actor, r.line]), [
      ["WS-FRAME-1", "server", 1],
      ["WS-FRAME-2", "server", 8],
      ["WS-FRAME-3", "producer", 9],
    ]);
    assert.equal(
      parsed.requirements[0].text,
      "reject a frame when: - it is binary, or - it is not JSON.",
    );
  });

  it("leaves field lists that only look similar to prose rules", () => {
    const markdown = "- `type` **required**: a string.\n- `id` **(optional)**: a string.\n";
    assert.deepEqual(parseRequirements(markdown, "x.md"), {
      file: "x.md",
      requirements: [],
      problems: [],
    });
  });

  it("handles CRLF line endings", () => {
    const parsed = parseRequirements("- `A-1` **server MUST** x\r\n\r\nMUST\r\n", "x.md");
    assert.deepEqual(parsed.requirements.map((r) => [r.id, r.text]), [["A-1", "x"]]);
    assert.deepEqual(parsed.problems.map((p) => p.line), [3]);
  });
});

describe("findDuplicateIds", () => {
  const requirement = (reqId: string, file: string, line: number): Requirement => ({
    id: reqId,
    actor: "server",
    keyword: "MUST",
    level: "MUST",
    text: "",
    file,
    line,
  });

  it("returns exactly the IDs that occur more than once, with every occurrence", () => {
    const entries = fc.array(
      fc.tuple(fc.constantFrom("A-1", "A-2", "B-1", "C-10"), fc.constantFrom("a.md", "b.md")),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(entries, (list) => {
        const requirements = list.map(([reqId, file], i) => requirement(reqId, file, i + 1));
        const duplicates = findDuplicateIds(requirements);
        const counts = new Map<string, number>();
        for (const r of requirements) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
        const expectedIds = [...counts].filter(([, n]) => n > 1).map(([reqId]) => reqId);
        assert.deepEqual(duplicates.map((d) => d.id), expectedIds);
        for (const duplicate of duplicates) {
          assert.deepEqual(
            duplicate.occurrences,
            requirements.filter((r) => r.id === duplicate.id).map(({ file, line }) => ({
              file,
              line,
            })),
          );
        }
      }),
    );
  });

  it("reports every ID of a document that appears in two files", () => {
    fc.assert(
      fc.property(document.filter(uniqueIds), (blocks) => {
        const { markdown } = render(blocks);
        const a = parseRequirements(markdown, "a.md").requirements;
        const b = parseRequirements(markdown, "b.md").requirements;
        assert.deepEqual(findDuplicateIds(a), []);
        assert.deepEqual(
          findDuplicateIds([...a, ...b]),
          a.map((r) => ({
            id: r.id,
            occurrences: [{ file: "a.md", line: r.line }, { file: "b.md", line: r.line }],
          })),
        );
      }),
    );
  });
});

describe("formatProblem", () => {
  it("renders file:line: kind: message", () => {
    const { problems } = parseRequirements("text\nClients SHOULD retry.\n", "spec/v1/http.md");
    assert.equal(
      formatProblem(problems[0]),
      "spec/v1/http.md:2: stray-keyword: normative keyword SHOULD outside a requirement item",
    );
  });
});
