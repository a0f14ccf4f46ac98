// No stream path may name anything but its own plain file directly inside
// the data directory (HTTP-PATH-3), two paths never share a file, and the
// file a path maps to is the same after a restart. The backend is tested on
// its own, with paths the log store would refuse long before.

import fc from "fast-check";
import assert from "node:assert/strict";
import { mkdtemp, readdir, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { describe, it } from "node:test";
import type { StoredStream } from "./backend.ts";
import { STREAM_FILE_SUFFIX, streamFileName } from "./_file_names.ts";
import { FileBackend } from "./file_backend.ts";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_NUM_RUNS ?? numRuns),
  ...(seed !== undefined ? { seed } : {}),
});

const NASTY = [
  "../../etc/passwd",
  "..",
  ".",
  "./a",
  "/",
  "/etc/passwd",
  "a/../../b",
  "a\u0000b",
  "\u0000",
  "a/b",
  "a\\b",
  "..\\..\\windows",
  "C:\\Windows",
  "x".repeat(5000),
  "\u{1F600}".repeat(1024),
  "CON",
  "con",
  "nul",
  "NUL.txt",
  "aux.jsonl",
  "com1",
  "LPT9.log",
  "prn",
  "com\u00b9",
  ".hidden",
  "-rf",
  "~",
  "~root",
  "a.jsonl",
  "a",
  "A",
  "é",
  "e\u0301",
  "a ",
  "a.",
  "a%2fb",
  "a+b",
  "+a",
  "\n",
  "\ud800",
  "\udc00x",
  "",
];

const anyPath = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(".", "/", "\\", "a", "A", "%", "+", "~", "\u0000", "-"),
    maxLength: 12,
  }),
  fc.string({ unit: "binary-ascii", minLength: 150, maxLength: 400 }),
  fc.constantFrom(...NASTY),
);

function stream(key: number, path: string): StoredStream {
  return { key, path, contentType: "application/json", kind: "json", createdAt: 0 };
}

/** Creates a stream per path; returns each path's file. */
async function createAll(
  directory: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const backend = new FileBackend(directory);
  await backend.open();
  const files = new Map<string, string>();
  let key = 1;
  for (const path of paths) {
    const create = {
      type: "create",
      stream: stream(key++, path),
      entries: [],
      tail: 0,
      closed: false,
    } as const;
    await backend.commit([create]);
    files.set(path, backend.fileOf(path));
  }
  await backend.close();
  return files;
}

const nameable = (path: string): boolean => path !== "" && path.isWellFormed();

describe("stream file names", () => {
  it("keep every path's file directly inside the data directory, one file per path", async () => {
    const check = async (paths: readonly string[]) => {
      const root = await mkdtemp(join(tmpdir(), "file-names-"));
      try {
        const directory = join(root, "data");
        const accepted = await createAll(directory, paths.filter(nameable));
        const real = await realpath(directory);
        for (const [path, file] of accepted) {
          assert.equal(await realpath(dirname(file)), real, JSON.stringify(path));
          assert.ok((await stat(file)).isFile(), JSON.stringify(path));
        }
        // One file per accepted path, nothing else anywhere under the root.
        assert.deepEqual(await readdir(root), ["data"]);
        const names = await readdir(directory);
        assert.equal(names.length, accepted.size);
        assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length);

        // The same files, for the same paths, after a restart.
        const reopened = new FileBackend(directory);
        const states = await reopened.open();
        await reopened.close();
        assert.deepEqual(
          new Map(states.map((s) => [s.stream.path, reopened.fileOf(s.stream.path)])),
          accepted,
        );
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    };
    await check(NASTY);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anyPath, { minLength: 1, maxLength: 12 }), check),
      params(60),
    );
  });

  it("refuses exactly the strings no file name can stand for, writing nothing", async () => {
    fc.assert(
      fc.property(anyPath, (path) => {
        if (nameable(path)) streamFileName(path);
        else assert.throws(() => streamFileName(path), TypeError, JSON.stringify(path));
      }),
      params(1000),
    );
    for (const path of ["", "\ud800", "a\udc00"]) {
      const directory = await mkdtemp(join(tmpdir(), "file-names-"));
      try {
        const backend = new FileBackend(directory);
        await backend.open();
        const create = {
          type: "create",
          stream: stream(1, path),
          entries: [],
          tail: 0,
          closed: false,
        } as const;
        await assert.rejects(backend.commit([create]), TypeError);
        await backend.close();
        assert.deepEqual(await readdir(directory), []);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    }
  });

  it("are portable: short, lower-case, not hidden, not flags, not Windows devices", () => {
    fc.assert(
      fc.property(anyPath.filter(nameable), (path) => {
        const name = streamFileName(path);
        assert.match(name, /^[a-z0-9._%+~-]+$/);
        assert.ok(name.endsWith(STREAM_FILE_SUFFIX));
        assert.ok(name.length <= 255);
        assert.ok(!name.startsWith(".") && !name.startsWith("-"), name);
        assert.doesNotMatch(name, /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/, name);
      }),
      params(2000),
    );
  });

  it("are injective: a direct name decodes to its path, a hashed one is marked by ~", () => {
    fc.assert(
      fc.property(anyPath.filter(nameable), (path) => {
        const name = streamFileName(path);
        const stem = name.slice(0, -STREAM_FILE_SUFFIX.length);
        if (stem.includes("~")) {
          assert.match(stem, /~[0-9a-f]{64}$/);
          return;
        }
        const bytes = stem.replace(
          /\+([a-z])/g,
          (_, c: string) => `%${(c.charCodeAt(0) - 0x20).toString(16)}`,
        );
        assert.equal(decodeURIComponent(bytes), path);
      }),
      params(2000),
    );
  });

  it("reads well for ordinary paths", () => {
    assert.equal(streamFileName("chats/42"), "chats%2f42.jsonl");
    assert.equal(streamFileName("Tenants/Acme"), "+tenants%2f+acme.jsonl");
    assert.equal(streamFileName("session-1.v2"), "session-1.v2.jsonl");
    assert.equal(streamFileName(".."), "%2e..jsonl");
    assert.equal(streamFileName("con"), "%63on.jsonl");
    assert.equal(streamFileName("../../etc/passwd"), "%2e.%2f..%2fetc%2fpasswd.jsonl");
  });
});
