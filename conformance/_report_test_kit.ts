// Test support for the report writers: random reports full of hostile
// strings, and a strict XML reader that rejects anything not well-formed.

import fc from "fast-check";
import type {
  CheckFailure,
  CheckResult,
  CheckStatus,
  Report,
  RequirementResult,
  RequirementStatus,
} from "./report.ts";
import type { Level } from "./requirements.ts";
import type { TranscriptEntry } from "./transcript.ts";

const NASTY = [
  "<",
  ">",
  "&",
  "&amp;",
  "&#0;",
  "]]>",
  "<![CDATA[",
  '"',
  "'",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\r\n",
  "\t",
  "\ud800",
  "\udfff",
  "\ufffe",
  "\uffff",
  "😀",
  "é",
  "\u202e",
  "</testcase>",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "--",
  "<!--",
  "total",
];

/** Strings made to break markup and terminals: markup, entities, controls, lone surrogates, unicode. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.array(
    fc.oneof(
      fc.constantFrom(...NASTY),
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 5 },
  ).map((parts) => parts.join(""));
}

/** JSON values as they come back from JSON (no `-0`). */
function jsonValue(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)));
}

function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined });
}

/** `value` without its members that are `undefined`, so absent stays absent. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const entryArbitrary: fc.Arbitrary<TranscriptEntry> = fc.record({
  atMs: fc.nat(100_000),
  channel: hostileString(),
  direction: fc.constantFrom(">" as const, "<" as const, "#" as const),
  text: hostileString(),
}, { noNullPrototype: true });

const rawCheck = fc.record({
  id: hostileString(),
  title: hostileString(),
  sectionIndex: fc.nat(),
  picks: fc.array(fc.nat(), { maxLength: 3 }),
  status: fc.constantFrom<CheckStatus>("passed", "failed", "error", "skipped"),
  durationMs: fc.nat(60_000),
  message: hostileString(),
  skipReason: hostileString(),
  expected: optional(jsonValue()),
  actual: optional(jsonValue()),
  property: optional(fc.record({
    counterexample: hostileString(),
    seed: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
    path: hostileString(),
    numRuns: fc.nat(1000),
    replay: hostileString(),
  })),
  transcript: fc.array(entryArbitrary, { maxLength: 4 }),
});

const rawRequirement = fc.record({
  id: hostileString(),
  level: fc.constantFrom<Level>("MUST", "SHOULD"),
  actor: fc.constantFrom("server" as const, "client" as const),
  sectionIndex: fc.nat(),
  text: hostileString(),
});

/**
 * Random reports whose summary and requirement verdicts follow from their
 * checks as the runner derives them, with hostile strings everywhere.
 */
export function reportArbitrary(): fc.Arbitrary<Report> {
  return fc.record({
    suite: fc.constantFrom("server" as const, "client" as const),
    target: hostileString(),
    startedAt: fc.date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2100-01-01T00:00:00Z"),
      noInvalidDate: true,
    }).map((d) => d.toISOString()),
    durationMs: fc.nat(10_000_000),
    seed: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
    numRuns: fc.nat(1000),
    features: fc.uniqueArray(hostileString(), { maxLength: 3 }),
    runtime: hostileString(),
    sections: fc.uniqueArray(hostileString(), { minLength: 1, maxLength: 4 }),
    requirements: fc.uniqueArray(rawRequirement, { selector: (r) => r.id, maxLength: 8 }),
    checks: fc.uniqueArray(rawCheck, { selector: (c) => c.id, maxLength: 10 }),
  }).map((raw) => {
    const sectionOf = (i: number) => raw.sections[i % raw.sections.length];
    const checks: CheckResult[] = raw.checks.map((c) => {
      const requirements = raw.requirements.length === 0
        ? []
        : [...new Set(c.picks.map((i) => raw.requirements[i % raw.requirements.length].id))];
      const status = c.status === "failed" && requirements.length === 0 ? "error" : c.status;
      const base = {
        id: c.id,
        title: c.title,
        section: sectionOf(c.sectionIndex),
        requirements,
        status,
        durationMs: c.durationMs,
      };
      if (status === "passed") return base;
      if (status === "skipped") return { ...base, skipReason: c.skipReason };
      const broken = status === "failed"
        ? raw.requirements.find((r) => r.id === requirements[0])
        : undefined;
      const failure: CheckFailure = defined({
        requirement: broken?.id,
        level: broken?.level,
        message: c.message,
        expected: c.expected,
        actual: c.actual,
        ...c.property,
        transcript: c.transcript,
      });
      return { ...base, failure };
    });
    const requirements: RequirementResult[] = raw.requirements.map((r) => {
      const covering = checks.filter((c) => c.requirements.includes(r.id));
      let status: RequirementStatus;
      if (covering.length === 0) status = "untested";
      else if (covering.some((c) => c.failure?.requirement === r.id)) {
        status = r.level === "MUST" ? "failed" : "warning";
      } else if (covering.some((c) => c.status === "error")) status = "failed";
      else if (covering.some((c) => c.status === "passed")) status = "passed";
      else status = "skipped";
      return {
        id: r.id,
        level: r.level,
        actor: r.actor,
        section: sectionOf(r.sectionIndex),
        text: r.text,
        status,
        checks: covering.map((c) => c.id),
      };
    });
    const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
    const mustFailed = requirements.filter((r) => r.status === "failed").length;
    return {
      suite: raw.suite,
      target: raw.target,
      startedAt: raw.startedAt,
      durationMs: raw.durationMs,
      seed: raw.seed,
      numRuns: raw.numRuns,
      features: raw.features,
      runtime: raw.runtime,
      checks,
      requirements,
      summary: {
        passed: count("passed"),
        failed: count("failed"),
        errors: count("error"),
        skipped: count("skipped"),
        mustFailed,
        shouldFailed: requirements.filter((r) => r.status === "warning").length,
        untested: requirements.filter((r) => r.status === "untested").length,
        conforms: mustFailed === 0 && count("error") === 0,
      },
    };
  });
}

