/**
 * Requirement catalogue: reads the numbered requirement items out of the
 * spec's Markdown and reports anything that breaks the requirement-ID rules.
 *
 * Pure string processing, so the same code runs under Deno, Bun, Node.js and
 * in a browser; callers read the files themselves.
 *
 * @module
 */

/**
 * The shape every requirement ID has, for example `LOG-OFFSET-2`: upper-case
 * words joined by `-`, ending in a positive number without leading zeros.
 *
 * @example Checking an ID
 * ```ts
 * import { REQUIREMENT_ID_PATTERN } from "@agent-stream/agent-stream/conformance";
 *
 * REQUIREMENT_ID_PATTERN.test("SSE-RESUME-1"); // true
 * REQUIREMENT_ID_PATTERN.test("sse-resume-01"); // false
 * ```
 */
export const REQUIREMENT_ID_PATTERN: RegExp = /^[A-Z][A-Z0-9]*(-[A-Z][A-Z0-9]*)*-[1-9][0-9]*$/;

/**
 * The party a requirement binds.
 *
 * @example
 * ```ts
 * import type { Actor } from "@agent-stream/agent-stream/conformance";
 *
 * const actor: Actor = "server";
 * ```
 */
export type Actor = "server" | "client" | "producer" | "consumer";

/**
 * Every actor a requirement item may name, in the order the spec introduces them.
 *
 * @example
 * ```ts
 * import { ACTORS } from "@agent-stream/agent-stream/conformance";
 *
 * ACTORS.includes("consumer"); // true
 * ```
 */
export const ACTORS: readonly Actor[] = Object.freeze(["server", "client", "producer", "consumer"]);

/**
 * The keyword in a requirement item's bold lead-in, exactly as written.
 *
 * @example
 * ```ts
 * import type { Keyword } from "@agent-stream/agent-stream/conformance";
 *
 * const keyword: Keyword = "MUST NOT";
 * ```
 */
export type Keyword = "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT";

/**
 * The level family of a requirement: `MUST` (absolute) or `SHOULD` (recommended).
 * Negation does not change the family: `MUST NOT` is a `MUST` requirement.
 *
 * @example
 * ```ts
 * import type { Level } from "@agent-stream/agent-stream/conformance";
 *
 * const level: Level = "SHOULD";
 * ```
 */
export type Level = "MUST" | "SHOULD";

/**
 * One requirement item found in a spec file.
 *
 * @example
 * ```ts
 * import type { Requirement } from "@agent-stream/agent-stream/conformance";
 *
 * const requirement: Requirement = {
 *   id: "HTTP-APPEND-3",
 *   actor: "server",
 *   keyword: "MUST",
 *   level: "MUST",
 *   text: "reject an append whose body is empty.",
 *   file: "spec/v1/http.md",
 *   line: 120,
 * };
 * ```
 */
export interface Requirement {
  /** The requirement ID, for example `HTTP-APPEND-3`. */
  readonly id: string;
  /** Who the requirement binds. */
  readonly actor: Actor;
  /** The keyword of the bold lead-in, as written. */
  readonly keyword: Keyword;
  /** The level family of {@linkcode Requirement.keyword}. */
  readonly level: Level;
  /** The rest of the item after the bold lead-in, with line breaks folded into spaces. */
  readonly text: string;
  /** The file name given to {@linkcode parseRequirements}. */
  readonly file: string;
  /** 1-based line of the item's first line. */
  readonly line: number;
}

/**
 * What a {@linkcode RequirementProblem} is about.
 *
 * - `malformed-id`: an item looks like a requirement but its ID breaks {@linkcode REQUIREMENT_ID_PATTERN}.
 * - `invalid-actor`: the bold lead-in names someone other than one of {@linkcode ACTORS}.
 * - `invalid-level`: the bold lead-in has no keyword, or one other than {@linkcode Keyword}.
 * - `stray-keyword`: a normative keyword outside any requirement item.
 * - `mixed-level`: an item uses a keyword of the other level family.
 *
 * @example
 * ```ts
 * import type { ProblemKind } from "@agent-stream/agent-stream/conformance";
 *
 * const kind: ProblemKind = "stray-keyword";
 * ```
 */
