// http.md §2: stream paths, their decoding, and the names a server refuses.

import fc from "fast-check";
import { type Check, defineCheck } from "../../check.ts";
import type { CheckContext } from "../../check.ts";
import { appendJson, offsetOf, rawStreamUrl, snapshot } from "./_support.ts";

const encoder = new TextEncoder();

/** The path of `t.stream()` percent-encoded segment by segment, as `streamUrl` does. */
function encoded(path: string): string {
  return path.split("/").map((s) => encodeURIComponent(s)).join("/");
}

// `%2F` separators keep dot segments away from the client's URL parser, which
// would resolve a literal `/../` (or `/%2e%2e/`) before sending.
const DEFECTS = [
  "empty",
  "leading-slash",
  "trailing-slash",
  "double-slash",
  "dot",
  "dot-dot",
  "control",
  "backslash",
  "bad-utf8",
  "too-many-bytes",
  "too-many-characters",
] as const;
type Defect = (typeof DEFECTS)[number];

const BAD_UTF8 = [
  "%FF",
  "%80",
  "%C3",
  "%C3%28",
  "%C0%AF",
  "%E2%82",
  "%ED%A0%80",
  "%F8%88%80%80%80",
  "%F4%90%80%80",
];

interface Malformed {
  readonly defect: Defect;
  readonly at: number;
  readonly pick: number;
}

function malformedPath(t: CheckContext, base: string, m: Malformed): string {
  const e = encoded(base);
  const cut = Math.min(e.length, Math.max(1, m.at % (e.length + 1)));
  const insert = (piece: string) => e.slice(0, cut) + piece + e.slice(cut);
  const maxBytes = t.discovery.limits.maxStreamPathBytes;
  switch (m.defect) {
    case "empty":
      return "";
    case "leading-slash":
      return "/" + e;
    case "trailing-slash":
      return e + "/";
    case "double-slash":
      return [e.replace("/", "//"), e + "//x", e.replace("/", "%2F%2F")][m.pick % 3];
    case "dot":
      return [e + "%2F.", e + "%2F.%2Fx", ".%2F" + e, e + "/x%2F."][m.pick % 4];
    case "dot-dot":
      return [e + "%2F..", e + "%2F..%2Fx", "..%2F" + e, e + "/x%2F..%2Fy"][m.pick % 4];
    case "control": {
      const code = m.pick % 33 === 32 ? 0x7f : m.pick % 33;
      return insert("%" + code.toString(16).toUpperCase().padStart(2, "0"));
    }
    case "backslash":
      return insert(m.pick % 2 === 0 ? "%5C" : "%5c");
    case "bad-utf8":
      return insert(BAD_UTF8[m.pick % BAD_UTF8.length]);
    case "too-many-bytes":
      if (maxBytes <= 4096) {
        return e + "/" + "b".repeat(Math.max(1, maxBytes - base.length) + (m.pick % 16));
      }
      // Beyond that, the bound of 1,024 characters is the one to reach.
      return e + "/" + "b".repeat(1025 + (m.pick % 16));
    case "too-many-characters":
      // 1,025 code points or more, whatever the byte limit.
      return e + "/" + "%C3%A9".repeat(1025 + (m.pick % 8));
  }
}

/** A path of random segments, each starting with a letter so that none is `.` or `..`. */
function fcSegments(): fc.Arbitrary<string[]> {
  const char = fc.constantFrom(
    ..."aZ09-._~!$&'()*+,;=:@ %?#éü日本😀",
    "e\u0301",
  );
  return fc.array(
    fc.array(char, { maxLength: 6 }).map((cs) => "s" + cs.join("")),
    { minLength: 1, maxLength: 3 },
  );
}

const RAW_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

/** Encodes a decoded path, choosing for each character (and each `/`) one of its encodings. */
function encodeVariant(path: string, choices: readonly number[]): string {
  let i = 0;
  let out = "";
  for (const c of path) {
    const choice = choices[i++ % choices.length];
    if (c === "/" && choice % 3 !== 0) {
      out += choice % 3 === 1 ? "/" : "%2" + (choice % 2 === 0 ? "F" : "f");
      continue;
    }
    if (c === "/" || (RAW_SAFE.test(c) && choice % 2 === 0)) {
      out += c;
      continue;
    }
    const hex = [...encoder.encode(c)].map((b) => b.toString(16).padStart(2, "0"));
    out += hex.map((h) => "%" + (choice % 4 < 2 ? h.toUpperCase() : h)).join("");
  }
  return out;
}

