import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";

const root = new URL("../", import.meta.url);

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, root), "utf8"));
}

const deno = readJson("deno.json");
const jsr = readJson("jsr.json");
const npm = readJson("package.json");

describe("package configuration", () => {
  it("deno.json and jsr.json agree on name, version and exports", () => {
    assert.equal(jsr.name, deno.name);
    assert.equal(jsr.version, deno.version);
    assert.deepEqual(jsr.exports, deno.exports);
    assert.equal(deno.name, "@agent-stream/agent-stream");
    assert.match(String(deno.version), /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/);
  });

  it("every export target exists", () => {
    const exports = deno.exports as Record<string, string>;
    assert.ok(Object.keys(exports).length > 0);
    for (const [subpath, target] of Object.entries(exports)) {
      assert.ok(existsSync(new URL(target, root)), `${subpath} -> ${target} does not exist`);
    }
  });

  it("typedoc documents exactly the package exports", () => {
    const typedoc = readJson("typedoc.json");
    const targets = Object.values(deno.exports as Record<string, string>);
    assert.deepEqual([...(typedoc.entryPoints as string[])].sort(), [...targets].sort());
  });

  it("deno.json has compilerOptions, so Deno ignores the typedoc-only tsconfig.json", () => {
    // Without them Deno type-checks with tsconfig.json, whose lib lacks the Deno namespace.
    assert.equal(typeof deno.compilerOptions, "object");
  });

  it("package.json declares deno and bun as devDependencies", () => {
    const devDependencies = npm.devDependencies as Record<string, string>;
    assert.ok(devDependencies.deno, "deno is missing from devDependencies");
    assert.ok(devDependencies.bun, "bun is missing from devDependencies");
  });
});