export type ProblemKind =
  | "malformed-id"
  | "invalid-actor"
  | "invalid-level"
  | "stray-keyword"
  | "mixed-level";

/**
 * A violation of the requirement-ID rules, located by file and line.
 *
 * @example
 * ```ts
 * import type { RequirementProblem } from "@agent-stream/agent-stream/conformance";
 *
 * const problem: RequirementProblem = {
 *   kind: "stray-keyword",
 *   file: "spec/v1/log.md",
 *   line: 12,
 *   message: "normative keyword MUST outside a requirement item",
 * };
 * ```
 */
export interface RequirementProblem {
  /** What kind of violation this is. */
  readonly kind: ProblemKind;
  /** The file name given to {@linkcode parseRequirements}. */
  readonly file: string;
  /** 1-based line the violation is on. */
  readonly line: number;
  /** A sentence for humans. */
  readonly message: string;
}

/**
 * The result of {@linkcode parseRequirements} for one file.
 *
 * @example
 * ```ts
 * import { type ParsedSpec, parseRequirements } from "@agent-stream/agent-stream/conformance";
 *
 * const parsed: ParsedSpec = parseRequirements("No requirements here.\n", "empty.md");
 * parsed.requirements.length; // 0
 * ```
 */
export interface ParsedSpec {
  /** The file name given to {@linkcode parseRequirements}. */
  readonly file: string;
  /** Requirement items in document order. */
  readonly requirements: readonly Requirement[];
  /** Violations in document order. */
  readonly problems: readonly RequirementProblem[];
}

/**
 * An ID that occurs more than once, with every place it occurs.
 *
 * @example
 * ```ts
 * import type { DuplicateId } from "@agent-stream/agent-stream/conformance";
 *
 * const duplicate: DuplicateId = {
 *   id: "LOG-OFFSET-2",
 *   occurrences: [{ file: "spec/v1/log.md", line: 40 }, { file: "spec/v1/http.md", line: 9 }],
 * };
 * ```
 */
export interface DuplicateId {
  /** The repeated ID. */
  readonly id: string;
  /** Each occurrence, in the order given to {@linkcode findDuplicateIds}. */
  readonly occurrences: readonly { readonly file: string; readonly line: number }[];
}

const KEYWORD_FAMILY: Readonly<Record<string, Level>> = {
  "MUST": "MUST",
  "MUST NOT": "MUST",
  "REQUIRED": "MUST",
  "SHALL": "MUST",
  "SHALL NOT": "MUST",
  "SHOULD": "SHOULD",
  "SHOULD NOT": "SHOULD",
  "RECOMMENDED": "SHOULD",
  "NOT RECOMMENDED": "SHOULD",
};

const LEAD_IN_KEYWORDS: readonly string[] = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT"];

// "NOT RECOMMENDED" starts further left than "RECOMMENDED", so the leftmost match wins on its own.
const KEYWORD_RE =
  /\b(?:MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED|REQUIRED)\b/g;

// A list item whose content opens with a code span followed by bold text.
const LEAD_IN_RE = /^(\s*)([-*+])(\s+)`([^`]*)`(\s+)\*\*/;

// Looks like an attempt at an ID even when it breaks the rules (`http-append-3`, `LOG_OFFSET_02`).
const ID_ATTEMPT_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*[-_][0-9]+$/;

const INTENT_KEYWORD_RE = /\b(?:MUST|SHALL|SHOULD|REQUIRED|RECOMMENDED|MAY|OPTIONAL)\b/;

const FENCE_OPEN_RE = /^\s*(`{3,}|~{3,})/;

const BLOCK_START_RE =
  /^\s*(?:[-*+]\s|[-*+]$|[0-9]{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$)|>|\||<|(?:[-*_]\s*){3,}$)/;

interface Fence {
  readonly char: string;
  readonly length: number;
}

