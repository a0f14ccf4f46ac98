// The plumbing of the reference adapters: JSON lines on stdin and stdout
// (spec/v1/conformance.md §4), commands run concurrently, and exactly one
// final event per command. What a client does lives in the adapter files.

import process from "node:process";
import type {
  AdapterEvent,
  AdapterReady,
  AppendCommand,
  ReadCommand,
} from "../client/adapter_protocol.ts";

/** Writes one event line. */
export type Emit = (event: AdapterEvent) => void;

/** A read in progress. */
export interface RunningRead {
  /** Ends the read; resolves once the client has let go of it. */
  close(): Promise<void>;
  /** Settles when the read has ended on its own (closed stream, failure) or was closed. */
  readonly ended: Promise<void>;
}

/** What an adapter does; the plumbing does the rest. */
export interface AdapterHandlers {
  /** The `ready` line. */
  readonly ready: AdapterReady;
  /** Starts a read; it emits `message` events and, when it ends on its own, `closed` or `error`. */
  read(command: ReadCommand, emit: Emit): RunningRead;
  /** Runs an append; resolves with its `done` or `error` event. */
  append(command: AppendCommand): Promise<AdapterEvent>;
  /** Lets go of every client before the process exits. */
  stop(): Promise<void> | void;
}

/** The append of both reference clients: same options, same result. */
export interface ClientAppend {
  append(
    path: string,
    messages: readonly unknown[],
    options: { close?: boolean; producer?: AppendCommand["producer"] },
  ): Promise<{ nextOffset: string; duplicate?: boolean }>;
}

/** Runs an `append` command with a reference client: its `done` or `error` event. */
export async function appendEvent(
  command: AppendCommand,
  client: ClientAppend,
): Promise<AdapterEvent> {
  try {
    const result = await client.append(command.path, command.messages, {
      ...(command.close ? { close: true } : {}),
      ...(command.producer ? { producer: command.producer } : {}),
    });
    return {
      id: command.id,
      event: "done",
      nextOffset: result.nextOffset,
      ...(result.duplicate ? { duplicate: true } : {}),
    };
  } catch (error) {
    return errorEvent(command.id, error);
  }
}

// The client's own codes for failures that are not problems (StreamErrorCode).
const CLIENT_CODES = new Set([
  "network",
  "heartbeat-timeout",
  "protocol",
  "offset-gap",
  "connection-lost",
  "http",
]);

/**
 * The error event of a failure of the reference clients: the problem type
 * the client identified (its `code`, a catalogue slug), or for a type it
 * does not know the one the server sent; the status when known.
 */
export function errorEvent(id: number, error: unknown): AdapterEvent {
  const e = error as {
    code?: unknown;
    problem?: { type?: unknown };
    status?: unknown;
    message?: unknown;
  };
  const code = typeof e?.code === "string" && !CLIENT_CODES.has(e.code) ? e.code : undefined;
  const type = code !== undefined
    ? `https://agent-stream.dev/problems/${code}`
    : typeof e?.problem?.type === "string"
    ? e.problem.type
    : undefined;
  const status = typeof e?.status === "number" ? e.status : undefined;
  return {
    id,
    event: "error",
    ...(type !== undefined ? { type } : {}),
    ...(status !== undefined ? { status } : {}),
    message: String(e?.message ?? error),
  };
}

/** Serves the adapter protocol on stdin and stdout until `stop` or the end of stdin. */
export function runAdapter(handlers: AdapterHandlers): void {
  const finals = new Set<number>();
  const reads = new Map<number, RunningRead>();
  let stopping = false;
  const write = (event: AdapterEvent): void => {
    const id = (event as { id?: number }).id;
    if (id !== undefined && finals.has(id)) return;
    if (
      id !== undefined &&
      (event.event === "closed" || event.event === "error" || event.event === "done")
    ) {
      finals.add(id);
    }
    process.stdout.write(`${JSON.stringify(event)}\n`);
  };

  const stop = async (id?: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.allSettled([...reads.values()].map((read) => read.close()));
    await handlers.stop();
    if (id !== undefined) write({ id, event: "done" });
    process.stdout.write("", () => process.exit(0));
  };

  const run = async (command: Record<string, unknown>): Promise<void> => {
    const id = typeof command.id === "number" ? command.id : 0;
    try {
      switch (command.cmd) {
        case "read": {
          const read = handlers.read(command as unknown as ReadCommand, write);
          reads.set(id, read);
          read.ended.finally(() => reads.delete(id));
          return;
        }
        case "append":
          write(await handlers.append(command as unknown as AppendCommand));
          return;
        case "close": {
          const target = command.read as number;
          await reads.get(target)?.close();
          write({ id: target, event: "done" });
          write({ id, event: "done" });
          return;
        }
        case "stop":
          await stop(id);
          return;
        default:
          write({ id, event: "error", message: `unknown command ${JSON.stringify(command.cmd)}` });
      }
    } catch (error) {
      write(errorEvent(id, error));
    }
  };

  readCommands((command) => void run(command), () => void stop());
  write(handlers.ready);
}

/**
 * Hands every JSON line of stdin to `command`, and calls `end` at the end of
 * stdin. A line that is no JSON is reported on stderr, its first `quoted`
 * characters quoted.
 */
export function readCommands(
  command: (command: Record<string, unknown>) => void,
  end: () => void,
  quoted = Infinity,
): void {
  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line === "") continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line);
      } catch {
        process.stderr.write(`not JSON: ${line.slice(0, quoted)}\n`);
        continue;
      }
      command(parsed);
    }
  });
  process.stdin.on("end", end);
}