/** Checks of http.md §2 (stream paths). */
export const httpPathsChecks: readonly Check[] = [
  defineCheck({
    id: "http.paths.invalid-name",
    title:
      "a path that is empty, too long, has an empty, . or .. segment, a control character, a backslash or bad UTF-8 answers 400 invalid-stream-name",
    section: "http.md §2",
    requirements: ["HTTP-PATH-1"],
    async run(t) {
      await t.property(
        fc.record({
          defect: fc.constantFrom(...DEFECTS),
          at: fc.nat(200),
          pick: fc.nat(1000),
          method: fc.constantFrom("PUT", "POST", "GET", "DELETE", "HEAD"),
        }),
        async ({ method, ...m }, run) => {
          const url = rawStreamUrl(run, malformedPath(run, run.stream("bad"), m));
          const reply = await run.http.request(method, url, {
            body: method === "PUT" || method === "POST" ? { json: [1] } : undefined,
          });
          if (method === "HEAD") run.expectStatus("HTTP-PATH-1", reply, 400);
          else run.expectProblem("HTTP-PATH-1", reply, 400, "invalid-stream-name");
        },
        { numRuns: 30 },
      );
    },
  }),
  defineCheck({
    id: "http.paths.length-bounds",
    title:
      "a path of exactly maxStreamPathBytes bytes (at most 1,024 characters) is accepted, one byte more is not",
    section: "http.md §2",
    requirements: ["HTTP-PATH-1", "HTTP-CREATE-1"],
    async run(t) {
      const base = t.stream("long");
      const longest = Math.min(t.discovery.limits.maxStreamPathBytes, 1024);
      if (longest < base.length + 2) t.skip(`maxStreamPathBytes ${longest} is below ${base}`);
      const fitting = base + "/" + "x".repeat(longest - base.length - 1);
      const ok = await t.http.request("PUT", rawStreamUrl(t, encoded(fitting)), {
        headers: { "Content-Type": "application/json" },
      });
      t.expectStatus("HTTP-CREATE-1", ok, 201);
      const over = await t.http.request("PUT", rawStreamUrl(t, encoded(fitting + "y")), {
        headers: { "Content-Type": "application/json" },
      });
      t.expectProblem("HTTP-PATH-1", over, 400, "invalid-stream-name");
      const multibyte = base + "/" + "é".repeat(Math.ceil((longest - base.length) / 2));
      const wide = await t.http.request("PUT", rawStreamUrl(t, encoded(multibyte)), {
        headers: { "Content-Type": "application/json" },
      });
      t.expect(
        "HTTP-PATH-1",
        encoder.encode(multibyte).length > t.discovery.limits.maxStreamPathBytes,
        "test path is not over the byte limit",
      );
      t.expectProblem("HTTP-PATH-1", wide, 400, "invalid-stream-name");
    },
  }),
  defineCheck({
    id: "http.paths.same-stream",
    title: "two URLs name the same stream when, and only when, their decoded paths are equal",
    section: "http.md §2",
    requirements: ["HTTP-PATH-2", "HTTP-CREATE-1"],
    async run(t) {
      await t.property(
        fc.record({
          segments: fcSegments(),
          a: fc.array(fc.nat(11), { minLength: 1, maxLength: 16 }),
          b: fc.array(fc.nat(11), { minLength: 1, maxLength: 16 }),
          variant: fc.constantFrom("case", "nfd", "double-encoded", "plus", "suffix"),
        }),
        async ({ segments, a, b, variant }, run) => {
          const path = run.stream("enc") + "/" + segments.join("/");
          if (encoder.encode(path).length > run.discovery.limits.maxStreamPathBytes) return;
          const urlA = rawStreamUrl(run, encodeVariant(path, a));
          const urlB = rawStreamUrl(run, encodeVariant(path, b));
          const created = await run.http.request("PUT", urlA, {
            headers: { "Content-Type": "application/json" },
          });
          run.expectStatus("HTTP-CREATE-1", created, 201);
          const appended = await appendJson(run, urlB, { via: "b" });
          run.expectStatus("HTTP-PATH-2", appended, [200, 204]);
          const head = await run.http.request("HEAD", urlA);
          run.expectStatus("HTTP-PATH-2", head, 200);
          run.expectEqual("HTTP-PATH-2", offsetOf(head), 1, "tail seen through the other URL");
          const other = otherPath(path, variant);
          if (other === path) return;
          const miss = await run.http.request("HEAD", rawStreamUrl(run, encodeVariant(other, a)));
          run.expectStatus("HTTP-PATH-2", miss, 404);
        },
        { numRuns: 12 },
      );
    },
  }),
  defineCheck({
    id: "http.paths.no-escape",
    title: "a path that tries to climb out of its name never reaches another stream",
    section: "http.md §2",
    requirements: ["HTTP-PATH-3", "HTTP-PATH-1"],
    async run(t) {
      const victimPath = t.stream("victim");
      const victim = await t.createStream(victimPath);
      t.expectStatus("HTTP-PATH-3", await appendJson(t, victim, ["kept"]), [200, 204]);
      const before = await snapshot(t, victim);
      const parent = victimPath.split("/").slice(0, -1).map(encodeURIComponent).join("/");
      const name = encodeURIComponent(victimPath.split("/").at(-1)!);
      const attempts = [
        `${parent}/x/..%2F${name}`,
        `${parent}/x%2F..%2F${name}`,
        `${parent}/x/y/..%2F..%2F${name}`,
        `${parent}/x%5C..%5C${name}`,
        `${parent}/x/%2E%2E%2F${name}`,
        `${parent}/x/.%2E%2F${name}`,
      ];
      for (const attempt of attempts) {
        const url = rawStreamUrl(t, attempt);
        for (const method of ["POST", "PUT", "DELETE"]) {
          const reply = await t.http.request(method, url, {
            headers: { "Content-Type": "application/json", "Stream-Closed": "true" },
            body: method === "DELETE" ? undefined : JSON.stringify(["escaped"]),
          });
          t.expectProblem("HTTP-PATH-1", reply, 400, "invalid-stream-name");
        }
      }
      const after = await snapshot(t, victim);
      t.expectEqual("HTTP-PATH-3", after, before, "the neighbouring stream");
    },
  }),
];

function otherPath(path: string, variant: string): string {
  switch (variant) {
    case "case": {
      const i = [...path].findIndex((c) => /[a-z]/.test(c));
      const cs = [...path];
      cs[i] = cs[i].toUpperCase();
      return cs.join("");
    }
    case "nfd":
      return path.normalize("NFD") !== path ? path.normalize("NFD") : path.normalize("NFC");
    case "double-encoded":
      return path.replace("/", "%2F");
    case "plus":
      return path.includes(" ") ? path.replace(" ", "+") : path + "+";
    default:
      return path + "x";
  }
}