interface LineInfo {
  /** The line with code masked out; `null` when the whole line is code (fences). */
  readonly scan: string | null;
  /** Whether this line opens a fenced code block. */
  readonly fenceOpen: boolean;
}

interface OpenItem {
  readonly id: string;
  readonly actor: string;
  readonly keyword: string;
  readonly line: number;
  readonly contentIndent: number;
  readonly valid: boolean;
  readonly textParts: string[];
  sawBlank: boolean;
}

/**
 * Extracts the requirement items of one spec file and reports violations of
 * the requirement-ID rules.
 *
 * A requirement item is a list item that opens with the ID in a code span
 * followed by a bold `actor KEYWORD` lead-in. Capitalised normative keywords
 * may appear only inside such items, and only from the item's own level
 * family. Text in fenced code blocks and inline code is not scanned.
 * Duplicate IDs are not reported here because uniqueness spans files; use
 * {@linkcode findDuplicateIds}.
 *
 * @param markdown The file's content.
 * @param file The name to record in results, usually a repository-relative path.
 * @returns The file's requirements and problems, both in document order.
 *
 * @example Reading a requirement
 * ```ts
 * import { parseRequirements } from "@agent-stream/agent-stream/conformance";
 *
 * const markdown = "- `HTTP-APPEND-3` **server MUST** reject an empty append.\n";
 * const { requirements, problems } = parseRequirements(markdown, "spec/v1/http.md");
 * requirements[0].id; // "HTTP-APPEND-3"
 * requirements[0].level; // "MUST"
 * problems.length; // 0
 * ```
 *
 * @example A keyword outside a requirement item
 * ```ts
 * import { parseRequirements } from "@agent-stream/agent-stream/conformance";
 *
 * const { problems } = parseRequirements("Servers MUST be fast.\n", "notes.md");
 * problems[0].kind; // "stray-keyword"
 * problems[0].line; // 1
 * ```
 */
export function parseRequirements(markdown: string, file: string): ParsedSpec {
  const lines = markdown.split(/\r\n|\n|\r/);
  const infos = maskCode(lines);
  const requirements: Requirement[] = [];
  const problems: RequirementProblem[] = [];
  let item: OpenItem | undefined;

  const problem = (kind: ProblemKind, line: number, message: string): void => {
    problems.push({ kind, file, line, message });
  };

  const closeItem = (): void => {
    if (item?.valid) {
      requirements.push({
        id: item.id,
        actor: item.actor as Actor,
        keyword: item.keyword as Keyword,
        level: KEYWORD_FAMILY[item.keyword],
        text: item.textParts.join(" ").trim(),
        file,
        line: item.line,
      });
    }
    item = undefined;
  };

  const scanKeywords = (text: string, line: number): void => {
    for (const match of text.matchAll(KEYWORD_RE)) {
      const keyword = match[0];
      if (item === undefined) {
        problem("stray-keyword", line, `normative keyword ${keyword} outside a requirement item`);
      } else if (item.valid && KEYWORD_FAMILY[keyword] !== KEYWORD_FAMILY[item.keyword]) {
        problem(
          "mixed-level",
          line,
          `${item.id} is a ${KEYWORD_FAMILY[item.keyword]} requirement but uses ${keyword}`,
        );
      }
    }
  };

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const lineNumber = index + 1;
    const { scan, fenceOpen } = infos[index];
    // Inside a fence only the opening line can decide where an item ends.
    if (scan === null && !fenceOpen) continue;
    const blank = raw.trim() === "";

    if (item !== undefined) {
      if (blank) {
        item.sawBlank = true;
        continue;
      }
      const inside = indentOf(raw) >= item.contentIndent ||
        (!item.sawBlank && !fenceOpen && !BLOCK_START_RE.test(raw));
      if (inside) item.sawBlank = false;
      else closeItem();
    }
    if (scan === null) continue;

    const leadIn = readLeadIn(raw);
    if (leadIn !== undefined) {
      closeItem();
      const valid = checkLeadIn(leadIn, lineNumber, problem);
      item = {
        id: leadIn.id,
        actor: leadIn.actor,
        keyword: leadIn.keyword,
        line: lineNumber,
        contentIndent: leadIn.contentIndent,
        valid,
        textParts: [raw.slice(leadIn.end).trim()],
        sawBlank: false,
      };
      scanKeywords(scan.slice(leadIn.end), lineNumber);
      continue;
    }

    if (item !== undefined && !blank) item.textParts.push(raw.trim());
    scanKeywords(scan, lineNumber);
  }
  closeItem();
  return { file, requirements, problems };
}

