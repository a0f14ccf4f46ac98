/**
 * Child processes of the server benchmarks: spawned with the hard limit of
 * open files, pinned to a core with `taskset` where it exists, read line by
 * line, measured through `/proc/<pid>` (resident memory, CPU time), stopped
 * within a bounded time, and killed when the harness exits.
 *
 * @module
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import { createInterface } from "node:readline";

/** Whether `taskset` can pin processes to cores here. */
export const HAS_TASKSET: boolean = (() => {
  try {
    execFileSync("sh", ["-c", "command -v taskset"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Clock ticks per second of `/proc/<pid>/stat` times. */
const CLOCK_TICKS: number = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const children = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const child of children) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A spawned process with its output as lines. */
export interface Child {
  readonly process: ChildProcess;
  /** The process id; `sh` and `taskset` exec into the command, so it is the command's. */
  readonly pid: number;
  /** Resolves with the first stdout line that `match` accepts, or rejects at the timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Calls `listener` with every later stdout line. */
  onLine(listener: (line: string) => void): void;
  /** Writes a line to the process's stdin. */
  send(line: string): void;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Stderr collected so far (the last 8 KB). */
  stderr(): string;
}

/** How to spawn a child. */
export interface SpawnOptions {
  /** Core to pin the process to (ignored without taskset). */
  readonly core?: number;
  /** Working directory. */
  readonly cwd?: string;
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Echo stderr to ours. */
  readonly echoStderr?: boolean;
}

/**
 * Spawns `argv` with the hard open-files limit, pinned to `options.core`.
 *
 * @example
 * ```ts ignore
 * import { spawnChild } from "./_proc.ts";
 * const child = spawnChild(["node", "-e", "console.log('hi')"], { core: 1 });
 * console.log(await child.waitForLine((l) => l === "hi", 5_000));
 * ```
 */
export function spawnChild(argv: readonly string[], options: SpawnOptions = {}): Child {
  hookExit();
  const pinned = HAS_TASKSET && options.core !== undefined
    ? ["taskset", "-c", String(options.core), ...argv]
    : [...argv];
  const child = spawn(
    "sh",
    ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...pinned],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Uint8Array) => {
    const text = new TextDecoder().decode(chunk);
    stderr = (stderr + text).slice(-8192);
    if (options.echoStderr) process.stderr.write(text);
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) waiter(line);
  });
  return {
    process: child,
    pid: child.pid!,
    exited,
    stderr: () => stderr,
    send: (line) => child.stdin!.write(line + "\n"),
    onLine: (listener) => void waiters.add(listener),
    waitForLine(match, timeoutMs) {
      const seen = lines.find(match);
      if (seen !== undefined) {
        lines.splice(lines.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const done = (error?: Error, line?: string) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (error) reject(error);
          else {
            lines.splice(lines.indexOf(line!), 1);
            resolve(line!);
          }
        };
        const waiter = (line: string) => {
          if (match(line)) done(undefined, line);
        };
        const timer = setTimeout(
          () => done(new Error(`no expected output within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.add(waiter);
        exited.then((code) => {
          if (waiters.has(waiter)) done(new Error(`exited (${code}); stderr: ${stderr.trim()}`));
        });
      });
    },
  };
}

/**
 * Stops a child: SIGTERM (and stdin closed), then SIGKILL after `graceMs`.
 *
 * @example
 * ```ts ignore
 * import { spawnChild, stopChild } from "./_proc.ts";
 * await stopChild(spawnChild(["sleep", "60"]), 2_000);
 * ```
 */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.stdin?.end();
  child.process.kill("SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.process.kill("SIGKILL");
      resolve();
    }, graceMs);
  });
  await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  await child.exited;
}

/**
 * Resident memory of a process in KiB (`VmRSS`), or undefined off Linux.
 *
 * @example
 * ```ts ignore
 * import process from "node:process";
 * import { residentKib } from "./_proc.ts";
 * console.log(residentKib(process.pid));
 * ```
 */
export function residentKib(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used, in seconds, or undefined off Linux.
 *
 * @example
 * ```ts ignore
 * import process from "node:process";
 * import { cpuSecondsOf } from "./_proc.ts";
 * console.log(cpuSecondsOf(process.pid));
 * ```
 */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * The first line of a command's output, or undefined if it cannot run.
 *
 * @example
 * ```ts ignore
 * import { commandLine } from "./_proc.ts";
 * console.log(commandLine("node", ["--version"])); // v20.…
 * ```
 */
export function commandLine(command: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(command, [...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    })
      .split("\n")[0].trim();
  } catch {
    return undefined;
  }
}

/** Whether `/proc` is there to measure processes. */
export const HAS_PROC: boolean = existsSync("/proc/self/status");
