// The plumbing of consumer adapters (spec/v1/conformance.md §5): JSON lines
// on stdin and stdout, one answer per command, in order. What a consumer
// does lives in the adapter files.

import process from "node:process";
import type { ConsumerEvent, ConsumerReady } from "../agent/consumer_protocol.ts";
import { readCommands } from "./_json_lines.ts";

/** How the events of a `project` command are to be handed over. */
export interface ProjectDelivery {
  /** Batch sizes; absent: all at once. */
  readonly batches?: readonly number[];
  /** Save and resume between batches. */
  readonly resume?: boolean;
}

/** What a consumer adapter does; the plumbing does the rest. */
export interface ConsumerHandlers {
  /** The `ready` line. */
  readonly ready: ConsumerReady;
  /** Projects `events`; its result is the conversation, a throw the `error` answer. */
  project(events: readonly unknown[], delivery: ProjectDelivery): unknown | Promise<unknown>;
}

/** Serves the consumer adapter protocol on stdin and stdout until `stop` or the end of stdin. */
export function runConsumerAdapter(handlers: ConsumerHandlers): void {
  const write = (event: ConsumerEvent): void => {
    process.stdout.write(`${JSON.stringify(event)}\n`);
  };
  // Commands are answered one after the other, in the order they came.
  let queue: Promise<void> = Promise.resolve();
  const run = async (command: Record<string, unknown>): Promise<void> => {
    const id = typeof command.id === "number" ? command.id : 0;
    switch (command.cmd) {
      case "project": {
        try {
          const events = Array.isArray(command.events) ? command.events : [];
          const delivery: ProjectDelivery = {
            ...(Array.isArray(command.batches) ? { batches: command.batches as number[] } : {}),
            ...(command.resume === true ? { resume: true } : {}),
          };
          const conversation = await handlers.project(events, delivery);
          write({ id, event: "conversation", conversation });
        } catch (error) {
          write({
            id,
            event: "error",
            message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        }
        return;
      }
      case "stop":
        write({ id, event: "done" });
        process.stdout.write("", () => process.exit(0));
        return;
      default:
        write({ id, event: "error", message: `unknown command ${JSON.stringify(command.cmd)}` });
    }
  };

  readCommands(
    (command) => queue = queue.then(() => run(command)),
    () => void queue.then(() => process.stdout.write("", () => process.exit(0))),
    200,
  );
  write(handlers.ready);
}