/**
 * Finds IDs used by more than one requirement, typically across all files of
 * the spec, since IDs are unique across `spec/`.
 *
 * @param requirements Requirements from one or more {@linkcode ParsedSpec}s.
 * @returns One entry per repeated ID, in order of first occurrence; empty when all IDs are unique.
 *
 * @example
 * ```ts
 * import { findDuplicateIds, parseRequirements } from "@agent-stream/agent-stream/conformance";
 *
 * const a = parseRequirements("- `WS-HELLO-1` **client MUST** send hello first.\n", "a.md");
 * const b = parseRequirements("- `WS-HELLO-1` **server MUST** answer hello.\n", "b.md");
 * const duplicates = findDuplicateIds([...a.requirements, ...b.requirements]);
 * duplicates[0].id; // "WS-HELLO-1"
 * duplicates[0].occurrences.length; // 2
 * ```
 */
export function findDuplicateIds(requirements: Iterable<Requirement>): DuplicateId[] {
  const byId = new Map<string, { file: string; line: number }[]>();
  for (const { id, file, line } of requirements) {
    const occurrences = byId.get(id);
    if (occurrences === undefined) byId.set(id, [{ file, line }]);
    else occurrences.push({ file, line });
  }
  const duplicates: DuplicateId[] = [];
  for (const [id, occurrences] of byId) {
    if (occurrences.length > 1) duplicates.push({ id, occurrences });
  }
  return duplicates;
}

/**
 * Renders a problem the way compilers do (`file:line: kind: message`), so
 * editors and terminals can link to it.
 *
 * @param problem The problem to render.
 * @returns One line of text.
 *
 * @example
 * ```ts
 * import { formatProblem, parseRequirements } from "@agent-stream/agent-stream/conformance";
 *
 * const { problems } = parseRequirements("Clients SHOULD retry.\n", "spec/v1/http.md");
 * formatProblem(problems[0]);
 * // "spec/v1/http.md:1: stray-keyword: normative keyword SHOULD outside a requirement item"
 * ```
 */
export function formatProblem(problem: RequirementProblem): string {
  return `${problem.file}:${problem.line}: ${problem.kind}: ${problem.message}`;
}

interface LeadIn {
  readonly id: string;
  readonly actor: string;
  readonly keyword: string;
  /** Offset just past the bold lead-in. */
  readonly end: number;
  readonly contentIndent: number;
  readonly closed: boolean;
}

// Decides whether a list item is meant as a requirement. An item such as
// "- `type` **required** ..." documents a field and is left to prose rules;
// an ID-like code span, an actor or a capitalised keyword signals intent.
function readLeadIn(raw: string): LeadIn | undefined {
  const match = LEAD_IN_RE.exec(raw);
  if (match === null) return undefined;
  const [whole, lead, marker, gap, code] = match;
  const boldStart = whole.length;
  const boldEnd = raw.indexOf("**", boldStart);
  const bold = boldEnd === -1 ? raw.slice(boldStart) : raw.slice(boldStart, boldEnd);
  const words = bold.trim().split(/\s+/);
  const actor = words[0] ?? "";
  const keyword = words.slice(1).join(" ");
  const intended = REQUIREMENT_ID_PATTERN.test(code) || ID_ATTEMPT_RE.test(code) ||
    (ACTORS as readonly string[]).includes(actor) || INTENT_KEYWORD_RE.test(bold);
  if (!intended) return undefined;
  return {
    id: code,
    actor,
    keyword,
    end: boldEnd === -1 ? raw.length : boldEnd + 2,
    contentIndent: columns(lead) + marker.length + columns(gap, columns(lead) + 1),
    closed: boldEnd !== -1,
  };
}

