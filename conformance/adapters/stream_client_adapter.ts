/**
 * A client adapter (spec/v1/conformance.md §4) for the reference HTTP client,
 * `StreamClient`: reads with SSE and long-poll, appends over HTTP, plain or
 * as an idempotent producer. A worked example of the protocol; run it as
 *
 * ```sh
 * deno run -A conformance/adapters/stream_client_adapter.ts
 * bun conformance/adapters/stream_client_adapter.ts
 * ```
 *
 * and hand that command line to the client suite:
 * `deno task conformance -- client --adapter "deno run -A conformance/adapters/stream_client_adapter.ts"`.
 *
 * @module
 */

import type { BackoffOptions } from "../../src/client/backoff.ts";
import { StreamClient } from "../../src/client/stream_client.ts";
import type { StreamClientOptions } from "../../src/client/stream_client_options.ts";
import type {
  AdapterEvent,
  AppendCommand,
  ReadCommand,
  RetryHints,
} from "../client/adapter_protocol.ts";
import {
  type AdapterHandlers,
  appendEvent,
  type Emit,
  errorEvent,
  runAdapter,
  type RunningRead,
} from "./_json_lines.ts";

/**
 * What a variant of this adapter may change: the fetch its client uses, its
 * retry timing, and what is reported. The conformance tests build broken
 * clients from these; a real adapter needs none of them.
 *
 * @example
 * ```ts
 * import type { StreamClientAdapterOptions } from "./stream_client_adapter.ts";
 * const options: StreamClientAdapterOptions = { backoff: (hints) => ({ ...hints, multiplier: 1 }) };
 * ```
 */
export interface StreamClientAdapterOptions {
  /** The fetch of every client. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Retry timing from the runner's hints. */
  readonly backoff?: (hints: RetryHints | undefined) => BackoffOptions;
  /** Further options of every client. */
  readonly client?: Partial<StreamClientOptions>;
  /** Sees each message before it is reported; returns the events to report for it. */
  readonly report?: (event: AdapterEvent, reconnected: boolean) => AdapterEvent[];
}

/** Retries far beyond what a check needs: a client that gives up early hides nothing. */
const MAX_ATTEMPTS = 1_000;

/**
 * The handlers of the adapter: one `StreamClient` per server, made with the
 * retry hints of the first command for that server.
 *
 * @example
 * ```ts ignore
 * import { runAdapter } from "./_json_lines.ts";
 * import { streamClientAdapter } from "./stream_client_adapter.ts";
 * runAdapter(streamClientAdapter());
 * ```
 */
export function streamClientAdapter(options: StreamClientAdapterOptions = {}): AdapterHandlers {
  const clients = new Map<string, StreamClient>();
  const clientFor = (url: string, hints: RetryHints | undefined): StreamClient => {
    let client = clients.get(url);
    if (client === undefined) {
      const init: StreamClientOptions = {
        baseUrl: url,
        backoff: options.backoff?.(hints) ?? { ...hints, maxAttempts: MAX_ATTEMPTS },
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...options.client,
      };
      client = new StreamClient(init);
      clients.set(url, client);
    }
    return client;
  };

  return {
    ready: {
      event: "ready",
      client: { name: "agent-stream StreamClient", version: "0.1.0" },
      reads: ["sse", "long-poll"],
      appends: ["http"],
      producer: true,
    },

    read(command: ReadCommand, emit: Emit): RunningRead {
      if (command.live !== "sse" && command.live !== "long-poll") {
        throw new Error(`StreamClient does not read with ${command.live}`);
      }
      const client = clientFor(command.url, command.retry);
      let reconnected = false;
      const reader = client.read(command.path, {
        offset: command.offset as "-1",
        live: command.live,
        onReconnected: () => reconnected = true,
      });
      const report = (event: AdapterEvent): void => {
        for (const e of options.report ? options.report(event, reconnected) : [event]) emit(e);
        reconnected = false;
      };
      const ended = (async () => {
        try {
          for await (const batch of reader.batches()) {
            for (const event of batch.events) {
              report({
                id: command.id,
                event: "message",
                offset: event.offset,
                message: event.message,
              });
            }
            if (batch.closed) {
              emit({ id: command.id, event: "closed", offset: batch.nextOffset });
              return;
            }
          }
        } catch (error) {
          emit(errorEvent(command.id, error));
        }
      })();
      return {
        ended,
        async close() {
          reader.cancel();
          await ended;
        },
      };
    },

    async append(command: AppendCommand): Promise<AdapterEvent> {
      if (command.via !== "http") {
        throw new Error(`StreamClient does not append over ${command.via}`);
      }
      return await appendEvent(command, clientFor(command.url, command.retry));
    },

    stop() {
      clients.clear();
    },
  };
}

if (import.meta.main) runAdapter(streamClientAdapter());
