/**
 * Runs `deno doc --lint` on the given entry points, minus one false alarm.
 *
 * `deno doc --lint` reports every type from an npm package used in our public
 * API (`v.GenericSchema<T>` from valibot, say) as `private-type-ref`, because
 * it cannot see the package's own exports. Those types are public where they
 * are declared, so such reports are dropped here; a `private-type-ref` to a
 * type declared in this repository still fails, as does every other finding.
 *
 * Usage: `deno run --allow-run --allow-read scripts/doc_lint.ts [entry...]` (default: the
 * exports of deno.json)
 *
 * @module
 */

const SOURCE_DIRS = ["src", "conformance", "adapters"];

// Without arguments: every export of deno.json, so a new sub-path is linted by default.
const entries = Deno.args.length > 0 ? Deno.args : Object.values(
  (JSON.parse(await Deno.readTextFile("deno.json")) as { exports: Record<string, string> })
    .exports,
);

const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...entries],
  env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
  stdout: "piped",
  stderr: "piped",
}).output();
const decoder = new TextDecoder();
const output = decoder.decode(stdout) + decoder.decode(stderr);

interface Diagnostic {
  readonly rule: string;
  readonly message: string;
  readonly text: string;
}

function parseDiagnostics(text: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let current: { rule: string; message: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current !== undefined) {
      diagnostics.push({
        rule: current.rule,
        message: current.message,
        text: current.lines.join("\n").trimEnd(),
      });
    }
    current = undefined;
  };
  for (const line of text.split("\n")) {
    const start = /^error\[([a-z0-9-]+)\]: (.*)$/.exec(line);
    if (start !== null) {
      flush();
      current = { rule: start[1], message: start[2], lines: [line] };
    } else if (/^error: /.test(line)) {
      flush();
    } else if (current !== undefined) {
      current.lines.push(line);
    }
  }
  flush();
  return diagnostics;
}

async function localDeclarations(): Promise<string> {
  const sources: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) sources.push(await Deno.readTextFile(path));
    }
  };
  for (const dir of SOURCE_DIRS) {
    try {
      await walk(dir);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return sources.join("\n");
}

if (code === 0) {
  console.log(output.trim());
  Deno.exit(0);
}

const diagnostics = parseDiagnostics(output);
if (diagnostics.length === 0) {
  // Not a lint finding (a missing module, a type error): report it unchanged.
  console.error(output.trim());
  Deno.exit(code);
}

const sources = await localDeclarations();
const declaredHere = (name: string): boolean =>
  new RegExp(
    `\\b(?:type|interface|class|enum|function|const|let|var|namespace)\\s+${
      name.replaceAll("$", "\\$")
    }(?![A-Za-z0-9_$])`,
  ).test(sources);

const ignored = new Set<string>();
const kept = diagnostics.filter((diagnostic) => {
  if (diagnostic.rule !== "private-type-ref") return true;
  const name = /references private type '([A-Za-z0-9_$]+)'/.exec(diagnostic.message)?.[1];
  if (name === undefined || declaredHere(name)) return true;
  ignored.add(name);
  return false;
});

if (ignored.size > 0) {
  console.log(
    `ignored private-type-ref to types of npm dependencies: ${[...ignored].sort().join(", ")}`,
  );
}
if (kept.length > 0) {
  console.error(kept.map((diagnostic) => diagnostic.text).join("\n\n"));
  console.error(`\n${kept.length} documentation lint error(s)`);
  Deno.exit(1);
}
console.log(`documentation lint passed for ${entries.join(", ")}`);
