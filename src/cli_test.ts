// The CLI end to end: started as a child process under the runtime running
// the test (Deno or Bun), on a free port and a temporary data directory.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createTcpServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { parseServeArgs } from "./cli.ts";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
// Deno needs `run` and permissions; Bun runs a file as it is.
const RUNTIME_ARGS = "Deno" in globalThis ? ["run", "--quiet", "-A"] : [];
const runtime = "Deno" in globalThis ? "deno" : "bun";

interface Cli {
  readonly child: ChildProcess;
  /** The base URL from the start-up line. */
  readonly url: string;
  readonly startLine: string;
  /** Resolves with the exit code and all output once the child ended. */
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Runs the CLI; resolves once it printed its start-up line, rejects if it exits first. */
function startCli(args: string[]): Promise<Cli> {
  const { child, exited } = runCli(args);
  let stdout = "";
  child.stdout?.on("data", (chunk) => stdout += chunk);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no start-up line within 30 s:\n${stdout}`));
    }, 30_000);
    const onData = () => {
      const line = stdout.split("\n").find((l) => l.includes("listening on"));
      const url = line && /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (line && url) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve({ child, url, startLine: line, exited });
      }
    };
    child.stdout?.on("data", onData);
    void exited.then((result) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${result.code}) before listening:\n${result.stderr}`));
    });
  });
}

/** Runs the CLI to its end, killed after 30 s at the latest. */
function runCli(args: string[]): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [...RUNTIME_ARGS, CLI, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (text: string) => stdout += text);
  child.stderr.on("data", (text: string) => stderr += text);
  const limit = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(limit);
        resolve({ code, stdout, stderr });
      });
    },
  );
  return { child, exited };
}

async function stop(cli: Cli): Promise<{ code: number | null; stdout: string }> {
  // Not child.kill(): Deno's child_process then reports the signal, not the exit code.
  process.kill(cli.child.pid!, "SIGTERM");
  return await cli.exited;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "agent-stream-cli-"));
}

/** Fetches with a time limit, so no test hangs on a silent server. */
function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
}

function assertOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
}