function checkLeadIn(
  leadIn: LeadIn,
  line: number,
  problem: (kind: ProblemKind, line: number, message: string) => void,
): boolean {
  let valid = true;
  if (!REQUIREMENT_ID_PATTERN.test(leadIn.id)) {
    problem("malformed-id", line, `"${leadIn.id}" is not a valid requirement ID`);
    valid = false;
  }
  if (!leadIn.closed) {
    problem("invalid-level", line, `the bold lead-in of "${leadIn.id}" is not closed with **`);
    return false;
  }
  if (!(ACTORS as readonly string[]).includes(leadIn.actor)) {
    problem(
      "invalid-actor",
      line,
      `"${leadIn.actor}" is not an actor (expected one of ${ACTORS.join(", ")})`,
    );
    valid = false;
  }
  if (!LEAD_IN_KEYWORDS.includes(leadIn.keyword)) {
    problem(
      "invalid-level",
      line,
      `"${leadIn.keyword}" is not a requirement level (expected ${LEAD_IN_KEYWORDS.join(", ")})`,
    );
    valid = false;
  }
  return valid;
}

// Replaces fenced blocks and inline code with blanks so keyword scanning never
// sees them, while keeping every other character at its column and line.
function maskCode(lines: readonly string[]): LineInfo[] {
  const infos: LineInfo[] = [];
  let fence: Fence | undefined;
  let paragraph: number[] = [];

  const flush = (): void => {
    if (paragraph.length === 0) return;
    const masked = maskInlineCode(paragraph.map((index) => lines[index]).join("\n")).split("\n");
    paragraph.forEach((index, offset) => {
      infos[index] = { scan: masked[offset], fenceOpen: false };
    });
    paragraph = [];
  };

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    if (fence !== undefined) {
      infos[index] = { scan: null, fenceOpen: false };
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(raw);
      if (close !== null && close[1][0] === fence.char && close[1].length >= fence.length) {
        fence = undefined;
      }
      continue;
    }
    const open = FENCE_OPEN_RE.exec(raw);
    if (open !== null && !(open[1][0] === "`" && raw.slice(open[0].length).includes("`"))) {
      flush();
      fence = { char: open[1][0], length: open[1].length };
      infos[index] = { scan: null, fenceOpen: true };
      continue;
    }
    if (raw.trim() === "") {
      flush();
      infos[index] = { scan: raw, fenceOpen: false };
      continue;
    }
    // Code spans may run across lines, but never out of their paragraph.
    paragraph.push(index);
  }
  flush();
  return infos;
}

function maskInlineCode(text: string): string {
  let out = "";
  let position = 0;
  while (position < text.length) {
    const tick = text.indexOf("`", position);
    if (tick === -1) break;
    let runEnd = tick;
    while (text[runEnd] === "`") runEnd++;
    const run = runEnd - tick;
    const close = findClosingRun(text, runEnd, run);
    if (close === -1) {
      out += text.slice(position, runEnd);
      position = runEnd;
      continue;
    }
    out += text.slice(position, tick) + text.slice(tick, close + run).replace(/[^\n]/g, " ");
    position = close + run;
  }
  return out + text.slice(position);
}

function findClosingRun(text: string, from: number, run: number): number {
  let position = from;
  while (position < text.length) {
    const tick = text.indexOf("`", position);
    if (tick === -1) return -1;
    let runEnd = tick;
    while (text[runEnd] === "`") runEnd++;
    if (runEnd - tick === run) return tick;
    position = runEnd;
  }
  return -1;
}

function indentOf(raw: string): number {
  return columns(/^\s*/.exec(raw)?.[0] ?? "");
}

// Tabs advance to the next multiple of four, as in CommonMark.
function columns(whitespace: string, start = 0): number {
  let column = start;
  for (const char of whitespace) column = char === "\t" ? column + 4 - (column % 4) : column + 1;
  return column - start;
}