/** An element read by {@linkcode parseXml}; text children are decoded. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

/** Every element of `root` named `name`, in document order, `root` included. */
export function elements(root: XmlElement, name?: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (element: XmlElement) => {
    if (name === undefined || element.name === name) found.push(element);
    for (const child of element.children) if (typeof child !== "string") walk(child);
  };
  walk(root);
  return found;
}

/** The decoded text of `element`, children included. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => typeof c === "string" ? c : textOf(c)).join("");
}

const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/**
 * Reads `text` as an XML 1.0 document and throws at the first thing that is
 * not well-formed: a character XML forbids, a bare `&` or `<`, `]]>` in
 * text, an unknown entity, a duplicate attribute, a tag closed out of
 * order. `doctype` allows a leading `<!DOCTYPE html>` (an HTML page written
 * as well-formed markup).
 */
export function parseXml(text: string, options: { doctype?: boolean } = {}): XmlElement {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (!isXmlChar(code)) throw new Error(`character U+${code.toString(16)} is not allowed`);
  }
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\r\n".includes(text[at])) at++;
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (match === null) fail("a name expected");
    at += match![0].length;
    return match![0];
  };
  const reference = (): string => {
    const end = text.indexOf(";", at);
    if (end < 0) fail("unterminated reference");
    const body = text.slice(at + 1, end);
    let value: string;
    if (/^#[0-9]+$/.test(body) || /^#x[0-9a-fA-F]+$/.test(body)) {
      const code = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isXmlChar(code)) fail(`reference to a forbidden character`);
      value = String.fromCodePoint(code);
    } else if (body in ENTITIES) value = ENTITIES[body];
    else value = fail(`unknown entity &${body};`);
    at = end + 1;
    return value;
  };
  const element = (): XmlElement => {
    if (text[at] !== "<") fail("an element expected");
    at++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = at;
      skipSpace();
      if (text.startsWith("/>", at)) {
        at += 2;
        return { name: tag, attributes, children: [] };
      }
      if (text[at] === ">") {
        at++;
        break;
      }
      if (at === before) fail("space expected before an attribute");
      const attribute = name();
      if (attribute in attributes) fail(`duplicate attribute ${attribute}`);
      skipSpace();
      if (text[at] !== "=") fail("= expected");
      at++;
      skipSpace();
      const quote = text[at];
      if (quote !== '"' && quote !== "'") fail("quoted value expected");
      at++;
      let value = "";
      while (text[at] !== quote) {
        if (at >= text.length) fail("unterminated attribute value");
        if (text[at] === "<") fail("< in an attribute value");
        if (text[at] === "&") value += reference();
        else {
          // A parser normalises literal whitespace in attribute values to spaces.
          value += "\t\r\n".includes(text[at]) ? " " : text[at];
          at++;
        }
      }
      at++;
      attributes[attribute] = value;
    }
    const children: (XmlElement | string)[] = [];
    let chars = "";
    for (;;) {
      if (at >= text.length) fail(`<${tag}> is not closed`);
      if (text.startsWith("</", at)) {
        at += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (text[at] !== ">") fail("> expected");
        at++;
        if (chars !== "") children.push(chars);
        return { name: tag, attributes, children };
      }
      if (text.startsWith("<![CDATA[", at)) {
        const end = text.indexOf("]]>", at);
        if (end < 0) fail("unterminated CDATA section");
        chars += text.slice(at + 9, end);
        at = end + 3;
      } else if (text.startsWith("<!--", at)) {
        const end = text.indexOf("-->", at);
        if (end < 0 || text.slice(at + 4, end).includes("--")) fail("bad comment");
        at = end + 3;
      } else if (text[at] === "<") {
        if (chars !== "") children.push(chars);
        chars = "";
        children.push(element());
      } else if (text[at] === "&") {
        chars += reference();
      } else {
        if (text.startsWith("]]>", at)) fail("]]> in text");
        chars += text[at];
        at++;
      }
    }
  };
  if (text.startsWith("<?xml", at)) {
    const end = text.indexOf("?>", at);
    if (end < 0) fail("unterminated XML declaration");
    at = end + 2;
  }
  skipSpace();
  if (options.doctype && text.startsWith("<!DOCTYPE html>", at)) {
    at += "<!DOCTYPE html>".length;
    skipSpace();
  }
  const root = element();
  skipSpace();
  if (at !== text.length) fail("content after the root element");
  return root;
}