describe(`agent-stream serve (${runtime})`, { timeout: 120_000 }, () => {
  for (const store of ["sqlite", "file"]) {
    it(`keeps appends across a restart (${store} store)`, async () => {
      const data = tempDir();
      const args = ["serve", "--port", "0", "--store", store, "--data", data];
      try {
        const first = await startCli(args);
        let result;
        try {
          const where = store === "sqlite" ? join(data, "streams.db") : join(data, "streams");
          assert.ok(first.startLine.includes(`store: ${store}, data: ${where}`), first.startLine);
          // DISC-GET-1
          const discovery = await get(`${first.url}/v1`);
          assert.equal(discovery.status, 200);
          assert.ok(((await discovery.json()) as { versions: string[] }).versions.includes("1.0"));

          const stream = `${first.url}/v1/stream/chats%2F1`;
          const headers = { "Content-Type": "application/json" };
          const created = await get(stream, { method: "PUT", headers });
          assert.equal(created.status, 201, await created.text());
          const body = '[{"role":"user","text":"hi"},{"n":1.50}]';
          const appended = await get(stream, { method: "POST", headers, body });
          assert.ok(appended.ok, await appended.text());
        } finally {
          result = await stop(first);
        }
        assert.equal(result.code, 0, "SIGTERM is a graceful stop");
        assert.match(result.stdout, /shutting down\n.*stopped/);

        const second = await startCli(args);
        try {
          const read = await get(`${second.url}/v1/stream/chats%2F1?offset=-1`);
          assert.equal(read.status, 200);
          // LOG-MSG-1/2: messages come back exactly as sent.
          assert.equal(await read.text(), '[{"role":"user","text":"hi"},{"n":1.50}]');
        } finally {
          await stop(second);
        }
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    });
  }

  it("serves from memory without touching the data directory", async () => {
    const data = join(tempDir(), "never-created");
    const cli = await startCli(["serve", "--port", "0", "--store", "memory", "--data", data]);
    try {
      assert.match(cli.startLine, /store: memory/);
      assert.equal((await get(`${cli.url}/v1`)).status, 200);
    } finally {
      assert.equal((await stop(cli)).code, 0);
    }
  });

  it("upgrades WebSocket connections and says goodbye on SIGTERM", async () => {
    const cli = await startCli(["serve", "--port", "0", "--store", "memory"]);
    const frames: Array<Record<string, unknown>> = [];
    let socket: WebSocket | undefined;
    try {
      const discovery = await (await get(`${cli.url}/v1`)).json() as { features: string[] };
      assert.ok(discovery.features.includes("websocket"));
      // The views of agent streams are served too.
      assert.ok(discovery.features.includes("ag-ui") && discovery.features.includes("ai-sdk"));
      socket = new WebSocket(`${cli.url.replace("http", "ws")}/v1/ws`, ["agent-stream.v1"]);
      const ws = socket;
      const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no welcome within 10 s")), 10_000);
        ws.onerror = () => reject(new Error("WebSocket failed"));
        ws.onopen = () => ws.send(JSON.stringify({ type: "hello", version: "1.0" }));
        ws.onmessage = (event) => {
          frames.push(JSON.parse(String(event.data)));
          if (frames.at(-1)?.type === "welcome") {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      assert.equal(ws.protocol, "agent-stream.v1"); // WS-HANDSHAKE-2
      const result = await stop(cli);
      assert.equal(result.code, 0);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000))]);
      assert.ok(frames.some((f) => f.type === "goodbye"), JSON.stringify(frames));
    } finally {
      socket?.close();
      cli.child.kill("SIGKILL");
    }
  });

  it("fails with one line and exit code 1 when the port is taken", async () => {
    const blocker: Server = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await runCli(["serve", "--port", String(port), "--store", "memory"])
        .exited;
      assert.equal(code, 1);
      assertOneLineError(stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  for (const store of ["sqlite", "file"]) {
    it(`fails with one line and exit code 1 when the data directory is unwritable (${store})`, async () => {
      const dir = tempDir();
      // A file where a directory should be: unwritable even for root.
      writeFileSync(join(dir, "file"), "");
      try {
        const data = join(dir, "file", "data");
        const { code, stderr } = await runCli([
          "serve",
          "--port",
          "0",
          "--store",
          store,
          "--data",
          data,
        ])
          .exited;
        assert.equal(code, 1);
        assertOneLineError(stderr, /cannot write to the data directory .*file\/data/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("prints usage on --help, and one line for a bad option", async () => {
    const help = await runCli(["serve", "--help"]).exited;
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: agent-stream serve/);
    const bad = await runCli(["serve", "--store", "cloud"]).exited;
    assert.equal(bad.code, 1);
    assertOneLineError(bad.stderr, /--store must be one of sqlite, file, memory/);
  });
});

describe("parseServeArgs", () => {
  it("has the defaults of the README", () => {
    assert.deepEqual(parseServeArgs([]), {
      port: 8787,
      host: "127.0.0.1",
      store: "sqlite",
      data: "./.data",
      help: false,
    });
  });

  it("reads every option", () => {
    assert.deepEqual(
      parseServeArgs(["--port", "0", "--host", "::1", "--store", "file", "--data", "/x", "-h"]),
      { port: 0, host: "::1", store: "file", data: "/x", help: true },
    );
  });

  it("rejects bad values with messages fit for a person", () => {
    assert.throws(() => parseServeArgs(["--port", "http"]), /--port must be a number/);
    assert.throws(() => parseServeArgs(["--port", "70000"]), /--port must be a number/);
    assert.throws(() => parseServeArgs(["--store", "s3"]), /--store must be one of/);
    assert.throws(() => parseServeArgs(["--nope"]), /unknown option --nope/);
    assert.throws(() => parseServeArgs(["extra"]), /unexpected argument extra/);
    assert.throws(() => parseServeArgs(["--port"]), /option --port needs a value/);
  });
});
